import { and, asc, count, desc, eq, exists, ilike, inArray, isNull, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import {
  accountMembers,
  accounts,
  cases,
  contacts,
  lifecycleStage,
  segment,
  tier,
  users,
} from "../../db/schema";
import type { Database, Transaction } from "../lib/db.server";
import { humanize } from "../lib/format";
import { seesAllAccounts } from "./access";
import { firstErrorPerField } from "./field-errors";
import { queueHealthRefresh } from "./health-rollups.server";
import { DEFAULT_TARGET_CADENCE_DAYS } from "./ledger";

export interface Viewer {
  id: string;
  role: "admin" | "leader" | "manager";
}

export const ACCOUNTS_PAGE_SIZE = 25;

/** The facts shown wherever an account is listed or headed (joined with its owner). */
const accountSummaryColumns = {
  id: accounts.id,
  name: accounts.name,
  segment: accounts.segment,
  region: accounts.region,
  tier: accounts.tier,
  lifecycleStage: accounts.lifecycleStage,
  annualValueCents: accounts.annualValueCents,
  ownerId: accounts.ownerId,
  ownerName: users.name,
};

/** Managers see the accounts they own or are on the team of; leaders and admins see all. */
export function visibleAccounts(viewer: Viewer, db: Database): SQL | undefined {
  if (seesAllAccounts(viewer.role)) return undefined;
  return or(
    eq(accounts.ownerId, viewer.id),
    exists(
      db
        .select({ one: sql`1` })
        .from(accountMembers)
        .where(and(eq(accountMembers.accountId, accounts.id), eq(accountMembers.userId, viewer.id))),
    ),
  );
}

// ─── The account list ─────────────────────────────────────────────────────────

export const ACCOUNT_SORT_KEYS = ["name", "value", "owner", "stage"] as const;
export type AccountSortKey = (typeof ACCOUNT_SORT_KEYS)[number];
export type SortDirection = "asc" | "desc";

/**
 * What the list may be narrowed and ordered by. Values arrive from the URL, so anything
 * unknown is dropped rather than refused: a stale bookmark shows the list, not an error.
 */
export interface AccountListOptions {
  search?: string;
  page?: number | string;
  owner?: string;
  segment?: string;
  region?: string;
  tier?: string;
  stage?: string;
  sort?: string;
  dir?: string;
}

const blankToUndefined = (value: unknown) =>
  typeof value === "string" && value.trim() === "" ? undefined : value;
const optionalFilter = <T extends z.ZodTypeAny>(schema: T) =>
  z.preprocess(blankToUndefined, schema.optional()).catch(undefined);

export const accountListOptionsSchema = z
  .object({
    search: optionalFilter(z.string().trim().max(200)),
    page: z.coerce.number().int().min(1).max(100_000).catch(1),
    owner: optionalFilter(z.string().uuid()),
    segment: optionalFilter(z.enum(segment.enumValues)),
    region: optionalFilter(z.string().trim().max(200)),
    tier: optionalFilter(z.enum(tier.enumValues)),
    stage: optionalFilter(z.enum(lifecycleStage.enumValues)),
    sort: z.unknown(),
    dir: z.unknown(),
  })
  .transform(({ sort, dir, ...filters }) => {
    // An unknown column falls back to the default order as a whole (name, A→Z).
    const known = ACCOUNT_SORT_KEYS.find((key) => key === sort);
    const direction: SortDirection = known && dir === "desc" ? "desc" : "asc";
    return { ...filters, sort: known ?? ("name" as AccountSortKey), dir: direction };
  });
export type AccountListQuery = z.output<typeof accountListOptionsSchema>;

export async function listAccounts(db: Database, viewer: Viewer, options: AccountListOptions = {}) {
  const query = accountListOptionsSchema.parse(options);
  const { page, search } = query;
  const where = and(
    visibleAccounts(viewer, db),
    search ? ilike(accounts.name, `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`) : undefined,
    query.owner ? eq(accounts.ownerId, query.owner) : undefined,
    query.segment ? eq(accounts.segment, query.segment) : undefined,
    query.region ? eq(accounts.region, query.region) : undefined,
    query.tier ? eq(accounts.tier, query.tier) : undefined,
    query.stage ? eq(accounts.lifecycleStage, query.stage) : undefined,
  );
  const direction = query.dir === "desc" ? desc : asc;
  const byName = sql`lower(${accounts.name})`;
  // lifecycle_stage is a Postgres enum, so it sorts in journey order (onboarding → churned)
  const primary = {
    name: byName,
    value: accounts.annualValueCents,
    owner: sql`lower(${users.name})`,
    stage: accounts.lifecycleStage,
  }[query.sort];
  // ties break by name, then id, so a page boundary never shows a row twice
  const order = query.sort === "name" ? [direction(byName)] : [direction(primary), asc(byName)];
  const [rows, [total]] = await Promise.all([
    db
      .select(accountSummaryColumns)
      .from(accounts)
      .innerJoin(users, eq(users.id, accounts.ownerId))
      .where(where)
      .orderBy(...order, asc(accounts.id))
      .limit(ACCOUNTS_PAGE_SIZE)
      .offset((page - 1) * ACCOUNTS_PAGE_SIZE),
    db.select({ n: count() }).from(accounts).where(where),
  ]);
  return { rows, total: total?.n ?? 0, page, pageSize: ACCOUNTS_PAGE_SIZE };
}

/**
 * Choices for the list's filters, drawn from what the viewer can see: a manager is not
 * offered owners or regions that would only ever return nothing.
 */
export async function listAccountFilterOptions(db: Database, viewer: Viewer) {
  const where = visibleAccounts(viewer, db);
  const [owners, regions] = await Promise.all([
    db
      .selectDistinct({ id: users.id, name: users.name })
      .from(accounts)
      .innerJoin(users, eq(users.id, accounts.ownerId))
      .where(where)
      .orderBy(users.name, users.id),
    db.selectDistinct({ region: accounts.region }).from(accounts).where(where).orderBy(accounts.region),
  ]);
  return {
    owners,
    regions: regions.map((r) => r.region),
    segments: segment.enumValues,
    tiers: tier.enumValues,
    stages: lifecycleStage.enumValues,
  };
}

export async function getAccountOverview(db: Database, accountId: string) {
  const [account] = await db
    .select({ ...accountSummaryColumns, ownerEmail: users.email })
    .from(accounts)
    .innerJoin(users, eq(users.id, accounts.ownerId))
    .where(eq(accounts.id, accountId))
    .limit(1);
  if (!account) return null;
  const [contactRows, team] = await Promise.all([
    db
      .select({
        id: contacts.id,
        name: contacts.name,
        title: contacts.title,
        email: contacts.email,
        buyingRole: contacts.buyingRole,
        optedOutAt: contacts.optedOutAt,
      })
      .from(contacts)
      .where(eq(contacts.accountId, accountId))
      .orderBy(asc(contacts.name)),
    db
      .select({ id: users.id, name: users.name, email: users.email })
      .from(accountMembers)
      .innerJoin(users, eq(users.id, accountMembers.userId))
      .where(eq(accountMembers.accountId, accountId))
      .orderBy(asc(users.name)),
  ]);
  return { account, contacts: contactRows, team };
}

/** Headline counts for the dashboard, over the accounts the viewer may see. */
export async function getWorkspaceCounts(db: Database, viewer: Viewer) {
  const where = visibleAccounts(viewer, db);
  const [[accountCount], [openCases]] = await Promise.all([
    db.select({ n: count() }).from(accounts).where(where),
    db
      .select({ n: count() })
      .from(cases)
      .innerJoin(accounts, eq(accounts.id, cases.accountId))
      .where(and(where, sql`${cases.status} <> 'resolved'`)),
  ]);
  return { accounts: accountCount?.n ?? 0, openCases: openCases?.n ?? 0 };
}

// ─── Creating and editing accounts ────────────────────────────────────────────

export const MAX_ANNUAL_VALUE = 1_000_000_000_000;
export { DEFAULT_TARGET_CADENCE_DAYS };
const MAX_TEAM_SIZE = 200;

const uuidSchema = z.string().uuid();
const isUuidText = (value: string) => uuidSchema.safeParse(value).success;
// a refused value is echoed in the message, but never a whole pasted page of it
const shown = (value: string) => (value.length > 40 ? `${value.slice(0, 40)}…` : value);
const text = (value: unknown) => (value === undefined || value === null ? "" : String(value));
const choiceOf = (what: string, values: readonly string[]) =>
  z.preprocess(
    text,
    z.enum(values as [string, ...string[]], {
      errorMap: (_issue, ctx) => ({
        message:
          ctx.data === ""
            ? `Choose a ${what}.`
            : `“${shown(String(ctx.data))}” is not a ${what}; choose one of ${values.map(humanize).join(", ")}.`,
      }),
    }),
  );

/**
 * The account form as posted (every value a string; `memberIds` repeated). Messages name
 * the field and, when there was one, the value that was refused.
 */
export const accountInputSchema = z.object({
  name: z.preprocess(
    text,
    z
      .string()
      .trim()
      .min(1, "Enter the account’s name.")
      .max(200, "The name must be at most 200 characters."),
  ),
  segment: choiceOf("segment", segment.enumValues) as z.ZodType<(typeof segment.enumValues)[number]>,
  region: z.preprocess(
    text,
    z
      .string()
      .trim()
      .min(1, "Enter a region, such as EMEA or North America.")
      .max(100, "The region must be at most 100 characters."),
  ),
  tier: choiceOf("tier", tier.enumValues) as z.ZodType<(typeof tier.enumValues)[number]>,
  lifecycleStage: choiceOf("lifecycle stage", lifecycleStage.enumValues) as z.ZodType<
    (typeof lifecycleStage.enumValues)[number]
  >,
  /** Whole currency units as typed ("120,000" is fine); stored as cents. */
  annualValue: z.preprocess(text, z.string()).transform((raw, ctx) => {
    const cleaned = raw.replace(/[\s,_]/g, "");
    const fail = (message: string) => {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message });
      return z.NEVER;
    };
    if (cleaned === "") return fail("Enter the annual value in whole dollars (0 if it is not known).");
    if (!/^[-+]?\d+(\.\d+)?$/.test(cleaned))
      return fail(`Annual value must be a number of whole dollars, such as 120000; “${shown(raw)}” is not.`);
    const value = Number(cleaned);
    if (value < 0) return fail(`Annual value cannot be negative; you entered ${shown(raw)}.`);
    if (!Number.isInteger(value))
      return fail(`Annual value is in whole dollars, without cents; you entered ${shown(raw)}.`);
    if (value > MAX_ANNUAL_VALUE) return fail("Annual value must be at most 1,000,000,000,000.");
    return value;
  }),
  targetCadenceDays: z.preprocess(text, z.string()).transform((raw, ctx) => {
    const cleaned = raw.trim();
    if (cleaned === "") return DEFAULT_TARGET_CADENCE_DAYS;
    const days = /^\d+$/.test(cleaned) ? Number(cleaned) : NaN;
    if (!Number.isInteger(days) || days < 1 || days > 365) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `Contact cadence must be a whole number of days from 1 to 365; you entered ${shown(raw)}.`,
      });
      return z.NEVER;
    }
    return days;
  }),
  // Optional here: only an admin's choice counts (a manager always owns what they create).
  ownerId: z.preprocess(blankToUndefined, z.string().uuid("Choose an owner from the list.").optional()),
  memberIds: z
    .preprocess(
      (value) => (value === undefined || value === null ? [] : Array.isArray(value) ? value : [value]),
      z
        .array(z.string(), { message: "Choose team members from the list." })
        .max(MAX_TEAM_SIZE, `A team can have at most ${MAX_TEAM_SIZE} members.`),
    )
    .superRefine((ids, ctx) => {
      const malformed = ids.find((id) => !isUuidText(id));
      if (malformed !== undefined) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: `Team member “${shown(malformed)}” is not a known user.`,
        });
      }
    })
    .transform((ids) => [...new Set(ids.map((id) => id.toLowerCase()))]),
});
export type AccountInput = z.output<typeof accountInputSchema>;
export type AccountField = keyof AccountInput;
export type AccountFieldErrors = Partial<Record<AccountField, string>>;

/** The first message per field, for showing next to each input. */
export function accountFieldErrors(error: z.ZodError): AccountFieldErrors {
  return firstErrorPerField<AccountField>(error);
}

export class AccountPermissionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AccountPermissionError";
  }
}

export type AccountWriteResult =
  | { status: "saved"; accountId: string; actorOnTeam: boolean }
  | { status: "invalid"; fieldErrors: AccountFieldErrors }
  | { status: "not_found" };

/** Who may own accounts: active managers and admins. */
async function checkOwner(tx: Transaction, ownerId: string): Promise<string | null> {
  const [owner] = await tx
    .select({ role: users.role, deactivatedAt: users.deactivatedAt })
    .from(users)
    .where(eq(users.id, ownerId))
    .for("share");
  if (!owner) return "That owner is not a known user; choose one from the list.";
  if (owner.deactivatedAt) return "That owner has been deactivated; choose another.";
  if (owner.role === "leader") return "Leaders cannot own accounts; choose a manager or an admin.";
  return null;
}

/**
 * Team members must be known users, active unless they are already on the team. The rows
 * are locked (share) so none can be deleted between this check and the insert.
 */
async function checkMembers(
  tx: Transaction,
  memberIds: string[],
  currentIds: string[],
): Promise<string | null> {
  if (memberIds.length === 0) return null;
  const found = await tx
    .select({ id: users.id, deactivatedAt: users.deactivatedAt })
    .from(users)
    .where(inArray(users.id, memberIds))
    .for("share");
  const byId = new Map(found.map((u) => [u.id, u]));
  for (const id of memberIds) {
    const user = byId.get(id);
    if (!user) return `Team member “${id}” is not a known user.`;
    if (user.deactivatedAt && !currentIds.includes(id)) return "A deactivated user cannot join a team.";
  }
  return null;
}

async function replaceTeam(tx: Transaction, accountId: string, memberIds: string[]) {
  await tx.delete(accountMembers).where(eq(accountMembers.accountId, accountId));
  if (memberIds.length > 0) {
    await tx.insert(accountMembers).values(memberIds.map((userId) => ({ accountId, userId })));
  }
}

/**
 * Creates an account and its team in one transaction. A manager always becomes the owner,
 * whatever owner was posted; an admin chooses any active manager or admin. Leaders edit
 * nothing operational.
 */
export async function createAccount(
  db: Database,
  actor: Viewer,
  input: AccountInput,
  // the CRM's id, set by the API and CSV sync (the form never posts one)
  options: { externalId?: string | null } = {},
): Promise<AccountWriteResult> {
  if (actor.role === "leader") throw new AccountPermissionError("Leaders cannot create accounts.");
  const ownerId = actor.role === "admin" ? input.ownerId : actor.id;
  if (!ownerId) return { status: "invalid", fieldErrors: { ownerId: "Choose an owner." } };
  // the owner is on the team by owning it; listing them again as a member means nothing
  const memberIds = input.memberIds.filter((id) => id !== ownerId);
  const result = await db.transaction(async (tx): Promise<AccountWriteResult> => {
    const ownerProblem = actor.role === "admin" ? await checkOwner(tx, ownerId) : null;
    if (ownerProblem) return { status: "invalid", fieldErrors: { ownerId: ownerProblem } };
    const memberProblem = await checkMembers(tx, memberIds, []);
    if (memberProblem) return { status: "invalid", fieldErrors: { memberIds: memberProblem } };
    const [created] = await tx
      .insert(accounts)
      .values({ ...accountColumns(input), ownerId, externalId: options.externalId ?? null })
      .returning({ id: accounts.id });
    await replaceTeam(tx, created!.id, memberIds);
    return { status: "saved", accountId: created!.id, actorOnTeam: true };
  });
  // after the commit: a new account has no rollup rows, so the dashboard would not show it yet
  if (result.status === "saved") await queueHealthRefresh(result.accountId);
  return result;
}

/**
 * Saves an account's facts and replaces its team in one transaction: either all of it is
 * saved or none. Only admins change the owner; anyone else's posted owner is ignored, so
 * a team member can edit the team but never take the account from its owner. The caller
 * has already checked edit access (requireAccountAccess).
 */
export async function updateAccount(
  db: Database,
  actor: Viewer,
  accountId: string,
  input: AccountInput,
  // undefined keeps the current external id
  options: { externalId?: string | null } = {},
): Promise<AccountWriteResult> {
  if (actor.role === "leader") throw new AccountPermissionError("Leaders cannot edit accounts.");
  if (!isUuidText(accountId)) return { status: "not_found" };
  const result = await db.transaction(async (tx): Promise<AccountWriteResult> => {
    const [current] = await tx
      .select({ ownerId: accounts.ownerId, annualValueCents: accounts.annualValueCents })
      .from(accounts)
      .where(eq(accounts.id, accountId))
      .for("update");
    if (!current) return { status: "not_found" };
    const currentIds = (
      await tx
        .select({ userId: accountMembers.userId })
        .from(accountMembers)
        .where(eq(accountMembers.accountId, accountId))
    ).map((m) => m.userId);
    const ownerId = actor.role === "admin" && input.ownerId ? input.ownerId : current.ownerId;
    // an unchanged owner stays valid even if they have since been deactivated
    const ownerProblem = ownerId !== current.ownerId ? await checkOwner(tx, ownerId) : null;
    if (ownerProblem) return { status: "invalid", fieldErrors: { ownerId: ownerProblem } };
    const memberIds = input.memberIds.filter((id) => id !== ownerId);
    const memberProblem = await checkMembers(tx, memberIds, currentIds);
    if (memberProblem) return { status: "invalid", fieldErrors: { memberIds: memberProblem } };
    await tx
      .update(accounts)
      .set({
        ...accountColumns(input),
        // the form shows whole dollars; an unchanged value keeps cents a CRM sync may have set
        ...(Math.round(current.annualValueCents / 100) === input.annualValue
          ? { annualValueCents: current.annualValueCents }
          : {}),
        ownerId,
        ...(options.externalId !== undefined ? { externalId: options.externalId } : {}),
        updatedAt: new Date(),
      })
      .where(eq(accounts.id, accountId));
    await replaceTeam(tx, accountId, memberIds);
    const actorOnTeam = actor.role !== "manager" || ownerId === actor.id || memberIds.includes(actor.id);
    return { status: "saved", accountId, actorOnTeam };
  });
  // after the commit: the target cadence is one of the rollups' inputs (docs/health-model.md, "Rollups")
  if (result.status === "saved") await queueHealthRefresh(result.accountId);
  return result;
}

/** The account's own descriptive columns, for selects that show or sync an account. */
export const accountProfileColumns = {
  name: accounts.name,
  segment: accounts.segment,
  region: accounts.region,
  tier: accounts.tier,
  lifecycleStage: accounts.lifecycleStage,
  annualValueCents: accounts.annualValueCents,
  targetCadenceDays: accounts.targetCadenceDays,
};

function accountColumns(input: AccountInput) {
  return {
    name: input.name,
    segment: input.segment,
    region: input.region,
    tier: input.tier,
    lifecycleStage: input.lifecycleStage,
    annualValueCents: input.annualValue * 100,
    targetCadenceDays: input.targetCadenceDays,
  };
}

/** An account as the edit form shows it, with its team's ids; null when there is none. */
export async function getAccountForEdit(db: Database, accountId: string) {
  if (!isUuidText(accountId)) return null;
  const [account] = await db
    .select({
      id: accounts.id,
      ...accountProfileColumns,
      ownerId: accounts.ownerId,
      ownerName: users.name,
    })
    .from(accounts)
    .innerJoin(users, eq(users.id, accounts.ownerId))
    .where(eq(accounts.id, accountId))
    .limit(1);
  if (!account) return null;
  const members = await db
    .select({ userId: accountMembers.userId })
    .from(accountMembers)
    .where(eq(accountMembers.accountId, accountId));
  return { ...account, memberIds: members.map((m) => m.userId) };
}

/**
 * Choices for the account form: who may own an account (active managers and admins) and
 * who may join its team (every active user). Users in `keepIds` (the current owner and
 * team) are offered even when deactivated, so saving the form does not drop them silently.
 */
export async function listAccountFormOptions(db: Database, keepIds: string[] = []) {
  const keep = keepIds.length > 0 ? inArray(users.id, keepIds) : undefined;
  const people = await db
    .select({ id: users.id, name: users.name, role: users.role, deactivatedAt: users.deactivatedAt })
    .from(users)
    .where(or(isNull(users.deactivatedAt), keep))
    .orderBy(asc(sql`lower(${users.name})`), asc(users.id));
  const list = people.map((p) => ({
    id: p.id,
    name: p.name,
    role: p.role,
    deactivated: p.deactivatedAt !== null,
  }));
  return {
    owners: list.filter((p) => p.role !== "leader" && (!p.deactivated || keepIds.includes(p.id))),
    people: list,
    segments: segment.enumValues,
    tiers: tier.enumValues,
    stages: lifecycleStage.enumValues,
  };
}
