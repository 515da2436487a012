import { and, asc, eq, inArray, isNull, or, sql } from "drizzle-orm";
import { z } from "zod";
import {
  accountMembers,
  accounts,
  contacts,
  interactionContacts,
  interactions,
  interactionUsers,
  users,
  type Interaction,
  type UserRole,
} from "../../db/schema";
import type { Database, Transaction } from "../lib/db.server";
import { canAccessAccount } from "./access";
import { visibleAccounts } from "./accounts.server";
import { queueHealthRefresh } from "./health-rollups.server";
import {
  defaultEquity,
  isOverdue,
  LOGGABLE_KINDS,
  isTwoWay,
  type CommitmentStatus,
  type EquityEffect,
  type InteractionKind,
} from "./ledger";

/** Who is logging or resolving: the signed-in user. */
export interface Actor {
  id: string;
  role: UserRole;
}

export const SUMMARY_MAX_LENGTH = 2000;
/** How far ahead an interaction may be dated: a day covers any time zone and a meeting later today. */
export const MAX_FUTURE_MS = 24 * 60 * 60 * 1000;
/** Accounts offered in the /log account picker; beyond this, log from the account's own page. */
export const EDITABLE_ACCOUNTS_LIMIT = 500;

/** Kinds that say something went wrong or right beyond routine contact: the ledger needs the story. */
export const KINDS_NEEDING_SUMMARY: readonly InteractionKind[] = [
  "mistake",
  "escalation",
  "favour",
  "commitment",
];

const uuid = z.string().uuid();

// ─── Who may log where, and with whom ─────────────────────────────────────────

/**
 * The accounts `user` may log interactions on, by name: admins all, managers the ones they
 * own or are on the team of, leaders none (they edit nothing operational).
 */
export async function listEditableAccounts(
  db: Database,
  user: Actor,
): Promise<{ accounts: { id: string; name: string }[]; more: boolean }> {
  if (user.role === "leader") return { accounts: [], more: false };
  const rows = await db
    .select({ id: accounts.id, name: accounts.name })
    .from(accounts)
    .where(user.role === "admin" ? undefined : visibleAccounts(user, db))
    .orderBy(asc(sql`lower(${accounts.name})`), asc(accounts.id))
    .limit(EDITABLE_ACCOUNTS_LIMIT + 1);
  return { accounts: rows.slice(0, EDITABLE_ACCOUNTS_LIMIT), more: rows.length > EDITABLE_ACCOUNTS_LIMIT };
}

export interface AccountParticipants {
  account: { id: string; name: string };
  contacts: { id: string; name: string; title: string | null }[];
  /** The account team (owner first, then members by name), plus the actor when they are not on it. */
  colleagues: { id: string; name: string; isOwner: boolean }[];
}

/**
 * Who can take part in an interaction on this account: its contacts, and the account team
 * (active users only). An admin logging on an account whose team they are not on is added
 * as a colleague: they were there. Null when there is no such account.
 */
export async function participantsForAccount(
  db: Database | Transaction,
  accountId: string,
  actor?: { id: string; name: string },
): Promise<AccountParticipants | null> {
  if (!uuid.safeParse(accountId).success) return null;
  const [account] = await db
    .select({ id: accounts.id, name: accounts.name, ownerId: accounts.ownerId })
    .from(accounts)
    .where(eq(accounts.id, accountId));
  if (!account) return null;
  const [contactRows, team] = await Promise.all([
    db
      .select({ id: contacts.id, name: contacts.name, title: contacts.title })
      .from(contacts)
      .where(eq(contacts.accountId, accountId))
      .orderBy(asc(contacts.name), asc(contacts.id)),
    db
      .select({ id: users.id, name: users.name })
      .from(users)
      .where(
        and(
          isNull(users.deactivatedAt),
          or(
            eq(users.id, account.ownerId),
            inArray(
              users.id,
              db
                .select({ id: accountMembers.userId })
                .from(accountMembers)
                .where(eq(accountMembers.accountId, accountId)),
            ),
          ),
        ),
      )
      .orderBy(asc(users.name), asc(users.id)),
  ]);
  const colleagues = team
    .map((u) => ({ ...u, isOwner: u.id === account.ownerId }))
    .sort((a, b) => Number(b.isOwner) - Number(a.isOwner));
  if (actor && !colleagues.some((c) => c.id === actor.id)) {
    colleagues.push({ id: actor.id, name: actor.name, isOwner: false });
  }
  return { account: { id: account.id, name: account.name }, contacts: contactRows, colleagues };
}

// ─── The log form's input ─────────────────────────────────────────────────────

const text = (value: unknown) => (value === undefined || value === null ? "" : String(value));
const blankToUndefined = (value: unknown) => (text(value).trim() === "" ? undefined : text(value).trim());
const list = (value: unknown) =>
  value === undefined || value === null ? [] : Array.isArray(value) ? value.map(text) : [text(value)];

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?$/;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A `datetime-local` value ("2026-03-04T14:30") as an instant. The browser sends wall-clock
 * time without a zone, so it is read as UTC unless `tzOffsetMinutes` says otherwise (the
 * form's script sends `Date#getTimezoneOffset()`: UTC minus local, so UTC+2 is −120).
 * Without the script the form shows and sends UTC, so the two always agree. Null when the
 * value is not a real date and time (2026-02-30 is refused, not rolled over).
 */
export function parseLocalDateTime(value: string, tzOffsetMinutes = 0): Date | null {
  const m = LOCAL_DATE_TIME.exec(value.trim());
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map((part) => Number(part ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const utc = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(utc);
  if (
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  )
    return null;
  return new Date(utc + tzOffsetMinutes * 60_000);
}

function isRealDate(value: string): boolean {
  const m = DATE_ONLY.exec(value);
  if (!m) return false;
  const [year, month, day] = m.slice(1, 4).map(Number) as [number, number, number];
  const check = new Date(Date.UTC(year, month - 1, day));
  return check.getUTCFullYear() === year && check.getUTCMonth() === month - 1 && check.getUTCDate() === day;
}

const optionalInteger = (what: string, min: number, max: number) =>
  z.preprocess(
    blankToUndefined,
    z
      .string()
      .optional()
      .transform((raw, ctx) => {
        if (raw === undefined) return undefined;
        const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
        if (!Number.isInteger(n) || n < min || n > max) {
          ctx.addIssue({
            code: z.ZodIssueCode.custom,
            message: `${what} is ${min} to ${max}; “${raw}” is not.`,
          });
          return z.NEVER;
        }
        return n;
      }),
  );

const participantIds = z.preprocess(
  list,
  z
    .array(z.string().trim())
    .max(200, "Tick at most 200 participants.")
    .transform((ids, ctx) => {
      const bad = ids.find((id) => !uuid.safeParse(id).success);
      if (bad !== undefined) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: `Participant “${bad}” is not someone on this account. Reload the page and tick them again.`,
        });
        return z.NEVER;
      }
      return [...new Set(ids.map((id) => id.toLowerCase()))];
    }),
);

/**
 * The log form as posted (every value a string; `contactIds` and `userIds` repeated).
 * Shapes only; the rules that need the clock or the database live in `interactionRuleErrors`
 * and `logInteraction`. Messages name the field and, when there was one, the refused value.
 */
export const interactionFormSchema = z
  .object({
    accountId: z.preprocess(text, z.string().trim().uuid("Choose an account.")),
    kind: z.preprocess(
      text,
      z.enum(LOGGABLE_KINDS, {
        errorMap: (_issue, ctx) => ({
          message:
            ctx.data === ""
              ? "Choose what kind of interaction this was."
              : `“${String(ctx.data)}” is not a kind of interaction; choose one of ${LOGGABLE_KINDS.join(", ")}.`,
        }),
      }),
    ),
    occurredAt: z.preprocess(text, z.string().trim().min(1, "Enter when it happened.")),
    // minutes, as Date#getTimezoneOffset() gives them; absent means UTC
    tzOffset: z.preprocess(
      blankToUndefined,
      z
        .string()
        .regex(/^[-+]?\d{1,3}$/, "The time zone offset must be whole minutes.")
        .transform(Number)
        .refine((n) => Math.abs(n) <= 840, "The time zone offset must be within ±14 hours.")
        .optional(),
    ),
    contactIds: participantIds,
    userIds: participantIds,
    summary: z.preprocess(
      text,
      z
        .string()
        .trim()
        .max(SUMMARY_MAX_LENGTH, `The summary must be at most ${SUMMARY_MAX_LENGTH} characters.`),
    ),
    engagementQuality: optionalInteger("Engagement quality", 1, 5),
    equityEffect: z.preprocess(
      blankToUndefined,
      z
        .enum(["deposit", "neutral", "withdrawal"], {
          errorMap: (_issue, ctx) => ({
            message: `“${String(ctx.data)}” is not an equity effect; choose deposit, neutral or withdrawal.`,
          }),
        })
        .optional(),
    ),
    equityWeight: optionalInteger("The weight", 1, 3),
    dueOn: z.preprocess(
      blankToUndefined,
      z
        .string()
        .refine(isRealDate, (raw) => ({
          message: `The due date must be a date such as 2026-05-31; “${raw}” is not.`,
        }))
        .optional(),
    ),
  })
  .transform((form, ctx) => {
    const occurredAt = parseLocalDateTime(form.occurredAt, form.tzOffset ?? 0);
    if (!occurredAt) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["occurredAt"],
        message: `Enter the date and time it happened, such as 2026-03-04T14:30; “${form.occurredAt}” is not one.`,
      });
      return z.NEVER;
    }
    const { tzOffset: _zone, ...rest } = form;
    return { ...rest, occurredAt } satisfies InteractionInput;
  });

export interface InteractionInput {
  accountId: string;
  kind: InteractionKind;
  occurredAt: Date;
  contactIds: string[];
  userIds: string[];
  summary: string;
  engagementQuality?: number;
  equityEffect?: EquityEffect;
  equityWeight?: number;
  /** YYYY-MM-DD; required for a commitment, ignored otherwise. */
  dueOn?: string;
}

export type InteractionField =
  | "accountId"
  | "kind"
  | "occurredAt"
  | "participants"
  | "summary"
  | "engagementQuality"
  | "equityEffect"
  | "equityWeight"
  | "dueOn";
export type InteractionFieldErrors = Partial<Record<InteractionField, string>>;

/** The first message per form field; both participant lists answer to "participants". */
export function interactionFieldErrors(error: z.ZodError): InteractionFieldErrors {
  const errors: InteractionFieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path[0];
    const field = (
      key === "contactIds" || key === "userIds" ? "participants" : key === "tzOffset" ? "occurredAt" : key
    ) as InteractionField | undefined;
    if (field && !errors[field]) errors[field] = issue.message;
  }
  return errors;
}

const SUMMARY_PROMPTS: Partial<Record<InteractionKind, string>> = {
  mistake: "Say what went wrong: a mistake needs a summary.",
  escalation: "Say what the customer escalated: an escalation needs a summary.",
  favour: "Say what you did for them: a favour needs a summary.",
  commitment: "Say what was promised: a commitment needs a summary.",
};

/** The rules that need the clock: when it happened, what it needs written down, when it is due. */
export function interactionRuleErrors(input: InteractionInput, now: Date): InteractionFieldErrors {
  const errors: InteractionFieldErrors = {};
  if (input.occurredAt.getTime() > now.getTime() + MAX_FUTURE_MS) {
    errors.occurredAt = `That is more than a day from now (${input.occurredAt.toISOString().slice(0, 16).replace("T", " ")} UTC). Log what happened, not what is planned.`;
  }
  if (KINDS_NEEDING_SUMMARY.includes(input.kind) && input.summary.trim() === "") {
    errors.summary = SUMMARY_PROMPTS[input.kind];
  }
  if (input.kind === "commitment") {
    if (!input.dueOn) errors.dueOn = "A commitment needs a due date: when did we promise it by?";
    else if (input.dueOn < input.occurredAt.toISOString().slice(0, 10)) {
      errors.dueOn = `The due date ${input.dueOn} is before the day the promise was made.`;
    }
  }
  return errors;
}

/**
 * What an entry deposits or withdraws: what the person logging chose, else the kind's
 * default (a favour deposits, a mistake withdraws). A commitment moves nothing while open,
 * whatever was posted; it counts once kept or broken. Neutral carries weight 1 so the
 * column never holds a meaningless weight.
 */
export function equityFor(input: Pick<InteractionInput, "kind" | "equityEffect" | "equityWeight">): {
  equityEffect: EquityEffect;
  equityWeight: number;
} {
  if (input.kind === "commitment") return defaultEquity("commitment", "open");
  const defaults = defaultEquity(input.kind);
  const equityEffect = input.equityEffect ?? defaults.equityEffect;
  if (equityEffect === "neutral") return { equityEffect, equityWeight: 1 };
  const equityWeight =
    input.equityWeight ?? (equityEffect === defaults.equityEffect ? defaults.equityWeight : 1);
  return { equityEffect, equityWeight };
}

// ─── Logging ──────────────────────────────────────────────────────────────────

export type LogInteractionResult =
  | { status: "logged"; interaction: Interaction; contactIds: string[]; userIds: string[] }
  | { status: "invalid"; fieldErrors: InteractionFieldErrors }
  | { status: "forbidden" }
  | { status: "not_found" };

/** The account's owner and whether `actor` is on its team, locked so the team cannot change mid-write. */
async function accountAccessRow(tx: Transaction, accountId: string, actorId: string) {
  const [row] = await tx
    .select({
      ownerId: accounts.ownerId,
      isMember: sql<boolean>`exists (select 1 from ${accountMembers} where ${accountMembers.accountId} = ${accounts.id} and ${accountMembers.userId} = ${actorId})`,
    })
    .from(accounts)
    .where(eq(accounts.id, accountId))
    .for("share");
  return row ?? null;
}

/**
 * Logs an interaction and its participants in one transaction: nothing is half-saved.
 * Contacts must be the account's; colleagues must be on the account team (or be the actor).
 * The route has already checked edit access; it is checked again here so no caller can skip it.
 */
export async function logInteraction(
  db: Database,
  actor: Actor,
  input: InteractionInput,
  now: Date = new Date(),
): Promise<LogInteractionResult> {
  if (actor.role === "leader") return { status: "forbidden" };
  if (!uuid.safeParse(input.accountId).success) return { status: "not_found" };
  const ruleErrors = interactionRuleErrors(input, now);
  if (Object.keys(ruleErrors).length > 0) return { status: "invalid", fieldErrors: ruleErrors };
  const contactIds = [...new Set(input.contactIds)];
  const userIds = [...new Set(input.userIds)];

  const result = await db.transaction(async (tx): Promise<LogInteractionResult> => {
    const access = await accountAccessRow(tx, input.accountId, actor.id);
    if (!access) return { status: "not_found" };
    if (!canAccessAccount(actor, access, "edit")) return { status: "forbidden" };

    if (contactIds.length > 0) {
      const found = await tx
        .select({ id: contacts.id })
        .from(contacts)
        .where(and(eq(contacts.accountId, input.accountId), inArray(contacts.id, contactIds)))
        .for("share");
      if (found.length !== contactIds.length) {
        return {
          status: "invalid",
          fieldErrors: {
            participants:
              "One of the contacts ticked is not in this account’s buying group. Reload the page and tick them again.",
          },
        };
      }
    }
    if (userIds.length > 0) {
      const members = await tx
        .select({ userId: accountMembers.userId })
        .from(accountMembers)
        .where(and(eq(accountMembers.accountId, input.accountId), inArray(accountMembers.userId, userIds)));
      const team = new Set([access.ownerId, actor.id, ...members.map((m) => m.userId)]);
      if (userIds.some((id) => !team.has(id))) {
        return {
          status: "invalid",
          fieldErrors: {
            participants:
              "One of the colleagues ticked is not on this account’s team. Reload the page and tick them again.",
          },
        };
      }
    }

    const [interaction] = await tx
      .insert(interactions)
      .values({
        accountId: input.accountId,
        authorId: actor.id,
        kind: input.kind,
        occurredAt: input.occurredAt,
        summary: input.summary.trim(),
        // engagement quality describes two-way contact only (docs/ledger.md)
        engagementQuality: isTwoWay(input.kind) ? (input.engagementQuality ?? null) : null,
        ...equityFor(input),
        dueOn: input.kind === "commitment" ? (input.dueOn ?? null) : null,
        commitmentStatus: input.kind === "commitment" ? "open" : null,
      })
      .returning();
    if (contactIds.length > 0) {
      await tx
        .insert(interactionContacts)
        .values(contactIds.map((contactId) => ({ interactionId: interaction!.id, contactId })));
    }
    if (userIds.length > 0) {
      await tx
        .insert(interactionUsers)
        .values(userIds.map((userId) => ({ interactionId: interaction!.id, userId })));
    }
    return { status: "logged", interaction: interaction!, contactIds, userIds };
  });
  // after the commit: the ledger view of the rollups (docs/health-model.md, "Rollups")
  if (result.status === "logged") await queueHealthRefresh(result.interaction.accountId);
  return result;
}

// ─── Commitments ──────────────────────────────────────────────────────────────

/** The account an interaction belongs to (for the access check), or null when there is none. */
export async function accountIdOfInteraction(db: Database, interactionId: string): Promise<string | null> {
  if (!uuid.safeParse(interactionId).success) return null;
  const [row] = await db
    .select({ accountId: interactions.accountId })
    .from(interactions)
    .where(eq(interactions.id, interactionId));
  return row?.accountId ?? null;
}

export type ResolveCommitmentResult =
  | { status: "resolved"; interaction: Interaction }
  | { status: "already_resolved"; commitmentStatus: CommitmentStatus; resolvedAt: Date | null }
  | { status: "not_a_commitment"; kind: InteractionKind }
  | { status: "forbidden" }
  | { status: "not_found" };

/**
 * Marks an open commitment kept (a deposit) or broken (a withdrawal), effective now. Only
 * an open commitment can be resolved, once: the row is locked, so two people pressing
 * "kept" at the same moment resolve it once and the second is told it already was.
 */
export async function resolveCommitment(
  db: Database,
  actor: Actor,
  interactionId: string,
  status: "kept" | "broken",
  now: Date = new Date(),
): Promise<ResolveCommitmentResult> {
  if (actor.role === "leader") return { status: "forbidden" };
  if (!uuid.safeParse(interactionId).success) return { status: "not_found" };
  const result = await db.transaction(async (tx): Promise<ResolveCommitmentResult> => {
    const [current] = await tx
      .select({
        accountId: interactions.accountId,
        kind: interactions.kind,
        commitmentStatus: interactions.commitmentStatus,
        commitmentResolvedAt: interactions.commitmentResolvedAt,
      })
      .from(interactions)
      .where(eq(interactions.id, interactionId))
      .for("update");
    if (!current) return { status: "not_found" };
    const access = await accountAccessRow(tx, current.accountId, actor.id);
    if (!access || !canAccessAccount(actor, access, "edit")) return { status: "forbidden" };
    if (current.kind !== "commitment") return { status: "not_a_commitment", kind: current.kind };
    // a commitment imported without a status has never been resolved: it counts as open
    if (current.commitmentStatus && current.commitmentStatus !== "open") {
      return {
        status: "already_resolved",
        commitmentStatus: current.commitmentStatus,
        resolvedAt: current.commitmentResolvedAt,
      };
    }
    const [updated] = await tx
      .update(interactions)
      .set({
        commitmentStatus: status,
        commitmentResolvedAt: now,
        ...defaultEquity("commitment", status),
        updatedAt: now,
      })
      .where(eq(interactions.id, interactionId))
      .returning();
    return { status: "resolved", interaction: updated! };
  });
  if (result.status === "resolved") await queueHealthRefresh(result.interaction.accountId);
  return result;
}

/** An account's open commitments, soonest due first, each flagged when overdue on `today`. */
export async function listOpenCommitments(db: Database, accountId: string, today: Date = new Date()) {
  if (!uuid.safeParse(accountId).success) return [];
  const rows = await db
    .select({
      id: interactions.id,
      kind: interactions.kind,
      summary: interactions.summary,
      occurredAt: interactions.occurredAt,
      dueOn: interactions.dueOn,
      commitmentStatus: interactions.commitmentStatus,
      authorName: users.name,
    })
    .from(interactions)
    .leftJoin(users, eq(users.id, interactions.authorId))
    .where(
      and(
        eq(interactions.accountId, accountId),
        eq(interactions.kind, "commitment"),
        or(eq(interactions.commitmentStatus, "open"), isNull(interactions.commitmentStatus)),
      ),
    )
    .orderBy(sql`${interactions.dueOn} asc nulls last`, asc(interactions.occurredAt))
    .limit(100);
  return rows.map(({ commitmentStatus, ...row }) => ({
    ...row,
    overdue: isOverdue({ ...row, commitmentStatus: commitmentStatus ?? "open" }, today),
  }));
}
