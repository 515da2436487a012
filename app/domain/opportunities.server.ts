/**
 * Opportunities (deals) and the seller's side of win/loss (DESIGN.md, "Win/loss").
 *
 * A deal is edited freely while it is open. Closing it records the outcome and the seller's
 * stated reasons in one statement and seals them: the buyer's answers arrive later, and the
 * comparison is only honest if the seller could not adjust their story after reading them.
 * Nothing here reopens a deal or rewrites its reasons.
 */
import { and, asc, desc, eq, isNull, ne, sql } from "drizzle-orm";
import { z } from "zod";
import {
  accountMembers,
  accounts,
  contacts,
  opportunities,
  responses,
  surveyDefinitions,
  surveyVersions,
  users,
  type Opportunity,
} from "../../db/schema";
import type { Database } from "../lib/db.server";
import { humanize } from "../lib/format";
import { DECISION_REASONS, type DecisionReason } from "./dimensions";
import { emitOpportunitiesClosed, startWebhookDelivery } from "./webhooks.server";
import { recordClosedDeals, scheduleAfterSellerReasons } from "./winloss-followups.server";

type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];

export const CLOSED_OUTCOMES = ["won", "lost", "no_decision"] as const;
export type ClosedOutcome = (typeof CLOSED_OUTCOMES)[number];
export const MAX_SECONDARY_REASONS = 3;
export const MAX_NAME_LENGTH = 200;
export const MAX_COMPETITOR_LENGTH = 200;
export const MAX_REASON_NOTE_LENGTH = 500;
/** A trillion: far above any real deal, well inside what a bigint of cents holds exactly. */
export const MAX_AMOUNT_UNITS = 1_000_000_000_000;

export const SEALED_MESSAGE = "Sealed: the seller's reasons were recorded when the deal closed.";

// ─── Input ────────────────────────────────────────────────────────────────────

/** The value as the person typed it, shortened, in quotes: messages name what was refused. */
function shown(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return `"${text.length > 60 ? `${text.slice(0, 57)}…` : text}"`;
}

const trimmed = (value: unknown) => (typeof value === "string" ? value.trim() : value);
const blankToUndefined = (value: unknown) =>
  typeof value === "string" && value.trim() === "" ? undefined : trimmed(value);

/**
 * Whole currency units with up to two decimals ("25000", "25,000.50", 1234.5) → integer
 * cents, computed from the digits rather than by floating-point multiplication.
 */
const amountCents = (label: string, requiredMessage = `${label} is required.`) =>
  z
    .union([z.string(), z.number()], {
      errorMap: (_issue, ctx) => ({
        message:
          ctx.data === undefined ? requiredMessage : `${label} must be a number such as 25000 or 25000.50.`,
      }),
    })
    .transform((raw, ctx) => {
      const text = String(raw)
        .trim()
        .replace(/[,\s_]/g, "");
      if (/^-\d/.test(text)) {
        ctx.addIssue({ code: "custom", message: `${label} ${shown(raw)} is negative; enter zero or more.` });
        return z.NEVER;
      }
      const match = /^(\d+)(?:\.(\d*))?$/.exec(text);
      if (!match) {
        ctx.addIssue({
          code: "custom",
          message: `${label} ${shown(raw)} is not a number; enter whole currency units such as 25000 or 25000.50.`,
        });
        return z.NEVER;
      }
      const [, whole = "0", fraction = ""] = match;
      if (fraction.length > 2) {
        ctx.addIssue({ code: "custom", message: `${label} ${shown(raw)} has more than two decimal places.` });
        return z.NEVER;
      }
      const units = Number(whole);
      if (units > MAX_AMOUNT_UNITS) {
        ctx.addIssue({
          code: "custom",
          message: `${label} ${shown(raw)} is larger than ${MAX_AMOUNT_UNITS.toLocaleString("en-US")}.`,
        });
        return z.NEVER;
      }
      return units * 100 + Number(fraction.padEnd(2, "0"));
    });

/** YYYY-MM-DD that is a real calendar day in a plausible range (Postgres has no year 0). */
const calendarDate = (label: string) =>
  z.string({ message: `${label} must be a date such as 2025-06-30.` }).refine(
    (value) => {
      const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
      if (!match) return false;
      const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
      const date = new Date(Date.UTC(year, month - 1, day));
      return (
        year >= 1990 &&
        year <= 2999 &&
        date.getUTCFullYear() === year &&
        date.getUTCMonth() === month - 1 &&
        date.getUTCDate() === day
      );
    },
    (value) => ({ message: `${label} ${shown(value)} is not a date; use YYYY-MM-DD, e.g. 2025-06-30.` }),
  );

const optionalText = (label: string, max: number) =>
  z.string({ message: `${label} must be text.` }).refine(
    (value) => value.length <= max,
    (value) => ({ message: `${label} is ${value.length} characters long; keep it to ${max} or fewer.` }),
  );

const decisionReason = (label: string) =>
  z.enum(DECISION_REASONS, {
    errorMap: (_issue, ctx) => ({
      message:
        ctx.data === undefined
          ? `Choose the ${label.toLowerCase()}.`
          : `${label} ${shown(ctx.data)} is not in the reason list (${DECISION_REASONS.map(humanize).join(", ")}).`,
    }),
  });

/**
 * The deal's facts as posted by the create and edit forms (or an API body). Blank optional
 * fields mean "none"; a blank seller means "the default" (see createOpportunity).
 */
const opportunityInputSchema = z.object({
  name: z.preprocess(
    trimmed,
    z
      .string({ message: "Name is required: give the deal a name, e.g. “2026 renewal”." })
      .min(1, "Name is required: give the deal a name, e.g. “2026 renewal”.")
      .refine(
        (value) => value.length <= MAX_NAME_LENGTH,
        (value) => ({
          message: `Name is ${value.length} characters long; keep it to ${MAX_NAME_LENGTH} or fewer.`,
        }),
      ),
  ),
  amount: z.preprocess(
    blankToUndefined,
    amountCents(
      "Amount",
      "Amount is required: enter the deal's value in whole currency units (0 if not known yet).",
    ),
  ),
  closeDate: z.preprocess(blankToUndefined, calendarDate("Expected close date").optional()),
  competitor: z.preprocess(blankToUndefined, optionalText("Competitor", MAX_COMPETITOR_LENGTH).optional()),
  sellerId: z.preprocess(blankToUndefined, z.string({ message: "Seller must be a person's id." }).optional()),
});

/** The outcome and final facts of a close. */
const closeFactFields = {
  outcome: z.enum(CLOSED_OUTCOMES, {
    errorMap: (_issue, ctx) => ({
      message:
        ctx.data === undefined || ctx.data === ""
          ? "Choose how the deal ended: won, lost or no decision."
          : `Outcome ${shown(ctx.data)} is not one of won, lost or no decision.`,
    }),
  }),
  closeDate: z.preprocess(blankToUndefined, calendarDate("Close date").optional()),
  amount: z.preprocess(blankToUndefined, amountCents("Final amount").optional()),
  competitor: z.preprocess(
    (value) => (typeof value === "string" ? value.trim() : value),
    optionalText("Competitor", MAX_COMPETITOR_LENGTH).optional(),
  ),
};

/** The seller's reasons, as the close form and the "record your reasons" form post them. */
const sellerReasonFields = {
  primaryReason: z.preprocess(blankToUndefined, decisionReason("Primary reason")),
  secondaryReasons: z
    .preprocess(
      (value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]),
      z.array(decisionReason("Secondary reason")),
    )
    .superRefine((reasons, ctx) => {
      if (reasons.length > MAX_SECONDARY_REASONS) {
        ctx.addIssue({
          code: "custom",
          message: `Choose at most ${MAX_SECONDARY_REASONS} secondary reasons (${reasons.length} chosen).`,
        });
      }
      const twice = reasons.find((reason, i) => reasons.indexOf(reason) !== i);
      if (twice) {
        ctx.addIssue({
          code: "custom",
          message: `Secondary reasons name “${humanize(twice)}” twice; choose each reason once.`,
        });
      }
    }),
  reasonNote: z.preprocess(blankToUndefined, optionalText("Note", MAX_REASON_NOTE_LENGTH).optional()),
};

function primaryNotAlsoSecondary(
  reasons: { primaryReason: string; secondaryReasons: string[] },
  ctx: z.RefinementCtx,
) {
  if (reasons.secondaryReasons.includes(reasons.primaryReason)) {
    ctx.addIssue({
      code: "custom",
      path: ["secondaryReasons"],
      message: `“${humanize(reasons.primaryReason)}” is already the primary reason; choose other secondary reasons.`,
    });
  }
}

/**
 * Closing a deal. Absent amount or competitor keep the deal's current value; a blank
 * competitor clears it. A blank close date means today.
 */
const closeOpportunitySchema = z
  .object({ ...closeFactFields, ...sellerReasonFields })
  .superRefine(primaryNotAlsoSecondary);

const closeFactsSchema = z.object(closeFactFields);
const sellerReasonsSchema = z.object(sellerReasonFields).superRefine(primaryNotAlsoSecondary);

export type OpportunityField =
  keyof z.input<typeof opportunityInputSchema> | keyof z.input<typeof closeOpportunitySchema>;
export type OpportunityFieldErrors = Partial<Record<OpportunityField, string>>;

/** The first message per field, for showing beside each input. */
function fieldErrorsOf(error: z.ZodError): OpportunityFieldErrors {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "form");
    errors[field] ??= issue.message;
  }
  return errors as OpportunityFieldErrors;
}

export type OpportunityWriteOutcome =
  | { status: "saved"; opportunity: Opportunity }
  | { status: "invalid"; fieldErrors: OpportunityFieldErrors }
  | { status: "conflict"; message: string }
  | { status: "not_found" };

// ─── The account team (who may be the seller) ────────────────────────────────

/** The account's owner first, then its active team members by name; null for an unknown account. */
export async function getAccountTeam(db: Database | Tx, accountId: string) {
  const [account] = await db
    .select({ id: accounts.id, name: accounts.name, ownerId: accounts.ownerId, ownerName: users.name })
    .from(accounts)
    .innerJoin(users, eq(users.id, accounts.ownerId))
    .where(eq(accounts.id, accountId));
  if (!account) return null;
  const members = await db
    .select({ id: users.id, name: users.name })
    .from(accountMembers)
    .innerJoin(users, eq(users.id, accountMembers.userId))
    .where(and(eq(accountMembers.accountId, accountId), isNull(users.deactivatedAt)))
    .orderBy(asc(users.name), asc(users.id));
  return {
    account: { id: account.id, name: account.name },
    team: [
      { id: account.ownerId, name: account.ownerName },
      ...members.filter((member) => member.id !== account.ownerId),
    ],
  };
}

const notOnTeam = (sellerId: string): OpportunityFieldErrors => ({
  sellerId: `Seller ${shown(sellerId)} is not on this account's team; choose the owner or a team member.`,
});

// ─── Writes ───────────────────────────────────────────────────────────────────

/**
 * The write functions take the raw posted fields (`values`) and check them here, so the
 * forms, the API and CSV import share one set of rules and messages. Parse nothing before
 * calling them: the amount arrives in currency units and leaves as cents, exactly once.
 */

/** What only an integration sets: the deal's id in the CRM (undefined keeps it, null clears it). */
export interface OpportunitySyncOptions {
  externalId?: string | null;
}

/**
 * Creates an open deal on the account. Without a seller, the deal is the creator's if they
 * are on the team, otherwise the account owner's (an admin creating it for someone else).
 */
export async function createOpportunity(
  db: Database,
  accountId: string,
  values: unknown,
  creatorId: string,
  options: OpportunitySyncOptions = {},
): Promise<OpportunityWriteOutcome> {
  const parsed = opportunityInputSchema.safeParse(values);
  if (!parsed.success) return { status: "invalid", fieldErrors: fieldErrorsOf(parsed.error) };
  const input = parsed.data;
  return db.transaction(async (tx) => {
    const found = await getAccountTeam(tx, accountId);
    if (!found) return { status: "not_found" };
    const teamIds = found.team.map((member) => member.id);
    const sellerId = input.sellerId ?? (teamIds.includes(creatorId) ? creatorId : teamIds[0]!);
    if (!teamIds.includes(sellerId)) return { status: "invalid", fieldErrors: notOnTeam(sellerId) };
    const [opportunity] = await tx
      .insert(opportunities)
      .values({
        accountId,
        name: input.name,
        amountCents: input.amount,
        closeDate: input.closeDate ?? null,
        competitor: input.competitor ?? null,
        sellerId,
        externalId: options.externalId ?? null,
      })
      .returning();
    return { status: "saved", opportunity: opportunity! };
  });
}

/** What the 409 says when someone edits a closed deal. */
function closedMessage(deal: { outcome: string; closeDate: string | null }): string {
  const when = deal.closeDate ? ` on ${deal.closeDate}` : "";
  return `This deal closed as ${humanize(deal.outcome).toLowerCase()}${when}, so its facts can no longer be edited.`;
}

/**
 * Replaces an open deal's facts. A closed deal is refused: its amount and competitor are
 * part of what the seller's sealed reasons describe. Keeping the current seller is always
 * allowed, even if they have since left the team.
 */
export async function updateOpportunity(
  db: Database,
  opportunityId: string,
  values: unknown,
  options: OpportunitySyncOptions = {},
): Promise<OpportunityWriteOutcome> {
  return db.transaction(async (tx) => {
    // the row lock makes "still open?" and the write one decision against a concurrent close
    const [current] = await tx
      .select()
      .from(opportunities)
      .where(eq(opportunities.id, opportunityId))
      .for("update");
    if (!current) return { status: "not_found" };
    if (current.outcome !== "open" || current.sellerReasonsAt) {
      return { status: "conflict", message: closedMessage(current) };
    }
    const parsed = opportunityInputSchema.safeParse(values);
    if (!parsed.success) return { status: "invalid", fieldErrors: fieldErrorsOf(parsed.error) };
    const input = parsed.data;
    const sellerId = input.sellerId ?? current.sellerId;
    if (sellerId && sellerId !== current.sellerId) {
      const found = await getAccountTeam(tx, current.accountId);
      if (!found?.team.some((member) => member.id === sellerId)) {
        return { status: "invalid", fieldErrors: notOnTeam(sellerId) };
      }
    }
    const [opportunity] = await tx
      .update(opportunities)
      .set({
        name: input.name,
        amountCents: input.amount,
        closeDate: input.closeDate ?? null,
        competitor: input.competitor ?? null,
        sellerId,
        ...(options.externalId !== undefined ? { externalId: options.externalId } : {}),
        updatedAt: new Date(),
      })
      .where(eq(opportunities.id, opportunityId))
      .returning();
    return { status: "saved", opportunity: opportunity! };
  });
}

/** YYYY-MM-DD of `date` in UTC. */
function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

type CloseFacts = z.output<typeof closeFactsSchema>;
type SellerReasons = z.output<typeof sellerReasonsSchema>;

/** A close date from the form, or today; "future" when it is after today (a day's grace for timezones). */
function closeDayOf(closeDate: string | undefined, now: Date): { day: string; future: boolean } {
  const day = closeDate ?? isoDay(now);
  // a day's grace: the person closing may be a timezone ahead of the server's UTC "today"
  return { day, future: day > isoDay(new Date(now.getTime() + 86_400_000)) };
}

/** Why a close that could not be parsed (or is dated in the future) was refused. */
async function refusedClose(
  db: Database,
  opportunityId: string,
  fieldErrors: OpportunityFieldErrors,
): Promise<OpportunityWriteOutcome> {
  // on a closed deal, what was sent does not matter: nothing may be changed
  const state = await sealState(db, opportunityId);
  if (state === "missing") return { status: "not_found" };
  if (state !== "open") return { status: "conflict", message: closedConflict(state) };
  return { status: "invalid", fieldErrors };
}

/** The 409 for closing a deal that closed already without the seller's reasons. */
export const AWAITING_REASONS_MESSAGE =
  "This deal has already closed, without the seller's reasons: record them on its reasons page.";

function closedConflict(state: "awaiting_reasons" | "sealed"): string {
  return state === "awaiting_reasons" ? AWAITING_REASONS_MESSAGE : SEALED_MESSAGE;
}

const futureCloseDate = (day: string): OpportunityFieldErrors => ({
  closeDate: `Close date "${day}" is in the future; a deal closes on or before today.`,
});

/**
 * The close itself: one conditional UPDATE (so of two simultaneous closes exactly one wins)
 * and, in the same transaction, the deal's win/loss follow-up. Without `reasons` the deal
 * closes unsealed and its follow-up waits for the seller.
 */
async function writeClose(
  db: Database,
  opportunityId: string,
  facts: CloseFacts,
  closeDate: string,
  reasons: SellerReasons | null,
  now: Date,
): Promise<OpportunityWriteOutcome> {
  const closed = await db.transaction(async (tx) => {
    const [row] = await tx
      .update(opportunities)
      .set({
        outcome: facts.outcome,
        closeDate,
        closedAt: now,
        ...(facts.amount !== undefined ? { amountCents: facts.amount } : {}),
        ...(facts.competitor !== undefined ? { competitor: facts.competitor || null } : {}),
        ...(reasons ? sealedReasons(reasons, now) : {}),
        updatedAt: now,
      })
      .where(
        and(
          eq(opportunities.id, opportunityId),
          eq(opportunities.outcome, "open"),
          isNull(opportunities.sellerReasonsAt),
        ),
      )
      .returning();
    if (row) {
      await recordClosedDeals(tx, [row.id], now);
      await emitOpportunitiesClosed(tx, [row.id], now);
    }
    return row;
  });
  if (closed) {
    await startWebhookDelivery();
    return { status: "saved", opportunity: closed };
  }
  const state = await sealState(db, opportunityId);
  if (state === "missing") return { status: "not_found" };
  // "open" again: reopened between the update and this read (a CSV file); say it is taken
  return {
    status: "conflict",
    message: state === "awaiting_reasons" ? AWAITING_REASONS_MESSAGE : SEALED_MESSAGE,
  };
}

/**
 * Closes an open deal and seals the seller's reasons (sellerReasonsAt = now), recording its
 * win/loss follow-up. Of two simultaneous closes exactly one wins; the other, like any later
 * close, gets the sealed conflict and changes nothing.
 */
export async function closeOpportunity(
  db: Database,
  opportunityId: string,
  values: unknown,
  options: { now?: Date } = {},
): Promise<OpportunityWriteOutcome> {
  const now = options.now ?? new Date();
  const parsed = closeOpportunitySchema.safeParse(values);
  if (!parsed.success) return refusedClose(db, opportunityId, fieldErrorsOf(parsed.error));
  const { day, future } = closeDayOf(parsed.data.closeDate, now);
  if (future) return refusedClose(db, opportunityId, futureCloseDate(day));
  return writeClose(db, opportunityId, parsed.data, day, parsed.data, now);
}

/**
 * A close that arrives from outside (the API's CRM sync; CSV import writes its own rows and
 * calls `recordClosedDeals`): the outcome and final facts, and the seller's reasons only if
 * `primaryReason` is given. Without them the deal closes unsealed, its follow-up waits in
 * `waiting_for_seller`, and the seller is asked for the reasons (recordSellerReasons).
 */
export async function closeOpportunityFromSync(
  db: Database,
  opportunityId: string,
  values: unknown,
  options: { now?: Date } = {},
): Promise<OpportunityWriteOutcome> {
  const now = options.now ?? new Date();
  const checked = checkSyncClose(values, now);
  if (!checked.ok) return refusedClose(db, opportunityId, checked.fieldErrors);
  return writeClose(db, opportunityId, checked.facts, checked.day, checked.reasons, now);
}

/**
 * A sync close's values checked without touching the database: the API runs it before it
 * creates a deal that arrives already closed, so a bad close creates nothing either.
 */
export function checkSyncClose(values: unknown, now = new Date()) {
  const record = (values ?? {}) as Record<string, unknown>;
  const withReasons = blankToUndefined(record.primaryReason) !== undefined;
  const parsed = withReasons ? closeOpportunitySchema.safeParse(values) : null;
  const factsOnly = withReasons ? null : closeFactsSchema.safeParse(values);
  const failed =
    parsed?.success === false ? parsed.error : factsOnly?.success === false ? factsOnly.error : null;
  if (failed) return { ok: false as const, fieldErrors: fieldErrorsOf(failed) };
  const facts = parsed?.data ?? factsOnly!.data!;
  const { day, future } = closeDayOf(facts.closeDate, now);
  if (future) return { ok: false as const, fieldErrors: futureCloseDate(day) };
  return { ok: true as const, facts, day, reasons: parsed?.data ?? null };
}

/** The 409 for reasons asked of a deal that is still open. */
export const STILL_OPEN_MESSAGE =
  "This deal is still open: record the seller's reasons when you close it, on the deal page.";

/**
 * Seals the seller's reasons of a deal that closed without them (by CSV import or the API),
 * exactly as closing on the deal page does — one conditional UPDATE, so the first save wins
 * and the reasons never change after — and schedules the deal's win/loss follow-up, which
 * waited for them. Refused: an open deal (close it instead) and a deal already sealed.
 */
export async function recordSellerReasons(
  db: Database,
  opportunityId: string,
  values: unknown,
  options: { now?: Date } = {},
): Promise<OpportunityWriteOutcome> {
  const now = options.now ?? new Date();
  const parsed = sellerReasonsSchema.safeParse(values);
  if (!parsed.success) {
    const state = await sealState(db, opportunityId);
    if (state === "missing") return { status: "not_found" };
    if (state === "sealed") return { status: "conflict", message: SEALED_MESSAGE };
    if (state === "open") return { status: "conflict", message: STILL_OPEN_MESSAGE };
    return { status: "invalid", fieldErrors: fieldErrorsOf(parsed.error) };
  }
  const reasons = parsed.data;
  const sealed = await db.transaction(async (tx) => {
    const [row] = await tx
      .update(opportunities)
      .set({ ...sealedReasons(reasons, now), updatedAt: now })
      .where(
        and(
          eq(opportunities.id, opportunityId),
          ne(opportunities.outcome, "open"),
          isNull(opportunities.sellerReasonsAt),
        ),
      )
      .returning();
    if (row) await scheduleAfterSellerReasons(tx, row.id, now);
    return row;
  });
  if (sealed) return { status: "saved", opportunity: sealed };
  const state = await sealState(db, opportunityId);
  if (state === "missing") return { status: "not_found" };
  return { status: "conflict", message: state === "open" ? STILL_OPEN_MESSAGE : SEALED_MESSAGE };
}

/**
 * "open": may be closed; "awaiting_reasons": closed without the seller's reasons (they may
 * still be recorded); "sealed": the reasons are in and nothing changes any more.
 */
/** The columns that record the seller's reasons and seal them (`seller_reasons_at`). */
function sealedReasons(
  reasons: { primaryReason: DecisionReason; secondaryReasons: DecisionReason[]; reasonNote?: string },
  now: Date,
) {
  return {
    sellerPrimaryReason: reasons.primaryReason,
    sellerSecondaryReasons: reasons.secondaryReasons,
    sellerReasonNote: reasons.reasonNote ?? null,
    sellerReasonsAt: now,
  };
}

async function sealState(
  db: Database,
  opportunityId: string,
): Promise<"missing" | "open" | "awaiting_reasons" | "sealed"> {
  const [row] = await db
    .select({ outcome: opportunities.outcome, sellerReasonsAt: opportunities.sellerReasonsAt })
    .from(opportunities)
    .where(eq(opportunities.id, opportunityId));
  if (!row) return "missing";
  if (row.sellerReasonsAt) return "sealed";
  return row.outcome === "open" ? "open" : "awaiting_reasons";
}

// ─── Reads ────────────────────────────────────────────────────────────────────

/** The account a deal belongs to (for the access check), or null when there is no such deal. */
export async function accountIdOfOpportunity(db: Database, opportunityId: string): Promise<string | null> {
  const [row] = await db
    .select({ accountId: opportunities.accountId })
    .from(opportunities)
    .where(eq(opportunities.id, opportunityId));
  return row?.accountId ?? null;
}

/** A deal with its account's name and its seller's name; null when there is no such deal. */
export async function getOpportunity(db: Database, opportunityId: string) {
  const [row] = await db
    .select({
      id: opportunities.id,
      accountId: opportunities.accountId,
      accountName: accounts.name,
      name: opportunities.name,
      amountCents: opportunities.amountCents,
      closeDate: opportunities.closeDate,
      outcome: opportunities.outcome,
      competitor: opportunities.competitor,
      sellerId: opportunities.sellerId,
      sellerName: users.name,
      sellerPrimaryReason: opportunities.sellerPrimaryReason,
      sellerSecondaryReasons: opportunities.sellerSecondaryReasons,
      sellerReasonNote: opportunities.sellerReasonNote,
      sellerReasonsAt: opportunities.sellerReasonsAt,
      closedAt: opportunities.closedAt,
      createdAt: opportunities.createdAt,
    })
    .from(opportunities)
    .innerJoin(accounts, eq(accounts.id, opportunities.accountId))
    .leftJoin(users, eq(users.id, opportunities.sellerId))
    .where(eq(opportunities.id, opportunityId));
  return row ?? null;
}

/**
 * The buyer's side so far: responses linked to the deal (win/loss surveys and interviews),
 * finished ones first, newest first.
 */
export async function listOpportunityResponses(db: Database, opportunityId: string) {
  return db
    .select({
      id: responses.id,
      surveyTitle: surveyDefinitions.title,
      contactId: responses.contactId,
      contactName: contacts.name,
      source: responses.source,
      isComplete: responses.isComplete,
      completedAt: responses.completedAt,
    })
    .from(responses)
    .innerJoin(surveyVersions, eq(surveyVersions.id, responses.surveyVersionId))
    .innerJoin(surveyDefinitions, eq(surveyDefinitions.id, surveyVersions.definitionId))
    .leftJoin(contacts, eq(contacts.id, responses.contactId))
    .where(eq(responses.opportunityId, opportunityId))
    .orderBy(sql`${responses.completedAt} desc nulls last`, desc(responses.startedAt))
    .limit(100);
}

/** An account's deals: open ones by expected close date, then closed ones, most recent first. */
export async function listAccountOpportunities(db: Database, accountId: string) {
  return db
    .select({
      id: opportunities.id,
      name: opportunities.name,
      amountCents: opportunities.amountCents,
      closeDate: opportunities.closeDate,
      outcome: opportunities.outcome,
      competitor: opportunities.competitor,
      sellerName: users.name,
      closedAt: opportunities.closedAt,
    })
    .from(opportunities)
    .leftJoin(users, eq(users.id, opportunities.sellerId))
    .where(eq(opportunities.accountId, accountId))
    .orderBy(
      sql`case when ${opportunities.outcome} = 'open' then 0 else 1 end`,
      sql`case when ${opportunities.outcome} = 'open' then ${opportunities.closeDate} end asc nulls last`,
      sql`${opportunities.closedAt} desc nulls last`,
      asc(opportunities.name),
      asc(opportunities.id),
    );
}
