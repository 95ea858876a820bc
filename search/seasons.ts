import { addDays, type DaySpan } from './holidays';

/**
 * Seasons and weekdays in queries (去年夏天, last summer, 上周五, last Friday). Patterns are fixed
 * alternations; the query only ever is the text they run over.
 */

const pad = (n: number) => String(n).padStart(2, '0');
const lastDayOf = (year: number, month: number) =>
  addDays(month === 12 ? `${year + 1}-01-01` : `${year}-${pad(month + 1)}-01`, -1);

/** Meteorological seasons of the northern hemisphere: the months people mean by 夏天 in China. */
const SEASONS: { id: string; words: string[]; firstMonth: number }[] = [
  { id: 'spring', words: ['春天', '春季', 'spring'], firstMonth: 3 },
  { id: 'summer', words: ['夏天', '夏季', 'summer'], firstMonth: 6 },
  { id: 'autumn', words: ['秋天', '秋季', 'autumn', 'fall'], firstMonth: 9 },
  // Winter of a year: its December and the January and February after it.
  { id: 'winter', words: ['冬天', '冬季', 'winter'], firstMonth: 12 },
];

export function seasonSpan(id: string, year: number): DaySpan {
  const season = SEASONS.find((s) => s.id === id)!;
  const end = season.firstMonth + 2;
  return end > 12
    ? { from: `${year}-12-01`, to: lastDayOf(year + 1, end - 12) }
    : { from: `${year}-${pad(season.firstMonth)}-01`, to: lastDayOf(year, end) };
}

const SEASON_WORD = SEASONS.flatMap((s) => s.words).join('|');
/**
 * A season is time only with a year next to it (去年夏天, 2025年夏天, last summer, summer 2025):
 * alone, 春季 and summer are as often a collection or a dimension value (春季新品), so they stay words.
 */
const SEASON_PATTERN = new RegExp(
  `(去年|今年|前年|(20\\d\\d)年?)的?(${SEASON_WORD})|\\b(last|this)\\s+(${SEASON_WORD})\\b(?!\\s*festival)|\\b(${SEASON_WORD})\\s+(?:of\\s+)?(20\\d\\d)\\b`,
);

/** The season a query names with its year, relative to `today`, and what matched. */
export function findSeason(text: string, today: string): { span: DaySpan; match: RegExpExecArray } | null {
  const match = SEASON_PATTERN.exec(text);
  if (!match) return null;
  const year = Number(today.slice(0, 4));
  const word = match[3] ?? match[5] ?? match[6]!;
  const id = SEASONS.find((s) => s.words.includes(word))!.id;
  let y: number;
  if (match[1]) {
    y = match[2] ? Number(match[2]) : year + (match[1] === '去年' ? -1 : match[1] === '前年' ? -2 : 0);
  } else if (match[7]) {
    y = Number(match[7]);
  } else {
    // "last summer": the most recent summer that has ended; "this summer": this year's.
    y = year;
    if (match[4] === 'last' && seasonSpan(id, y).to >= today) y -= 1;
  }
  return { span: seasonSpan(id, y), match };
}

const WEEKDAYS_ZH: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 日: 7, 天: 7 };
const WEEKDAYS_EN = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const WEEKDAY_PATTERN = new RegExp(
  `(上周|上个星期|上星期|上礼拜|这周|本周|这个星期|周|星期|礼拜)([一二三四五六日天])|\\b(last|this)\\s+(${WEEKDAYS_EN.join('|')})\\b`,
);

/** Monday of the ISO week containing `day`. */
export function weekStart(day: string): string {
  const weekday = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
  return addDays(day, -weekday);
}

/**
 * 上周五: Friday of last week. 这周五/本周五: Friday of this week. 周五 alone and "last Friday": the
 * most recent Friday before today. "this Friday": this week's.
 */
export function findWeekday(text: string, today: string): { span: DaySpan; match: RegExpExecArray } | null {
  const match = WEEKDAY_PATTERN.exec(text);
  if (!match) return null;
  const weekday = match[2] ? WEEKDAYS_ZH[match[2]]! : WEEKDAYS_EN.indexOf(match[4]!) + 1;
  const monday = weekStart(today);
  const which = match[1] ?? match[3]!;
  let day: string;
  if (['上周', '上个星期', '上星期', '上礼拜'].includes(which)) day = addDays(monday, weekday - 8);
  else if (['这周', '本周', '这个星期', 'this'].includes(which)) day = addDays(monday, weekday - 1);
  else {
    day = addDays(monday, weekday - 1);
    if (day >= today) day = addDays(day, -7);
  }
  return { span: { from: day, to: day }, match };
}
