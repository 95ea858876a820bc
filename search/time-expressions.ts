import { escapeRegExp } from '../domain/regexp';
import { addDays, type DaySpan, HOLIDAYS } from './holidays';

export interface TimeInterpretation {
  /** Assets made in this span (upload date, or capture date when the file has one). */
  dateRange?: DaySpan;
  /** "not used since June": assets whose last use is before this date (or never used). */
  unusedSince?: string;
  /** The query with the time expressions taken out. */
  rest: string;
}

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const MONTH_WORD = `(?:${MONTHS.join('|')}|${MONTHS.map((m) => m.slice(0, 3)).join('|')})`;

const pad = (n: number) => String(n).padStart(2, '0');
const monthSpan = (year: number, month: number): DaySpan => ({
  from: `${year}-${pad(month)}-01`,
  to: addDays(month === 12 ? `${year + 1}-01-01` : `${year}-${pad(month + 1)}-01`, -1),
});
const monthNumber = (word: string) => {
  const i = MONTHS.findIndex((m) => m === word || m.slice(0, 3) === word);
  return i >= 0 ? i + 1 : Number.parseInt(word, 10);
};

/**
 * Finds the time in a search query, in Chinese or English, relative to `today` (YYYY-MM-DD):
 * relative periods (去年, last month, 上周, 最近7天), years and months (2025年3月, in March),
 * holidays with their year (去年春节, last Spring Festival, 中秋 — lunar dates per year), and
 * "since" (6月以来, since June; with "not used", a last-use bound instead).
 */
export function interpretTime(query: string, today: string): TimeInterpretation {
  let rest = ` ${query.toLowerCase()} `;
  const take = (pattern: RegExp): RegExpExecArray | null => {
    const match = pattern.exec(rest);
    if (match) rest = rest.slice(0, match.index) + ' ' + rest.slice(match.index + match[0].length);
    return match;
  };
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));

  // "not used since June" / "6月以来未使用" / "6月后没用过"
  const unused =
    take(new RegExp(`not used since\\s+(${MONTH_WORD}|\\d{1,2})\\b`)) ??
    take(/(\d{1,2})月(?:以来|之后|后)(?:未使用|没用过|没有使用|未被使用)/);
  if (unused) {
    const m = monthNumber(unused[1]!);
    return { unusedSince: monthSpan(m > month ? year - 1 : year, m).from, rest: rest.trim() };
  }

  // A year modifier applies to a holiday or month next to it, or stands alone.
  let yearGiven: number | undefined;
  const relativeYear = take(/(去年|今年|前年|last year|this year|the year before last)/);
  if (relativeYear) {
    const word = relativeYear[1]!;
    yearGiven =
      year +
      (word === '去年' || word === 'last year' ? -1 : word === '今年' || word === 'this year' ? 0 : -2);
  }
  const absoluteYear = take(/(?:\bin\s+)?\b(20\d\d|19\d\d)(?:年)?/);
  if (absoluteYear) yearGiven = Number(absoluteYear[1]);

  for (const holiday of HOLIDAYS) {
    const names = [...holiday.names].sort((a, b) => b.length - a.length).map(escapeRegExp);
    const match = take(new RegExp(`(?:(last|this)\\s+)?(?:${names.join('|')})(?:的)?`));
    if (!match) continue;
    let y = yearGiven ?? year;
    if (match[1] === 'last' && yearGiven === undefined) y = year - 1;
    // Without a year, the most recent one that has begun.
    if (yearGiven === undefined && match[1] !== 'last' && holiday.span(y).from > today) y -= 1;
    return { dateRange: holiday.span(y), rest: rest.trim() };
  }

  const since =
    take(new RegExp(`since\\s+(${MONTH_WORD}|\\d{1,2})\\b`)) ??
    take(/(?:自|从)?(\d{1,2})月(?:以来|至今|开始)/);
  if (since) {
    const m = monthNumber(since[1]!);
    const y = yearGiven ?? (m > month ? year - 1 : year);
    return { dateRange: { from: monthSpan(y, m).from, to: today }, rest: rest.trim() };
  }

  const namedMonth = take(new RegExp(`(?:\\bin\\s+)?\\b(${MONTH_WORD})\\b`)) ?? take(/(\d{1,2})月(?:份)?/);
  if (namedMonth) {
    const m = monthNumber(namedMonth[1]!);
    if (m >= 1 && m <= 12) {
      const y = yearGiven ?? (m > month ? year - 1 : year);
      return { dateRange: monthSpan(y, m), rest: rest.trim() };
    }
  }

  const relative: [RegExp, () => DaySpan][] = [
    [/(今天|today)/, () => ({ from: today, to: today })],
    [/(昨天|yesterday)/, () => ({ from: addDays(today, -1), to: addDays(today, -1) })],
    [/(本周|这周|this week)/, () => ({ from: weekStart(today), to: today })],
    [
      /(上周|上个星期|last week)/,
      () => ({ from: addDays(weekStart(today), -7), to: addDays(weekStart(today), -1) }),
    ],
    [/(本月|这个月|this month)/, () => ({ from: monthSpan(year, month).from, to: today })],
    [/(上个月|上月|last month)/, () => (month === 1 ? monthSpan(year - 1, 12) : monthSpan(year, month - 1))],
  ];
  for (const [pattern, span] of relative) if (take(pattern)) return { dateRange: span(), rest: rest.trim() };

  const lastDays = take(/(?:最近|近|过去)(\d{1,3})天|(?:last|past)\s+(\d{1,3})\s+days/);
  if (lastDays) {
    const n = Number(lastDays[1] ?? lastDays[2]);
    return { dateRange: { from: addDays(today, -(n - 1)), to: today }, rest: rest.trim() };
  }

  if (yearGiven !== undefined)
    return { dateRange: { from: `${yearGiven}-01-01`, to: `${yearGiven}-12-31` }, rest: rest.trim() };
  return { rest: rest.trim() };
}

/** Monday of the ISO week containing `day`. */
function weekStart(day: string): string {
  const weekday = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
  return addDays(day, -weekday);
}
