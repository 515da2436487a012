/**
 * The win/loss program's rules without I/O (docs/winloss-program.md): what an admin's rule
 * says, which rule a closed deal matches, when its follow-up falls due, and the rule form's
 * checks. The schema reads the constants; winloss-rules.server.ts and
 * winloss-followups.server.ts feed the rest from the database.
 */
import { z } from "zod";

/** What a rule does with a closed deal's buyers. */
export const WINLOSS_ACTIONS = ["survey", "interview", "none"] as const;
export type WinlossAction = (typeof WINLOSS_ACTIONS)[number];

/**
 * Where a deal's follow-up is. `waiting_for_seller`: closed without the seller's reasons, so
 * nobody asks the buyers yet; `scheduled`: reasons sealed, due at `due_at`; `invited` and
 * `task_opened`: the job did its work; `skipped`: nothing will happen, and `skip_reason` says why.
 */
export const FOLLOW_UP_STATUSES = [
  "waiting_for_seller",
  "scheduled",
  "invited",
  "task_opened",
  "skipped",
] as const;
export type FollowUpStatus = (typeof FOLLOW_UP_STATUSES)[number];

export const INTERVIEW_TASK_STATUSES = ["open", "done", "cancelled"] as const;
export type InterviewTaskStatus = (typeof INTERVIEW_TASK_STATUSES)[number];

export const RULE_OUTCOMES = ["won", "lost", "no_decision"] as const;
export type RuleOutcome = (typeof RULE_OUTCOMES)[number];
export const RULE_SEGMENTS = ["enterprise", "mid_market", "smb"] as const;
export type RuleSegment = (typeof RULE_SEGMENTS)[number];

export const MAX_DELAY_DAYS = 90;
/** More rules than anyone can keep in their head: the list is meant to be read top to bottom. */
export const MAX_RULES = 50;
/** When no rule matches: survey the buyers three days after the close. */
export const DEFAULT_FOLLOW_UP = { action: "survey", delayDays: 3 } as const satisfies {
  action: WinlossAction;
  delayDays: number;
};
/**
 * A deal whose close date lies further back than this when Rapport learns of it (a CRM
 * back-fill) gets no follow-up: months later the buyer barely remembers, and nobody wants a
 * survey about a decision from last year.
 */
export const STALE_CLOSE_DAYS = 90;
/** An interview task is due this many days after the follow-up that opened it. */
export const INTERVIEW_DUE_AFTER_DAYS = 7;
/** The buyers a follow-up asks: the people who made or shaped the decision. */
export const BUYER_ROLES = ["decision_maker", "champion", "influencer"] as const;
/** surveys/winloss-interview.json: the guide an interview task is recorded with. */
export const WINLOSS_INTERVIEW_SLUG = "winloss-interview";
/** The largest amount a rule may name, in dollars (the same ceiling as a deal's amount). */
export const MAX_RULE_AMOUNT_DOLLARS = 1_000_000_000_000;

const DAY_MS = 86_400_000;

export interface WinlossRule {
  id: string;
  position: number;
  /** Empty: any closed outcome. */
  outcomes: readonly string[];
  minAmountCents: number | null;
  maxAmountCents: number | null;
  segment: RuleSegment | null;
  action: WinlossAction;
  delayDays: number;
}

export interface ClosedDealFacts {
  outcome: string;
  amountCents: number;
  segment: string;
}

export interface MatchedFollowUp {
  /** Null: no rule matched, the default applies. */
  ruleId: string | null;
  action: WinlossAction;
  delayDays: number;
  /** How the rule read when it matched, kept with the follow-up. */
  summary: string;
}

export function ruleMatches(rule: WinlossRule, deal: ClosedDealFacts): boolean {
  if (rule.outcomes.length > 0 && !rule.outcomes.includes(deal.outcome)) return false;
  if (rule.minAmountCents !== null && deal.amountCents < rule.minAmountCents) return false;
  if (rule.maxAmountCents !== null && deal.amountCents >= rule.maxAmountCents) return false;
  if (rule.segment !== null && rule.segment !== deal.segment) return false;
  return true;
}

/** The first rule (in position order) that matches the deal, or the default. */
export function matchFollowUp(rules: readonly WinlossRule[], deal: ClosedDealFacts): MatchedFollowUp {
  const ordered = [...rules].sort((a, b) => a.position - b.position);
  const index = ordered.findIndex((rule) => ruleMatches(rule, deal));
  const rule = ordered[index];
  if (!rule) {
    return {
      ruleId: null,
      ...DEFAULT_FOLLOW_UP,
      summary: `No rule matched: ${describeAction(DEFAULT_FOLLOW_UP.action, DEFAULT_FOLLOW_UP.delayDays).toLowerCase()} (the default)`,
    };
  }
  return {
    ruleId: rule.id,
    action: rule.action,
    delayDays: rule.delayDays,
    summary: `Rule ${index + 1}: ${describeCondition(rule)} → ${describeAction(rule.action, rule.delayDays).toLowerCase()}`,
  };
}

export function followUpDueAt(closedAt: Date, delayDays: number): Date {
  return new Date(closedAt.getTime() + delayDays * DAY_MS);
}

/** True when a deal that closed on `closeDate` (YYYY-MM-DD) is too old to follow up `now`. */
export function closedTooLongAgo(closeDate: string | null, now: Date): boolean {
  if (!closeDate) return false;
  return closeDate < isoDay(new Date(now.getTime() - STALE_CLOSE_DAYS * DAY_MS));
}

/** YYYY-MM-DD (UTC). */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

// ─── Words ────────────────────────────────────────────────────────────────────

const OUTCOME_LABELS: Record<RuleOutcome, string> = { won: "won", lost: "lost", no_decision: "no decision" };
export const SEGMENT_LABELS: Record<RuleSegment, string> = {
  enterprise: "Enterprise",
  mid_market: "Mid-market",
  smb: "SMB",
};
export const ACTION_LABELS: Record<WinlossAction, string> = {
  survey: "Survey the buyers",
  interview: "Open an interview task",
  none: "No follow-up",
};
export const FOLLOW_UP_STATUS_LABELS: Record<FollowUpStatus, string> = {
  waiting_for_seller: "Waiting for the seller's reasons",
  scheduled: "Scheduled",
  invited: "Buyers invited",
  task_opened: "Interview task opened",
  skipped: "Skipped",
};

const dollars = new Intl.NumberFormat("en-US", {
  style: "currency",
  currency: "USD",
  maximumFractionDigits: 2,
});
export function formatRuleAmount(cents: number): string {
  return dollars.format(cents / 100).replace(/\.00$/, "");
}

function joinOr(words: string[]): string {
  if (words.length <= 1) return words.join("");
  return `${words.slice(0, -1).join(", ")} or ${words[words.length - 1]}`;
}

/** "Lost · $50,000 or more · Enterprise"; "Every closed deal" when the rule names nothing. */
export function describeCondition(
  rule: Pick<WinlossRule, "outcomes" | "minAmountCents" | "maxAmountCents" | "segment">,
): string {
  const parts: string[] = [];
  const outcomes = RULE_OUTCOMES.filter((o) => rule.outcomes.includes(o));
  if (outcomes.length > 0 && outcomes.length < RULE_OUTCOMES.length) {
    const words = joinOr(outcomes.map((o) => OUTCOME_LABELS[o]));
    parts.push(words.charAt(0).toUpperCase() + words.slice(1));
  }
  const { minAmountCents: min, maxAmountCents: max } = rule;
  if (min !== null && max !== null) parts.push(`${formatRuleAmount(min)} to under ${formatRuleAmount(max)}`);
  else if (min !== null) parts.push(`${formatRuleAmount(min)} or more`);
  else if (max !== null) parts.push(`under ${formatRuleAmount(max)}`);
  if (rule.segment) parts.push(SEGMENT_LABELS[rule.segment]);
  return parts.length > 0 ? parts.join(" · ") : "Every closed deal";
}

/** "Survey the buyers 3 days after close", "No follow-up". */
export function describeAction(action: WinlossAction, delayDays: number): string {
  if (action === "none") return ACTION_LABELS.none;
  const when =
    delayDays === 0 ? "on the day it closes" : `${delayDays} ${delayDays === 1 ? "day" : "days"} after close`;
  return `${ACTION_LABELS[action]} ${when}`;
}

// ─── The rule form ────────────────────────────────────────────────────────────

function shown(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return `“${text.length > 40 ? `${text.slice(0, 37)}…` : text}”`;
}

const text = (value: unknown) => (typeof value === "string" ? value.trim() : value);

/** Dollars as typed ("50000", "$50,000", "49,999.50") → cents; blank → null. */
const dollarAmount = (label: string) =>
  z.preprocess(
    (value) => (value === undefined ? "" : text(value)),
    z.string({ message: `${label} must be an amount in dollars, such as 50000.` }).transform((raw, ctx) => {
      if (raw === "") return null;
      const cleaned = raw.replace(/^\$/, "").replace(/[,\s_]/g, "");
      if (/^-/.test(cleaned)) {
        ctx.addIssue({ code: "custom", message: `${label} ${shown(raw)} is negative; enter zero or more.` });
        return z.NEVER;
      }
      const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(cleaned);
      if (!match) {
        ctx.addIssue({
          code: "custom",
          message: `${label} ${shown(raw)} is not an amount; enter dollars such as 50000 or 50,000.`,
        });
        return z.NEVER;
      }
      const units = Number(match[1]);
      if (units > MAX_RULE_AMOUNT_DOLLARS) {
        ctx.addIssue({ code: "custom", message: `${label} ${shown(raw)} is larger than any deal can be.` });
        return z.NEVER;
      }
      return units * 100 + Number((match[2] ?? "").padEnd(2, "0"));
    }),
  );

/**
 * The rule form as posted (outcomes as repeated checkboxes). Amounts are dollars; the lower
 * bound is inclusive ("at least") and the upper exclusive ("below"), so two rules can split
 * at one figure without a gap or an overlap.
 */
export const ruleInputSchema = z
  .object({
    outcomes: z.preprocess(
      (value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]),
      z
        .array(
          z.enum(RULE_OUTCOMES, {
            errorMap: (_issue, ctx) => ({
              message: `Outcome ${shown(ctx.data)} is not one of won, lost or no decision.`,
            }),
          }),
        )
        .max(RULE_OUTCOMES.length, "Tick each outcome at most once."),
    ),
    minAmount: dollarAmount("“At least”"),
    maxAmount: dollarAmount("“Below”"),
    segment: z.preprocess(
      (value) => (value === undefined || text(value) === "" ? null : text(value)),
      z
        .enum(RULE_SEGMENTS, {
          errorMap: (_issue, ctx) => ({
            message: `Segment ${shown(ctx.data)} is not one of Enterprise, Mid-market or SMB.`,
          }),
        })
        .nullable(),
    ),
    action: z.preprocess(
      text,
      z.enum(WINLOSS_ACTIONS, {
        errorMap: (_issue, ctx) => ({
          message:
            ctx.data === undefined || ctx.data === ""
              ? "Choose what happens: survey the buyers, open an interview task, or nothing."
              : `Action ${shown(ctx.data)} is not one of survey, interview or none.`,
        }),
      }),
    ),
    delayDays: z.preprocess(
      text,
      z
        .string({
          errorMap: (_issue, ctx) => ({
            message:
              ctx.data === undefined
                ? `Delay is required: a whole number of days from 0 to ${MAX_DELAY_DAYS}.`
                : `Delay must be a whole number of days from 0 to ${MAX_DELAY_DAYS}.`,
          }),
        })
        .min(1, `Delay is required: a whole number of days from 0 to ${MAX_DELAY_DAYS}.`)
        .regex(/^\d{1,3}$/, `Delay must be a whole number of days from 0 to ${MAX_DELAY_DAYS}.`)
        .transform(Number)
        .refine((days) => days <= MAX_DELAY_DAYS, {
          message: `Delay must be at most ${MAX_DELAY_DAYS} days: after three months a buyer barely remembers.`,
        }),
    ),
  })
  .superRefine((rule, ctx) => {
    const crossed = crossedAmounts(rule.minAmount, rule.maxAmount);
    if (crossed) ctx.addIssue({ code: "custom", path: ["maxAmount"], message: crossed });
  })
  .transform((rule) => ({
    // in the taxonomy's order, once each: the same choice always reads the same
    outcomes: RULE_OUTCOMES.filter((o) => rule.outcomes.includes(o)),
    minAmountCents: rule.minAmount,
    maxAmountCents: rule.maxAmount,
    segment: rule.segment,
    action: rule.action,
    delayDays: rule.delayDays,
  }));

function crossedAmounts(min: number | null, max: number | null): string | null {
  if (min === null || max === null || min < max) return null;
  return `“Below” (${formatRuleAmount(max)}) must be more than “at least” (${formatRuleAmount(min)}), or no deal can match.`;
}

export type RuleInput = z.output<typeof ruleInputSchema>;
export type RuleField = "outcomes" | "minAmount" | "maxAmount" | "segment" | "action" | "delayDays";
export type RuleFieldErrors = Partial<Record<RuleField | "form", string>>;

/**
 * The rule form checked, with the first message for every bad field at once — including the
 * crossed amounts, which an object-level check would only report once everything else is right.
 */
export function parseRuleInput(
  values: Record<string, unknown>,
): { ok: true; input: RuleInput } | { ok: false; fieldErrors: RuleFieldErrors } {
  const parsed = ruleInputSchema.safeParse(values);
  if (parsed.success) return { ok: true, input: parsed.data };
  const fieldErrors: RuleFieldErrors = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path[0] as RuleField | undefined;
    if (field && !fieldErrors[field]) fieldErrors[field] = issue.message;
  }
  if (!fieldErrors.minAmount && !fieldErrors.maxAmount) {
    const min = dollarAmount("“At least”").safeParse(values.minAmount);
    const max = dollarAmount("“Below”").safeParse(values.maxAmount);
    const crossed = min.success && max.success ? crossedAmounts(min.data, max.data) : null;
    if (crossed) fieldErrors.maxAmount = crossed;
  }
  return { ok: false, fieldErrors };
}

/** The posted form as the schema reads it. */
export function ruleFormValues(form: FormData): Record<string, unknown> {
  const one = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value : undefined;
  };
  return {
    outcomes: form.getAll("outcomes").filter((v) => typeof v === "string"),
    minAmount: one("minAmount"),
    maxAmount: one("maxAmount"),
    segment: one("segment"),
    action: one("action"),
    delayDays: one("delayDays"),
  };
}

/** A stored rule as the form shows it. */
export function ruleFormDefaults(rule?: Omit<WinlossRule, "id" | "position">) {
  const units = (cents: number | null) =>
    cents === null ? "" : cents % 100 === 0 ? String(cents / 100) : (cents / 100).toFixed(2);
  return {
    outcomes: [...(rule?.outcomes ?? [])],
    minAmount: units(rule?.minAmountCents ?? null),
    maxAmount: units(rule?.maxAmountCents ?? null),
    segment: rule?.segment ?? "",
    action: rule?.action ?? "",
    delayDays: rule ? String(rule.delayDays) : "",
  };
}
