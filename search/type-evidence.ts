import type { VersionAnalysis } from '../domain/asset';
import { TYPE_WORDS } from './type-words';

/**
 * The `type:` facets of an asset, from evidence. What counts as evidence, strongest first:
 *
 * 1. What the asset's rule set recorded: a metadata field or dimension value that is a type word
 *    (ecommerce's `purpose: banner`/`poster`, a `usage` dimension valued 海报).
 * 2. Its tags, except the `poster` guess the format tagger makes from the aspect ratio alone
 *    (tagging/rule-taggers.ts: ≥ 1000 px tall and ≤ 0.75 wide — a portrait photo is both).
 *    Tags people wrote, the object detector's and the rule taggers' others (banner ≥ 2.5:1,
 *    photo from camera EXIF) count.
 * 3. Layout read by OCR: two or more lines of confidently read text make a designed piece, not a
 *    photograph — a poster when it is portrait, a banner when it is wide.
 * 4. Weak fallback: the aspect-ratio poster guess counts only when nothing above gave a type and
 *    nothing says the image is a photograph.
 *
 * Steps 3 and 4 are guesses, so they are skipped when the rule set's fields already say what the
 * asset is for in words that are no type (ecommerce's `purpose: main` or `detail`: a long detail
 * page is tall and full of text, and still no poster).
 *
 * Plus the media kind itself: `type:<kind>` (image, video, generic…), video and document from the
 * media type.
 */
/** What a rule-set field may say an asset is for that is no type of its own. */
const PURPOSES = new Set(['main', 'detail', 'lifestyle', 'packshot', '主图', '详情页', '场景图']);

export function typesFromEvidence(source: {
  kind: string;
  tags: string[];
  metadata: Record<string, unknown>;
  dimensions: Record<string, string[]>;
  analysis: VersionAnalysis | null;
}): string[] {
  const analysis = source.analysis;
  const found = new Set<string>();
  const add = (word: unknown) => {
    const type = typeof word === 'string' ? TYPE_WORDS[word.toLowerCase()] : undefined;
    if (type) found.add(type);
  };

  let purposeSaid = false;
  const recorded = (word: unknown) => {
    add(word);
    if (typeof word === 'string' && PURPOSES.has(word.toLowerCase())) purposeSaid = true;
  };
  for (const value of Object.values(source.metadata)) {
    if (Array.isArray(value)) value.forEach(recorded);
    else recorded(value);
  }
  for (const values of Object.values(source.dimensions)) values.forEach(recorded);

  // A tag is the aspect-ratio guess when ingest derived it as a rule and nobody else gave it.
  const guessed = new Set(
    (analysis?.tags ?? [])
      .filter((t) => t.source === 'rule' && TYPE_WORDS[t.name.toLowerCase()] === 'poster')
      .map((t) => t.name),
  );
  for (const tag of source.tags) if (!guessed.has(tag)) add(tag);

  const image = analysis?.kind === 'image' ? analysis : null;
  const lines = (analysis?.text ?? []).filter(
    (line) => line.confidence >= 0.5 && line.text.trim().length >= 2,
  );
  if (image && lines.length >= 2 && !purposeSaid) {
    const aspect = image.width / image.height;
    if (aspect >= 2) found.add('banner');
    else if (aspect < 0.9) found.add('poster');
  }

  if (found.size === 0 && guessed.size > 0 && !purposeSaid) found.add('poster');

  found.add(source.kind);
  const mediaType = analysis?.mediaType ?? '';
  if (mediaType.startsWith('video/')) found.add('video');
  if (mediaType === 'application/pdf') found.add('document');
  return [...found];
}
