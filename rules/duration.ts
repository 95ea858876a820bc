/**
 * ISO-8601 durations with calendar arithmetic in UTC: `P3Y` after 2025-02-28 is 2028-02-28, and
 * `P1M` after January 31 is the last day of February (the day is clamped, as calendars do).
 * Retention periods are stated in calendar years, so milliseconds would drift by leap days.
 */
export interface DurationParts {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

const PATTERN =
  /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

export function parseDuration(text: string): DurationParts | undefined {
  const match = PATTERN.exec(text);
  if (!match) return undefined;
  const n = (i: number) => Number(match[i] ?? 0);
  return { years: n(1), months: n(2), weeks: n(3), days: n(4), hours: n(5), minutes: n(6), seconds: n(7) };
}

/** `iso` + `duration`, as an ISO-8601 UTC timestamp. Throws on a malformed duration (compiled plans never have one). */
export function addDuration(iso: string, duration: string): string {
  return shift(iso, duration, 1);
}

/** `iso` − `duration` (a notice `P30D` before an expiry), with the same calendar arithmetic. */
export function subtractDuration(iso: string, duration: string): string {
  return shift(iso, duration, -1);
}

function shift(iso: string, duration: string, sign: 1 | -1): string {
  const parsed = parseDuration(duration);
  if (!parsed) throw new Error(`not an ISO-8601 duration: ${duration}`);
  const parts = Object.fromEntries(
    Object.entries(parsed).map(([k, v]) => [k, v * sign]),
  ) as unknown as DurationParts;
  const start = new Date(iso);
  const year = start.getUTCFullYear() + parts.years;
  const month = start.getUTCMonth() + parts.months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(start.getUTCDate(), lastDay);
  const shifted = Date.UTC(
    year,
    month,
    day,
    start.getUTCHours(),
    start.getUTCMinutes(),
    start.getUTCSeconds(),
    start.getUTCMilliseconds(),
  );
  const extraMs =
    (((parts.weeks * 7 + parts.days) * 24 + parts.hours) * 60 + parts.minutes) * 60_000 +
    parts.seconds * 1000;
  return new Date(shifted + extraMs).toISOString();
}
