// lunar-javascript ships no types; the one call used here is typed below.
// biome-ignore lint/suspicious/noExplicitAny: untyped CommonJS module
const { Lunar } = require('lunar-javascript') as { Lunar: any };

/** A span of calendar days, both ends included, as ISO dates (YYYY-MM-DD). */
export interface DaySpan {
  from: string;
  to: string;
}

interface Holiday {
  id: string;
  names: string[];
  /** The span the holiday's material belongs to, in a given Gregorian year. */
  span(year: number): DaySpan;
}

/** Gregorian date of a lunar month/day in the lunar year that starts in Gregorian `year`. */
function lunarToIso(year: number, month: number, day: number): string {
  const solar = Lunar.fromYmd(year, month, day).getSolar();
  return `${solar.getYear()}-${pad(solar.getMonth())}-${pad(solar.getDay())}`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

export function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const fixed = (month: number, day: number, before: number, after: number) => (year: number) => {
  const iso = `${year}-${pad(month)}-${pad(day)}`;
  return { from: addDays(iso, -before), to: addDays(iso, after) };
};

/**
 * Holidays people search by, with the span of days their campaign material belongs to. Lunar
 * holidays move every year (春节 2025-01-29, 2026-02-17); lunar-javascript converts them. The
 * spans are choices, stated here so a user can read them in `interpreted.dateRange`:
 * Spring Festival runs from a week before the lunar new year to the Lantern Festival (15th day);
 * other festivals a week before to two days after; shopping days the day itself.
 */
export const HOLIDAYS: Holiday[] = [
  {
    id: 'spring-festival',
    names: ['春节', '过年', '新春', '农历新年', 'spring festival', 'chinese new year', 'lunar new year'],
    span: (year) => ({ from: addDays(lunarToIso(year, 1, 1), -7), to: lunarToIso(year, 1, 15) }),
  },
  {
    id: 'lantern-festival',
    names: ['元宵', '元宵节', 'lantern festival'],
    span: (year) => {
      const day = lunarToIso(year, 1, 15);
      return { from: addDays(day, -3), to: day };
    },
  },
  {
    id: 'dragon-boat',
    names: ['端午', '端午节', 'dragon boat festival', 'dragon boat'],
    span: (year) => {
      const day = lunarToIso(year, 5, 5);
      return { from: addDays(day, -7), to: addDays(day, 2) };
    },
  },
  {
    id: 'qixi',
    names: ['七夕', '七夕节', 'qixi', 'chinese valentine'],
    span: (year) => {
      const day = lunarToIso(year, 7, 7);
      return { from: addDays(day, -7), to: day };
    },
  },
  {
    id: 'mid-autumn',
    names: ['中秋', '中秋节', 'mid-autumn', 'mid autumn', 'mid-autumn festival', 'moon festival'],
    span: (year) => {
      const day = lunarToIso(year, 8, 15);
      return { from: addDays(day, -7), to: addDays(day, 2) };
    },
  },
  { id: 'new-year', names: ['元旦', "new year's day", 'new year'], span: fixed(1, 1, 7, 1) },
  {
    id: 'valentine',
    names: ['情人节', "valentine's day", 'valentines', 'valentine'],
    span: fixed(2, 14, 7, 0),
  },
  { id: '618', names: ['618', '六一八'], span: fixed(6, 18, 17, 0) },
  { id: 'national-day', names: ['国庆', '国庆节', 'national day', 'golden week'], span: fixed(10, 1, 7, 6) },
  {
    id: 'singles-day',
    names: ['双十一', '双11', "singles' day", 'singles day', '11.11'],
    span: fixed(11, 11, 10, 0),
  },
  {
    id: 'black-friday',
    names: ['黑五', '黑色星期五', 'black friday'],
    span: (year) => {
      // The day after the fourth Thursday of November.
      const first = new Date(Date.UTC(year, 10, 1)).getUTCDay();
      const thursday = 1 + ((4 - first + 7) % 7) + 21;
      const day = `${year}-11-${pad(thursday + 1)}`;
      return { from: addDays(day, -7), to: addDays(day, 3) };
    },
  },
  { id: 'christmas', names: ['圣诞', '圣诞节', 'christmas', 'xmas'], span: fixed(12, 25, 14, 1) },
];
