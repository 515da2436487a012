/**
 * Interaction reads and writes for integrations (the public API): the change order, by
 * external id, participants by CRM id and email, and the synced write. The form's shapes and
 * rules stay in interactions.server.ts (interactionFormSchema / interactionRuleErrors /
 * equityFor), which the API runs too, so both refuse the same entries.
 */
import { and, asc, eq, inArray, isNull, or, sql, type SQL } from "drizzle-orm";
import {
  accountMembers,
  accounts,
  contacts,
  interactionContacts,
  interactions,
  interactionUsers,
  users,
} from "../../db/schema";
import type { Database } from "../lib/db.server";
import { changedAfter, pageOf, updatedAtMicros, type ChangePageOptions } from "./account-sync.server";
import { queueHealthRefresh } from "./health-rollups.server";
import { equityFor, type InteractionInput } from "./interactions.server";
import { defaultEquity, isTwoWay, type CommitmentStatus } from "./ledger";

const recordColumns = {
  id: interactions.id,
  externalId: interactions.externalId,
  accountId: interactions.accountId,
  accountExternalId: accounts.externalId,
  kind: interactions.kind,
  occurredAt: interactions.occurredAt,
  summary: interactions.summary,
  engagementQuality: interactions.engagementQuality,
  equityEffect: interactions.equityEffect,
  equityWeight: interactions.equityWeight,
  dueOn: interactions.dueOn,
  commitmentStatus: interactions.commitmentStatus,
  commitmentResolvedAt: interactions.commitmentResolvedAt,
  contactIds: sql<
    string[]
  >`array(select ic.contact_id::text from ${interactionContacts} ic where ic.interaction_id = ${interactions.id} order by 1)`,
  userEmails: sql<
    string[]
  >`array(select lower(u.email) from ${interactionUsers} iu join ${users} u on u.id = iu.user_id where iu.interaction_id = ${interactions.id} order by 1)`,
  createdAt: interactions.createdAt,
  updatedAt: interactions.updatedAt,
  updatedAtText: updatedAtMicros(interactions.updatedAt),
};

async function findRecords(db: Database, where: SQL | undefined, limit: number) {
  return db
    .select(recordColumns)
    .from(interactions)
    .innerJoin(accounts, eq(accounts.id, interactions.accountId))
    .where(where)
    .orderBy(asc(interactions.updatedAt), asc(interactions.id))
    .limit(limit);
}

export type InteractionRecord = Awaited<ReturnType<typeof findRecords>>[number];

export async function getInteractionRecord(db: Database, interactionId: string) {
  return (await findRecords(db, eq(interactions.id, interactionId), 1))[0] ?? null;
}

export async function getInteractionRecordByExternalId(db: Database, externalId: string) {
  return (await findRecords(db, eq(interactions.externalId, externalId), 1))[0] ?? null;
}

/** Interactions in the order they last changed (then id), optionally of one account. */
export async function listInteractionsByChange(
  db: Database,
  options: ChangePageOptions & { accountId?: string },
) {
  const rows = await findRecords(
    db,
    and(
      changedAfter(interactions.updatedAt, interactions.id, options),
      options.accountId ? eq(interactions.accountId, options.accountId) : undefined,
    ),
    options.limit + 1,
  );
  return pageOf(rows, options.limit);
}

export interface ParticipantRefs {
  contactIds: string[];
  contactExternalIds: string[];
  userEmails: string[];
}

export type ParticipantResolution =
  | { status: "resolved"; contactIds: string[]; userIds: string[] }
  | { status: "unknown"; field: keyof ParticipantRefs; value: string };

/**
 * The participants a sync names, as ids: contacts must be the account's (as the form's
 * picker offers), colleagues active users on the account team (its owner or a member).
 */
export async function resolveParticipants(
  db: Database,
  accountId: string,
  refs: ParticipantRefs,
): Promise<ParticipantResolution> {
  const contactIds = new Set<string>();
  if (refs.contactIds.length > 0 || refs.contactExternalIds.length > 0) {
    const found = await db
      .select({ id: contacts.id, externalId: contacts.externalId })
      .from(contacts)
      .where(
        and(
          eq(contacts.accountId, accountId),
          or(
            refs.contactIds.length > 0 ? inArray(contacts.id, refs.contactIds) : undefined,
            refs.contactExternalIds.length > 0
              ? inArray(contacts.externalId, refs.contactExternalIds)
              : undefined,
          ),
        ),
      );
    for (const id of refs.contactIds) {
      if (!found.some((c) => c.id === id)) return { status: "unknown", field: "contactIds", value: id };
      contactIds.add(id);
    }
    for (const externalId of refs.contactExternalIds) {
      const contact = found.find((c) => c.externalId === externalId);
      if (!contact) return { status: "unknown", field: "contactExternalIds", value: externalId };
      contactIds.add(contact.id);
    }
  }
  const userIds = new Set<string>();
  const emails = [...new Set(refs.userEmails.map((email) => email.toLowerCase()))];
  if (emails.length > 0) {
    const team = await db
      .select({ id: users.id, email: sql<string>`lower(${users.email})` })
      .from(users)
      .innerJoin(accounts, eq(accounts.id, accountId))
      .where(
        and(
          isNull(users.deactivatedAt),
          inArray(sql`lower(${users.email})`, emails),
          or(
            eq(users.id, accounts.ownerId),
            inArray(
              users.id,
              db
                .select({ id: accountMembers.userId })
                .from(accountMembers)
                .where(eq(accountMembers.accountId, accountId)),
            ),
          ),
        ),
      );
    for (const email of emails) {
      const user = team.find((u) => u.email === email);
      if (!user) return { status: "unknown", field: "userEmails", value: email };
      userIds.add(user.id);
    }
  }
  return { status: "resolved", contactIds: [...contactIds], userIds: [...userIds] };
}

export interface SyncedInteraction extends InteractionInput {
  commitmentStatus: CommitmentStatus | null;
}

/** The columns a synced interaction stores: the form's equity rule, or the resolved commitment's. */
export function storedValues(input: SyncedInteraction) {
  const commitment = input.kind === "commitment";
  return {
    accountId: input.accountId,
    kind: input.kind,
    occurredAt: input.occurredAt,
    summary: input.summary.trim(),
    // engagement quality describes two-way contact only (docs/ledger.md)
    engagementQuality: isTwoWay(input.kind) ? (input.engagementQuality ?? null) : null,
    ...(commitment ? defaultEquity("commitment", input.commitmentStatus ?? "open") : equityFor(input)),
    dueOn: commitment ? (input.dueOn ?? null) : null,
    commitmentStatus: commitment ? (input.commitmentStatus ?? "open") : null,
  };
}

/**
 * Creates an interaction (`current` null) or replaces one, with its participants, in one
 * transaction; then queues the account's health refresh as logging from the UI does.
 */
export async function saveSyncedInteraction(
  db: Database,
  current: InteractionRecord | null,
  input: SyncedInteraction,
  externalId: string | null,
  now: Date = new Date(),
): Promise<string> {
  const values = storedValues(input);
  const resolvedNow = values.commitmentStatus === "kept" || values.commitmentStatus === "broken";
  const commitmentResolvedAt = !resolvedNow
    ? null
    : current?.commitmentStatus === values.commitmentStatus
      ? current.commitmentResolvedAt
      : now;
  const id = await db.transaction(async (tx) => {
    let interactionId: string;
    if (current) {
      await tx
        .update(interactions)
        .set({ ...values, commitmentResolvedAt, updatedAt: now })
        .where(eq(interactions.id, current.id));
      await tx.delete(interactionContacts).where(eq(interactionContacts.interactionId, current.id));
      await tx.delete(interactionUsers).where(eq(interactionUsers.interactionId, current.id));
      interactionId = current.id;
    } else {
      const [row] = await tx
        .insert(interactions)
        .values({ ...values, commitmentResolvedAt, externalId, authorId: null })
        .returning({ id: interactions.id });
      interactionId = row!.id;
    }
    if (input.contactIds.length > 0) {
      await tx
        .insert(interactionContacts)
        .values(input.contactIds.map((contactId) => ({ interactionId, contactId })));
    }
    if (input.userIds.length > 0) {
      await tx.insert(interactionUsers).values(input.userIds.map((userId) => ({ interactionId, userId })));
    }
    return interactionId;
  });
  // after the commit: the ledger view of the rollups (docs/health-model.md, "Rollups")
  await queueHealthRefresh(input.accountId);
  return id;
}
