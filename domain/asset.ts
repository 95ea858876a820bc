import type {
  BrandColourCheck,
  ColourAnalysis,
  EmbeddedMetadata,
  Tag,
  TextLine,
  VideoFacts,
} from './ingest-findings';

/**
 * Plain-JSON domain types shared by workflows, activities, the catalogue and the API. No classes,
 * no Dates: these values cross Temporal's history and must serialise as they are.
 */

/** Lifecycle states an asset workflow moves through. Names are stored in history: never rename. */
export const AssetStates = ['created', 'stored', 'expired', 'archived', 'purged', 'trashed'] as const;
export type AssetState = (typeof AssetStates)[number];

/** States in which nothing of the asset leaves any more: taken down, archived, in the trash or purged. */
const WITHDRAWN: ReadonlySet<string> = new Set<AssetState>(['expired', 'archived', 'trashed', 'purged']);

/**
 * Why nothing of an asset may be shared, exported or previewed, as its workflow last mirrored it
 * into the catalogue: a state that withdrew it (taken down, archived, purged) or the engine's
 * `compliance.withheld` verdict (missing required fields, rights ended); null when it may leave.
 * (An asset in the trash is withdrawn too: its links stop until it is restored.)
 */
export function withheldReason(asset: { state: string; compliance?: unknown }): string | null {
  if (WITHDRAWN.has(asset.state)) return `the asset is ${asset.state}`;
  const compliance = asset.compliance as
    | { withheld?: { message?: string } | null; missingFields?: string[] }
    | null
    | undefined;
  if (compliance?.withheld) return compliance.withheld.message ?? 'the asset is withheld';
  // Rows mirrored before the engine gave a verdict still list the required fields they lack.
  const missing = compliance?.withheld === undefined ? (compliance?.missingFields ?? []) : [];
  return missing.length > 0 ? `the asset is incomplete: fill in ${missing.join(', ')}` : null;
}

/** `unknown` until the analysis activity has run. */
export type AssetKind = AssetKindName | 'unknown';

/**
 * One entry of an asset's timeline: a state change, or an event that left the state as it was
 * (`from` = `to`: a freeze, a legal hold, a metadata change…), with the moment, reason and actor.
 */
export interface Transition {
  seq: number;
  from: AssetState | null;
  to: AssetState;
  /** ISO-8601 timestamp in workflow time. */
  at: string;
  reason: string;
  /** What happened (`frozen`, `metadata-changed`…); absent in entries recorded before the engine. */
  event?: string;
  /** Who did it (a user's e-mail, or the rule or timer that acted). */
  by?: string;
}

/**
 * What ingest learns from a file. The fields after `reason`/`density` were added by the ingest
 * activity (issue #5); analyses recorded before it lack them, so they are optional.
 */
export type VersionAnalysis =
  | ({
      kind: 'image';
      format: string;
      width: number;
      height: number;
      space?: string;
      channels?: number;
      hasAlpha?: boolean;
      orientation?: number;
      density?: number;
      colours?: ColourAnalysis;
      brandColours?: BrandColourCheck;
      perceptualHash?: string;
    } & IngestFacts)
  | ({ kind: 'generic'; reason: string } & IngestFacts);

/** Facts ingest records for every file, image or not. */
export interface IngestFacts {
  /** The type found from the content. */
  mediaType?: string;
  embedded?: EmbeddedMetadata;
  tags?: Tag[];
  /** Lines of text read in the image (OCR), for search. */
  text?: TextLine[];
  /**
   * The models (object detection, OCR) on this version: `pending` while they run after the asset
   * was stored, `done` once their tags and text are in, `failed` with the reason. Absent when no
   * model had work, or when they ran inside ingest (versions ingested before this field).
   */
  enrichment?: { state: 'pending' | 'done' } | { state: 'failed'; reason: string };
  /** For videos and PDFs: what the poster frame or first-page preview found, or why there is none. */
  preview?: { ok: true; video?: VideoFacts; pages?: number } | { ok: false; reason: string };
  /** The rendition made at ingest for grids and previews. */
  /** `key` names the cached rendition file (see services/rendition-cache.ts). */
  thumbnail?: { preset: string; key?: string; mediaType: string; width: number; height: number };
}

/** Everything the lifecycle workflow knows, as plain JSON (it crosses continue-as-new). */
export interface LifecycleState {
  assetId: string;
  ruleSet: { name: string; version: number };
  state: AssetState;
  timeline: Transition[];
  version: number;
  metadata: Record<string, unknown>;
  asset: {
    name: string;
    kind: AssetKindName;
    format?: string;
    width?: number;
    height?: number;
    tags: string[];
  };
  frozen: { by: string; reason: string; at: string } | null;
  legalHold: { by: string; reason: string; at: string } | null;
  tier: 'hot' | 'cold';
  lastUsedAt: string;
  anchors: { upload: string; archive?: string; delisting?: string; 'end-of-production'?: string };
  compliance: {
    naming: { ok: boolean; policy: string; expected?: string; suggestion?: string } | null;
    missingFields: string[];
    complianceTags: string[];
    /** The brand-palette check of the latest image version, when the rule set has a palette. */
    brandColours?: { ok: boolean; policy: 'reject' | 'warn'; worstDeltaE: number | null };
    /**
     * Why nothing of the asset may leave although it is live (missing required fields, expired
     * rights), or null; absent in states recorded before rules were enforced.
     */
    withheld?: { code: string; message: string } | null;
  };
  /** Approval flows started for this asset (absent in states carried by older runs). */
  approvals?: ApprovalRecord[];
  /** Time-limited download grants that approvals produced. */
  grants?: DownloadGrant[];
  /** Tags ingest derived from the latest version (replaced when a new version is ingested). */
  derivedTags?: string[];
  /** Rule-set versions the asset was moved between. */
  migrations?: { from: number; to: number; by: string; at: string }[];
  /**
   * Where metadata values came from when not from the uploader: `ai` (filled from a detected tag,
   * with its confidence), `user` (set or confirmed by a person since). Absent in older states.
   */
  fieldSources?: Record<string, FieldSource>;
  /**
   * In the trash: who moved it there, when, the state it left (restoring returns to it) and when
   * the trash empties itself of it. Absent when the asset is not in the trash.
   */
  trashed?: Trashed;
  /** Tags a person added or confirmed (a confirmed AI tag is theirs from then on). */
  tagSources?: Record<string, { source: 'user'; by: string; at: string }>;
  /** Tags a person removed: ingest and the models do not add them again. */
  removedTags?: string[];
  /**
   * The classification (dimension → values) once a person changed it through the workflow;
   * absent: as given at upload (the catalogue holds it).
   */
  dimensions?: Record<string, string[]>;
}

export interface Trashed {
  by: string;
  at: string;
  from: AssetState;
  purgeAt: string;
  reason?: string;
}

export type FieldSource =
  | { source: 'ai'; confidence: number; tag: string; at: string }
  | { source: 'user'; by: string; at: string };

export interface ApprovalRecord {
  id: string;
  flow: string;
  status: 'pending' | 'approved' | 'rejected';
  requestedBy: string;
  audience: string;
  rendition: string;
  requestedAt: string;
  finishedAt?: string;
  /** The decisions that ended it, with the reviewers' reasons (absent in older records). */
  decisions?: ApprovalDecision[];
}

export interface ApprovalDecision {
  node: string;
  reviewer: string;
  decision: 'approve' | 'reject';
  reason?: string;
  at: string;
}

export interface DownloadGrant {
  approvalId: string;
  user: string;
  rendition: string;
  expiresAt: string;
  /** The audience the approval was for (absent in grants made before engine revision 3). */
  audience?: string;
}

/** What an approval child workflow reports to its asset when it finishes. */
export interface ApprovalOutcome {
  approvalId: string;
  status: 'approved' | 'rejected';
  at: string;
  /** Actions the flow took, for the asset to apply (grant-download, freeze, tag…). */
  actions: { action: string; params: Record<string, unknown> }[];
  /** Who decided what, and why (absent in outcomes sent before reasons were kept). */
  decisions?: ApprovalDecision[];
}

/** The kinds rule sets distinguish (which fields are required, which audiences see what). */
export type AssetKindName = 'image' | 'video' | 'document' | 'cad' | 'generic';

/** What the `getTimeline` query answers. */
export interface AssetLifecycleView {
  assetId: string;
  state: AssetState;
  timeline: Transition[];
}
