/**
 * Customer 9-1-1 (docs/cases.md): when a response opens a case and how bad it is, the SLA
 * clock in business days, which status changes are allowed, and the closed-loop metrics.
 * Pure: no I/O, so every rule here is unit-tested with hand-computed numbers.
 */
import type { HealthDimension } from "./dimensions";

export type CaseTrigger = "low_advocacy" | "low_dimension" | "health_drop" | "help_requested" | "manual";
export type CaseSeverity = "medium" | "high" | "critical";
export type CaseStatus = "open" | "acknowledged" | "resolved";

// ─── Thresholds (0–100 scores, as stored in `answers`) ────────────────────────

/** Advocacy is stored as the 0–10 answer × 10: 6 of 10 or less opens a case. */
export const LOW_ADVOCACY_AT_MOST = 60;
/** Advocacy 3 of 10 or less is critical; 4–5 high; 6 medium. */
export const CRITICAL_ADVOCACY_AT_MOST = 30;
export const HIGH_ADVOCACY_AT_MOST = 50;
/** Any other dimension at 25 or less (2 of 5 on a 1–5 rating) opens a case … */
export const LOW_DIMENSION_AT_MOST = 25;
/** … a critical one at 10 or less (1 of 5). */
export const CRITICAL_DIMENSION_AT_MOST = 10;
/** A fall in customer health of this many points against the contact's previous response. */
export const HEALTH_DROP_AT_LEAST = 20;
export const HIGH_HEALTH_DROP_AT_LEAST = 30;
export const CRITICAL_HEALTH_DROP_AT_LEAST = 40;

/** The SLA unless CASE_SLA_BUSINESS_DAYS says otherwise. */
export const DEFAULT_CASE_SLA_BUSINESS_DAYS = 2;
/** The environment variable that sets the SLA (whole business days, 1–30). */
export const CASE_SLA_ENV = "CASE_SLA_BUSINESS_DAYS";
/** The closed-loop metrics look back this far unless asked otherwise … */
export const DEFAULT_METRICS_WINDOW_DAYS = 90;
/** … and the list offers these windows. */
export const METRICS_WINDOWS = [30, 90, 180, 365] as const;
/** What the case list can be narrowed to. */
export const CASE_STATUS_FILTERS = ["all", "unresolved", "open", "acknowledged", "resolved"] as const;
export type CaseStatusFilter = (typeof CASE_STATUS_FILTERS)[number];
/** A note or resolution is welcome to be long, not unbounded (the column checks it too). */
export const CASE_NOTE_MAX_LENGTH = 5000;
/** The survey a resolved case may send (surveys/recovery-pulse.json). */
export const RECOVERY_PULSE_SLUG = "recovery-pulse";
/** How long a recovery pulse link stays open. */
export const RECOVERY_PULSE_EXPIRY_DAYS = 14;

const SEVERITY_RANK: Record<CaseSeverity, number> = { medium: 1, high: 2, critical: 3 };

export function worseSeverity(a: CaseSeverity, b: CaseSeverity): CaseSeverity {
  return SEVERITY_RANK[a] >= SEVERITY_RANK[b] ? a : b;
}

/** The ledger withdrawal a case logs: medium 1, high 2, critical 3 (docs/ledger.md weights). */
export function equityWeightForSeverity(severity: CaseSeverity): number {
  return SEVERITY_RANK[severity];
}

// ─── Customer health of one response ──────────────────────────────────────────

/**
 * The six relationship dimensions customer health is made of. Advocacy and renewal are
 * outcomes of the relationship, not parts of it, so they stay out of the mean.
 */
export const CUSTOMER_HEALTH_DIMENSIONS = [
  "trust",
  "responsiveness",
  "understanding",
  "value",
  "communication",
  "relationship",
] as const satisfies readonly HealthDimension[];

export interface ScoredAnswerRow {
  dimension: HealthDimension;
  /** 0–100. */
  value: number;
}

/** One score per dimension answered: the mean of that dimension's questions in the response. */
export function scoresByDimension(
  answers: readonly ScoredAnswerRow[],
): Partial<Record<HealthDimension, number>> {
  const sums = new Map<HealthDimension, { total: number; count: number }>();
  for (const { dimension, value } of answers) {
    const sum = sums.get(dimension) ?? { total: 0, count: 0 };
    sum.total += value;
    sum.count += 1;
    sums.set(dimension, sum);
  }
  return Object.fromEntries([...sums].map(([dimension, s]) => [dimension, s.total / s.count]));
}

/**
 * Customer health of one response, 0–100: the mean of the six relationship dimensions it
 * answered (each the mean of its questions); null when it answered none of them.
 *
 * Deliberately self-contained: app/domain/health.ts models health over time and across
 * contacts; this is the one-response figure the health-drop trigger compares. When the two
 * are folded together, `healthDrop` there should agree with `responseHealthDrop` here.
 */
export function responseCustomerHealth(answers: readonly ScoredAnswerRow[]): number | null {
  const scores = scoresByDimension(answers);
  const present = CUSTOMER_HEALTH_DIMENSIONS.map((d) => scores[d]).filter(
    (v): v is number => v !== undefined,
  );
  if (present.length === 0) return null;
  return present.reduce((a, b) => a + b, 0) / present.length;
}

/** How many points health fell from the previous response to this one (negative: it rose); null when either has none. */
export function responseHealthDrop(
  current: readonly ScoredAnswerRow[],
  previous: readonly ScoredAnswerRow[] | null,
): { previous: number; current: number; drop: number } | null {
  const now = responseCustomerHealth(current);
  const before = previous ? responseCustomerHealth(previous) : null;
  if (now === null || before === null) return null;
  return { previous: before, current: now, drop: before - now };
}

// ─── What opens a case ────────────────────────────────────────────────────────

export type CaseSignal =
  | { trigger: "low_advocacy"; severity: CaseSeverity; score: number }
  | { trigger: "low_dimension"; severity: CaseSeverity; dimension: HealthDimension; score: number }
  | { trigger: "health_drop"; severity: CaseSeverity; previous: number; current: number; drop: number };

const TRIGGER_ORDER: Record<CaseSignal["trigger"], number> = {
  low_advocacy: 0,
  low_dimension: 1,
  health_drop: 2,
};

/**
 * Every reason a completed response gives to open a case, worst first (severity, then
 * advocacy before a low dimension before a health drop, then the lowest score). `previous`
 * is the contact's previous completed response with a health figure, if any.
 */
export function caseSignals(
  current: readonly ScoredAnswerRow[],
  previous: readonly ScoredAnswerRow[] | null,
): CaseSignal[] {
  const signals: CaseSignal[] = [];
  const scores = scoresByDimension(current);
  for (const [dimension, score] of Object.entries(scores) as [HealthDimension, number][]) {
    if (dimension === "advocacy") {
      if (score <= LOW_ADVOCACY_AT_MOST) {
        const severity =
          score <= CRITICAL_ADVOCACY_AT_MOST
            ? "critical"
            : score <= HIGH_ADVOCACY_AT_MOST
              ? "high"
              : "medium";
        signals.push({ trigger: "low_advocacy", severity, score });
      }
    } else if (score <= LOW_DIMENSION_AT_MOST) {
      const severity = score <= CRITICAL_DIMENSION_AT_MOST ? "critical" : "high";
      signals.push({ trigger: "low_dimension", severity, dimension, score });
    }
  }
  const health = responseHealthDrop(current, previous);
  if (health && health.drop >= HEALTH_DROP_AT_LEAST) {
    const severity =
      health.drop >= CRITICAL_HEALTH_DROP_AT_LEAST
        ? "critical"
        : health.drop >= HIGH_HEALTH_DROP_AT_LEAST
          ? "high"
          : "medium";
    signals.push({ trigger: "health_drop", severity, ...health });
  }
  const scoreOf = (s: CaseSignal) => ("score" in s ? s.score : -s.drop);
  return signals.sort(
    (a, b) =>
      SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
      TRIGGER_ORDER[a.trigger] - TRIGGER_ORDER[b.trigger] ||
      scoreOf(a) - scoreOf(b),
  );
}

/**
 * The one case a completed response opens, or null: its worst signal names the trigger and
 * the severity; the other signals are listed in the summary. One case per response keeps
 * the owner's inbox and the ledger to one alarm per answer, however many scores are low.
 */
export function caseForResponse(
  current: readonly ScoredAnswerRow[],
  previous: readonly ScoredAnswerRow[] | null,
): { trigger: CaseSignal["trigger"]; severity: CaseSeverity; signals: CaseSignal[] } | null {
  const signals = caseSignals(current, previous);
  const worst = signals[0];
  return worst ? { trigger: worst.trigger, severity: worst.severity, signals } : null;
}

/** A customer who asks for help is at least high; critical when their answers already are. */
export function helpRequestSeverity(signals: readonly CaseSignal[]): CaseSeverity {
  return signals.reduce<CaseSeverity>((worst, s) => worseSeverity(worst, s.severity), "high");
}

// ─── Words ────────────────────────────────────────────────────────────────────

export const TRIGGER_LABELS: Record<CaseTrigger, string> = {
  low_advocacy: "Low advocacy",
  low_dimension: "Low score",
  health_drop: "Health drop",
  help_requested: "Asked for help",
  manual: "Opened by hand",
};

const round = (n: number) => Math.round(n);
const tenths = (n: number) => String(Math.round(n) / 10);

export function describeSignal(signal: CaseSignal): string {
  switch (signal.trigger) {
    case "low_advocacy":
      return `advocacy ${tenths(signal.score)}/10`;
    case "low_dimension":
      return `${signal.dimension} ${round(signal.score)}/100`;
    case "health_drop":
      return `customer health down ${round(signal.drop)} points (${round(signal.previous)} → ${round(signal.current)})`;
  }
}

function listInWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/**
 * The case in one sentence (no full stop), for its summary, the alert email and the ledger:
 * "Dana Lee answered “How is our relationship, really?” with advocacy 3/10 and trust 0/100".
 */
export function caseHeadline(input: {
  trigger: CaseTrigger;
  contactName: string;
  surveyTitle: string;
  signals: readonly CaseSignal[];
}): string {
  const said = listInWords(input.signals.map(describeSignal));
  if (input.trigger === "help_requested") {
    return `${input.contactName} pressed “I need help now” after answering “${input.surveyTitle}”${said ? ` (${said})` : ""}`;
  }
  return `${input.contactName} answered “${input.surveyTitle}” with ${said}`;
}

/** The ledger entry's summary: names the trigger, then says what happened. */
export function ledgerSummaryForCase(trigger: CaseTrigger, headline: string, maxLength = 2000): string {
  const text = `Customer 9-1-1 opened (${TRIGGER_LABELS[trigger].toLowerCase()}): ${headline}`;
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}

// ─── The SLA clock ────────────────────────────────────────────────────────────

const DAY_MS = 86_400_000;

/**
 * `from` plus `days` business days, Monday to Friday in UTC, keeping the time of day.
 * Friday 15:00 + 2 → Tuesday 15:00; a case opened on Saturday 10:00 is due Tuesday 10:00
 * (Monday is its first business day). Public holidays are not known and count as workdays.
 */
export function addBusinessDays(from: Date, days: number): Date {
  let at = from.getTime();
  let left = Math.max(0, Math.floor(days));
  while (left > 0) {
    at += DAY_MS;
    const weekday = new Date(at).getUTCDay();
    if (weekday !== 0 && weekday !== 6) left -= 1;
  }
  return new Date(at);
}

/**
 * The SLA in business days from CASE_SLA_BUSINESS_DAYS (whole days, 1–30); unset → 2. A malformed
 * value also falls back to 2 and is reported by `problem`, so a typo never loses a case.
 */
export function caseSlaBusinessDays(env: Record<string, string | undefined> = {}): {
  days: number;
  problem: string | null;
} {
  const raw = env[CASE_SLA_ENV]?.trim();
  if (!raw) return { days: DEFAULT_CASE_SLA_BUSINESS_DAYS, problem: null };
  const days = /^\d{1,2}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(days) || days < 1 || days > 30) {
    return {
      days: DEFAULT_CASE_SLA_BUSINESS_DAYS,
      problem: `${CASE_SLA_ENV} must be a whole number of business days from 1 to 30 (got ${JSON.stringify(raw)}); using ${DEFAULT_CASE_SLA_BUSINESS_DAYS}`,
    };
  }
  return { days, problem: null };
}

export type SlaClock =
  | { state: "running"; dueInMs: number }
  | { state: "overdue"; overdueByMs: number }
  | { state: "met"; marginMs: number }
  | { state: "missed"; lateByMs: number };

/** Where a case stands against its SLA at `now` (or, once resolved, where it ended). */
export function slaClock(c: { slaDueAt: Date; resolvedAt: Date | null }, now: Date): SlaClock {
  const due = c.slaDueAt.getTime();
  if (c.resolvedAt) {
    const at = c.resolvedAt.getTime();
    return at <= due ? { state: "met", marginMs: due - at } : { state: "missed", lateByMs: at - due };
  }
  return now.getTime() <= due
    ? { state: "running", dueInMs: due - now.getTime() }
    : { state: "overdue", overdueByMs: now.getTime() - due };
}

/** "45 min", "5 h 20 min", "1 day 3 h", "12 days": as precise as a person needs. */
export function describeDuration(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 1) return "less than a minute";
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  const dayWord = days === 1 ? "day" : "days";
  if (days >= 7 || hours % 24 === 0) return `${days} ${dayWord}`;
  return `${days} ${dayWord} ${hours % 24} h`;
}

export function describeSlaClock(clock: SlaClock): string {
  switch (clock.state) {
    case "running":
      return `due in ${describeDuration(clock.dueInMs)}`;
    case "overdue":
      return `overdue by ${describeDuration(clock.overdueByMs)}`;
    case "met":
      return "resolved within the SLA";
    case "missed":
      return `resolved ${describeDuration(clock.lateByMs)} after the SLA`;
  }
}

// ─── Working a case ───────────────────────────────────────────────────────────

export type CaseAction = "acknowledge" | "note" | "resolve";

/**
 * open → acknowledged → resolved. Resolving an open case is allowed (it counts as
 * acknowledged at the same moment); nothing leaves "resolved". Notes are always welcome.
 */
export function caseAllows(status: CaseStatus, action: CaseAction): boolean {
  switch (action) {
    case "acknowledge":
      return status === "open";
    case "resolve":
      return status !== "resolved";
    case "note":
      return true;
  }
}

/** Why `action` is refused in `status` (the 409 message). */
export function caseRefusal(status: CaseStatus, action: CaseAction): string {
  if (action === "acknowledge" && status === "acknowledged")
    return "This case is already acknowledged. Resolve it when the customer is looked after.";
  return `This case is ${status}, so it cannot be ${action === "acknowledge" ? "acknowledged" : "resolved"} again. Reload the page to see where it stands.`;
}

export type RecoveryPulseBlocker = "no_contact" | "no_email" | "opted_out" | "bounced";

/** Why no recovery pulse may go to this contact, or null when one may. */
export function recoveryPulseBlocker(
  contact: { email: string | null; optedOutAt: Date | null; bouncedAt: Date | null } | null,
): RecoveryPulseBlocker | null {
  if (!contact) return "no_contact";
  if (contact.optedOutAt) return "opted_out";
  if (contact.bouncedAt) return "bounced";
  if (!contact.email?.trim()) return "no_email";
  return null;
}

export const RECOVERY_PULSE_BLOCKER_TEXT: Record<RecoveryPulseBlocker, string> = {
  no_contact: "the case has no contact to ask",
  no_email: "the contact has no email address",
  opted_out: "the contact has unsubscribed from our emails",
  bounced: "email to the contact bounced",
};

// ─── Closed-loop metrics ──────────────────────────────────────────────────────

export interface CaseTimes {
  openedAt: Date;
  acknowledgedAt: Date | null;
  resolvedAt: Date | null;
  slaDueAt: Date;
}

export interface ClosedLoopMetrics {
  windowDays: number;
  /** Cases opened in the window. */
  opened: number;
  medianAcknowledgeMs: number | null;
  medianResolveMs: number | null;
  /** Of the window's cases whose outcome is known (resolved, or past due), the share resolved in time. */
  resolvedWithinSla: { met: number; decided: number; share: number | null };
  /** Right now, whatever the window: unresolved cases, and those of them past their SLA. */
  openNow: number;
  overdueNow: number;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Time to acknowledge and to resolve (medians over the cases opened in the last
 * `windowDays` that got there), the share of those cases resolved within their SLA, and
 * today's open and overdue counts. A case still open before its deadline is left out of the
 * SLA share: whether it will make it is not known yet.
 */
export function closedLoopMetrics(
  cases: readonly CaseTimes[],
  now: Date,
  windowDays = DEFAULT_METRICS_WINDOW_DAYS,
): ClosedLoopMetrics {
  const since = now.getTime() - windowDays * DAY_MS;
  const inWindow = cases.filter(
    (c) => c.openedAt.getTime() >= since && c.openedAt.getTime() <= now.getTime(),
  );
  const acknowledge = inWindow
    .filter((c) => c.acknowledgedAt)
    .map((c) => c.acknowledgedAt!.getTime() - c.openedAt.getTime());
  const resolve = inWindow
    .filter((c) => c.resolvedAt)
    .map((c) => c.resolvedAt!.getTime() - c.openedAt.getTime());
  const decided = inWindow.filter((c) => c.resolvedAt || c.slaDueAt.getTime() < now.getTime());
  const met = decided.filter((c) => c.resolvedAt && c.resolvedAt.getTime() <= c.slaDueAt.getTime()).length;
  const unresolved = cases.filter((c) => !c.resolvedAt);
  return {
    windowDays,
    opened: inWindow.length,
    medianAcknowledgeMs: median(acknowledge),
    medianResolveMs: median(resolve),
    resolvedWithinSla: { met, decided: decided.length, share: decided.length ? met / decided.length : null },
    openNow: unresolved.length,
    overdueNow: unresolved.filter((c) => c.slaDueAt.getTime() < now.getTime()).length,
  };
}

// ─── What the customer wrote ──────────────────────────────────────────────────

export { questionTitles, verbatimComments } from "./survey-verbatims";
