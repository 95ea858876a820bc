/**
 * The one place workflow code reads the time. Inside Temporal's workflow sandbox `Date` is replaced
 * by the deterministic time of the current workflow task, so this value is the same on replay.
 */
export function workflowNow(): Date {
  return new Date();
}

/** Milliseconds from workflow time until `iso`, never negative. */
export function millisUntil(iso: string): number {
  return Math.max(0, Date.parse(iso) - workflowNow().getTime());
}
