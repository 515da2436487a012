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
      opened: n(sql`count(*) filter (where ${i.openedAt} is not null or ${i.status} in ('started', 'completed'))`),
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

/** Response rate (completed per invitation sent) by account segment and by account owner. */
export async function campaignResponseRates(db: Database, campaignId: string) {
  const sent = n(sql`count(*) filter (where ${invitations.sentAt} is not null)`);
  const completed = n(sql`count(*) filter (where ${invitations.status} = 'completed')`);
  const base = () =>
    db
      .select({ segment: accounts.segment, ownerId: users.id, ownerName: users.name, sent, completed })
      .from(invitations)
      .innerJoin(contacts, eq(contacts.id, invitations.contactId))
      .innerJoin(accounts, eq(accounts.id, contacts.accountId))
      .innerJoin(users, eq(users.id, accounts.ownerId))
      .where(eq(invitations.campaignId, campaignId));
  const [bySegment, byOwner] = await Promise.all([
    base().groupBy(accounts.segment).orderBy(asc(accounts.segment)),
    base().groupBy(users.id, users.name, accounts.segment).orderBy(asc(users.name)),
  ]);
  const rate = (key: string, label: string, rows: { sent: number; completed: number }[]): RateRow => {
    const s = rows.reduce((sum, r) => sum + r.sent, 0);
    const c = rows.reduce((sum, r) => sum + r.completed, 0);
    return { key, label, sent: s, completed: c, rate: responseRate(c, s) };
  };
  const owners = new Map<string, { name: string; rows: { sent: number; completed: number }[] }>();
  for (const row of byOwner) {
    const entry = owners.get(row.ownerId) ?? { name: row.ownerName, rows: [] };
    entry.rows.push(row);
    owners.set(row.ownerId, entry);
  }
  return {
    overall: rate("all", "All", bySegment),
    bySegment: bySegment.map((r) => rate(r.segment, r.segment, [r])),
    byOwner: [...owners].map(([id, o]) => rate(id, o.name, o.rows)),
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
