import { BASIC_COLOUR_NAMES, type BasicColour, REFERENCE_COLOURS } from '../imaging/colour-names';

/**
 * Colours people name after a brand or a painter. The index knows colour families (what ingest
 * measured), so each finds its family; the hex is the colour as the brand publishes it, and the
 * unit tests check that the family is the one ingest would give that hex.
 */
export const BRAND_COLOURS: { names: string[]; hex: string; family: BasicColour }[] = [
  { names: ['tiffany blue', 'tiffany', '蒂芙尼蓝', 'tiffany蓝'], hex: '#0abab5', family: 'blue' },
  { names: ['klein blue', 'international klein blue', '克莱因蓝'], hex: '#002fa7', family: 'blue' },
  { names: ['hermès orange', 'hermes orange', '爱马仕橙'], hex: '#f37021', family: 'orange' },
  { names: ['coca-cola red', 'coke red', '可口可乐红'], hex: '#f40009', family: 'red' },
  { names: ['china red', '中国红'], hex: '#e60012', family: 'red' },
  { names: ['barbie pink', '芭比粉'], hex: '#e0218a', family: 'pink' },
  { names: ['millennial pink', '千禧粉'], hex: '#f3cfc6', family: 'pink' },
];

/** Colour words in both languages (the names tagging gives, one-character Chinese forms, brands). */
export const COLOUR_WORDS: [string, BasicColour][] = (() => {
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
  for (const brand of BRAND_COLOURS) for (const name of brand.names) words.set(name, brand.family);
  // Longest first, so "dark green" wins over "green", 深绿色 over 绿 and 蒂芙尼蓝 over 蓝.
  return [...words].sort((a, b) => b[0].length - a[0].length);
})();
