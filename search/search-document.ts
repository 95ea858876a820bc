import type { VersionAnalysis } from '../domain/asset';
import { BASIC_COLOUR_NAMES } from '../imaging/colour-names';
import type { RuleSetPlan } from '../rules/plan';
import { tokensOf } from './segment';
import { typesFromEvidence } from './type-evidence';

/** What the index needs to know about an asset (catalogue row and latest analysis). */
export interface SearchSource {
  assetId: string;
  name: string;
  kind: string;
  state: string;
  ruleSet: string;
  /** The project the asset lives in: search shows only projects the caller may see. */
  project: string;
  tags: string[];
  metadata: Record<string, unknown>;
  dimensions: Record<string, string[]>;
  analysis: VersionAnalysis | null;
  createdAt: string;
  lastUsedAt: string | null;
  /** Comment bodies on any version (absent: none). */
  comments?: string[];
}

/** One row of `search_documents`: weighted words, facet strings and the dates filters use. */
export interface SearchDocument {
  assetId: string;
  name: string;
  /** Tokens by weight: A the name, B tags and classification, C everything else (metadata, EXIF, OCR, comments). */
  words: { A: string[]; B: string[]; C: string[] };
  facets: string[];
  /** Capture date when the file has one, else the upload date. */
  madeOn: string;
  /** Last use, never before the upload (a use recorded earlier counts as made at upload). */
  lastUsedAt: string | null;
  createdAt: string;
}

/**
 * The search document of an asset. Pure: the indexer calls it whenever the catalogue row changes,
 * and `assetflow search reindex` rebuilds every document with it.
 */
export function buildSearchDocument(
  source: SearchSource,
  store: Pick<RuleSetPlan['store'], 'dimensions' | 'trees'>,
): SearchDocument {
  const dimensions = store.dimensions;
  const analysis = source.analysis;
  const embedded = analysis?.embedded ?? {};
  const madeOn = (embedded.capturedAt ?? source.createdAt).slice(0, 10);

  const facets = new Set<string>([
    `state:${source.state}`,
    `ruleSet:${source.ruleSet}`,
    `project:${source.project}`,
    `month:${madeOn.slice(0, 7)}`,
  ]);
  // Type from evidence (rule-set fields, tags, OCR layout), the aspect ratio only as a fallback.
  for (const type of typesFromEvidence(source)) facets.add(`type:${type}`);
  const colourWords: string[] = [];
  if (analysis?.kind === 'image') {
    for (const colour of analysis.colours?.palette ?? []) {
      if (colour.share < 0.1) continue;
      facets.add(`colour:${colour.family}`);
      colourWords.push(BASIC_COLOUR_NAMES[colour.family].en, BASIC_COLOUR_NAMES[colour.family].zh);
    }
  }
  const classification: string[] = [];
  for (const [dimension, values] of Object.entries(source.dimensions)) {
    for (const value of values) {
      facets.add(`dim:${dimension}=${value}`);
      const label = dimensions[dimension]?.values[value];
      if (typeof label === 'string') classification.push(value, label);
      else classification.push(value, label?.en ?? '', label?.zh ?? '');
    }
  }

  // Fields that are levels of a browsing tree are facets too (automotive: the part number).
  for (const { levels } of Object.values(store.trees ?? {})) {
    for (const level of levels) {
      const value = source.metadata[level];
      if (!dimensions[level] && (typeof value === 'string' || typeof value === 'number'))
        facets.add(`field:${level}=${value}`);
    }
  }
  const metadataText = Object.values(source.metadata).flatMap((v) =>
    typeof v === 'string' || typeof v === 'number' ? [String(v)] : Array.isArray(v) ? v.map(String) : [],
  );
  const embeddedText = [
    embedded.creator,
    embedded.copyright,
    embedded.title,
    embedded.description,
    embedded.camera,
    ...(embedded.keywords ?? []),
  ].filter((t): t is string => Boolean(t));
  const ocr = (analysis?.text ?? []).map((line) => line.text);
  const tokens = (texts: string[]) => [...new Set(texts.flatMap((t) => tokensOf(t, true)))];

  return {
    assetId: source.assetId,
    name: source.name,
    words: {
      A: tokens([source.name]),
      B: tokens([...source.tags, ...classification, ...colourWords]),
      C: tokens([...metadataText, ...embeddedText, ...ocr, ...(source.comments ?? [])]),
    },
    facets: [...facets].sort(),
    madeOn,
    // An asset cannot be used before it exists; keeping that true lets "not used since" searches
    // also bound the upload date (catalogue/search.repository.ts), which an index can serve.
    lastUsedAt:
      source.lastUsedAt !== null && Date.parse(source.lastUsedAt) < Date.parse(source.createdAt)
        ? source.createdAt
        : source.lastUsedAt,
    createdAt: source.createdAt,
  };
}
