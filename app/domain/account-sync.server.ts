/**
 * Account reads and writes for integrations (the public API): stable cursor order by last
 * change, people by email, and deletion. Validation and the write rules stay in
 * accounts.server.ts (createAccount / updateAccount), shared with the UI.
 */
import { and, asc, count, eq, gt, inArray, or, sql, type SQL } from "drizzle-orm";
import { accountMembers, accounts, responses, users } from "../../db/schema";
import type { Database } from "../lib/db.server";

/** updated_at to the microsecond, so a cursor never skips or repeats a row changed in the same millisecond. */
const updatedAtText = sql<string>`to_char(${accounts.updatedAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const recordColumns = {
  id: accounts.id,
  externalId: accounts.externalId,
  name: accounts.name,
  segment: accounts.segment,
  region: accounts.region,
  tier: accounts.tier,
  lifecycleStage: accounts.lifecycleStage,
  annualValueCents: accounts.annualValueCents,
  targetCadenceDays: accounts.targetCadenceDays,
  ownerId: accounts.ownerId,
  ownerEmail: users.email,
  createdAt: accounts.createdAt,
  updatedAt: accounts.updatedAt,
  updatedAtText,
};

export interface AccountRecord {
  id: string;
  externalId: string | null;
  name: string;
  segment: (typeof accounts.segment.enumValues)[number];
  region: string;
  tier: (typeof accounts.tier.enumValues)[number];
  lifecycleStage: (typeof accounts.lifecycleStage.enumValues)[number];
  annualValueCents: number;
  targetCadenceDays: number;
  ownerId: string;
  ownerEmail: string;
  team: { id: string; email: string }[];
  createdAt: Date;
  updatedAt: Date;
  updatedAtText: string;
}

async function withTeams(db: Database, rows: Omit<AccountRecord, "team">[]): Promise<AccountRecord[]> {
  if (rows.length === 0) return [];
  const members = await db
    .select({ accountId: accountMembers.accountId, id: users.id, email: users.email })
    .from(accountMembers)
    .innerJoin(users, eq(users.id, accountMembers.userId))
    .where(
      inArray(
        accountMembers.accountId,
        rows.map((r) => r.id),
      ),
    )
    .orderBy(asc(sql`lower(${users.email})`));
  return rows.map((row) => ({
    ...row,
    team: members.filter((m) => m.accountId === row.id).map(({ id, email }) => ({ id, email })),
  }));
}

async function findRecord(db: Database, where: SQL): Promise<AccountRecord | null> {
  const rows = await db
    .select(recordColumns)
    .from(accounts)
    .innerJoin(users, eq(users.id, accounts.ownerId))
    .where(where)
    .limit(1);
  return (await withTeams(db, rows))[0] ?? null;
}

export function getAccountRecord(db: Database, accountId: string) {
  return findRecord(db, eq(accounts.id, accountId));
}

export function getAccountRecordByExternalId(db: Database, externalId: string) {
  return findRecord(db, eq(accounts.externalId, externalId));
}

/** A position in the change order: after the account changed at `updatedAt` (µs text) with `id`. */
export interface AccountCursor {
  updatedAt: string;
  id: string;
}

/** Accounts in the order they last changed (then id), after `cursor` and not before `updatedSince`. */
export async function listAccountsByChange(
  db: Database,
  options: { limit: number; cursor?: AccountCursor; updatedSince?: Date },
): Promise<{ rows: AccountRecord[]; next: AccountCursor | null }> {
  const { cursor } = options;
  const rows = await db
    .select(recordColumns)
    .from(accounts)
    .innerJoin(users, eq(users.id, accounts.ownerId))
    .where(
      and(
        options.updatedSince
          ? sql`${accounts.updatedAt} >= ${options.updatedSince.toISOString()}`
          : undefined,
        cursor
          ? or(
              gt(accounts.updatedAt, sql`${cursor.updatedAt}::timestamptz`),
              and(eq(accounts.updatedAt, sql`${cursor.updatedAt}::timestamptz`), gt(accounts.id, cursor.id)),
            )
          : undefined,
      ),
    )
    .orderBy(asc(accounts.updatedAt), asc(accounts.id))
    .limit(options.limit + 1);
  const page = rows.slice(0, options.limit);
  const last = page.at(-1);
  return {
    rows: await withTeams(db, page),
    next: rows.length > options.limit && last ? { updatedAt: last.updatedAtText, id: last.id } : null,
  };
}

/** Active and deactivated users by email (case-insensitive), keyed by lower-cased email. */
export async function usersByEmail(db: Database, emails: string[]) {
  const wanted = [...new Set(emails.map((e) => e.trim().toLowerCase()))];
  if (wanted.length === 0) return new Map<string, { id: string; email: string }>();
  const found = await db
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(inArray(sql`lower(${users.email})`, wanted));
  return new Map(found.map((u) => [u.email.toLowerCase(), u]));
}

export type AccountDeleteResult = "deleted" | "not_found" | "has_responses";

/**
 * Deletes an account with its contacts, ledger and cases. An account that customers have
 * answered for is kept: their words are never thrown away by a sync (mark it churned instead).
 */
export async function deleteAccount(db: Database, accountId: string): Promise<AccountDeleteResult> {
  // its rollup rows go with it (on delete cascade), so there is nothing to refresh afterwards
  return db.transaction(async (tx): Promise<AccountDeleteResult> => {
    const [account] = await tx
      .select({ id: accounts.id })
      .from(accounts)
      .where(eq(accounts.id, accountId))
      .for("update");
    if (!account) return "not_found";
    const [answered] = await tx
      .select({ n: count() })
      .from(responses)
      .where(eq(responses.accountId, accountId));
    if ((answered?.n ?? 0) > 0) return "has_responses";
    await tx.delete(accounts).where(eq(accounts.id, accountId));
    return "deleted";
  });
}
