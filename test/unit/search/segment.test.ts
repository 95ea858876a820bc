import { addWords, tokensOf } from '../../../search/segment';

describe('segmentation', () => {
  it('cuts a run again after the dictionary learns a word, although the earlier cut was remembered', () => {
    // Cuts are cached per run of Han characters; a rule set's words arriving later must still win.
    expect(tokensOf('查货号表')).toEqual(['查', '货', '号', '表']);
    expect(tokensOf('查货号表', true)).toEqual(['查货', '号表']);
    addWords(['货号表']);
    expect(tokensOf('查货号表')).toEqual(['查', '货号表']);
    expect(tokensOf('查货号表', true)).toEqual(['查', '货号表']);
  });

  it('gives the same words for a run however often it is cut', () => {
    const first = tokensOf('春季新品_主图', true);
    expect(first).toEqual(expect.arrayContaining(['春季', '新品', '春季新品', '主图']));
    expect(tokensOf('春季新品_主图', true)).toEqual(first);
  });
});
