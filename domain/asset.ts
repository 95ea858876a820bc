/**
 * Plain-JSON domain types shared by workflows, activities, the catalogue and the API. No classes,
 * no Dates: these values cross Temporal's history and must serialise as they are.
 */

/** Lifecycle states an asset workflow moves through. Names are stored in history: never rename. */
export const AssetStates = ['created', 'stored', 'expired'] as const;
export type AssetState = (typeof AssetStates)[number];

export type AssetKind = 'image' | 'generic' | 'unknown';

/** One entry of an asset's timeline: a state change with the moment and reason. */
export interface Transition {
  seq: number;
  from: AssetState | null;
  to: AssetState;
  /** ISO-8601 timestamp in workflow time. */
  at: string;
  reason: string;
}

/** What the analysis activity learns from a file. */
export type VersionAnalysis =
  | {
      kind: 'image';
      format: string;
      width: number;
      height: number;
      space?: string;
      channels?: number;
      hasAlpha?: boolean;
      orientation?: number;
      density?: number;
    }
  | { kind: 'generic'; reason: string };

/** Input of the `assetLifecycle` workflow. */
export interface AssetLifecycleInput {
  assetId: string;
  ruleSet: string;
  /** The rule-set version the asset runs under (absent in histories recorded before versioning). */
  ruleSetVersion?: number;
  version: number;
  /**
   * ISO-8601 end of the asset's validity period, if it has one; when it passes the asset is taken
   * down (state `expired`).
   */
  validUntil?: string;
}

/** What the `getTimeline` query answers. */
export interface AssetLifecycleView {
  assetId: string;
  state: AssetState;
  timeline: Transition[];
}
