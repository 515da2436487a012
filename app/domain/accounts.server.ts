import { and, asc, count, eq, exists, ilike, or, sql, type SQL } from "drizzle-orm";
import { accountMembers, accounts, cases, contacts, users } from "../../db/schema";
import type { Database } from "../lib/db.server";
import { seesAllAccounts } from "./access";

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

export async function listAccounts(
  db: Database,
  viewer: Viewer,
  options: { search?: string; page?: number } = {},
) {
  const page = Math.max(1, options.page ?? 1);
  const search = options.search?.trim();
  const where = and(
    visibleAccounts(viewer, db),
    search ? ilike(accounts.name, `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`) : undefined,
  );
  const [rows, [total]] = await Promise.all([
    db
      .select(accountSummaryColumns)
      .from(accounts)
      .innerJoin(users, eq(users.id, accounts.ownerId))
      .where(where)
      .orderBy(asc(sql`lower(${accounts.name})`), asc(accounts.id))
      .limit(ACCOUNTS_PAGE_SIZE)
      .offset((page - 1) * ACCOUNTS_PAGE_SIZE),
    db.select({ n: count() }).from(accounts).where(where),
  ]);
  return { rows, total: total?.n ?? 0, page, pageSize: ACCOUNTS_PAGE_SIZE };
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
