import { HanVocabulary, hanRuns, MAX_NEAR_MISSES } from '../../../search/near-miss';
import { dictionaryWords, tokensOf } from '../../../search/segment';

describe('Chinese near misses (双间包 typed for 双肩包)', () => {
  const vocabulary = new HanVocabulary();
  vocabulary.add(['双肩包', '手提包', '双肩', '肩包', 'backpack', '连衣裙', '一二三四五六七八九']);

  it('finds the known words of the same length one character away, and only those', () => {
    expect(vocabulary.nearMisses('双间包')).toEqual(['双肩包']);
    expect(vocabulary.nearMisses('双肩包')).toEqual([]); // itself is no near miss
    expect(vocabulary.nearMisses('双间')).toEqual(['双肩']);
    expect(vocabulary.nearMisses('手间袋')).toEqual([]); // two characters from 手提包
    expect(vocabulary.nearMisses('连衣群')).toEqual(['连衣裙']);
  });

  it('joins the single characters jieba cuts a typo into, and keeps only 2–8 character runs', () => {
    expect(tokensOf('双间包')).toEqual(['双', '间', '包']);
    expect(hanRuns(['双', '间', '包'])).toEqual(['双间包']);
    expect(hanRuns(['red', '双', 'x', '间包'])).toEqual(['间包']);
    expect(hanRuns(['一二三四五', '六七八九'])).toEqual([]);
  });

  it("jieba's dictionary knows 双肩包, and a common character's neighbours stay within the limit", () => {
    const jieba = new HanVocabulary();
    jieba.add(dictionaryWords());
    expect(jieba.nearMisses('双间包')).toContain('双肩包');
    expect(jieba.nearMisses('中国').length).toBeLessThanOrEqual(MAX_NEAR_MISSES);
  });
});
