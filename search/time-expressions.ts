import { escapeRegExp } from '../domain/regexp';
import { addDays, type DaySpan, HOLIDAYS } from './holidays';
import { findSeason, findWeekday, weekStart } from './seasons';

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
  const { said: _said, ...time } = readTime(query, today);
  return time;
}

/** Days `n` months before `day` (the same day of the month, or the month's last day). */
function monthsBefore(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - n, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), last));
  return target.toISOString().slice(0, 10);
}

/** `interpretTime`, and the time expressions as they were typed (for `InterpretedQuery.words`). */
export function readTime(query: string, today: string): TimeInterpretation & { said: string[] } {
  let rest = ` ${query.toLowerCase()} `;
  const said: string[] = [];
  const cut = (match: RegExpExecArray) => {
    rest = `${rest.slice(0, match.index)} ${rest.slice(match.index + match[0].length)}`;
    said.push(match[0].trim());
  };
  const take = (pattern: RegExp): RegExpExecArray | null => {
    const match = pattern.exec(rest);
    if (match) cut(match);
    return match;
  };
  const done = (found: Omit<TimeInterpretation, 'rest'>) => ({ ...found, rest: rest.trim(), said });
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));

  // "not used in 3 months" / "3个月没用过" / "半年没用过": a last-use bound counted back from today.
  const unusedFor =
    take(/not used (?:in|for) (?:the )?(?:last |past )?(\d{1,2}) months?/) ??
    take(/(\d{1,2})个月(?:以上)?(?:都)?(?:没用过|未使用|没有使用|没被使用)/) ??
    take(/(半年)(?:以上)?(?:都)?(?:没用过|未使用|没有使用|没被使用)/);
  if (unusedFor) {
    const months = unusedFor[1] === '半年' ? 6 : Number(unusedFor[1]);
    return done({ unusedSince: monthsBefore(today, months) });
  }

  // "not used since June" / "6月以来未使用" / "6月后没用过"
  const unused =
    take(new RegExp(`not used since\\s+(${MONTH_WORD}|\\d{1,2})\\b`)) ??
    take(/(\d{1,2})月(?:以来|之后|后)(?:未使用|没用过|没有使用|未被使用)/);
  if (unused) {
    const m = monthNumber(unused[1]!);
    return done({ unusedSince: monthSpan(m > month ? year - 1 : year, m).from });
  }

  // Before the year words below, which would take 去年 out of 去年夏天.
  const season = findSeason(rest, today);
  if (season) {
    cut(season.match);
    return done({ dateRange: season.span });
  }
  // Before 上周 below, which would leave the 五 of 上周五.
  const weekday = findWeekday(rest, today);
  if (weekday) {
    cut(weekday.match);
    return done({ dateRange: weekday.span });
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
    // 国庆前后 / around national day: a week more on either side of the holiday's span.
    const match = take(
      new RegExp(
        `(around\\s+|about\\s+)?(?:(last|this)\\s+)?(?:${names.join('|')})(?:的)?(前后|左右)?(?:的)?`,
      ),
    );
    if (!match) continue;
    let y = yearGiven ?? year;
    if (match[2] === 'last' && yearGiven === undefined) y = year - 1;
    // Without a year, the most recent one that has begun.
    if (yearGiven === undefined && match[2] !== 'last' && holiday.span(y).from > today) y -= 1;
    const span = holiday.span(y);
    if (match[1] || match[3])
      return done({ dateRange: { from: addDays(span.from, -7), to: addDays(span.to, 7) } });
    return done({ dateRange: span });
  }

  const since =
    take(new RegExp(`since\\s+(${MONTH_WORD}|\\d{1,2})\\b`)) ??
    take(/(?:自|从)?(\d{1,2})月(?:以来|至今|开始)/);
  if (since) {
    const m = monthNumber(since[1]!);
    const y = yearGiven ?? (m > month ? year - 1 : year);
    return done({ dateRange: { from: monthSpan(y, m).from, to: today } });
  }

  const namedMonth = take(new RegExp(`(?:\\bin\\s+)?\\b(${MONTH_WORD})\\b`)) ?? take(/(\d{1,2})月(?:份)?/);
  if (namedMonth) {
    const m = monthNumber(namedMonth[1]!);
    if (m >= 1 && m <= 12) {
      const y = yearGiven ?? (m > month ? year - 1 : year);
      return done({ dateRange: monthSpan(y, m) });
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
  for (const [pattern, span] of relative) if (take(pattern)) return done({ dateRange: span() });

  const lastDays = take(/(?:最近|近|过去)(\d{1,3})天|(?:last|past)\s+(\d{1,3})\s+days/);
  if (lastDays) {
    const n = Number(lastDays[1] ?? lastDays[2]);
    return done({ dateRange: { from: addDays(today, -(n - 1)), to: today } });
  }

  if (yearGiven !== undefined)
    return done({ dateRange: { from: `${yearGiven}-01-01`, to: `${yearGiven}-12-31` } });
  return done({});
}
