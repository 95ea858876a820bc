import { HOLIDAYS } from '../../../search/holidays';
import { interpretQuery, type SearchVocabulary } from '../../../search/interpret-query';
import { tokensOf } from '../../../search/segment';
import { DEFAULT_SYNONYMS } from '../../../search/synonyms';
import { interpretTime } from '../../../search/time-expressions';
import { toTsquery } from '../../../search/tsquery';

const TODAY = '2026-11-28';
const vocabulary: SearchVocabulary = {
  synonyms: DEFAULT_SYNONYMS,
  dimensions: [
    { dimension: 'market', value: 'US', labels: ['United States', '美国'] },
    { dimension: 'platform', value: 'amazon', labels: ['Amazon', '亚马逊'] },
    { dimension: 'season', value: 'spring', labels: ['Spring', '春季'] },
  ],
};

describe('holidays', () => {
  it('puts lunar festivals on their Gregorian dates, year by year', () => {
    const lunarNewYear = (year: number) => HOLIDAYS.find((h) => h.id === 'spring-festival')!.span(year);
    // The span starts a week before the new year's day and ends at the Lantern Festival.
    expect(lunarNewYear(2024)).toEqual({ from: '2024-02-03', to: '2024-02-24' });
    expect(lunarNewYear(2025)).toEqual({ from: '2025-01-22', to: '2025-02-12' });
    expect(lunarNewYear(2026)).toEqual({ from: '2026-02-10', to: '2026-03-03' });
    const midAutumn = (year: number) => HOLIDAYS.find((h) => h.id === 'mid-autumn')!.span(year);
    expect(midAutumn(2024).to).toBe('2024-09-19'); // 15th of the 8th month: 2024-09-17, + 2 days
    expect(midAutumn(2025).to).toBe('2025-10-08'); // 2025-10-06
    expect(midAutumn(2026).to).toBe('2026-09-27'); // 2026-09-25
    expect(HOLIDAYS.find((h) => h.id === 'black-friday')!.span(2026)).toEqual({
      from: '2026-11-20',
      to: '2026-11-30',
    });
  });
});

describe('time in queries', () => {
  it.each([
    ['去年春节', { from: '2025-01-22', to: '2025-02-12' }],
    ['last Spring Festival', { from: '2025-01-22', to: '2025-02-12' }],
    ['春节', { from: '2026-02-10', to: '2026-03-03' }], // the most recent one that has begun
    ['2024年中秋', { from: '2024-09-10', to: '2024-09-19' }],
    ['上个月', { from: '2026-10-01', to: '2026-10-31' }],
    ['last month', { from: '2026-10-01', to: '2026-10-31' }],
    ['去年', { from: '2025-01-01', to: '2025-12-31' }],
    ['2025年3月', { from: '2025-03-01', to: '2025-03-31' }],
    ['in March', { from: '2026-03-01', to: '2026-03-31' }],
    ['12月', { from: '2025-12-01', to: '2025-12-31' }], // December has not come yet this year
    ['since June', { from: '2026-06-01', to: '2026-11-28' }],
    ['6月以来', { from: '2026-06-01', to: '2026-11-28' }],
    ['最近7天', { from: '2026-11-22', to: '2026-11-28' }],
    ['上周', { from: '2026-11-16', to: '2026-11-22' }],
  ])('%s', (query, range) => {
    expect(interpretTime(query, TODAY)).toEqual({ dateRange: range, rest: '' });
  });

  it('reads "not used since" as a bound on last use, not on the upload date', () => {
    expect(interpretTime('not used since June', TODAY)).toEqual({ unusedSince: '2026-06-01', rest: '' });
    expect(interpretTime('6月以来未使用', TODAY)).toEqual({ unusedSince: '2026-06-01', rest: '' });
  });
});

describe('interpretQuery', () => {
  it('去年春节的红色主题海报: Spring Festival 2025, red, posters, nothing left', () => {
    const { words: _words, ...read } = interpretQuery('去年春节的红色主题海报', TODAY, vocabulary);
    expect(read).toEqual({
      dateRange: { from: '2025-01-22', to: '2025-02-12' },
      unusedSince: null,
      colours: ['red'],
      types: ['poster'],
      facets: {},
      text: '',
      terms: [],
      reading: 'all-words',
    });
  });

  it('reads the English version the same way (the words differ, what they select does not)', () => {
    const { words: _en, ...english } = interpretQuery(
      'red posters from last Spring Festival',
      TODAY,
      vocabulary,
    );
    const { words: _zh, ...chinese } = interpretQuery('去年春节的红色主题海报', TODAY, vocabulary);
    expect(english).toEqual(chinese);
  });

  it('上个月的汽车主图: last month, with the words and their synonyms for full text', () => {
    expect(interpretQuery('上个月的汽车主图', TODAY, vocabulary)).toMatchObject({
      dateRange: { from: '2026-10-01', to: '2026-10-31' },
      text: '汽车 主图',
      terms: [expect.arrayContaining(['汽车', 'car']), expect.arrayContaining(['主图', 'main'])],
    });
  });

  it('images for Amazon US not used since June: dimension values and a last-use bound', () => {
    expect(interpretQuery('images for Amazon US not used since June', TODAY, vocabulary)).toMatchObject({
      unusedSince: '2026-06-01',
      facets: { market: ['US'], platform: ['amazon'] },
      text: '',
    });
  });

  it('matches a dimension value by its Chinese label and keeps the other words', () => {
    expect(interpretQuery('美国 亚马逊 蓝色 product', TODAY, vocabulary)).toMatchObject({
      facets: { market: ['US'], platform: ['amazon'] },
      colours: ['blue'],
      terms: [expect.arrayContaining(['product', '商品'])],
    });
  });
});

describe('segmentation', () => {
  it('splits Chinese with jieba and file names on separators, lower-cased', () => {
    expect(tokensOf('MuseDAM_春季新品_主图_V3')).toEqual(['musedam', '春季新品', '主图', 'v3']);
    expect(tokensOf('春季新品', true)).toEqual(expect.arrayContaining(['春季', '新品', '春季新品']));
  });
});

describe('tsquery', () => {
  it('quotes every lexeme, so nothing typed is read as tsquery syntax', () => {
    expect(toTsquery([['poster', '海报'], ["o'neil"], ['a|b&!c']])).toBe(
      "('poster':* | '海报') & 'o''neil' & 'a|b&!c'",
    );
    expect(toTsquery([])).toBeNull();
  });
});

describe('reading what people type', () => {
  const ecommerce: SearchVocabulary = {
    ...vocabulary,
    dimensionNames: [
      { dimension: 'market', labels: ['Market', '市场'] },
      { dimension: 'platform', labels: ['Platform', '平台'] },
    ],
  };
  const read = (q: string) => interpretQuery(q, TODAY, ecommerce);

  it('找一下最近30天美国市场的亚马逊主图: filler out, every word accounted for', () => {
    expect(read('找一下最近30天美国市场的亚马逊主图')).toMatchObject({
      dateRange: { from: '2026-10-30', to: '2026-11-28' },
      facets: { market: ['US'], platform: ['amazon'] },
      text: '主图',
      words: [
        { word: '找一下', as: 'filler' },
        { word: '最近30天', as: 'time' },
        { word: '美国', as: 'dimension', dimension: 'market', value: 'US' },
        { word: '市场', as: 'dimension', dimension: 'market' },
        { word: '的', as: 'filler' },
        { word: '亚马逊', as: 'dimension', dimension: 'platform', value: 'amazon' },
        { word: '主图', as: 'required' },
      ],
    });
  });

  it.each([
    ['帮我找红色的海报图片', 'red'],
    ['show me pictures of red posters', 'red'],
    ['有没有红色海报', 'red'],
  ])('%s: only the colour and the type are left', (q, colour) => {
    expect(read(q)).toMatchObject({ colours: [colour], types: ['poster'], terms: [] });
  });

  it.each([
    ['去年夏天', { from: '2025-06-01', to: '2025-08-31' }],
    ['2025年冬天', { from: '2025-12-01', to: '2026-02-28' }],
    ['last summer', { from: '2026-06-01', to: '2026-08-31' }], // the most recent one that has ended
    ['summer 2024', { from: '2024-06-01', to: '2024-08-31' }],
    ['上周五', { from: '2026-11-20', to: '2026-11-20' }], // today is Saturday 28 November
    ['last Friday', { from: '2026-11-27', to: '2026-11-27' }],
    ['这周一', { from: '2026-11-23', to: '2026-11-23' }],
    ['国庆前后', { from: '2026-09-17', to: '2026-10-14' }],
    ['around national day', { from: '2026-09-17', to: '2026-10-14' }],
    ['last Black Friday', { from: '2025-11-21', to: '2025-12-01' }],
  ])('%s is time, with no word left', (q, range) => {
    expect(read(q)).toMatchObject({ dateRange: range, terms: [], facets: {} });
  });

  it('a season without a year is a word or a dimension value, not time (春季新品, summer sale)', () => {
    expect(read('春季新品')).toMatchObject({ dateRange: null, facets: { season: ['spring'] } });
    expect(read('last spring festival').dateRange).toEqual({ from: '2025-01-22', to: '2025-02-12' });
  });

  it('"not used in 3 months" and 半年没用过 bound the last use', () => {
    expect(read('photos not used in 3 months')).toMatchObject({
      unusedSince: '2026-08-28',
      types: ['photo'],
    });
    expect(read('半年没用过的海报')).toMatchObject({ unusedSince: '2026-05-28', types: ['poster'] });
  });

  it('brand colours find their family; one-character colours only as words (口红 is lipstick)', () => {
    expect(read('tiffany blue handbags')).toMatchObject({
      colours: ['blue'],
      terms: [['handbags', 'handbag']],
    });
    expect(read('蒂芙尼蓝手提包').colours).toEqual(['blue']);
    expect(read('口红海报')).toMatchObject({ colours: [], types: ['poster'], text: '口红' });
    expect(read('蓝牙耳机').colours).toEqual([]);
    expect(read('红海报').colours).toEqual(['red']);
  });

  it('cuts a long query at 500 characters', () => {
    const long = read(`${'红色 '.repeat(400)}海报`);
    expect(long.types).toEqual([]); // 海报 was past the cut
    expect(long.colours).toEqual(['red']);
  });
});

describe('brand colours', () => {
  it('are of the family ingest gives their published hex', async () => {
    const { familyOfHex } = await import('../../../imaging/colours');
    const { BRAND_COLOURS } = await import('../../../search/colour-words');
    for (const brand of BRAND_COLOURS)
      expect([brand.names[0], familyOfHex(brand.hex)]).toEqual([brand.names[0], brand.family]);
  });
});
