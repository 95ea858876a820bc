import { escapeRegExp } from '../domain/regexp';
import type { BasicColour } from '../imaging/colour-names';
import { COLOUR_WORDS } from './colour-words';
import { isFillerToken, removeFillerPhrases } from './fillers';
import type { DaySpan } from './holidays';
import { isStopword, tokensOf } from './segment';
import { synonymIndex, termGroup } from './synonyms';
import { readTime } from './time-expressions';
import { TYPE_WORDS } from './type-words';

/** Longer queries are cut here (the API refuses them; this guards other callers). */
export const MAX_QUERY_LENGTH = 500;

/** What a query can name besides free text: the rule sets' dimension values and synonym groups. */
export interface SearchVocabulary {
  dimensions: { dimension: string; value: string; labels: string[] }[];
  /** The dimensions' own labels (市场, Market): said next to a value (美国市场), they add nothing. */
  dimensionNames?: { dimension: string; labels: string[] }[];
  synonyms: string[][];
}

/**
 * How a word of the query was used. `filler`: says nothing about the assets (找一下, show me);
 * `time`, `colour`, `type`, `dimension`: became a filter; the rest are search words —
 * `required` (every such word had to match), `ranked` (the looser reading: any word matched, more
 * matching words rank higher), `name` (read as misspelt: a name by trigrams, or Chinese words by
 * their one-character near misses), `unmatched` (nothing had it; the
 * filters alone answered, or nothing within the filters has it and it was dropped).
 */
export type WordUse =
  | 'filler'
  | 'time'
  | 'colour'
  | 'type'
  | 'dimension'
  | 'required'
  | 'ranked'
  | 'name'
  | 'unmatched';

export interface QueryWord {
  word: string;
  as: WordUse;
  /** For `dimension`: which dimension. */
  dimension?: string;
  /** The value selected: a dimension value, a colour family or a type. */
  value?: string;
}

/**
 * Which reading of the search words answered, strictest first: all of them (`all-words`); all
 * of those anything has, the others dropped (`known-words`); any of them, more matching words
 * ranking higher (`any-word`); the words as a misspelt name (`name-typo`); the Chinese words as
 * typos of known words one character away (`near-word`: 双间包 → 双肩包); none — the filters alone
 * (`filters-only`). A query without search words reads `all-words`.
 */
export type Reading = 'all-words' | 'known-words' | 'any-word' | 'name-typo' | 'near-word' | 'filters-only';

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
  /** Every word of the query, in order, and what it was used as. */
  words: QueryWord[];
  /** The reading the results come from (`all-words` until the search has run). */
  reading: Reading;
}

/**
 * Reads a natural-language query (Chinese, English or both) relative to `today`: time, colours,
 * asset types and dimension values become filters; the rest is text, expanded with synonyms.
 * "去年春节的红色主题海报" → Spring Festival of last year, red, posters, no text left.
 */
export function interpretQuery(query: string, today: string, vocabulary: SearchVocabulary): InterpretedQuery {
  const typed = query.slice(0, MAX_QUERY_LENGTH);
  const lowered = typed.toLowerCase();
  const words: (QueryWord & { at: number })[] = [];
  const said = (word: string, use: Omit<QueryWord, 'word'>) => {
    const at = lowered.indexOf(word);
    words.push({ word, ...use, at: at < 0 ? lowered.length : at });
  };

  const time = readTime(typed, today);
  for (const expression of time.said) said(expression.replace(/的$/, ''), { as: 'time' });
  const phrases = removeFillerPhrases(time.rest);
  for (const filler of phrases.fillers) said(filler, { as: 'filler' });
  let rest = ` ${phrases.rest} `;
  const original = ` ${typed} `;
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
    // A key counts only while it is still unread (the "summer" of "last summer" is time).
    if (!(keyAt && findWord(entry.value.toLowerCase()) >= 0) && !label) continue;
    const values = facets[entry.dimension] ?? [];
    if (!values.includes(entry.value)) values.push(entry.value);
    facets[entry.dimension] = values;
    const word = label?.toLowerCase() ?? entry.value.toLowerCase();
    const at = findWord(word);
    if (at >= 0) remove(at, word.length);
    said(word, { as: 'dimension', dimension: entry.dimension, value: entry.value });
  }
  // 美国市场, "Amazon platform": the dimension's own name beside one of its values adds nothing.
  for (const { dimension, labels } of vocabulary.dimensionNames ?? []) {
    if (!facets[dimension]) continue;
    for (const label of labels) {
      const at = findWord(label.toLowerCase());
      if (at < 0) continue;
      remove(at, label.length);
      said(label.toLowerCase(), { as: 'dimension', dimension });
    }
  }

  const colours: BasicColour[] = [];
  const colourOf = new Map(COLOUR_WORDS);
  for (const [word, family] of COLOUR_WORDS) {
    // One-character colours (红, 蓝) only as words of their own, below: not the 红 of 口红 (lipstick)
    // or the 蓝 of 蓝牙 (Bluetooth).
    if (word.length === 1) continue;
    for (let at = findWord(word); at >= 0; at = findWord(word)) {
      if (!colours.includes(family)) colours.push(family);
      remove(at, word.length);
      said(word, { as: 'colour', value: family });
    }
  }

  const types: string[] = [];
  const terms: string[][] = [];
  const synonyms = synonymIndex(vocabulary.synonyms);
  const textWords: string[] = [];
  for (const token of tokensOf(rest)) {
    const colour = token.length === 1 ? colourOf.get(token) : undefined;
    if (colour) {
      if (!colours.includes(colour)) colours.push(colour);
      said(token, { as: 'colour', value: colour });
      continue;
    }
    const type = TYPE_WORDS[token];
    if (type) {
      if (!types.includes(type)) types.push(type);
      said(token, { as: 'type', value: type });
      continue;
    }
    if (isStopword(token) || isFillerToken(token)) {
      said(token, { as: 'filler' });
      continue;
    }
    said(token, { as: 'required' });
    textWords.push(token);
    terms.push(termGroup(token, synonyms));
  }

  return {
    dateRange: time.dateRange ?? null,
    unusedSince: time.unusedSince ?? null,
    colours,
    types,
    facets,
    text: textWords.join(' '),
    terms,
    words: words.sort((a, b) => a.at - b.at).map(({ at: _at, ...word }) => word),
    reading: 'all-words',
  };
}
