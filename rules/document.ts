/**
 * The rule-set document as authors write it in YAML (after parsing, before compiling). The JSON
 * Schema in `rule-set.schema.ts` describes exactly these types; `docs/rules.md` explains them.
 */

/** ISO-8601 duration such as `P7D`, `PT12H`, `P3Y`, `P15Y6M`. */
export type IsoDuration = string;
/** A CEL expression over `asset`, `metadata`, `request` and `now`. */
export type Condition = string;
export type LocalisedText = { en: string; zh?: string } | string;
/** A dimension value's label; `aliases` are more words search reads as the value (Japanese → JP). */
export type DimensionValueLabel = { en: string; zh?: string; aliases?: string[] } | string;

export type FieldType = 'string' | 'int' | 'number' | 'bool' | 'date' | 'enum' | 'list';

export interface FieldDefinition {
  type: FieldType;
  label?: LocalisedText;
  /** `true` for every asset kind, or the asset kinds (image, video, document, cad, generic) that must carry it. */
  required?: boolean | string[];
  /**
   * What a missing required field does: `refuse` the upload (422 naming the field), or accept the
   * asset as `incomplete` (the default): kept and editable, but nothing of it leaves until filled.
   */
  whenMissing?: 'refuse' | 'incomplete';
  /** For `enum` (and `list` of enum values). */
  values?: string[];
  pattern?: string;
  min?: number;
  max?: number;
}

export interface NamingConvention {
  /** e.g. `{brand}_{line}_{purpose}_V{version}_{date:YYYYMMDD}.{ext}` */
  template: string;
  policy: 'reject' | 'rename' | 'warn';
}

export interface ComplianceTagRule {
  when: Condition;
  tags: string[];
}

export interface BrandPalette {
  colours: { name: string; hex: string }[];
  /** Largest CIEDE2000 distance from a brand colour that still passes. */
  maxDeltaE: number;
  policy: 'reject' | 'warn';
}

export interface CreateStage {
  naming?: NamingConvention;
  complianceTags?: ComplianceTagRule[];
  brandPalette?: BrandPalette;
  /**
   * Fields ingest fills when empty, from the tags its models found: value → tags that mean it
   * (e-commerce: a detected `laptop` makes `category: electronics`). The best-scoring tag at or
   * above `minConfidence` (default 0.4) decides; the source and confidence are kept.
   */
  aiFill?: Record<string, { fromTags: Record<string, string[]>; minConfidence?: number }>;
  autoTagging?: { objects?: boolean; colours?: boolean; exif?: boolean; text?: boolean };
}

export interface ClassificationDimension {
  label?: LocalisedText;
  /** Allowed values with their labels (and search aliases). */
  values: Record<string, DimensionValueLabel>;
  multiple?: boolean;
  required?: boolean;
}

export interface StoreStage {
  duplicates?: {
    exact?: 'warn' | 'block' | 'link-as-version';
    near?: { threshold: number; action: 'warn' | 'block' | 'link-as-version' };
  };
  dimensions?: Record<string, ClassificationDimension>;
  /** Groups of single words that find each other in search (added to the built-in groups). */
  synonyms?: string[][];
  /** Browsing trees: each level a dimension or a field (automotive: programme → system → partNumber). */
  trees?: Record<string, { label?: LocalisedText; levels: string[] }>;
}

export interface RenditionPreset {
  /** `true` for the original file, untouched. */
  original?: boolean;
  width?: number;
  height?: number;
  fit?: 'cover' | 'contain' | 'inside' | 'outside' | 'fill';
  format?: 'jpeg' | 'png' | 'webp' | 'avif';
  quality?: number;
  background?: string;
  watermark?: { text: string; opacity?: number; position?: 'center' | 'bottom-right' | 'tiled' };
  invisibleWatermark?: boolean;
}

export interface Audience {
  label?: LocalisedText;
  roles?: string[];
  teams?: string[];
  /** People outside the organisation (share-link recipients, partners). */
  external?: boolean;
  /**
   * The usage regions the audience serves. An asset whose rights allow one region (see
   * `distribute.rights.region`) reaches only audiences that list it; an audience without
   * `regions` is not bound to one.
   */
  regions?: string[];
  renditions: string[];
  /** Only assets matching this condition are visible to the audience. */
  when?: Condition;
  /** Rendition name → approval flow that must approve a download of it. */
  approvals?: Record<string, string>;
}

export interface ShareLinkPolicy {
  defaultExpiryDays?: number;
  maxExpiryDays?: number;
  passwordRequired?: boolean;
  allowedDomains?: string[];
  maxDownloads?: number;
  /**
   * The audiences whose renditions a link may carry. Default: the external audiences when the
   * rule set has any (a link reaches outsiders), else every audience.
   */
  audiences?: string[];
}

/** Rights metadata that acts: an expiry that takes the asset's distribution down, a usage region. */
export interface RightsPolicy {
  /** A date field; on that day nothing of the asset leaves any more; its owner is told `notifyBefore`. */
  expiry?: { field: string; notifyBefore?: IsoDuration };
  /** A field naming the one region the asset may be used in; `everywhere` is the value that means any. */
  region?: { field: string; everywhere?: string };
}

export interface DistributeStage {
  rights?: RightsPolicy;
  renditions?: Record<string, RenditionPreset>;
  audiences?: Record<string, Audience>;
  shareLinks?: ShareLinkPolicy;
  /** Channel batches: channel → renditions produced for it. */
  channels?: Record<string, { renditions: string[]; when?: Condition }>;
}

/** The events a flow starts on; the schema's enum and the editor's trigger list read this array. */
export const FLOW_TRIGGERS = ['upload', 'metadata-change', 'download-request', 'manual'] as const;
export type FlowTrigger = (typeof FLOW_TRIGGERS)[number];

/** What an action node does; the schema's enum and the editor's action list read this array. */
export const FLOW_ACTIONS = [
  'freeze',
  'unfreeze',
  'notify',
  'grant-download',
  'expire',
  'tag',
  'untag',
] as const;
export type FlowAction = (typeof FLOW_ACTIONS)[number];

/** The named quorums of an approval (besides a number of approvals). */
export const QUORUMS = ['all', 'any'] as const;

export type FlowNode =
  | { type: 'start'; next: string }
  | { type: 'condition'; when: Condition; then: string; else: string }
  | {
      type: 'approval';
      label?: LocalisedText;
      reviewers: { roles?: string[]; users?: string[] };
      quorum?: (typeof QUORUMS)[number] | number;
      timeout?: { after: IsoDuration; action: 'escalate' | 'approve' | 'reject'; escalateTo?: string };
      approved: string;
      rejected: string;
    }
  | { type: 'parallel'; branches: string[]; join: string }
  | { type: 'join'; next: string }
  | { type: 'action'; action: FlowAction; params?: Record<string, unknown>; next: string }
  | { type: 'end'; outcome: 'approved' | 'rejected' };

export interface FlowDefinition {
  label?: LocalisedText;
  trigger: FlowTrigger;
  /** Only start the flow when this holds (evaluated at the trigger). */
  when?: Condition;
  /**
   * Four eyes by default: the requester may not approve, nor may one person approve two steps.
   * A flow that does not need that says so here.
   */
  separationOfDuties?: { requesterMayApprove?: boolean; reviewerMayApproveTwice?: boolean };
  nodes: Record<string, FlowNode>;
}

export interface UseStage {
  freeze?: { when: Condition; reason: string }[];
  /** Roles that may freeze and unfreeze by hand; anyone when absent. */
  freezeRoles?: string[];
}

export type RetentionAnchor = 'archive' | 'delisting' | 'end-of-production' | 'upload';

export interface RetentionRule {
  when?: Condition;
  /** `forever`, or a duration after `after`. */
  keep: IsoDuration | 'forever';
  after?: RetentionAnchor;
}

export interface ArchiveStage {
  /** Taken down when the validity period ends: at a date field, or a duration after a date field. */
  validity?: { field: string; after?: IsoDuration };
  coldAfterDaysUnused?: number;
  retention?: RetentionRule[];
  legalHold?: { roles: string[] };
  /**
   * Business events driven by metadata: when the condition starts to hold the event happens
   * (delisting, end of production: the asset is archived), when it stops holding it is undone.
   */
  events?: Partial<Record<'delisting' | 'end-of-production', { when: Condition }>>;
}

export interface RuleSetDocument {
  apiVersion: 'assetflow/v1';
  kind: 'RuleSet';
  name: string;
  title?: LocalisedText;
  description?: string;
  roles?: string[];
  teams?: string[];
  fields?: Record<string, FieldDefinition>;
  create?: CreateStage;
  store?: StoreStage;
  distribute?: DistributeStage;
  flows?: Record<string, FlowDefinition>;
  use?: UseStage;
  archive?: ArchiveStage;
  /** Editor canvas positions; never affects behaviour. */
  layout?: { flows?: Record<string, Record<string, { x: number; y: number }>> };
}
