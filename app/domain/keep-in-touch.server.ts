/**
 * Keep-in-touch ("My week"): what the viewer should do this week on the accounts they own
 * or are on the team of. The definitions are written out at the top of keep-in-touch.ts;
 * this module only reads. One query per section, run side by side; the date rules that
 * decide what is listed are the pure, unit-tested ones.
 */
import {
  and,
  asc,
  eq,
  exists,
  inArray,
  isNotNull,
  isNull,
  lt,
  lte,
  max,
  ne,
  or,
  sql,
  type SQL,
} from "drizzle-orm";
import {
  accountMembers,
  accounts,
  cases,
  contactNotes,
  contacts,
  interactionContacts,
  interactions,
  predictions,
  users,
} from "../../db/schema";
import type { Database } from "../lib/db.server";
import { TWO_WAY_KINDS } from "./ledger";
import {
  daysOverdue,
  engagementDue,
  isoDay,
  isSlaBreached,
  needsPrediction,
  upcomingWithin,
} from "./keep-in-touch";

export interface UpcomingBirthday {
  noteId: string;
  contactId: string;
  contactName: string;
  accountId: string;
  accountName: string;
  /** The date it next falls on, YYYY-MM-DD. */
  on: string;
  inDays: number;
  note: string;
}

export interface KeyContactDue {
  contactId: string;
  contactName: string;
  buyingRole: "decision_maker" | "champion";
  accountId: string;
  accountName: string;
  cadenceDays: number;
  lastEngagedAt: Date | null;
  /** Null: never engaged. */
  daysSince: number | null;
}

export interface OverdueCommitment {
  interactionId: string;
  accountId: string;
  accountName: string;
  summary: string;
  dueOn: string;
  daysOverdue: number;
  authorName: string | null;
}

export interface AccountWithoutPrediction {
  accountId: string;
  accountName: string;
  /** Null: nobody ever made one. */
  lastPredictionAt: Date | null;
}

export interface OwnedCase {
  caseId: string;
  accountId: string;
  accountName: string;
  summary: string;
  severity: "medium" | "high" | "critical";
  status: "open" | "acknowledged";
  slaDueAt: Date;
  slaBreached: boolean;
}

export interface MyWeek {
  /** Today's UTC date, YYYY-MM-DD: every "in N days" on the page counts from it. */
  today: string;
  /** How many accounts the viewer owns or is on the team of (0: the page explains why it is empty). */
  accountCount: number;
  birthdays: UpcomingBirthday[];
  keyContacts: KeyContactDue[];
  overdueCommitments: OverdueCommitment[];
  accountsWithoutPrediction: AccountWithoutPrediction[];
  openCases: OwnedCase[];
}

/**
 * The viewer's own accounts: owned, or on the team. Unlike `visibleAccounts`, this does not
 * widen for admins and leaders — "my week" is about their own relationships.
 */
function ownedOrOnTeam(db: Database, viewerId: string): SQL {
  return or(
    eq(accounts.ownerId, viewerId),
    exists(
      db
        .select({ one: sql`1` })
        .from(accountMembers)
        .where(and(eq(accountMembers.accountId, accounts.id), eq(accountMembers.userId, viewerId))),
    ),
  )!;
}

export async function listUpcomingBirthdays(
  db: Database,
  viewerId: string,
  now: Date,
): Promise<UpcomingBirthday[]> {
  // The yearly recurrence (and 29 February) is decided by the pure rule, so every birthday
  // note in scope is read; a manager's accounts hold a few hundred contacts at most.
  const rows = await db
    .select({
      noteId: contactNotes.id,
      contactId: contacts.id,
      contactName: contacts.name,
      accountId: accounts.id,
      accountName: accounts.name,
      remindOn: contactNotes.remindOn,
      note: contactNotes.body,
    })
    .from(contactNotes)
    .innerJoin(contacts, eq(contacts.id, contactNotes.contactId))
    .innerJoin(accounts, eq(accounts.id, contacts.accountId))
    .where(
      and(
        eq(contactNotes.kind, "birthday"),
        isNotNull(contactNotes.remindOn),
        or(eq(contactNotes.isPrivate, false), eq(contactNotes.authorId, viewerId)),
        ownedOrOnTeam(db, viewerId),
      ),
    )
    .orderBy(asc(contactNotes.createdAt), asc(contactNotes.id));
  const seen = new Set<string>();
  const upcoming: UpcomingBirthday[] = [];
  for (const { remindOn, ...row } of rows) {
    const next = remindOn ? upcomingWithin(remindOn, now) : null;
    // Two colleagues noting the same birthday is one birthday.
    const key = `${row.contactId} ${next?.on}`;
    if (!next || seen.has(key)) continue;
    seen.add(key);
    upcoming.push({ ...row, ...next });
  }
  return upcoming.sort((a, b) => a.inDays - b.inDays || a.contactName.localeCompare(b.contactName, "en"));
}

export async function listKeyContactsDue(
  db: Database,
  viewerId: string,
  now: Date,
): Promise<KeyContactDue[]> {
  // Correlated per contact, it walks interaction_contacts_contact_id_idx for the contacts in
  // scope only. Interactions dated in the future (a meeting booked for next week) have not
  // engaged anyone yet.
  const lastEngagedAt = sql<Date | null>`(
    select max(${interactions.occurredAt})
    from ${interactionContacts}
    inner join ${interactions} on ${interactions.id} = ${interactionContacts.interactionId}
    where ${interactionContacts.contactId} = ${contacts.id}
      and ${inArray(interactions.kind, [...TWO_WAY_KINDS])}
      and ${lte(interactions.occurredAt, now)}
  )`.mapWith(interactions.occurredAt);
  const rows = await db
    .select({
      contactId: contacts.id,
      contactName: contacts.name,
      buyingRole: contacts.buyingRole,
      accountId: accounts.id,
      accountName: accounts.name,
      cadenceDays: accounts.targetCadenceDays,
      lastEngagedAt,
    })
    .from(contacts)
    .innerJoin(accounts, eq(accounts.id, contacts.accountId))
    .where(
      and(
        inArray(contacts.buyingRole, ["decision_maker", "champion"]),
        isNull(contacts.optedOutAt),
        ownedOrOnTeam(db, viewerId),
      ),
    );
  const due: KeyContactDue[] = [];
  for (const row of rows) {
    const { overdue, daysSince } = engagementDue(row.lastEngagedAt, row.cadenceDays, now);
    if (!overdue) continue;
    due.push({ ...row, buyingRole: row.buyingRole as KeyContactDue["buyingRole"], daysSince });
  }
  // Never engaged first, then the longest silence.
  return due.sort(
    (a, b) =>
      (b.daysSince ?? Infinity) - (a.daysSince ?? Infinity) ||
      a.contactName.localeCompare(b.contactName, "en"),
  );
}

export async function listOverdueCommitments(
  db: Database,
  viewerId: string,
  now: Date,
): Promise<OverdueCommitment[]> {
  const rows = await db
    .select({
      interactionId: interactions.id,
      accountId: accounts.id,
      accountName: accounts.name,
      summary: interactions.summary,
      dueOn: interactions.dueOn,
      authorName: users.name,
    })
    .from(interactions)
    .innerJoin(accounts, eq(accounts.id, interactions.accountId))
    .leftJoin(users, eq(users.id, interactions.authorId))
    .where(
      and(
        eq(interactions.kind, "commitment"),
        // a commitment imported without a status was never resolved: it counts as open
        or(eq(interactions.commitmentStatus, "open"), isNull(interactions.commitmentStatus)),
        // the same rule as ledger.ts isOverdue: due before today's UTC date
        lt(interactions.dueOn, isoDay(now)),
        ownedOrOnTeam(db, viewerId),
      ),
    )
    .orderBy(asc(interactions.dueOn), asc(interactions.occurredAt), asc(interactions.id));
  return rows.map(({ dueOn, ...row }) => ({ ...row, dueOn: dueOn!, daysOverdue: daysOverdue(dueOn!, now) }));
}

/** Every account in scope with its latest prediction (so the caller also learns how many accounts there are). */
export async function listAccountsWithoutRecentPrediction(
  db: Database,
  viewerId: string,
  now: Date,
): Promise<{ accountCount: number; accounts: AccountWithoutPrediction[] }> {
  const rows = await db
    .select({
      accountId: accounts.id,
      accountName: accounts.name,
      lastPredictionAt: max(predictions.createdAt),
    })
    .from(accounts)
    .leftJoin(predictions, eq(predictions.accountId, accounts.id))
    .where(ownedOrOnTeam(db, viewerId))
    .groupBy(accounts.id, accounts.name);
  const stale = rows
    .filter((row) => needsPrediction(row.lastPredictionAt, now))
    // Never predicted first, then the oldest prediction.
    .sort(
      (a, b) =>
        (a.lastPredictionAt?.getTime() ?? -Infinity) - (b.lastPredictionAt?.getTime() ?? -Infinity) ||
        a.accountName.localeCompare(b.accountName, "en"),
    );
  return { accountCount: rows.length, accounts: stale };
}

export async function listOwnedOpenCases(db: Database, viewerId: string, now: Date): Promise<OwnedCase[]> {
  const rows = await db
    .select({
      caseId: cases.id,
      accountId: accounts.id,
      accountName: accounts.name,
      summary: cases.summary,
      severity: cases.severity,
      status: cases.status,
      slaDueAt: cases.slaDueAt,
    })
    .from(cases)
    .innerJoin(accounts, eq(accounts.id, cases.accountId))
    .where(and(eq(cases.ownerId, viewerId), ne(cases.status, "resolved")))
    .orderBy(asc(cases.slaDueAt), asc(cases.id));
  return rows.map((row) => ({
    ...row,
    status: row.status as OwnedCase["status"],
    slaBreached: isSlaBreached(row.slaDueAt, now),
  }));
}

/** Everything on the viewer's "My week" page, as of `now`. */
export async function getMyWeek(db: Database, viewer: { id: string }, now: Date): Promise<MyWeek> {
  const [birthdays, keyContacts, overdueCommitments, predictionsDue, openCases] = await Promise.all([
    listUpcomingBirthdays(db, viewer.id, now),
    listKeyContactsDue(db, viewer.id, now),
    listOverdueCommitments(db, viewer.id, now),
    listAccountsWithoutRecentPrediction(db, viewer.id, now),
    listOwnedOpenCases(db, viewer.id, now),
  ]);
  return {
    today: isoDay(now),
    accountCount: predictionsDue.accountCount,
    birthdays,
    keyContacts,
    overdueCommitments,
    accountsWithoutPrediction: predictionsDue.accounts,
    openCases,
  };
}
