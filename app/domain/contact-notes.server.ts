import { and, desc, eq, lte, or, sql } from "drizzle-orm";
import { z } from "zod";
import {
  accountMembers,
  accounts,
  contactNoteKind,
  contactNotes,
  contacts,
  interactionContacts,
  interactions,
  responses,
  surveyDefinitions,
  surveyVersions,
  users,
  type ContactNote,
  type UserRole,
} from "../../db/schema";
import type { Database } from "../lib/db.server";
import { canAccessAccount } from "./access";
import { checkboxField, firstErrorPerField } from "./field-errors";

export type { ContactNoteKind } from "./contact-notes";

import { PERSONAL_NOTE_KINDS, PROFESSIONAL_NOTE_KINDS, type ContactNoteKind } from "./contact-notes";

export { PERSONAL_NOTE_KINDS, PROFESSIONAL_NOTE_KINDS };

export const MAX_NOTE_LENGTH = 2000;
/** A birthday or reminder this many days ahead (or fewer) is "coming up". */
export const COMING_UP_DAYS = 14;

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date as YYYY-MM-DD (not 2025-02-30), in a plausible range. */
function isCalendarDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1900 || year > 2200) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * A note as posted by the contact page's form. Messages name the field and, where it
 * helps, the value, because they are shown beside the field.
 */
export const noteInputSchema = z.object({
  kind: z.enum(contactNoteKind.enumValues, {
    errorMap: (_issue, ctx) => ({
      message:
        ctx.data === undefined || ctx.data === ""
          ? "Choose what kind of note this is."
          : `Kind "${String(ctx.data).slice(0, 40)}" is not a kind of note; choose one from the list.`,
    }),
  }),
  body: z
    .string({ required_error: "Write the note: it cannot be empty." })
    .trim()
    .min(1, "Write the note: it cannot be empty.")
    .max(MAX_NOTE_LENGTH, `The note must be at most ${MAX_NOTE_LENGTH} characters.`),
  remindOn: z
    .string()
    .trim()
    .optional()
    .transform((value) => (value ? value : null))
    .refine((value) => value === null || isCalendarDate(value), {
      message: "Remind-on must be a date such as 2025-03-14.",
    }),
  isPrivate: checkboxField("Private to me"),
});
export type NoteInput = z.output<typeof noteInputSchema>;
export type NoteField = keyof NoteInput;

/** The first message for each field, for the form to show beside it. */
export function noteFieldErrors(error: z.ZodError): Partial<Record<NoteField, string>> {
  return firstErrorPerField<NoteField>(error);
}

export interface NoteActor {
  id: string;
  role: UserRole;
}

export type NoteOutcome =
  | { status: "saved"; note: ContactNote }
  | { status: "deleted" }
  | { status: "forbidden"; message: string }
  | { status: "not_found"; message: string };

/**
 * The one rule for changing a note: you need edit access to the contact's account, and a
 * private note is its author's alone (nobody else even sees it).
 */
export function mayModifyNote(
  viewer: { id: string; hasEditAccess: boolean },
  note: { authorId: string; isPrivate: boolean },
): boolean {
  return viewer.hasEditAccess && (!note.isPrivate || note.authorId === viewer.id);
}

type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];

/** Whether `actor` may edit the contact's account: null when there is no such contact. */
async function editAccessToContact(db: Database | Tx, actor: NoteActor, contactId: string) {
  const [row] = await db
    .select({
      ownerId: accounts.ownerId,
      isMember: sql<boolean>`exists (select 1 from ${accountMembers} where ${accountMembers.accountId} = ${accounts.id} and ${accountMembers.userId} = ${actor.id})`,
    })
    .from(contacts)
    .innerJoin(accounts, eq(accounts.id, contacts.accountId))
    .where(eq(contacts.id, contactId));
  if (!row) return null;
  return canAccessAccount(actor, row, "edit");
}

const NO_CONTACT = { status: "not_found", message: "No such contact." } as const;
const NO_NOTE = { status: "not_found", message: "No such note on this contact." } as const;
const READ_ONLY = {
  status: "forbidden",
  message:
    "You can read this contact's notes but not change them: ask the account owner to add you to the team.",
} as const;

export async function addNote(
  db: Database,
  actor: NoteActor,
  contactId: string,
  input: NoteInput,
): Promise<NoteOutcome> {
  const access = await editAccessToContact(db, actor, contactId);
  if (access === null) return NO_CONTACT;
  if (!access) return READ_ONLY;
  const [note] = await db
    .insert(contactNotes)
    .values({
      contactId,
      authorId: actor.id,
      kind: input.kind,
      body: input.body,
      remindOn: input.remindOn,
      isPrivate: input.isPrivate,
    })
    .returning();
  return { status: "saved", note: note! };
}

/**
 * Loads the note for a change, locked until the transaction ends, and says whether the
 * actor may make it. A note of another contact is "not found" here, so a note id cannot
 * be used through a contact page the actor happens to have access to.
 */
async function lockNoteForChange(
  tx: Tx,
  actor: NoteActor,
  contactId: string,
  noteId: string,
): Promise<{ note: ContactNote } | Exclude<NoteOutcome, { status: "saved" | "deleted" }>> {
  const access = await editAccessToContact(tx, actor, contactId);
  if (access === null) return NO_CONTACT;
  if (!access) return READ_ONLY;
  const [note] = await tx
    .select()
    .from(contactNotes)
    .where(and(eq(contactNotes.id, noteId), eq(contactNotes.contactId, contactId)))
    .for("update");
  if (!note) return NO_NOTE;
  if (!mayModifyNote({ id: actor.id, hasEditAccess: true }, note)) {
    return { status: "forbidden", message: "This note is private to its author; only they can change it." };
  }
  return { note };
}

export async function updateNote(
  db: Database,
  actor: NoteActor,
  contactId: string,
  noteId: string,
  input: NoteInput,
  now: Date = new Date(),
): Promise<NoteOutcome> {
  return db.transaction(async (tx) => {
    const found = await lockNoteForChange(tx, actor, contactId, noteId);
    if (!("note" in found)) return found;
    // Privacy is the author's choice: a teammate making a shared note private would hide it
    // from themselves and everyone else but the original author.
    if (input.isPrivate !== found.note.isPrivate && found.note.authorId !== actor.id) {
      return { status: "forbidden", message: "Only the note's author can change whether it is private." };
    }
    const [note] = await tx
      .update(contactNotes)
      .set({
        kind: input.kind,
        body: input.body,
        remindOn: input.remindOn,
        isPrivate: input.isPrivate,
        updatedAt: now,
      })
      .where(eq(contactNotes.id, noteId))
      .returning();
    return { status: "saved", note: note! };
  });
}

export async function deleteNote(
  db: Database,
  actor: NoteActor,
  contactId: string,
  noteId: string,
): Promise<NoteOutcome> {
  return db.transaction(async (tx) => {
    const found = await lockNoteForChange(tx, actor, contactId, noteId);
    if (!("note" in found)) return found;
    await tx.delete(contactNotes).where(eq(contactNotes.id, noteId));
    return { status: "deleted" };
  });
}

// ─── Before you call ──────────────────────────────────────────────────────────

/** YYYY-MM-DD of `date` in UTC: the whole app counts calendar days in UTC. */
function utcDay(date: Date): number {
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
}

function isoOf(dayMs: number): string {
  return new Date(dayMs).toISOString().slice(0, 10);
}

/**
 * The next time `date` (a birthday, so any year) comes round, on or after `now`'s day.
 * A 29 February birthday is kept on 28 February in other years.
 */
export function nextAnniversary(date: string, now: Date): { on: string; inDays: number } | null {
  const match = ISO_DATE.exec(date);
  if (!match) return null;
  const [month, day] = [Number(match[2]) - 1, Number(match[3])];
  const today = utcDay(now);
  for (const year of [now.getUTCFullYear(), now.getUTCFullYear() + 1]) {
    const leap = new Date(Date.UTC(year, 1, 29)).getUTCMonth() === 1;
    const candidate = Date.UTC(year, month, month === 1 && day === 29 && !leap ? 28 : day);
    if (candidate >= today) return { on: isoOf(candidate), inDays: Math.round((candidate - today) / DAY_MS) };
  }
  return null;
}

/** Days from `now`'s day to a one-off `date` (negative when it has passed). */
function daysUntil(date: string, now: Date): number | null {
  const match = ISO_DATE.exec(date);
  if (!match) return null;
  const day = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return Math.round((day - utcDay(now)) / DAY_MS);
}

export type BeforeYouCallFact = {
  kind: ContactNoteKind;
  /** The latest note of this kind the viewer may see, or null: the team should find out. */
  note: {
    id: string;
    body: string;
    authorName: string;
    isPrivate: boolean;
    remindOn: string | null;
    updatedAt: Date;
  } | null;
  /** How many older notes of the same kind there are (shown in the full list below). */
  olderCount: number;
};

/**
 * "What should I know before I call them?": who they are, the professional side first,
 * then the personal side, what is coming up (a birthday within two weeks), the last time
 * we spoke with them and the last time they answered a survey. Private notes count only
 * for their author, as everywhere else.
 */
export async function getBeforeYouCall(db: Database, contactId: string, viewerId: string, now: Date) {
  const [contact] = await db
    .select({
      id: contacts.id,
      name: contacts.name,
      email: contacts.email,
      title: contacts.title,
      buyingRole: contacts.buyingRole,
      language: contacts.language,
      optedOutAt: contacts.optedOutAt,
      bouncedAt: contacts.bouncedAt,
    })
    .from(contacts)
    .where(eq(contacts.id, contactId));
  if (!contact) return null;

  const [notes, [lastInteraction], [lastSurveyAnswer]] = await Promise.all([
    db
      .select({
        id: contactNotes.id,
        kind: contactNotes.kind,
        body: contactNotes.body,
        isPrivate: contactNotes.isPrivate,
        remindOn: contactNotes.remindOn,
        updatedAt: contactNotes.updatedAt,
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
      // the latest word on each kind wins: an edited note is as current as a new one
      .orderBy(desc(contactNotes.updatedAt), desc(contactNotes.createdAt), desc(contactNotes.id)),
    db
      .select({
        id: interactions.id,
        kind: interactions.kind,
        occurredAt: interactions.occurredAt,
        summary: interactions.summary,
      })
      .from(interactionContacts)
      .innerJoin(interactions, eq(interactions.id, interactionContacts.interactionId))
      // a meeting logged ahead of time has not happened yet
      .where(and(eq(interactionContacts.contactId, contactId), lte(interactions.occurredAt, now)))
      .orderBy(desc(interactions.occurredAt))
      .limit(1),
    db
      .select({
        completedAt: responses.completedAt,
        source: responses.source,
        title: surveyDefinitions.title,
      })
      .from(responses)
      .innerJoin(surveyVersions, eq(surveyVersions.id, responses.surveyVersionId))
      .innerJoin(surveyDefinitions, eq(surveyDefinitions.id, surveyVersions.definitionId))
      .where(
        and(
          eq(responses.contactId, contactId),
          eq(responses.isComplete, true),
          lte(responses.completedAt, now),
        ),
      )
      .orderBy(desc(responses.completedAt))
      .limit(1),
  ]);

  const factsOf = (kinds: readonly ContactNoteKind[]): BeforeYouCallFact[] =>
    kinds.map((kind) => {
      const ofKind = notes.filter((note) => note.kind === kind);
      const latest = ofKind[0];
      return {
        kind,
        note: latest
          ? {
              id: latest.id,
              body: latest.body,
              authorName: latest.authorName,
              isPrivate: latest.isPrivate,
              remindOn: latest.remindOn,
              updatedAt: latest.updatedAt,
            }
          : null,
        olderCount: Math.max(0, ofKind.length - 1),
      };
    });

  const birthdayNote = notes.find((note) => note.kind === "birthday" && note.remindOn);
  const nextBirthday = birthdayNote?.remindOn ? nextAnniversary(birthdayNote.remindOn, now) : null;
  const birthday = nextBirthday
    ? { ...nextBirthday, soon: nextBirthday.inDays <= COMING_UP_DAYS, noteId: birthdayNote!.id }
    : null;

  // Other dated notes (a daughter's graduation, a product launch) are one-off, not yearly.
  const comingUp = notes
    .filter((note) => note.kind !== "birthday" && note.remindOn)
    .map((note) => ({
      noteId: note.id,
      kind: note.kind,
      body: note.body,
      on: note.remindOn!,
      inDays: daysUntil(note.remindOn!, now)!,
    }))
    .filter((reminder) => reminder.inDays >= 0 && reminder.inDays <= COMING_UP_DAYS)
    .sort((a, b) => a.inDays - b.inDays);

  const professional = factsOf(PROFESSIONAL_NOTE_KINDS);
  return {
    contact,
    sides: [
      { side: "professional" as const, facts: professional },
      { side: "personal" as const, facts: factsOf(PERSONAL_NOTE_KINDS) },
    ],
    /** Professional facts nobody has written down yet: the page prompts the team to find out. */
    missingProfessional: professional.filter((fact) => !fact.note).map((fact) => fact.kind),
    birthday,
    comingUp,
    lastInteraction: lastInteraction ?? null,
    lastSurveyAnswer: lastSurveyAnswer?.completedAt
      ? { ...lastSurveyAnswer, completedAt: lastSurveyAnswer.completedAt }
      : null,
  };
}

export type BeforeYouCall = NonNullable<Awaited<ReturnType<typeof getBeforeYouCall>>>;
