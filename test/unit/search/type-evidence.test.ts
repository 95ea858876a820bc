import type { VersionAnalysis } from '../../../domain/asset';
import { typesFromEvidence } from '../../../search/type-evidence';

/** A tall image (1080×1620) the format tagger guessed to be a poster from its aspect ratio. */
const tall = (extra: Partial<Extract<VersionAnalysis, { kind: 'image' }>> = {}): VersionAnalysis => ({
  kind: 'image',
  format: 'jpeg',
  width: 1080,
  height: 1620,
  tags: [
    { name: 'poster', source: 'rule', confidence: 0.6 },
    { name: '海报', source: 'rule', confidence: 0.6 },
  ],
  ...extra,
});
const types = (over: Partial<Parameters<typeof typesFromEvidence>[0]>) =>
  typesFromEvidence({
    kind: 'image',
    tags: ['poster', '海报'],
    metadata: {},
    dimensions: {},
    analysis: tall(),
    ...over,
  }).sort();

describe('type from evidence', () => {
  it('a tall photograph is a photo, not a poster, whatever its aspect ratio', () => {
    expect(types({ tags: ['poster', '海报', 'photo', '照片'] })).toEqual(['image', 'photo']);
  });

  it('a rule-set field, a person’s tag or OCR layout makes a poster', () => {
    expect(types({ tags: ['photo'], metadata: { purpose: 'poster' } })).toContain('poster');
    expect(
      types({
        tags: ['poster', '海报', 'photo'],
        analysis: tall({ tags: [{ name: 'poster', source: 'user', confidence: 1 }] }),
      }),
    ).toContain('poster');
    const text = [
      { text: '夏日大促', confidence: 0.9 },
      { text: '全场5折', confidence: 0.9 },
    ];
    expect(types({ tags: ['photo'], analysis: tall({ text }) })).toContain('poster');
    expect(types({ tags: [], analysis: tall({ width: 3000, height: 1000, tags: [], text }) })).toContain(
      'banner',
    );
  });

  it('the aspect ratio alone is a weak fallback: only when nothing else says what the asset is', () => {
    expect(types({})).toEqual(['image', 'poster']);
    // A long detail page is tall and full of text; its rule set says what it is for.
    const text = [
      { text: '产品详情', confidence: 0.9 },
      { text: '尺寸规格', confidence: 0.9 },
    ];
    expect(types({ metadata: { purpose: 'detail' }, analysis: tall({ text }) })).toEqual(['image']);
  });
});
