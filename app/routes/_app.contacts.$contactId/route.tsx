import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { BeforeYouCall } from "~/components/before-you-call";
import { FlashNotice } from "~/components/flash-notice";
import type { NoteFormResult } from "~/components/contact-note-form";
import { PageHeader } from "~/components/page-header";
import {
  addNote,
  deleteNote,
  getBeforeYouCall,
  mayModifyNote,
  noteFieldErrors,
  noteInputSchema,
  updateNote,
  type NoteOutcome,
} from "~/domain/contact-notes.server";
import { mayHandlePrivacyRequests } from "~/domain/contact-privacy";
import { getContactOverview } from "~/domain/contacts.server";
import { createSurveyLink } from "~/domain/survey-links.server";
import { latestVersionsOfKind } from "~/domain/surveys.server";
import { isUuid } from "~/lib/auth.server";
import { requireContactAccess } from "~/lib/contact-access.server";
import { getDb } from "~/lib/db.server";
import { humanize } from "~/lib/format";
import type { SessionUser } from "~/lib/session.server";
import { NotesSection } from "./notes-section";
import { PrivacySection, type EraseResult } from "./privacy-section";
import { eraseContactAction } from "./privacy-section.server";
import { SurveysSection, type LinkResult } from "./surveys-section";

const linkSchema = z.object({
  intent: z.literal("create-link"),
  surveyVersionId: z.string().uuid("Choose a survey."),
});

const NOTE_INTENTS = ["add-note", "edit-note", "delete-note"] as const;
type NoteIntent = (typeof NOTE_INTENTS)[number];
const isNoteIntent = (value: unknown): value is NoteIntent => NOTE_INTENTS.includes(value as NoteIntent);

type ContactActionData = LinkResult | NoteFormResult | EraseResult;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, contactId } = await requireContactAccess(request, params.contactId, "view");
  const db = getDb();
  const [overview, beforeYouCall, availableSurveys] = await Promise.all([
    getContactOverview(db, contactId, user.id),
    getBeforeYouCall(db, contactId, user.id, new Date()),
    latestVersionsOfKind(db, ["relationship", "winloss"]),
  ]);
  if (!overview || !beforeYouCall) throw new Response("No such contact.", { status: 404 });
  // The guard let them view; everyone who may view a contact may also edit it, except leaders.
  const canEdit = user.role !== "leader";
  const notes = overview.notes.map((note) => ({
    ...note,
    canModify: mayModifyNote({ id: user.id, hasEditAccess: canEdit }, note),
    isMine: note.authorId === user.id,
  }));
  const canHandlePrivacy = mayHandlePrivacyRequests(user);
  return json({ ...overview, notes, beforeYouCall, availableSurveys, canEdit, canHandlePrivacy });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, contactId } = await requireContactAccess(request, params.contactId, "edit");
  const form = Object.fromEntries(await request.formData());
  if (isNoteIntent(form.intent)) return noteAction(user, contactId, form.intent, form);
  if (form.intent === "erase-contact") return eraseContactAction(user, contactId, form);
  const parsed = linkSchema.safeParse(form);
  if (!parsed.success) {
    return json<ContactActionData>(
      { intent: "create-link", error: parsed.error.issues[0]?.message ?? "Choose a survey.", link: null },
      { status: 400 },
    );
  }
  const { token } = await createSurveyLink(getDb(), {
    contactId,
    surveyVersionId: parsed.data.surveyVersionId,
    createdById: user.id,
  });
  const link = new URL(`/s/${token}`, new URL(request.url).origin).toString();
  return json<ContactActionData>({ intent: "create-link", error: null, link });
}

/** Add, edit or delete a note; who may do which is the domain's rule (403 and 404 come from it). */
async function noteAction(
  user: SessionUser,
  contactId: string,
  intent: NoteIntent,
  form: Record<string, FormDataEntryValue>,
) {
  const noteId = intent === "add-note" ? null : String(form.noteId ?? "");
  if (noteId !== null && !isUuid(noteId)) {
    throw new Response("No such note on this contact.", { status: 404 });
  }
  const db = getDb();
  let outcome: NoteOutcome;
  if (intent === "delete-note") {
    outcome = await deleteNote(db, user, contactId, noteId!);
  } else {
    const parsed = noteInputSchema.safeParse(form);
    if (!parsed.success) {
      return json<ContactActionData>(
        { intent, noteId, ok: false, fieldErrors: noteFieldErrors(parsed.error) },
        { status: 400 },
      );
    }
    outcome =
      noteId === null
        ? await addNote(db, user, contactId, parsed.data)
        : await updateNote(db, user, contactId, noteId, parsed.data);
  }
  if (outcome.status === "forbidden") throw new Response(outcome.message, { status: 403 });
  if (outcome.status === "not_found") throw new Response(outcome.message, { status: 404 });
  return json<ContactActionData>({
    intent,
    noteId: outcome.status === "saved" ? outcome.note.id : noteId,
    ok: true,
    fieldErrors: {},
  });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.contact.name ?? "Contact"} · Rapport` },
];

export default function ContactPage() {
  const { contact, notes, surveys, interviews, availableSurveys, canEdit, beforeYouCall, canHandlePrivacy } =
    useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const noteResult =
    actionData && actionData.intent !== "create-link" && actionData.intent !== "erase-contact"
      ? actionData
      : undefined;
  const eraseResult = actionData?.intent === "erase-contact" ? actionData : undefined;
  const linkResult = actionData?.intent === "create-link" ? actionData : undefined;
  return (
    <>
      <p className="mb-2 text-sm">
        <Link to={`/accounts/${contact.accountId}`} className="text-indigo-700 hover:underline">
          ← {contact.accountName}
        </Link>
      </p>
      <PageHeader
        title={contact.name}
        description={[contact.title, humanize(contact.buyingRole), contact.email].filter(Boolean).join(" · ")}
        actions={
          canEdit ? (
            <div className="flex flex-wrap gap-2">
              <Link
                to={`/log?contactId=${contact.id}&returnTo=${encodeURIComponent(`/contacts/${contact.id}`)}`}
                className="btn-primary"
              >
                Log interaction
              </Link>
              <Link to="edit" className="btn-secondary">
                Edit details
              </Link>
              <Link to="interview" className="btn-secondary">
                Record an interview
              </Link>
            </div>
          ) : null
        }
      />
      <FlashNotice
        messages={{
          interview: `Interview recorded. It counts in ${contact.accountName}’s customer view like any survey answer.`,
          details: `${contact.name}’s details are saved.`,
          logged: "Logged. It is on the account’s ledger and timeline.",
        }}
      />
      <BeforeYouCall data={beforeYouCall} />
      <div className="grid gap-6 lg:grid-cols-2">
        <NotesSection notes={notes} canEdit={canEdit} result={noteResult} />
        <SurveysSection
          canCreateLink={canEdit && !contact.optedOutAt}
          optedOut={Boolean(contact.optedOutAt)}
          availableSurveys={availableSurveys}
          surveys={surveys}
          interviews={interviews}
          result={linkResult}
        />
      </div>
      {canHandlePrivacy ? (
        <PrivacySection contactId={contact.id} contactName={contact.name} result={eraseResult} />
      ) : null}
    </>
  );
}
