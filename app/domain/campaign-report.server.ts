/**
 * What the campaign page reports: the funnel, response rates by segment and owner, the
 * accounts that have not answered, and the state of the campaign's mail.
 */
import { and, asc, count, eq, isNull, sql } from "drizzle-orm";
import { accounts, campaignRecipients, contacts, invitations, outbox, users } from "../../db/schema";
import type { Database } from "../lib/db.server";
import { responseRate, type FunnelCounts } from "./campaigns";

const n = (expression: ReturnType<typeof sql>) => sql<number>`${expression}`.mapWith(Number);

/**
 * Each stage counts the invitations that reached it or went beyond: one opened without a
 * delivery event (the provider's events can be late or missing) still counts as delivered.
 */
export async function campaignFunnel(db: Database, campaignId: string): Promise<FunnelCounts> {
  const [recipients] = await db
    .select({ n: count() })
    .from(campaignRecipients)
    .where(and(eq(campaignRecipients.campaignId, campaignId), isNull(campaignRecipients.excludedReason)));
  const i = invitations;
  const [row] = await db
    .select({
      invited: count(),
      sent: n(sql`count(*) filter (where ${i.sentAt} is not null)`),
      delivered: n(
        sql`count(*) filter (where ${i.deliveredAt} is not null or ${i.openedAt} is not null or ${i.status} in ('started', 'completed'))`,
      ),
      opened: n(
        sql`count(*) filter (where ${i.openedAt} is not null or ${i.status} in ('started', 'completed'))`,
      ),
      started: n(sql`count(*) filter (where ${i.startedAt} is not null or ${i.status} = 'completed')`),
      completed: n(sql`count(*) filter (where ${i.status} = 'completed')`),
      bounced: n(sql`count(*) filter (where ${i.status} = 'bounced')`),
      optedOut: n(sql`count(*) filter (where ${i.status} = 'opted_out')`),
      expired: n(sql`count(*) filter (where ${i.status} = 'expired')`),
      failed: n(sql`count(*) filter (where ${i.status} = 'failed')`),
    })
    .from(i)
    .where(eq(i.campaignId, campaignId));
  return { recipients: recipients?.n ?? 0, ...row! };
}

export interface RateRow {
  key: string;
  label: string;
  sent: number;
  completed: number;
  rate: number | null;
}

/** Response rate (completed per invitation sent) overall, by account segment and by account owner. */
export async function campaignResponseRates(db: Database, campaignId: string) {
  const groups = await db
    .select({
      segment: accounts.segment,
      ownerId: users.id,
      ownerName: users.name,
      sent: n(sql`count(*) filter (where ${invitations.sentAt} is not null)`),
      completed: n(sql`count(*) filter (where ${invitations.status} = 'completed')`),
    })
    .from(invitations)
    .innerJoin(contacts, eq(contacts.id, invitations.contactId))
    .innerJoin(accounts, eq(accounts.id, contacts.accountId))
    .innerJoin(users, eq(users.id, accounts.ownerId))
    .where(eq(invitations.campaignId, campaignId))
    .groupBy(accounts.segment, users.id, users.name);
  const rollUp = (
    keyOf: (g: (typeof groups)[number]) => string,
    labelOf: (g: (typeof groups)[number]) => string,
  ) => {
    const rows = new Map<string, RateRow>();
    for (const group of groups) {
      const key = keyOf(group);
      const row = rows.get(key) ?? { key, label: labelOf(group), sent: 0, completed: 0, rate: null };
      row.sent += group.sent;
      row.completed += group.completed;
      rows.set(key, row);
    }
    return [...rows.values()]
      .map((row) => ({ ...row, rate: responseRate(row.completed, row.sent) }))
      .sort((a, b) => a.label.localeCompare(b.label));
  };
  return {
    overall: rollUp(
      () => "all",
      () => "All",
    )[0] ?? { key: "all", label: "All", sent: 0, completed: 0, rate: null },
    bySegment: rollUp(
      (g) => g.segment,
      (g) => g.segment,
    ),
    byOwner: rollUp(
      (g) => g.ownerId,
      (g) => g.ownerName,
    ),
  };
}

export const SILENT_ACCOUNTS_SHOWN = 50;

/** Accounts the campaign asked that have not answered yet (no completed response), fewest opened first. */
export async function accountsWithoutAnswer(db: Database, campaignId: string) {
  const completed = n(sql`count(*) filter (where ${invitations.status} = 'completed')`);
  const rows = await db
    .select({
      accountId: accounts.id,
      accountName: accounts.name,
      ownerName: users.name,
      invited: count(),
      opened: n(sql`count(*) filter (where ${invitations.openedAt} is not null)`),
      completed,
    })
    .from(invitations)
    .innerJoin(contacts, eq(contacts.id, invitations.contactId))
    .innerJoin(accounts, eq(accounts.id, contacts.accountId))
    .innerJoin(users, eq(users.id, accounts.ownerId))
    .where(eq(invitations.campaignId, campaignId))
    .groupBy(accounts.id, accounts.name, users.name)
    .having(sql`count(*) filter (where ${invitations.status} = 'completed') = 0`)
    .orderBy(asc(accounts.name));
  return { total: rows.length, rows: rows.slice(0, SILENT_ACCOUNTS_SHOWN) };
}

export type OutboxState = Record<"pending" | "sending" | "sent" | "failed" | "cancelled", number>;

/** The campaign's mail by outbox status, and the last reason a message failed, if any. */
export async function campaignOutboxState(db: Database, campaignId: string) {
  const rows = await db
    .select({ status: outbox.status, n: count() })
    .from(outbox)
    .where(eq(outbox.campaignId, campaignId))
    .groupBy(outbox.status);
  const state: OutboxState = { pending: 0, sending: 0, sent: 0, failed: 0, cancelled: 0 };
  for (const row of rows) state[row.status] = row.n;
  const [lastFailure] = state.failed
    ? await db
        .select({ error: outbox.lastError })
        .from(outbox)
        .where(and(eq(outbox.campaignId, campaignId), eq(outbox.status, "failed")))
        .limit(1)
    : [];
  return { ...state, lastError: lastFailure?.error ?? null };
}
