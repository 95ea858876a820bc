import { weightedTsvector } from '../../../catalogue/search-index-writes';

describe('weighted tsvector literal', () => {
  it('gives each word one position per weight class it appears in, quoting what PostgreSQL would misread', () => {
    const literal = weightedTsvector({
      A: ["it's", 'poster'],
      B: ['poster', 'a\\b', 'poster'],
      C: ['', 'poster'],
    });
    expect(literal).toBe("'it''s':1A 'poster':1A,2B,3C 'a\\\\b':2B");
  });

  it('is empty for a document without words', () => {
    expect(weightedTsvector({ A: [], B: [], C: [] })).toBe('');
  });
});
