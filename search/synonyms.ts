/**
 * Words that find each other across languages and wording ("product" finds 商品, "poster" finds
 * 海报). Each group is symmetric. Rule sets may add groups of their own (`store.synonyms`).
 */
export const DEFAULT_SYNONYMS: string[][] = [
  ['product', 'products', '商品', '产品'],
  ['poster', 'posters', '海报'],
  ['banner', 'banners', '横幅'],
  ['photo', 'photos', 'photograph', '照片'],
  ['picture', '图片', '图像'],
  ['video', 'videos', '视频'],
  ['document', 'documents', 'pdf', '文档'],
  ['main', '主图'],
  ['detail', '详情页'],
  ['car', 'cars', 'vehicle', '汽车', '车'],
  ['person', 'people', '人物', '人'],
  ['cup', '杯子'],
  ['drawing', 'drawings', '图纸'],
  ['spring', '春季', '春天'],
  ['summer', '夏季', '夏天', '夏日'],
  ['autumn', 'fall', '秋季', '秋天'],
  ['winter', '冬季', '冬天'],
  ['new', '新品'],
  ['sale', '促销', '打折', '大促'],
];

/** Each word → every word of its groups (itself included). */
export function synonymIndex(groups: string[][]): Map<string, Set<string>> {
  const index = new Map<string, Set<string>>();
  for (const group of groups) {
    const words = group.map((w) => w.toLowerCase());
    for (const word of words) {
      const set = index.get(word) ?? new Set([word]);
      for (const other of words) set.add(other);
      index.set(word, set);
    }
  }
  return index;
}

/**
 * The English singular of a plural word (handbags → handbag, boxes → box, accessories →
 * accessory), or undefined: names and tags are mostly singular, and prefixes only find longer words.
 */
export function singularOf(word: string): string | undefined {
  if (!/^[a-z]{4,}$/.test(word) || word.endsWith('ss')) return undefined;
  if (word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (/(?:sh|ch|x|z|ss)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s')) return word.slice(0, -1);
  return undefined;
}

/** A search word's term group: the word, its singular, and their synonyms (any of them matches). */
export function termGroup(word: string, index: Map<string, Set<string>>): string[] {
  const singular = singularOf(word);
  return [
    ...new Set([...(index.get(word) ?? [word]), ...(singular ? (index.get(singular) ?? [singular]) : [])]),
  ];
}
