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
