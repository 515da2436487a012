import { and, desc, eq, ne, or, sql } from "drizzle-orm";
import { z } from "zod";
import {
  accounts,
  buyingRole,
  contactNotes,
  contacts,
  invitations,
  responses,
  surveyDefinitions,
  surveyVersions,
  users,
  type Contact,
} from "../../db/schema";
import type { Database } from "../lib/db.server";
import { checkboxField, firstErrorPerField } from "./field-errors";
import { queueHealthRefresh } from "./health-rollups.server";

/** The database or a transaction on it. */
type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];

/** The account a contact belongs to (for the access check), or null when there is no such contact. */
export async function accountIdOfContact(db: Database | Tx, contactId: string): Promise<string | null> {
  const [row] = await db
    .select({ accountId: contacts.accountId })
    .from(contacts)
    .where(eq(contacts.id, contactId));
  return row?.accountId ?? null;
}

/** A contact's page: who they are, what the team knows (private notes only to their author), their surveys. */
export async function getContactOverview(db: Database, contactId: string, viewerId: string) {
  const contact = await getContactForEdit(db, contactId);
  if (!contact) return null;
  const [notes, surveys, interviews] = await Promise.all([
    db
      .select({
        id: contactNotes.id,
        kind: contactNotes.kind,
        body: contactNotes.body,
        isPrivate: contactNotes.isPrivate,
        remindOn: contactNotes.remindOn,
        createdAt: contactNotes.createdAt,
        updatedAt: contactNotes.updatedAt,
        authorId: contactNotes.authorId,
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

// ─── Creating and editing contacts ────────────────────────────────────────────

/** "en", "de", "pt-BR", "zh-Hant": a language tag short enough for the column's uses. */
const LANGUAGE_TAG = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})?$/;
export const MAX_LANGUAGE_LENGTH = 10;

const emptyToNull = (value: string | undefined) => (value ? value : null);

/**
 * A contact as posted by the create and edit forms. Messages name the field (and the
 * value where it helps), because they are shown beside it.
 */
export const contactInputSchema = z.object({
  name: z
    .string({ required_error: "Enter the contact's name." })
    .trim()
    .min(1, "Enter the contact's name.")
    .max(200, "The name must be at most 200 characters."),
  email: z
    .string()
    .trim()
    .max(320, "The email address must be at most 320 characters.")
    .optional()
    .transform(emptyToNull)
    .refine(
      (value) => value === null || z.string().email().safeParse(value).success,
      (value) => ({
        message: `Email "${String(value).slice(0, 80)}" is not an email address such as dana@example.com.`,
      }),
    ),
  title: z
    .string()
    .trim()
    .max(200, "The title must be at most 200 characters.")
    .optional()
    .transform(emptyToNull),
  buyingRole: z.enum(buyingRole.enumValues, {
    errorMap: (_issue, ctx) => ({
      message: `Role in the buying group "${String(ctx.data ?? "").slice(0, 40)}" is not one of decision-maker, influencer, user or champion.`,
    }),
  }),
  language: z
    .string()
    .trim()
    .optional()
    .transform((value) => value || "en")
    .refine((value) => value.length <= MAX_LANGUAGE_LENGTH && LANGUAGE_TAG.test(value), {
      message: `Language must be a language code such as en, de or pt-BR (at most ${MAX_LANGUAGE_LENGTH} characters).`,
    })
    // the primary tag is case-insensitive; store it the usual way so "DE" and "de" match
    .transform((value) => value.replace(/^[A-Za-z]+/, (primary) => primary.toLowerCase())),
  optedOut: checkboxField("Opted out"),
});
export type ContactInput = z.output<typeof contactInputSchema>;
export type ContactField = keyof ContactInput;

/** The first message for each field, for the form to show beside it. */
export function contactFieldErrors(error: z.ZodError): Partial<Record<ContactField, string>> {
  return firstErrorPerField<ContactField>(error);
}

export type ContactWriteOutcome =
  | { status: "saved"; contact: Contact }
  | { status: "duplicate_email"; email: string }
  | { status: "not_found" };

/**
 * Holds the account's row until the transaction ends, so two people adding the same email
 * to one account at once cannot both pass the duplicate check (there is no unique index:
 * the same address may exist in another account, and older rows may differ only in case).
 */
async function lockAccount(tx: Tx, accountId: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: accounts.id })
    .from(accounts)
    .where(eq(accounts.id, accountId))
    .for("no key update");
  return Boolean(row);
}

async function emailTakenInAccount(tx: Tx, accountId: string, email: string, exceptContactId?: string) {
  const [row] = await tx
    .select({ id: contacts.id })
    .from(contacts)
    .where(
      and(
        eq(contacts.accountId, accountId),
        sql`lower(${contacts.email}) = lower(${email})`,
        exceptContactId ? ne(contacts.id, exceptContactId) : undefined,
      ),
    )
    .limit(1);
  return Boolean(row);
}

/** What only an integration sets: the contact's id in the CRM (undefined keeps it, null clears it). */
export interface ContactSyncOptions {
  externalId?: string | null;
}

/** Adds a contact to an account's buying group; an email may appear once per account, in any case. */
export async function createContact(
  db: Database,
  accountId: string,
  input: ContactInput,
  now: Date = new Date(),
  options: ContactSyncOptions = {},
): Promise<ContactWriteOutcome> {
  const outcome = await db.transaction(async (tx) => {
    if (!(await lockAccount(tx, accountId))) return { status: "not_found" as const };
    if (input.email && (await emailTakenInAccount(tx, accountId, input.email))) {
      return { status: "duplicate_email" as const, email: input.email };
    }
    const [contact] = await tx
      .insert(contacts)
      .values({
        accountId,
        name: input.name,
        email: input.email,
        title: input.title,
        buyingRole: input.buyingRole,
        language: input.language,
        optedOutAt: input.optedOut ? now : null,
        externalId: options.externalId ?? null,
      })
      .returning();
    return { status: "saved" as const, contact: contact! };
  });
  // after the commit: a decision-maker or champion is a key contact (docs/health-model.md, "Rollups")
  if (outcome.status === "saved") await queueHealthRefresh(outcome.contact.accountId);
  return outcome;
}

/**
 * Changes a contact's details. Ticking "opted out" records when; an opt-out already on
 * file keeps its original date; unticking clears it.
 */
export async function updateContact(
  db: Database,
  contactId: string,
  input: ContactInput,
  now: Date = new Date(),
  options: ContactSyncOptions = {},
): Promise<ContactWriteOutcome> {
  const outcome = await db.transaction(async (tx) => {
    const accountId = await accountIdOfContact(tx, contactId);
    if (!accountId || !(await lockAccount(tx, accountId))) return { status: "not_found" as const };
    const [current] = await tx
      .select({ email: contacts.email, optedOutAt: contacts.optedOutAt, bouncedAt: contacts.bouncedAt })
      .from(contacts)
      .where(eq(contacts.id, contactId))
      .for("update");
    if (!current) return { status: "not_found" as const };
    if (input.email && (await emailTakenInAccount(tx, accountId, input.email, contactId))) {
      return { status: "duplicate_email" as const, email: input.email };
    }
    // a bounce belonged to the old address; a new one deserves a fresh try
    const emailChanged = (current.email ?? "").toLowerCase() !== (input.email ?? "").toLowerCase();
    const [contact] = await tx
      .update(contacts)
      .set({
        name: input.name,
        email: input.email,
        title: input.title,
        buyingRole: input.buyingRole,
        language: input.language,
        optedOutAt: input.optedOut ? (current.optedOutAt ?? now) : null,
        bouncedAt: emailChanged ? null : current.bouncedAt,
        ...(options.externalId !== undefined ? { externalId: options.externalId } : {}),
        updatedAt: now,
      })
      .where(eq(contacts.id, contactId))
      .returning();
    return { status: "saved" as const, contact: contact! };
  });
  // after the commit: the buying role and the opt-out decide who is a key contact, and the
  // buying role is how the rollups weigh the contact's answers (docs/health-model.md, "Rollups")
  if (outcome.status === "saved") await queueHealthRefresh(outcome.contact.accountId);
  return outcome;
}

/** Who a contact is, with their account: the fields the edit form starts from and the contact page's header; null when unknown. */
export async function getContactForEdit(db: Database, contactId: string) {
  const [row] = await db
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
  return row ?? null;
}

/** The account a new contact joins, for the form's header; null when unknown. */
export async function getAccountForNewContact(db: Database, accountId: string) {
  const [row] = await db
    .select({ id: accounts.id, name: accounts.name })
    .from(accounts)
    .where(eq(accounts.id, accountId));
  return row ?? null;
}
