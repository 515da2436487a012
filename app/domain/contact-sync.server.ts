/**
 * Contact reads for integrations (the public API): the change order, by external id, and
 * with the account's external id. Validation and writes stay in contacts.server.ts
 * (createContact / updateContact), shared with the contact form.
 */
import { and, asc, eq, type SQL } from "drizzle-orm";
import { accounts, contacts } from "../../db/schema";
import type { Database } from "../lib/db.server";
import { changedAfter, pageOf, updatedAtMicros, type ChangePageOptions } from "./account-sync.server";

const recordColumns = {
  id: contacts.id,
  externalId: contacts.externalId,
  accountId: contacts.accountId,
  accountExternalId: accounts.externalId,
  name: contacts.name,
  email: contacts.email,
  title: contacts.title,
  buyingRole: contacts.buyingRole,
  language: contacts.language,
  optedOutAt: contacts.optedOutAt,
  createdAt: contacts.createdAt,
  updatedAt: contacts.updatedAt,
  updatedAtText: updatedAtMicros(contacts.updatedAt),
};

async function findRecords(db: Database, where: SQL | undefined, limit: number) {
  return db
    .select(recordColumns)
    .from(contacts)
    .innerJoin(accounts, eq(accounts.id, contacts.accountId))
    .where(where)
    .orderBy(asc(contacts.updatedAt), asc(contacts.id))
    .limit(limit);
}

export type ContactRecord = Awaited<ReturnType<typeof findRecords>>[number];

export async function getContactRecord(db: Database, contactId: string): Promise<ContactRecord | null> {
  return (await findRecords(db, eq(contacts.id, contactId), 1))[0] ?? null;
}

export async function getContactRecordByExternalId(
  db: Database,
  externalId: string,
): Promise<ContactRecord | null> {
  return (await findRecords(db, eq(contacts.externalId, externalId), 1))[0] ?? null;
}

/** Contacts in the order they last changed (then id), optionally of one account. */
export async function listContactsByChange(
  db: Database,
  options: ChangePageOptions & { accountId?: string },
) {
  const rows = await findRecords(
    db,
    and(
      changedAfter(contacts.updatedAt, contacts.id, options),
      options.accountId ? eq(contacts.accountId, options.accountId) : undefined,
    ),
    options.limit + 1,
  );
  return pageOf(rows, options.limit);
}

/** The id of the account with this id or external id; null when there is none. */
export async function findAccountId(
  db: Database,
  ref: { id?: string; externalId?: string },
): Promise<string | null> {
  const where = ref.id
    ? eq(accounts.id, ref.id)
    : ref.externalId
      ? eq(accounts.externalId, ref.externalId)
      : null;
  if (!where) return null;
  const [row] = await db.select({ id: accounts.id }).from(accounts).where(where).limit(1);
  return row?.id ?? null;
}
