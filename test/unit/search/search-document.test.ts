import { buildSearchDocument, type SearchSource } from '../../../search/search-document';

const source = (over: Partial<SearchSource>): SearchSource => ({
  assetId: '00000000-0000-4000-8000-000000000001',
  name: 'shop-window.jpg',
  kind: 'image',
  state: 'stored',
  ruleSet: 'ecommerce',
  project: 'default',
  tags: [],
  metadata: {},
  dimensions: {},
  analysis: null,
  createdAt: '2026-05-10T08:00:00.000Z',
  lastUsedAt: null,
  ...over,
});

describe('search document', () => {
  it('never holds a use before the upload: such a use counts as made at upload', () => {
    // "Not used since" searches rely on it to bound the upload date too (search.repository.ts).
    const early = buildSearchDocument(source({ lastUsedAt: '2026-03-01T00:00:00.000Z' }), { dimensions: {} });
    expect(early.lastUsedAt).toBe('2026-05-10T08:00:00.000Z');
    const later = buildSearchDocument(source({ lastUsedAt: '2026-07-01T00:00:00.000Z' }), { dimensions: {} });
    expect(later.lastUsedAt).toBe('2026-07-01T00:00:00.000Z');
    expect(buildSearchDocument(source({}), { dimensions: {} }).lastUsedAt).toBeNull();
  });
});
