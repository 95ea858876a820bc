import { createHash } from 'node:crypto';
import type { BasicColour } from '../../imaging/colour-names';
import type { SearchSource } from '../../search/search-document';

/**
 * A generated catalogue whose every attribute is known, and queries typed the way people type
 * them, each labelled with a predicate over those attributes. The predicates are written from what
 * the query means, by hand, and never call the search code: they are the ground truth the
 * relevance test and bench score the search against.
 */
export const RELEVANCE_TODAY = '2026-11-28'; // a Saturday

export type AssetType = 'poster' | 'banner' | 'photo' | 'main' | 'detail';

export interface TruthAsset {
  id: string;
  name: string;
  type: AssetType;
  product: string;
  colour: BasicColour;
  hex: string;
  market: 'US' | 'EU' | 'JP';
  platform: 'amazon' | 'shopify' | 'tiktok';
  season: 'spring' | 'summer' | 'autumn' | 'winter' | null;
  /** When it was made: the capture date of a photo, the upload date of a designed piece. */
  madeOn: string;
  uploadedOn: string;
  lastUsedOn: string | null;
  sku: string;
  campaign: string | null;
}

const PRODUCTS: Record<string, { en: string; zh: string }> = {
  sneaker: { en: 'sneaker', zh: '运动鞋' },
  handbag: { en: 'handbag', zh: '手提包' },
  lipstick: { en: 'lipstick', zh: '口红' },
  headphones: { en: 'headphones', zh: '耳机' },
  teapot: { en: 'teapot', zh: '茶壶' },
  dress: { en: 'dress', zh: '连衣裙' },
  watch: { en: 'watch', zh: '手表' },
  backpack: { en: 'backpack', zh: '双肩包' },
};
const COLOURS: [BasicColour, string][] = [
  ['red', '#e02020'],
  ['blue', '#1e50c8'],
  ['blue', '#0abab5'], // Tiffany blue
  ['green', '#2e8b57'],
  ['yellow', '#ffd700'],
  ['black', '#000000'],
  ['white', '#ffffff'],
  ['pink', '#ff69b4'],
  ['orange', '#ff8c00'],
  ['purple', '#800080'],
];
const COLOUR_ZH: Partial<Record<BasicColour, string>> = {
  red: '红色',
  blue: '蓝色',
  green: '绿色',
  yellow: '黄色',
  black: '黑色',
  white: '白色',
  pink: '粉色',
  orange: '橙色',
  purple: '紫色',
};
const CAMPAIGNS: Record<string, { zh: string; en: string; ocr: string[] }> = {
  'summer-sale': { zh: '夏日大促', en: 'summer-sale', ocr: ['夏日大促', '全场5折'] },
  'new-arrival': { zh: '新品上市', en: 'new-arrival', ocr: ['NEW ARRIVAL', '新品上市'] },
  'black-friday': { zh: '黑五特惠', en: 'black-friday', ocr: ['BLACK FRIDAY', 'UP TO 70% OFF'] },
  'double-11': { zh: '双十一狂欢', en: 'double-11', ocr: ['双十一狂欢', '满300减50'] },
};
/** Days with more material than others (campaigns, the Fridays the queries ask about). */
const BUSY_DAYS = [
  '2026-11-20',
  '2026-11-27',
  '2025-11-28',
  '2026-10-01',
  '2025-10-01',
  '2025-01-29',
  '2026-06-18',
  '2026-11-11',
  '2025-07-15',
  '2026-09-25',
];

function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
const min = (a: string, b: string) => (a < b ? a : b);

/** A small deterministic generator (mulberry32), so every run builds the same catalogue. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function uuidOf(i: number): string {
  const h = createHash('sha256').update(`relevance-${i}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function generateCatalogue(size = 3000): TruthAsset[] {
  const r = random(21);
  const pick = <T>(items: readonly T[]) => items[Math.floor(r() * items.length)]!;
  const start = '2024-06-01';
  const span = (Date.parse(RELEVANCE_TODAY) - Date.parse(start)) / 86_400_000;
  return Array.from({ length: size }, (_, i) => {
    const t = r();
    const type: AssetType =
      t < 0.15 ? 'poster' : t < 0.25 ? 'banner' : t < 0.55 ? 'photo' : t < 0.85 ? 'main' : 'detail';
    const madeOn =
      r() < 0.35
        ? min(addDays(pick(BUSY_DAYS), Math.floor(r() * 3) - 1), RELEVANCE_TODAY)
        : addDays(start, Math.floor(r() * span));
    const uploadedOn = type === 'photo' ? min(addDays(madeOn, Math.floor(r() * 5)), RELEVANCE_TODAY) : madeOn;
    const used = r() < 0.75;
    const lastUsedOn = used ? min(addDays(uploadedOn, Math.floor(r() * 300)), RELEVANCE_TODAY) : null;
    const [colour, hex] = pick(COLOURS);
    const product = pick(Object.keys(PRODUCTS));
    const campaign = type === 'poster' || type === 'banner' ? pick(Object.keys(CAMPAIGNS)) : null;
    const sku = `MD-${100000 + i}`;
    const p = PRODUCTS[product]!;
    const name =
      type === 'poster'
        ? i % 2 === 0
          ? `${CAMPAIGNS[campaign!]!.zh}_${p.zh}_${i}.png`
          : `${CAMPAIGNS[campaign!]!.en}-${p.en}-${i}.png`
        : type === 'photo'
          ? i % 3 === 0
            ? `IMG_${4000 + i}.JPG`
            : `${p.en}-shoot-${i}.jpg`
          : `MuseDAM_${sku}_${type}_${p.en}_V1.jpg`;
    return {
      id: uuidOf(i),
      name,
      type,
      product,
      colour,
      hex,
      market: pick(['US', 'EU', 'JP'] as const),
      platform: pick(['amazon', 'shopify', 'tiktok'] as const),
      season:
        type === 'main' || type === 'detail' ? pick(['spring', 'summer', 'autumn', 'winter', null]) : null,
      madeOn,
      uploadedOn,
      lastUsedOn,
      sku,
      campaign,
    };
  });
}

type RecordedTag = { name: string; source: 'ai' | 'rule' | 'user'; confidence: number };

/**
 * What ingest, the tagger and the rule set would have recorded for an asset: the evidence the
 * index sees. Type evidence varies on purpose: some posters say so in the rule set's `purpose`
 * field, some only in their OCR text, one in six by a person's tag and one in six only by the
 * aspect-ratio guess; a third of the photographs are tall enough to get that poster guess too.
 */
export function sourceOf(a: TruthAsset, i: number): SearchSource {
  const p = PRODUCTS[a.product]!;
  const both = (en: string, zh: string, source: RecordedTag['source'], confidence = 1): RecordedTag[] => [
    { name: en, source, confidence },
    { name: zh, source, confidence },
  ];
  const [width, height] =
    a.type === 'poster'
      ? [1080, 1620]
      : a.type === 'banner'
        ? [3000, 1000]
        : a.type === 'detail'
          ? [790, 3000]
          : a.type === 'main'
            ? [2000, 2000]
            : i % 3 === 0
              ? [4000, 6000]
              : [6000, 4000];
  const tags: RecordedTag[] = [
    ...both(p.en, p.zh, 'ai', 0.8),
    ...both(a.colour, COLOUR_ZH[a.colour]!, 'rule', 0.9),
  ];
  const aspect = width / height;
  if (aspect >= 2.5) tags.push(...both('banner', '横幅', 'rule'));
  if (aspect <= 0.75 && height >= 1000) tags.push(...both('poster', '海报', 'rule', 0.6));
  if (a.type === 'photo') tags.push(...both('photo', '照片', 'rule', 0.9));
  const variant = i % 6;
  const metadata: Record<string, unknown> = { brand: 'MuseDAM', sku: a.sku };
  const ocr: string[] = [];
  if (a.type === 'poster') {
    if (variant < 2) metadata.purpose = 'poster';
    if (variant < 4) ocr.push(...CAMPAIGNS[a.campaign!]!.ocr);
  } else if (a.type === 'banner') {
    if (i % 2 === 0) metadata.purpose = 'banner';
    ocr.push(...CAMPAIGNS[a.campaign!]!.ocr);
  } else if (a.type === 'main' || a.type === 'detail') {
    metadata.purpose = a.type;
    if (a.type === 'detail') ocr.push('产品详情', '尺寸规格');
  } else if (i % 2 === 0) metadata.purpose = 'lifestyle';
  const peoplesTags = a.type === 'poster' && variant === 4 ? ['海报', 'poster'] : [];
  const dimensions: Record<string, string[]> = { market: [a.market], platform: [a.platform] };
  if (a.season) dimensions.season = [a.season];
  return {
    assetId: a.id,
    name: a.name,
    kind: 'image',
    state: 'stored',
    ruleSet: 'ecommerce',
    project: 'default',
    tags: [...new Set([...tags.map((t) => t.name), ...peoplesTags])],
    metadata,
    dimensions,
    analysis: {
      kind: 'image',
      format: a.type === 'poster' ? 'png' : 'jpeg',
      width,
      height,
      mediaType: a.type === 'poster' ? 'image/png' : 'image/jpeg',
      tags,
      text: ocr.map((text) => ({ text, confidence: 0.9 })),
      embedded: a.type === 'photo' ? { camera: 'Canon EOS R5', capturedAt: `${a.madeOn}T10:00:00.000Z` } : {},
      colours: {
        palette: [{ hex: a.hex, share: 0.6, name: { en: a.colour, zh: a.colour }, family: a.colour }],
        tone: { temperature: 'neutral', brightness: 'medium' },
      },
    },
    createdAt: `${a.uploadedOn}T12:00:00.000Z`,
    lastUsedAt: a.lastUsedOn ? `${a.lastUsedOn}T12:00:00.000Z` : null,
  };
}

export interface LabelledQuery {
  q: string;
  lang: 'zh' | 'en';
  relevant: (a: TruthAsset) => boolean;
}

const within = (a: TruthAsset, from: string, to: string) => a.madeOn >= from && a.madeOn <= to;
/** "Not used since D": it existed before D and nobody used it on or after D. */
const unusedSince = (a: TruthAsset, day: string) => a.uploadedOn < day && (a.lastUsedOn ?? '') < day;
const is = (type: AssetType, product?: string) => (a: TruthAsset) =>
  a.type === type && (product === undefined || a.product === product);
const all =
  (...tests: ((a: TruthAsset) => boolean)[]) =>
  (a: TruthAsset) =>
    tests.every((t) => t(a));
const colour = (c: BasicColour) => (a: TruthAsset) => a.colour === c;
const product = (p: string) => (a: TruthAsset) => a.product === p;
const market = (m: TruthAsset['market']) => (a: TruthAsset) => a.market === m;
const platform = (p: TruthAsset['platform']) => (a: TruthAsset) => a.platform === p;
const made =
  (from: string, to = from) =>
  (a: TruthAsset) =>
    within(a, from, to);
const sku = (code: string) => (a: TruthAsset) => a.sku === code;

// Spans by hand, from what the words mean on Saturday 2026-11-28 (dates checked on a calendar):
const LAST_SUMMER_ZH = made('2025-06-01', '2025-08-31'); // 去年夏天: summer of 2025
const LAST_SUMMER_EN = made('2026-06-01', '2026-08-31'); // "last summer" in November: this year's
const LAST_WINTER = made('2025-12-01', '2026-02-28');
const GOLDEN_WEEK_AROUND = made('2026-09-24', '2026-10-14'); // a week before Oct 1–7 to a week after
const GOLDEN_WEEK_2025 = made('2025-09-24', '2025-10-07'); // 去年国庆: its lead-up week and the holiday
// Black Friday 2025 was 28 November: the week before it through Cyber Monday (1 December).
const BLACK_FRIDAY_2025 = made('2025-11-21', '2025-12-01');
const BLACK_FRIDAY_2026 = made('2026-11-20', RELEVANCE_TODAY); // 27 November 2026 and the week before
// Spring Festival 2025 (29 January): the week before it through the Lantern Festival (12 February).
const SPRING_FESTIVAL_2025 = made('2025-01-22', '2025-02-12');
const MID_AUTUMN_2026 = made('2026-09-18', '2026-09-27'); // 25 September 2026, a week before, two after
const SIX_EIGHTEEN_2026 = made('2026-06-01', '2026-06-18');
const SINGLES_DAY_2026 = made('2026-11-01', '2026-11-11');

/** 45 queries in Chinese and 45 in English. */
export const LABELLED_QUERIES: LabelledQuery[] = [
  ...(
    [
      ['红色海报', all(colour('red'), is('poster'))],
      [
        '找一下最近30天美国市场的亚马逊主图',
        all(made('2026-10-30', RELEVANCE_TODAY), market('US'), platform('amazon'), is('main')),
      ],
      ['去年夏天的照片', all(LAST_SUMMER_ZH, is('photo'))],
      ['上周五上传的海报', all(made('2026-11-20'), is('poster'))],
      ['国庆前后的海报', all(GOLDEN_WEEK_AROUND, is('poster'))],
      ['帮我找蒂芙尼蓝的手提包', all(colour('blue'), product('handbag'))],
      ['6月以来没用过的主图', all((a) => unusedSince(a, '2026-06-01'), is('main'))],
      ['亚马逊日本站的运动鞋', all(platform('amazon'), market('JP'), product('sneaker'))],
      ['黑五的横幅', all(BLACK_FRIDAY_2026, is('banner'))],
      ['去年黑五的海报', all(BLACK_FRIDAY_2025, is('poster'))],
      ['MD-100417', sku('MD-100417')],
      ['货号 MD-100233', sku('MD-100233')],
      ['口红海报', is('poster', 'lipstick')],
      ['蓝色的耳机', all(colour('blue'), product('headphones'))],
      ['最近上传的黑色双肩包', all(colour('black'), product('backpack'))],
      ['去年春节的红色海报', all(SPRING_FESTIVAL_2025, colour('red'), is('poster'))],
      ['上个月的详情页', all(made('2026-10-01', '2026-10-31'), is('detail'))],
      ['美国市场的横幅', all(market('US'), is('banner'))],
      ['今年618的主图', all(SIX_EIGHTEEN_2026, is('main'))],
      ['双十一的海报', all(SINGLES_DAY_2026, is('poster'))],
      ['去年冬天的照片', all(LAST_WINTER, is('photo'))],
      ['3个月没用过的照片', all((a) => unusedSince(a, '2026-08-28'), is('photo'))],
      ['帮我找一下绿色的茶壶图片', all(colour('green'), product('teapot'))],
      ['粉色连衣裙', all(colour('pink'), product('dress'))],
      ['紫色手表主图', all(colour('purple'), is('main', 'watch'))],
      ['橙色的运动鞋海报', all(colour('orange'), is('poster', 'sneaker'))],
      ['日本市场的连衣裙', all(market('JP'), product('dress'))],
      ['欧盟 亚马逊 手提包', all(market('EU'), platform('amazon'), product('handbag'))],
      ['春季 运动鞋', all((a) => a.season === 'spring', product('sneaker'))],
      ['夏季连衣裙', all((a) => a.season === 'summer', product('dress'))],
      ['白色背景的主图', all(colour('white'), is('main'))],
      ['克莱因蓝海报', all(colour('blue'), is('poster'))],
      ['可口可乐红的横幅', all(colour('red'), is('banner'))],
      ['双间包', product('backpack')], // typo of 双肩包
      ['去年的运动鞋照片', all(made('2025-01-01', '2025-12-31'), is('photo', 'sneaker'))],
      ['中秋的海报', all(MID_AUTUMN_2026, is('poster'))],
      ['TikTok 口红', all(platform('tiktok'), product('lipstick'))],
      ['有没有黄色的手提包海报', all(colour('yellow'), is('poster', 'handbag'))],
      ['最近7天的照片', all(made('2026-11-22', RELEVANCE_TODAY), is('photo'))],
      ['上周的主图', all(made('2026-11-16', '2026-11-22'), is('main'))],
      ['本月上传的横幅', all(made('2026-11-01', RELEVANCE_TODAY), is('banner'))],
      ['2025年3月的运动鞋照片', all(made('2025-03-01', '2025-03-31'), is('photo', 'sneaker'))],
      ['夏日大促海报', all((a) => a.campaign === 'summer-sale', is('poster'))],
      ['黑色 耳机 亚马逊', all(colour('black'), product('headphones'), platform('amazon'))],
      ['去年国庆的横幅', all(GOLDEN_WEEK_2025, is('banner'))],
    ] as const
  ).map(([q, relevant]) => ({ q, lang: 'zh' as const, relevant })),
  ...(
    [
      ['red posters', all(colour('red'), is('poster'))],
      [
        'show me Amazon main images for the US from the last 30 days',
        all(made('2026-10-30', RELEVANCE_TODAY), market('US'), platform('amazon'), is('main')),
      ],
      ['photos from last summer', all(LAST_SUMMER_EN, is('photo'))],
      ['posters uploaded last Friday', all(made('2026-11-27'), is('poster'))],
      ['posters around national day', all(GOLDEN_WEEK_AROUND, is('poster'))],
      ['tiffany blue handbags', all(colour('blue'), product('handbag'))],
      ['main images not used since June', all((a) => unusedSince(a, '2026-06-01'), is('main'))],
      ['Amazon Japan sneakers', all(platform('amazon'), market('JP'), product('sneaker'))],
      ['black friday banners', all(BLACK_FRIDAY_2026, is('banner'))],
      ['last Black Friday posters', all(BLACK_FRIDAY_2025, is('poster'))],
      ['MD-100842', sku('MD-100842')],
      ['sku MD-100318', sku('MD-100318')],
      ['lipstick posters', is('poster', 'lipstick')],
      ['blue headphones', all(colour('blue'), product('headphones'))],
      ['pictures of black backpacks', all(colour('black'), product('backpack'))],
      ['red posters from last Spring Festival', all(SPRING_FESTIVAL_2025, colour('red'), is('poster'))],
      ['detail pages from last month', all(made('2026-10-01', '2026-10-31'), is('detail'))],
      ['banners for the United States', all(market('US'), is('banner'))],
      ['618 main images this year', all(SIX_EIGHTEEN_2026, is('main'))],
      ['singles day posters', all(SINGLES_DAY_2026, is('poster'))],
      ['photos from last winter', all(LAST_WINTER, is('photo'))],
      ['photos not used in 3 months', all((a) => unusedSince(a, '2026-08-28'), is('photo'))],
      ['find me green teapots', all(colour('green'), product('teapot'))],
      ['pink dresses', all(colour('pink'), product('dress'))],
      ['purple watch main images', all(colour('purple'), is('main', 'watch'))],
      ['orange sneaker posters', all(colour('orange'), is('poster', 'sneaker'))],
      ['dresses for the Japanese market', all(market('JP'), product('dress'))],
      ['EU Amazon handbags', all(market('EU'), platform('amazon'), product('handbag'))],
      ['spring sneakers', all((a) => a.season === 'spring', product('sneaker'))],
      ['summer dresses', all((a) => a.season === 'summer', product('dress'))],
      ['main images with a white background', all(colour('white'), is('main'))],
      ['klein blue posters', all(colour('blue'), is('poster'))],
      ['coca-cola red banners', all(colour('red'), is('banner'))],
      ['backpak', product('backpack')], // typo
      ['sneaker photos from last year', all(made('2025-01-01', '2025-12-31'), is('photo', 'sneaker'))],
      ['mid-autumn posters', all(MID_AUTUMN_2026, is('poster'))],
      ['tiktok lipstick', all(platform('tiktok'), product('lipstick'))],
      ['yellow handbag posters', all(colour('yellow'), is('poster', 'handbag'))],
      ['photos from the last 7 days', all(made('2026-11-22', RELEVANCE_TODAY), is('photo'))],
      ['main images from last week', all(made('2026-11-16', '2026-11-22'), is('main'))],
      ['banners this month', all(made('2026-11-01', RELEVANCE_TODAY), is('banner'))],
      ['sneaker photos from March 2025', all(made('2025-03-01', '2025-03-31'), is('photo', 'sneaker'))],
      ['summer sale posters', all((a) => a.campaign === 'summer-sale', is('poster'))],
      ['black amazon headphones', all(colour('black'), product('headphones'), platform('amazon'))],
      ['banners from national day last year', all(GOLDEN_WEEK_2025, is('banner'))],
    ] as const
  ).map(([q, relevant]) => ({ q, lang: 'en' as const, relevant })),
];

export interface QueryScore {
  q: string;
  lang: 'zh' | 'en';
  relevant: number;
  returned: number;
  /** Relevant among the first 20 returned, over how many were returned (up to 20); 0 when none. */
  precisionAt20: number;
  /** Relevant among the first 100 returned, over min(relevant, 100). */
  recallAt100: number;
}

/** Scores one query's ranked result ids against its label. */
export function scoreQuery(query: LabelledQuery, truth: TruthAsset[], ranked: string[]): QueryScore {
  const relevant = new Set(truth.filter(query.relevant).map((a) => a.id));
  const top20 = ranked.slice(0, 20);
  const top100 = ranked.slice(0, 100);
  return {
    q: query.q,
    lang: query.lang,
    relevant: relevant.size,
    returned: ranked.length,
    precisionAt20: top20.length === 0 ? 0 : top20.filter((id) => relevant.has(id)).length / top20.length,
    recallAt100:
      relevant.size === 0 ? 1 : top100.filter((id) => relevant.has(id)).length / Math.min(relevant.size, 100),
  };
}

export interface LanguageSummary {
  lang: 'zh' | 'en';
  queries: number;
  precisionAt20: number;
  recallAt100: number;
  /** Share of queries (all with relevant assets) that returned nothing. */
  zeroResults: number;
}

export function summarise(scores: QueryScore[]): LanguageSummary[] {
  return (['zh', 'en'] as const).map((lang) => {
    const mine = scores.filter((s) => s.lang === lang);
    const mean = (f: (s: QueryScore) => number) => mine.reduce((sum, s) => sum + f(s), 0) / mine.length;
    return {
      lang,
      queries: mine.length,
      precisionAt20: mean((s) => s.precisionAt20),
      recallAt100: mean((s) => s.recallAt100),
      zeroResults: mean((s) => (s.returned === 0 ? 1 : 0)),
    };
  });
}
