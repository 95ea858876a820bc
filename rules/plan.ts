import type {
  Audience,
  BrandPalette,
  ClassificationDimension,
  ComplianceTagRule,
  FieldType,
  FlowNode,
  FlowTrigger,
  RenditionPreset,
  RetentionAnchor,
} from './document';
import type { NamingToken } from './naming';

/**
 * The compiled form of a rule set: validated, with every default filled in, plain JSON, and
 * byte-identical for the same source (keys sorted). Workflows receive this, never YAML.
 */
export interface RuleSetPlan {
  planFormat: 1;
  name: string;
  title: { en: string; zh?: string };
  description: string;
  roles: string[];
  teams: string[];
  fields: Record<string, FieldPlan>;
  create: {
    naming: { template: string; policy: 'reject' | 'rename' | 'warn'; tokens: NamingToken[] } | null;
    complianceTags: ComplianceTagRule[];
    brandPalette: BrandPalette | null;
    /** Fields filled from detected tags (absent in older plans). */
    aiFill?: Record<string, { fromTags: Record<string, string[]>; minConfidence: number }>;
    /** `scene` appears in plans compiled before it was removed (it never tagged anything). */
    autoTagging: { scene?: boolean; objects: boolean; colours: boolean; exif: boolean; text: boolean };
  };
  store: {
    duplicates: {
      exact: 'warn' | 'block' | 'link-as-version';
      near: { threshold: number; action: 'warn' | 'block' | 'link-as-version' } | null;
    };
    /** Extra synonym groups for search (absent in older plans). */
    synonyms?: string[][];
    /** Browsing trees, each level a dimension or a field name (absent in older plans). */
    trees?: Record<string, { label: { en: string; zh?: string }; levels: string[] }>;
    dimensions: Record<
      string,
      Required<Omit<ClassificationDimension, 'label'>> & { label: { en: string; zh?: string } }
    >;
  };
  distribute: {
    /** Rights metadata that acts (absent in older plans). */
    rights?: {
      expiry: { field: string; notifyBefore: string | null } | null;
      region: { field: string; everywhere: string } | null;
    };
    renditions: Record<string, RenditionPreset>;
    audiences: Record<string, AudiencePlan>;
    shareLinks: {
      defaultExpiryDays: number;
      maxExpiryDays: number;
      passwordRequired: boolean;
      allowedDomains: string[];
      maxDownloads: number | null;
      /** As written (absent in older plans and when not written): see `linkAudiences`. */
      audiences?: string[] | null;
    };
    channels: Record<string, { renditions: string[]; when: string | null }>;
  };
  flows: Record<string, FlowPlan>;
  /** `freezeRoles`: who may freeze and unfreeze by hand (empty: anyone; absent in older plans). */
  use: { freeze: { when: string; reason: string }[]; freezeRoles?: string[] };
  archive: {
    validity: { field: string; after: string | null } | null;
    coldAfterDaysUnused: number | null;
    retention: { when: string | null; keep: string; after: RetentionAnchor }[];
    legalHold: { roles: string[] } | null;
    /** Business events a metadata condition drives (absent in older plans). */
    events?: Partial<Record<'delisting' | 'end-of-production', { when: string }>>;
  };
}

export interface FieldPlan {
  type: FieldType;
  label: { en: string; zh?: string };
  /** Asset kinds for which the field is required; all five when `required: true`. */
  requiredFor: string[];
  /** What a missing required field does (absent in older plans: `incomplete`). */
  whenMissing?: 'refuse' | 'incomplete';
  values: string[] | null;
  pattern: string | null;
  min: number | null;
  max: number | null;
}

export interface AudiencePlan extends Required<Pick<Audience, 'renditions'>> {
  label: { en: string; zh?: string };
  roles: string[];
  teams: string[];
  external: boolean;
  /** The usage regions it serves; empty: not bound to one (absent in older plans). */
  regions?: string[];
  when: string | null;
  approvals: Record<string, string>;
}

export interface FlowPlan {
  label: { en: string; zh?: string };
  trigger: FlowTrigger;
  when: string | null;
  /** Id of the node of type `start`. */
  start: string;
  /** What the flow allows of separation of duties (absent in older plans: nothing). */
  separationOfDuties?: { requesterMayApprove: boolean; reviewerMayApproveTwice: boolean };
  nodes: Record<string, FlowNode>;
}

export const ASSET_KINDS = ['image', 'video', 'document', 'cad', 'generic'] as const;

export { canonicalJson } from '../domain/canonical-json';
