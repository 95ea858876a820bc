import { escapeRegExp } from '../domain/regexp';

/**
 * Filler: the words people wrap a search in ("找一下…", "帮我找…的图", "show me …", "pictures
 * of …") that say nothing about which assets they want. Left in, each became a required term and
 * a query like 找一下最近30天美国市场的亚马逊主图 found nothing.
 *
 * Phrases are taken out of the query text before it is segmented (jieba cuts 找一下 into 找 + 一下
 * and 帮我找 into 帮 + 我 + 找, so a token list could not see them whole); single tokens are
 * dropped after segmentation, where 图 is a word of its own and not the 图 inside 主图.
 */
const PHRASES_ZH = [
  '帮我找一下',
  '帮我找找',
  '帮我找',
  '帮我搜一下',
  '帮我搜',
  '帮我看看',
  '给我找',
  '找一下',
  '找找',
  '搜一下',
  '查一下',
  '看一下',
  '我想找',
  '我要找',
  '我想要',
  '我需要',
  '有没有',
  '有哪些',
  '最近上传的',
  '最近上传',
  '上传的',
  '上传过的',
  '拍的',
  '做的',
  '用的',
  '一下',
  '一张',
  '几张',
  '那张',
  '那些',
  '所有的',
  '全部的',
  '请',
];

const PHRASES_EN = [
  'can you find',
  'could you find',
  'show me',
  'find me',
  'get me',
  'give me',
  'search for',
  'look for',
  'looking for',
  'i need',
  'i want',
  'pictures of',
  'images of',
  'photos of',
  'pics of',
  'recently uploaded',
  'uploaded',
  'please',
];

/** Tokens (after segmentation) that are filler wherever they stand. */
const TOKENS = new Set([
  '图',
  '图片',
  '图像',
  '素材',
  '照',
  '张',
  '找',
  '搜',
  '搜索',
  '查找',
  '那个',
  '这个',
  '哪些',
  '什么',
  '些',
  'pics',
  'pic',
  'stuff',
  'search',
  'look',
  'get',
  'need',
  'want',
  'that',
  'which',
  'were',
  'was',
  'are',
  'is',
  'my',
  'our',
  'i',
  'you',
  'please',
]);

// One alternation of fixed, escaped phrases, longest first; no user text is part of the pattern.
const PHRASE_PATTERN = (() => {
  const zh = [...PHRASES_ZH].sort((a, b) => b.length - a.length).map(escapeRegExp);
  // English phrases only as whole words ("showroom" keeps its "show").
  const en = [...PHRASES_EN]
    .sort((a, b) => b.length - a.length)
    .map((p) => `(?<![\\p{L}\\p{N}])${escapeRegExp(p).replace(/ /g, '\\s+')}(?![\\p{L}\\p{N}])`);
  return new RegExp(`${en.join('|')}|${zh.join('|')}`, 'gu');
})();

/**
 * The query with filler phrases taken out, and the phrases found (as typed, lower-cased), in
 * order. Chinese phrases are removed wherever they occur: none of them is part of a longer word
 * people search for.
 */
export function removeFillerPhrases(text: string): { rest: string; fillers: string[] } {
  const fillers: string[] = [];
  const rest = text.replace(PHRASE_PATTERN, (phrase) => {
    fillers.push(phrase);
    return ' ';
  });
  return { rest, fillers };
}

export function isFillerToken(token: string): boolean {
  return TOKENS.has(token);
}
