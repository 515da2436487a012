/**
 * Bulk look-ups of what already exists (users, accounts, contacts, opportunities,
 * interactions): one query per batch, never per row, with the batch's keys as array
 * parameters (`anyOf`, db.server.ts).
 */
import { and, eq, or, sql } from "drizzle-orm";
import {
  accountMembers,
  accounts,
  contacts,
  interactionContacts,
  interactions,
  opportunities,
  users,
} from "../../../db/schema";
import {
  sortEmails,
  type AccountReference,
  type AccountState,
  type ContactRow,
  type ContactState,
  type InteractionRow,
  type InteractionState,
  type OpportunityRow,
  type OpportunityState,
} from "./columns";
import { anyOf, type DbOrTx } from "./db.server";

/** Names and emails are matched case-insensitively: every key is lower-cased this way. */
export const lower = (value: string) => value.toLowerCase();

export interface AccountInfo {
  id: string;
  externalId: string | null;
  name: string;
  ownerId: string;
  isMember: boolean;
}

export async function usersByEmail(db: DbOrTx, emails: string[]) {
  const wanted = [...new Set(emails.map(lower))];
  const found = new Map<string, { id: string; email: string; deactivated: boolean }>();
  if (wanted.length === 0) return found;
  const rows = await db
    .select({ id: users.id, email: users.email, deactivatedAt: users.deactivatedAt })
    .from(users)
    .where(anyOf(sql`lower(${users.email})`, wanted, "text"));
  for (const row of rows) found.set(lower(row.email), { ...row, deactivated: row.deactivatedAt !== null });
  return found;
}

function isMemberSql(userId: string) {
  return sql<boolean>`exists (select 1 from ${accountMembers} where ${accountMembers.accountId} = ${accounts.id} and ${accountMembers.userId} = ${userId})`;
}

/** Accounts by external id and by lower-cased name; `full` adds the columns an account import compares. */
export async function findAccounts(db: DbOrTx, userId: string, refs: AccountReference[], full: boolean) {
  const externalIds = [...new Set(refs.flatMap((r) => (r.externalId ? [r.externalId] : [])))];
  const names = [...new Set(refs.flatMap((r) => (r.name ? [lower(r.name)] : [])))];
  type Found = AccountInfo & Omit<AccountState, "externalId" | "name" | "ownerId">;
  const byExternalId = new Map<string, Found>();
  const byName = new Map<string, Found[]>();
  if (externalIds.length === 0 && names.length === 0) return { byExternalId, byName };
  const rows = await db
    .select({
      id: accounts.id,
      externalId: accounts.externalId,
      name: accounts.name,
      ownerId: accounts.ownerId,
      isMember: isMemberSql(userId),
      segment: accounts.segment,
      region: accounts.region,
      tier: accounts.tier,
      lifecycleStage: accounts.lifecycleStage,
      annualValueCents: accounts.annualValueCents,
      ownerEmail: full ? users.email : sql<string>`''`,
      targetCadenceDays: accounts.targetCadenceDays,
    })
    .from(accounts)
    .innerJoin(users, eq(users.id, accounts.ownerId))
    .where(
      or(
        externalIds.length > 0 ? anyOf(accounts.externalId, externalIds, "text") : undefined,
        names.length > 0 ? anyOf(sql`lower(${accounts.name})`, names, "text") : undefined,
      ),
    );
  for (const row of rows) {
    if (row.externalId) byExternalId.set(row.externalId, row);
    const key = lower(row.name);
    byName.set(key, [...(byName.get(key) ?? []), row]);
  }
  return { byExternalId, byName };
}

type ExistingContact = ContactState & { id: string; account: { ownerId: string; isMember: boolean } };

export async function findContacts(
  db: DbOrTx,
  userId: string,
  rows: ContactRow[],
  resolved: Map<number, AccountInfo>,
) {
  const externalIds = rows.flatMap((r) => (r.externalId ? [r.externalId] : []));
  const emails = [...new Set(rows.flatMap((r) => (r.email ? [lower(r.email)] : [])))];
  const unaddressed = rows.filter((r) => !r.email);
  const accountIds = [...new Set(unaddressed.map((r) => resolved.get(r.row)!.id))];
  const names = [...new Set(unaddressed.map((r) => lower(r.name)))];
  const byExternalId = new Map<string, ExistingContact>();
  const byEmail = new Map<string, ExistingContact[]>();
  const byName = new Map<string, ExistingContact[]>();
  if (rows.length === 0) return { byExternalId, byEmail, byName };
  const found = await db
    .select({
      id: contacts.id,
      externalId: contacts.externalId,
      accountId: contacts.accountId,
      accountName: accounts.name,
      name: contacts.name,
      email: contacts.email,
      title: contacts.title,
      buyingRole: contacts.buyingRole,
      language: contacts.language,
      optedOutAt: contacts.optedOutAt,
      ownerId: accounts.ownerId,
      isMember: isMemberSql(userId),
    })
    .from(contacts)
    .innerJoin(accounts, eq(accounts.id, contacts.accountId))
    // three branches, each on an index (the name one narrowed by account), so a big account's
    // contacts are not scanned once per batch
    .where(
      or(
        externalIds.length > 0 ? anyOf(contacts.externalId, externalIds, "text") : undefined,
        emails.length > 0 ? anyOf(sql`lower(${contacts.email})`, emails, "text") : undefined,
        names.length > 0
          ? and(
              anyOf(contacts.accountId, accountIds, "uuid"),
              anyOf(sql`lower(${contacts.name})`, names, "text"),
            )
          : undefined,
      ),
    );
  const push = (map: Map<string, ExistingContact[]>, key: string, contact: ExistingContact) =>
    map.set(key, [...(map.get(key) ?? []), contact]);
  for (const { ownerId, isMember, ...row } of found) {
    const contact: ExistingContact = { ...row, account: { ownerId, isMember } };
    if (row.externalId) byExternalId.set(row.externalId, contact);
    if (row.email) push(byEmail, `${row.accountId}:${lower(row.email)}`, contact);
    push(byName, `${row.accountId}:${lower(row.name)}`, contact);
  }
  return { byExternalId, byEmail, byName };
}

/**
 * A contact row's existing record: by external id; else by email within the account; a row
 * without an email by name within the account. (A row with an email never matches by name: a
 * namesake is another person, and looking names up would scan the account's contacts.)
 */
export function matchContact(
  r: ContactRow,
  accountId: string,
  existing: Awaited<ReturnType<typeof findContacts>>,
): ExistingContact | "ambiguous" | undefined {
  const linkable = (c: ExistingContact) => !r.externalId || c.externalId === null;
  if (r.externalId) {
    const found = existing.byExternalId.get(r.externalId);
    if (found) return found;
  }
  const candidates = (
    r.email
      ? existing.byEmail.get(`${accountId}:${lower(r.email)}`)
      : existing.byName.get(`${accountId}:${lower(r.name)}`)
  )?.filter(linkable);
  if (candidates && candidates.length > 1) return "ambiguous";
  return candidates?.[0];
}

type ExistingOpportunity = OpportunityState & {
  id: string;
  account: { ownerId: string; isMember: boolean };
};

export async function findOpportunities(
  db: DbOrTx,
  userId: string,
  rows: OpportunityRow[],
  resolved: Map<number, AccountInfo>,
) {
  const externalIds = rows.flatMap((r) => (r.externalId ? [r.externalId] : []));
  const accountIds = [...new Set(rows.map((r) => resolved.get(r.row)!.id))];
  const names = [...new Set(rows.map((r) => lower(r.name)))];
  const byExternalId = new Map<string, ExistingOpportunity>();
  const byAccountName = new Map<string, ExistingOpportunity[]>();
  if (rows.length === 0) return { byExternalId, byAccountName };
  const found = await db
    .select({
      id: opportunities.id,
      externalId: opportunities.externalId,
      accountId: opportunities.accountId,
      accountName: accounts.name,
      name: opportunities.name,
      amountCents: opportunities.amountCents,
      closeDate: opportunities.closeDate,
      outcome: opportunities.outcome,
      competitor: opportunities.competitor,
      sellerId: opportunities.sellerId,
      sellerEmail: users.email,
      closedAt: opportunities.closedAt,
      ownerId: accounts.ownerId,
      isMember: isMemberSql(userId),
    })
    .from(opportunities)
    .innerJoin(accounts, eq(accounts.id, opportunities.accountId))
    .leftJoin(users, eq(users.id, opportunities.sellerId))
    .where(
      or(
        externalIds.length > 0 ? anyOf(opportunities.externalId, externalIds, "text") : undefined,
        and(
          anyOf(opportunities.accountId, accountIds, "uuid"),
          anyOf(sql`lower(${opportunities.name})`, names, "text"),
        ),
      ),
    );
  for (const { ownerId, isMember, ...row } of found) {
    const opportunity: ExistingOpportunity = { ...row, account: { ownerId, isMember } };
    if (row.externalId) byExternalId.set(row.externalId, opportunity);
    const key = `${row.accountId}:${lower(row.name)}`;
    byAccountName.set(key, [...(byAccountName.get(key) ?? []), opportunity]);
  }
  return { byExternalId, byAccountName };
}

type ExistingInteraction = InteractionState & {
  id: string;
  account: { ownerId: string; isMember: boolean };
};

export async function findInteractions(
  db: DbOrTx,
  userId: string,
  rows: InteractionRow[],
  resolved: Map<number, AccountInfo>,
) {
  const externalIds = rows.flatMap((r) => (r.externalId ? [r.externalId] : []));
  const byExternalId = new Map<string, ExistingInteraction>();
  const contactsByEmail = new Map<string, { id: string; email: string }>();
  if (externalIds.length > 0) {
    const found = await db
      .select({
        id: interactions.id,
        externalId: interactions.externalId,
        accountId: interactions.accountId,
        accountName: accounts.name,
        kind: interactions.kind,
        occurredAt: interactions.occurredAt,
        summary: interactions.summary,
        engagementQuality: interactions.engagementQuality,
        equityEffect: interactions.equityEffect,
        equityWeight: interactions.equityWeight,
        commitmentStatus: interactions.commitmentStatus,
        authorId: interactions.authorId,
        authorEmail: users.email,
        ownerId: accounts.ownerId,
        isMember: isMemberSql(userId),
      })
      .from(interactions)
      .innerJoin(accounts, eq(accounts.id, interactions.accountId))
      .leftJoin(users, eq(users.id, interactions.authorId))
      .where(anyOf(interactions.externalId, externalIds, "text"));
    const participants = found.length
      ? await db
          .select({
            interactionId: interactionContacts.interactionId,
            contactId: interactionContacts.contactId,
            email: contacts.email,
          })
          .from(interactionContacts)
          .innerJoin(contacts, eq(contacts.id, interactionContacts.contactId))
          .where(
            anyOf(
              interactionContacts.interactionId,
              found.map((f) => f.id),
              "uuid",
            ),
          )
      : [];
    for (const { ownerId, isMember, ...row } of found) {
      const mine = participants.filter((p) => p.interactionId === row.id);
      byExternalId.set(row.externalId!, {
        ...row,
        account: { ownerId, isMember },
        contactIds: mine.map((p) => p.contactId).sort(),
        contactEmails: sortEmails(mine.map((p) => p.email ?? "")),
      });
    }
  }
  const emails = [...new Set(rows.flatMap((r) => (r.contactEmails ?? []).map(lower)))];
  if (emails.length > 0) {
    const accountIds = [...new Set(rows.map((r) => resolved.get(r.row)!.id))];
    const found = await db
      .select({ id: contacts.id, accountId: contacts.accountId, email: contacts.email })
      .from(contacts)
      .where(
        and(
          anyOf(contacts.accountId, accountIds, "uuid"),
          anyOf(sql`lower(${contacts.email})`, emails, "text"),
        ),
      );
    // two contacts of one account sharing an address: the same one every time
    for (const c of found) {
      const key = `${c.accountId}:${lower(c.email!)}`;
      const seen = contactsByEmail.get(key);
      if (!seen || c.id < seen.id) contactsByEmail.set(key, { id: c.id, email: c.email! });
    }
  }
  return { byExternalId, contactsByEmail };
}
