import type { Jieba as JiebaType } from '@node-rs/jieba';

/**
 * Words of a text for the search index and for queries, in Chinese and English. Chinese has no
 * spaces, so runs of Han characters are segmented with jieba (its default dictionary plus the
 * DAM words below); other text is split on anything that is not a letter or digit (file names:
 * `MuseDAM_春季新品_主图_V3` → musedam, 春季, 新品, 主图, v3) and lower-cased.
 */
const DOMAIN_WORDS = [
  '主图 50000 n',
  '详情页 50000 n',
  '海报 50000 n',
  '横幅 50000 n',
  '主视觉 50000 n',
  '新品 50000 n',
  '春季新品 20000 n',
  '零件号 50000 n',
  '车型 50000 n',
  '图纸 50000 n',
].join('\n');

/** Words that carry no meaning for search ("the red poster", "红色的海报"). */
const STOPWORDS = new Set([
  '的',
  '了',
  '和',
  '与',
  '及',
  '或',
  '在',
  '是',
  '为',
  '用',
  '给',
  '主题',
  '一些',
  '所有',
  '相关',
  'a',
  'an',
  'the',
  'of',
  'for',
  'from',
  'with',
  'in',
  'on',
  'and',
  'or',
  'to',
  'by',
  'at',
  'all',
  'some',
  'any',
  'me',
  'show',
  'find',
  'images',
  'image',
  'pictures',
  'files',
  'assets',
]);

let jieba: JiebaType | undefined;

function segmenter(): JiebaType {
  if (!jieba) {
    const { Jieba } = require('@node-rs/jieba') as typeof import('@node-rs/jieba');
    const { dict } = require('@node-rs/jieba/dict') as { dict: Uint8Array };
    jieba = Jieba.withDict(dict);
    jieba.loadDict(Buffer.from(DOMAIN_WORDS));
  }
  return jieba;
}

const HAN = /\p{Script=Han}/u;
const added = new Set<string>();

/**
 * Cuts of Han runs already segmented, by mode. Catalogues repeat the same words in tags, names
 * and dimension labels, and each jieba call crosses into native code: a rebuild of 100 000
 * documents cut the same few thousand runs over and over. Cleared whenever the dictionary grows
 * (a cut may change) and when it holds too many runs to stay small.
 */
const cuts = new Map<string, readonly string[]>();
const MAX_CACHED_CUTS = 50_000;

function cutHan(chunk: string, forIndex: boolean): readonly string[] {
  const key = forIndex ? `i${chunk}` : `q${chunk}`;
  let words = cuts.get(key);
  if (words === undefined) {
    const cut = forIndex ? segmenter().cutForSearch(chunk, true) : segmenter().cut(chunk, false);
    words = cut.map((w) => w.trim()).filter((w) => w.length > 0);
    if (cuts.size >= MAX_CACHED_CUTS) cuts.clear();
    cuts.set(key, words);
  }
  return words;
}

/**
 * Teaches the segmenter words a rule set names (synonyms, dimension labels) so they stay whole:
 * without it jieba cuts 货号 into 货 + 号. Both the indexer and the query side call this with the
 * same rule sets, so documents and queries are cut alike.
 */
export function addWords(words: Iterable<string>): void {
  const fresh = [...words].filter((w) => HAN.test(w) && !/\s/.test(w) && !added.has(w));
  if (fresh.length === 0) return;
  for (const w of fresh) added.add(w);
  cuts.clear();
  segmenter().loadDict(Buffer.from(fresh.map((w) => `${w} 50000 n`).join('\n')));
}

/** The Chinese words of a plan that search must keep whole. */
export function planWords(plan: {
  store: { synonyms?: string[][]; dimensions: Record<string, { values: Record<string, unknown> }> };
}): string[] {
  const labels = Object.values(plan.store.dimensions).flatMap((d) =>
    Object.values(d.values).flatMap((label) =>
      typeof label === 'string' ? [label] : Object.values(label as Record<string, string | string[]>).flat(),
    ),
  );
  return [...(plan.store.synonyms ?? []).flat(), ...labels];
}

/**
 * Tokens of a text. `forIndex` also keeps the sub-words of long Chinese words (春季新品 → 春季,
 * 新品, 春季新品), so a query for either finds it.
 */
export function tokensOf(text: string, forIndex = false): string[] {
  const out: string[] = [];
  for (const chunk of text.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
    if (!chunk) continue;
    if (!HAN.test(chunk)) {
      out.push(chunk);
      continue;
    }
    out.push(...cutHan(chunk, forIndex));
  }
  return out;
}

let dictionary: string[] | undefined;

/** The Han words of jieba's dictionary (about 350 000), read once on first use. */
export function dictionaryWords(): string[] {
  if (!dictionary) {
    const { dict } = require('@node-rs/jieba/dict') as { dict: Uint8Array };
    dictionary = [];
    for (const line of Buffer.from(dict).toString('utf8').split('\n')) {
      const word = line.slice(0, line.indexOf(' '));
      if (word && HAN.test(word)) dictionary.push(word);
    }
  }
  return dictionary;
}

/** Query tokens without stop words. */
export function queryTokens(text: string): string[] {
  return tokensOf(text).filter((t) => !STOPWORDS.has(t));
}

export function isStopword(token: string): boolean {
  return STOPWORDS.has(token);
}
