import { unstorableTextAt } from '../../domain/unstorable-text';

describe('text PostgreSQL cannot store', () => {
  it('finds NUL and lone surrogates, in values and keys, and names where', () => {
    expect(unstorableTextAt('a\u0000b')).toBe('');
    expect(unstorableTextAt({ note: 'x\uD800' })).toBe('note');
    expect(unstorableTextAt({ list: ['ok', 'y\uDFFF'] })).toBe('list.1');
    expect(unstorableTextAt({ outer: { ['k\u0000']: 1 } })).toBe('outer.k\u0000');
  });

  it('lets well-formed text through, characters beyond U+FFFF (a surrogate pair) included', () => {
    expect(unstorableTextAt({ name: '红色海报 😀 𠀀', n: 1, none: null, yes: true })).toBeUndefined();
    expect(unstorableTextAt('\uD83D\uDE00')).toBeUndefined();
  });
});

describe('text PostgreSQL cannot store, at the edges of size', () => {
  it('does not look into bytes: a Buffer (a raw upload) is not walked byte by byte', () => {
    // Walking one would make an entry and a key string per byte: gigabytes for a large image.
    const entries = jest.spyOn(Object, 'entries');
    const body = Buffer.from('image bytes\u0000');
    expect(unstorableTextAt({ body })).toBeUndefined();
    expect(entries.mock.calls.some(([walked]) => walked === body)).toBe(false);
    entries.mockRestore();
  });

  it('walks nesting deeper than the call stack allows without overflowing it', () => {
    let deep: unknown = 'bottom\u0000';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(unstorableTextAt(deep)).toMatch(/^0(\.0)+$/);
  });
});
