/*
 * One locale and time zone for every date on the account page, so the server's render and
 * the browser's hydration print the same text.
 */
const day = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" });
const dayAndTime = new Intl.DateTimeFormat("en-GB", {
  dateStyle: "medium",
  timeStyle: "short",
  timeZone: "UTC",
});

/** "3 Mar 2026" from an ISO timestamp or a YYYY-MM-DD date. */
export function formatDay(value: string): string {
  return day.format(new Date(value.length === 10 ? `${value}T00:00:00Z` : value));
}

/** "3 Mar 2026, 14:05" (UTC). */
export function formatDayAndTime(value: string): string {
  return `${dayAndTime.format(new Date(value))} UTC`;
}

/** Whole days from `value` to `now`; "today", "yesterday", "12 days ago". */
export function daysAgo(value: string, now: string): string {
  const days = Math.floor((new Date(now).getTime() - new Date(value).getTime()) / 86_400_000);
  if (days <= 0) return "today";
  if (days === 1) return "yesterday";
  return `${days} days ago`;
}
