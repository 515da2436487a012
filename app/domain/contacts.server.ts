import { and, desc, eq, or } from "drizzle-orm";
import {
  accounts,
  contactNotes,
  contacts,
  invitations,
  responses,
  surveyDefinitions,
  surveyVersions,
  users,
} from "../../db/schema";
import type { Database } from "../lib/db.server";

/** The account a contact belongs to (for the access check), or null when there is no such contact. */
export async function accountIdOfContact(db: Database, contactId: string): Promise<string | null> {
  const [row] = await db
    .select({ accountId: contacts.accountId })
    .from(contacts)
    .where(eq(contacts.id, contactId));
  return row?.accountId ?? null;
}

/** A contact's page: who they are, what the team knows (private notes only to their author), their surveys. */
export async function getContactOverview(db: Database, contactId: string, viewerId: string) {
  const [contact] = await db
    .select({
      id: contacts.id,
      name: contacts.name,
      email: contacts.email,
      title: contacts.title,
      buyingRole: contacts.buyingRole,
      language: contacts.language,
      optedOutAt: contacts.optedOutAt,
      accountId: accounts.id,
      accountName: accounts.name,
    })
    .from(contacts)
    .innerJoin(accounts, eq(accounts.id, contacts.accountId))
    .where(eq(contacts.id, contactId));
  if (!contact) return null;
  const [notes, surveys, interviews] = await Promise.all([
    db
      .select({
        id: contactNotes.id,
        kind: contactNotes.kind,
        body: contactNotes.body,
        isPrivate: contactNotes.isPrivate,
        createdAt: contactNotes.createdAt,
        authorName: users.name,
      })
      .from(contactNotes)
      .innerJoin(users, eq(users.id, contactNotes.authorId))
      .where(
        and(
          eq(contactNotes.contactId, contactId),
          or(eq(contactNotes.isPrivate, false), eq(contactNotes.authorId, viewerId)),
        ),
      )
      .orderBy(desc(contactNotes.createdAt)),
    db
      .select({
        invitationId: invitations.id,
        status: invitations.status,
        createdAt: invitations.createdAt,
        expiresAt: invitations.expiresAt,
        title: surveyDefinitions.title,
        version: surveyVersions.version,
        completedAt: responses.completedAt,
        source: responses.source,
      })
      .from(invitations)
      .innerJoin(surveyVersions, eq(surveyVersions.id, invitations.surveyVersionId))
      .innerJoin(surveyDefinitions, eq(surveyDefinitions.id, surveyVersions.definitionId))
      .leftJoin(responses, eq(responses.invitationId, invitations.id))
      .where(eq(invitations.contactId, contactId))
      .orderBy(desc(invitations.createdAt))
      .limit(50),
    db
      .select({
        responseId: responses.id,
        completedAt: responses.completedAt,
        title: surveyDefinitions.title,
        interviewerName: users.name,
      })
      .from(responses)
      .innerJoin(surveyVersions, eq(surveyVersions.id, responses.surveyVersionId))
      .innerJoin(surveyDefinitions, eq(surveyDefinitions.id, surveyVersions.definitionId))
      .leftJoin(users, eq(users.id, responses.interviewerId))
      .where(and(eq(responses.contactId, contactId), eq(responses.source, "interview")))
      .orderBy(desc(responses.completedAt))
      .limit(50),
  ]);
  return { contact, notes, surveys, interviews };
}

/** Name and account of a contact, for page headers. */
export async function getContactSummary(db: Database, contactId: string) {
  const [row] = await db
    .select({
      id: contacts.id,
      name: contacts.name,
      optedOutAt: contacts.optedOutAt,
      accountId: accounts.id,
      accountName: accounts.name,
    })
    .from(contacts)
    .innerJoin(accounts, eq(accounts.id, contacts.accountId))
    .where(eq(contacts.id, contactId));
  return row ?? null;
}
