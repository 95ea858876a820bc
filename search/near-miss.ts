/**
 * Near misses of Chinese words (双间包 typed for 双肩包). A trigram match cannot find them (a
 * two- or three-character word has no shared trigram once one character is wrong) and jieba cuts
 * the typo into single characters, so the query side looks the typed run up in a vocabulary of
 * known Han words instead: the words of the same length that differ in exactly one position.
 * The search then looks for those words; the index decides which of them anything has.
 */

const HAN_RUN = /^\p{Script=Han}+$/u;
/** Runs shorter than this have too many neighbours to mean anything; longer ones are not one word. */
export const NEAR_MISS_LENGTH = { min: 2, max: 8 } as const;
/** Candidates per Chinese run, and per query (services/search.service.ts caps the runs too). */
export const MAX_NEAR_MISSES = 40;

/** Known Han words by length (2–8 characters), built once from word lists. */
export class HanVocabulary {
  private readonly byLength = new Map<number, Set<string>>();

  add(words: Iterable<string>): void {
    for (const word of words) {
      const length = [...word].length;
      if (length < NEAR_MISS_LENGTH.min || length > NEAR_MISS_LENGTH.max || !HAN_RUN.test(word)) continue;
      const set = this.byLength.get(length) ?? new Set<string>();
      set.add(word);
      this.byLength.set(length, set);
    }
  }

  /** Known words of the same length as `run` that differ from it in exactly one character. */
  nearMisses(run: string, limit = MAX_NEAR_MISSES): string[] {
    const typed = [...run];
    const out: string[] = [];
    for (const word of this.byLength.get(typed.length) ?? []) {
      let differences = 0;
      let i = 0;
      for (const ch of word) {
        if (ch !== typed[i++] && ++differences > 1) break;
      }
      if (differences === 1) {
        out.push(word);
        if (out.length >= limit) break;
      }
    }
    return out;
  }
}

/**
 * The runs of Han text among the search words: consecutive Han words joined (jieba cuts an unknown
 * 双间包 into 双 间 包), each 2–8 characters long; longer runs and other words are left out.
 */
export function hanRuns(words: string[]): string[] {
  const runs: string[] = [];
  let current = '';
  const close = () => {
    const length = [...current].length;
    if (length >= NEAR_MISS_LENGTH.min && length <= NEAR_MISS_LENGTH.max) runs.push(current);
    current = '';
  };
  for (const word of words) {
    if (HAN_RUN.test(word)) current += word;
    else close();
  }
  close();
  return runs;
}
