/**
 * Account reads and writes for integrations (the public API): stable cursor order by last
 * change, people by email, and deletion. Validation and the write rules stay in
 * accounts.server.ts (createAccount / updateAccount), shared with the UI.
 */
import { and, asc, count, eq, gt, inArray, or, sql, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import { accountMembers, accounts, responses, users } from "../../db/schema";
import type { Database } from "../lib/db.server";
import { accountProfileColumns } from "./accounts.server";

/** updated_at to the microsecond, so a cursor never skips or repeats a row changed in the same millisecond. */
export const updatedAtMicros = (column: PgColumn) =>
  sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** A position in the change order: after the row changed at `updatedAt` (µs text) with `id`. */
export interface ChangeCursor {
  updatedAt: string;
  id: string;
}

export interface ChangePageOptions {
  limit: number;
  cursor?: ChangeCursor;
  updatedSince?: Date;
}

/**
 * The filter of one page in the change order (updated_at, then id) of any synced table:
 * after the cursor and not before `updatedSince`. Order by the same two columns and fetch
 * `limit + 1` rows, then `pageOf` tells whether there is a next page.
 */
export function changedAfter(updatedAt: PgColumn, id: PgColumn, options: ChangePageOptions): SQL | undefined {
  const { cursor, updatedSince } = options;
  return and(
    updatedSince ? sql`${updatedAt} >= ${updatedSince.toISOString()}` : undefined,
    cursor
      ? or(
          gt(updatedAt, sql`${cursor.updatedAt}::timestamptz`),
          and(eq(updatedAt, sql`${cursor.updatedAt}::timestamptz`), gt(id, cursor.id)),
        )
      : undefined,
  );
}

/** The first `limit` of `limit + 1` fetched rows, and the cursor after them when more follow. */
export function pageOf<T extends { id: string; updatedAtText: string }>(
  rows: T[],
  limit: number,
): { rows: T[]; next: ChangeCursor | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    rows: page,
    next: rows.length > limit && last ? { updatedAt: last.updatedAtText, id: last.id } : null,
  };
}

const recordColumns = {
  id: accounts.id,
  externalId: accounts.externalId,
  ...accountProfileColumns,
  ownerId: accounts.ownerId,
  ownerEmail: users.email,
  createdAt: accounts.createdAt,
  updatedAt: accounts.updatedAt,
  updatedAtText: updatedAtMicros(accounts.updatedAt),
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

/** Accounts in the order they last changed (then id), after `cursor` and not before `updatedSince`. */
export async function listAccountsByChange(
  db: Database,
  options: ChangePageOptions,
): Promise<{ rows: AccountRecord[]; next: ChangeCursor | null }> {
  const rows = await db
    .select(recordColumns)
    .from(accounts)
    .innerJoin(users, eq(users.id, accounts.ownerId))
    .where(changedAfter(accounts.updatedAt, accounts.id, options))
    .orderBy(asc(accounts.updatedAt), asc(accounts.id))
    .limit(options.limit + 1);
  const page = pageOf(rows, options.limit);
  return { rows: await withTeams(db, page.rows), next: page.next };
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
