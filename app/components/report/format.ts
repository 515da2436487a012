/**
 * The dates a report prints. A fixed locale and time zone, so the server and the browser print the
 * same text (nothing to mismatch on hydration).
 */
const dayFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" });
const monthFormat = new Intl.DateTimeFormat("en-GB", { month: "short", year: "numeric", timeZone: "UTC" });

/** "2026-03-04" or an ISO moment → "4 Mar 2026". */
export const formatDay = (iso: string) =>
  dayFormat.format(new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso));
/** "2026-05" → "May 2026". */
export const formatMonth = (month: string) => monthFormat.format(new Date(`${month}-01T00:00:00Z`));
