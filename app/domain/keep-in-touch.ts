/**
 * Keep-in-touch ("My week"): the pure date rules behind the manager's home page. No I/O;
 * the queries live in keep-in-touch.server.ts.
 *
 * Definitions (the page and its tests follow these exactly):
 *
 * - Scope: the accounts the viewer owns or is on the team of — for every role. Admins and
 *   leaders may *see* every account, but "my week" is about their own relationships; with
 *   none, the page says so rather than listing the whole workspace.
 * - Days are UTC calendar days, like every other date the app shows (`isOverdue` in
 *   ledger.ts, the "UTC" on case SLAs). "Today" is the UTC date of `now`.
 * - Birthdays: contact notes of kind "birthday" with `remindOn` set, visible to the viewer
 *   (shared, or private and written by them). Only the month and day of `remindOn` matter:
 *   they recur every year, and 29 February falls on 28 February in a year without one. A
 *   birthday is listed when its next occurrence (today counts) is at most 14 days away.
 * - Key contacts: buying role decision-maker or champion, not opted out. A contact is
 *   engaged by an interaction of a two-way kind (TWO_WAY_KINDS in ledger.ts: email does not
 *   count — quantity is not quality) that lists them and has already happened. They are
 *   overdue when never engaged, or when more whole days than the account's target cadence
 *   (default 45) have passed since the latest such interaction: 45 days ago on a 45-day
 *   cadence is still on time, 46 is late.
 * - Overdue commitments: interactions of kind commitment, still open (or imported without a
 *   status, which means never resolved), due before today.
 * - Accounts without a prediction: nobody on the team made one in the last six calendar
 *   months (a prediction made exactly six months ago still counts as recent).
 * - Open 9-1-1 cases: cases the viewer owns, not resolved, whatever the account — the case
 *   names them, so it is theirs to work even if they are not on the account's team. The
 *   SLA is breached once its due time has passed.
 */

import { DEFAULT_TARGET_CADENCE_DAYS } from "./ledger";

export const BIRTHDAY_WINDOW_DAYS = 14;
/** Re-exported under the name this module's callers know; the value lives with the ledger rules. */
export const DEFAULT_CADENCE_DAYS = DEFAULT_TARGET_CADENCE_DAYS;
export const PREDICTION_STALE_MONTHS = 6;

const DAY_MS = 86_400_000;
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The UTC calendar date of `at` as YYYY-MM-DD. */
export function isoDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function parseIsoDay(value: string): { year: number; month: number; day: number } | null {
  const match = ISO_DAY.exec(value);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

function formatIsoDay(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** Whole calendar days from `from` to `to` (both YYYY-MM-DD); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  const a = parseIsoDay(from);
  const b = parseIsoDay(to);
  if (!a || !b) throw new Error(`daysBetween: expected two YYYY-MM-DD dates, got "${from}" and "${to}"`);
  return Math.round((Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / DAY_MS);
}

/** The date in `year` a yearly month/day falls on: 29 February becomes 28 February outside leap years. */
function anniversaryIn(year: number, month: number, day: number): string {
  if (month === 2 && day === 29 && !isLeapYear(year)) return formatIsoDay(year, 2, 28);
  return formatIsoDay(year, month, day);
}

/**
 * The next date, today or later, with the month and day of `remindOn` (YYYY-MM-DD; its
 * year is ignored). Null when `remindOn` is not a real date.
 */
export function nextOccurrence(remindOn: string, now: Date): string | null {
  const parsed = parseIsoDay(remindOn);
  if (!parsed) return null;
  const today = isoDay(now);
  const year = now.getUTCFullYear();
  const thisYear = anniversaryIn(year, parsed.month, parsed.day);
  return thisYear >= today ? thisYear : anniversaryIn(year + 1, parsed.month, parsed.day);
}

/** When `remindOn` next comes round, if that is within `windowDays` of today (inclusive). */
export function upcomingWithin(
  remindOn: string,
  now: Date,
  windowDays: number = BIRTHDAY_WINDOW_DAYS,
): { on: string; inDays: number } | null {
  const on = nextOccurrence(remindOn, now);
  if (!on) return null;
  const inDays = daysBetween(isoDay(now), on);
  return inDays <= windowDays ? { on, inDays } : null;
}

/** "today", "in 1 day", "in 9 days". */
export function describeDaysAway(inDays: number): string {
  if (inDays === 0) return "today";
  return inDays === 1 ? "in 1 day" : `in ${inDays} days`;
}

/**
 * Whether a key contact is due for real two-way contact: never engaged, or engaged more
 * whole days ago than the account's cadence. `daysSince` is null when never engaged.
 */
export function engagementDue(
  lastEngagedAt: Date | null,
  cadenceDays: number | null | undefined,
  now: Date,
): { overdue: boolean; daysSince: number | null } {
  const cadence = cadenceDays && cadenceDays > 0 ? cadenceDays : DEFAULT_CADENCE_DAYS;
  if (!lastEngagedAt) return { overdue: true, daysSince: null };
  const daysSince = daysBetween(isoDay(lastEngagedAt), isoDay(now));
  return { overdue: daysSince > cadence, daysSince };
}

/** Whole days an open commitment due on `dueOn` (YYYY-MM-DD) is late today; 0 or less when not late. */
export function daysOverdue(dueOn: string, now: Date): number {
  return daysBetween(dueOn, isoDay(now));
}

/**
 * `months` calendar months before `now`, same time of day; a day the target month lacks
 * becomes its last day (31 August − 6 months = 28 February).
 */
export function monthsBefore(now: Date, months: number): Date {
  const totalMonths = now.getUTCFullYear() * 12 + now.getUTCMonth() - months;
  const year = Math.floor(totalMonths / 12);
  const monthIndex = totalMonths - year * 12;
  const day = Math.min(now.getUTCDate(), daysInMonth(year, monthIndex + 1));
  return new Date(
    Date.UTC(
      year,
      monthIndex,
      day,
      now.getUTCHours(),
      now.getUTCMinutes(),
      now.getUTCSeconds(),
      now.getUTCMilliseconds(),
    ),
  );
}

/** No prediction at all, or the latest one is older than six calendar months. */
export function needsPrediction(lastPredictionAt: Date | null, now: Date): boolean {
  if (!lastPredictionAt) return true;
  return lastPredictionAt.getTime() < monthsBefore(now, PREDICTION_STALE_MONTHS).getTime();
}

/** A case's SLA is breached once its due time has passed. */
export function isSlaBreached(slaDueAt: Date, now: Date): boolean {
  return slaDueAt.getTime() < now.getTime();
}
