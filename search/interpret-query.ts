import { escapeRegExp } from '../domain/regexp';
import { BASIC_COLOUR_NAMES, type BasicColour, REFERENCE_COLOURS } from '../imaging/colour-names';
import type { DaySpan } from './holidays';
import { isStopword, tokensOf } from './segment';
import { synonymIndex } from './synonyms';
import { interpretTime } from './time-expressions';

/** What a query can name besides free text: the rule sets' dimension values and synonym groups. */
export interface SearchVocabulary {
  dimensions: { dimension: string; value: string; labels: string[] }[];
  synonyms: string[][];
}

/** How a query was understood; the API returns it so a person can see and correct it. */
export interface InterpretedQuery {
  dateRange: DaySpan | null;
  unusedSince: string | null;
  colours: BasicColour[];
  types: string[];
  facets: Record<string, string[]>;
  /** The words left for full-text search. */
  text: string;
  /** Each word with its synonyms: every group must match (AND), any word of a group (OR). */
  terms: string[][];
}

/** Words that name a kind of asset, and the type facet they select. */
const TYPE_WORDS: Record<string, string> = {
  poster: 'poster',
  posters: 'poster',
  海报: 'poster',
  banner: 'banner',
  banners: 'banner',
  横幅: 'banner',
  photo: 'photo',
  photos: 'photo',
  照片: 'photo',
  video: 'video',
  videos: 'video',
  视频: 'video',
  document: 'document',
  documents: 'document',
  pdf: 'document',
  文档: 'document',
};

/** Colour words in both languages (the names tagging gives, and one-character Chinese forms). */
const COLOUR_WORDS: [string, BasicColour][] = (() => {
  const words = new Map<string, BasicColour>();
  for (const [family, name] of Object.entries(BASIC_COLOUR_NAMES) as [
    BasicColour,
    { en: string; zh: string },
  ][]) {
    words.set(name.en, family);
    words.set(name.zh, family);
    words.set(name.zh.replace(/色$/, ''), family);
  }
  words.set('gray', 'grey');
  for (const reference of REFERENCE_COLOURS) {
    words.set(reference.name.en, reference.family);
    words.set(reference.name.zh, reference.family);
  }
  // Longest first, so "dark green" wins over "green" and 深绿色 over 绿.
  return [...words].sort((a, b) => b[0].length - a[0].length);
})();

/**
 * Reads a natural-language query (Chinese, English or both) relative to `today`: time, colours,
 * asset types and dimension values become filters; the rest is text, expanded with synonyms.
 * "去年春节的红色主题海报" → Spring Festival of last year, red, posters, no text left.
 */
export function interpretQuery(query: string, today: string, vocabulary: SearchVocabulary): InterpretedQuery {
  const time = interpretTime(query, today);
  let rest = ` ${time.rest} `;
  const original = ` ${query} `;
  const remove = (start: number, length: number) => {
    rest = `${rest.slice(0, start)} ${rest.slice(start + length)}`;
  };
  const findWord = (word: string): number => {
    const latin = /^[\x20-\x7e]+$/.test(word);
    if (!latin) return rest.indexOf(word);
    const match = new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(word)}(?![\\p{L}\\p{N}])`, 'u').exec(rest);
    return match ? match.index : -1;
  };

  const facets: Record<string, string[]> = {};
  for (const entry of vocabulary.dimensions) {
    // Value keys match as written (US, not "us"); labels in any case.
    const keyAt = new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(entry.value)}(?![\\p{L}\\p{N}])`, 'u').exec(
      original,
    );
    const label = entry.labels.find((l) => findWord(l.toLowerCase()) >= 0);
    if (!keyAt && !label) continue;
    const values = facets[entry.dimension] ?? [];
    if (!values.includes(entry.value)) values.push(entry.value);
    facets[entry.dimension] = values;
    const word = label?.toLowerCase() ?? entry.value.toLowerCase();
    const at = findWord(word);
    if (at >= 0) remove(at, word.length);
  }

  const colours: BasicColour[] = [];
  for (const [word, family] of COLOUR_WORDS) {
    for (let at = findWord(word); at >= 0; at = findWord(word)) {
      if (!colours.includes(family)) colours.push(family);
      remove(at, word.length);
    }
  }

  const types: string[] = [];
  const terms: string[][] = [];
  const synonyms = synonymIndex(vocabulary.synonyms);
  const textWords: string[] = [];
  for (const token of tokensOf(rest)) {
    const type = TYPE_WORDS[token];
    if (type) {
      if (!types.includes(type)) types.push(type);
      continue;
    }
    if (isStopword(token)) continue;
    textWords.push(token);
    terms.push([...(synonyms.get(token) ?? new Set([token]))]);
  }

  return {
    dateRange: time.dateRange ?? null,
    unusedSince: time.unusedSince ?? null,
    colours,
    types,
    facets,
    text: textWords.join(' '),
    terms,
  };
}
