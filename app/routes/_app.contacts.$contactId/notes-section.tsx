import { Form, useNavigation } from "@remix-run/react";
import { EmptyState } from "~/components/empty-state";
import {
  ContactNoteForm,
  NOTE_KIND_LABELS,
  type ContactNoteKind,
  type NoteFormResult,
} from "~/components/contact-note-form";
import { PERSONAL_NOTE_KINDS, PROFESSIONAL_NOTE_KINDS } from "~/domain/contact-notes";

export interface NoteRow {
  id: string;
  kind: ContactNoteKind;
  body: string;
  isPrivate: boolean;
  remindOn: string | null;
  createdAt: string;
  updatedAt: string;
  authorName: string;
  canModify: boolean;
  isMine: boolean;
}

const day = (iso: string) =>
  new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso).toLocaleDateString("en-GB", {
    dateStyle: "medium",
    timeZone: "UTC",
  });

/**
 * Every note the viewer may see, professional side first, each signed and dated, with
 * edit and delete for those the viewer may change; and the form to add one.
 */
export function NotesSection({
  notes,
  canEdit,
  result,
}: {
  notes: NoteRow[];
  canEdit: boolean;
  result: NoteFormResult | undefined;
}) {
  const groups = [
    {
      title: "Professional",
      notes: notes.filter((n) => (PROFESSIONAL_NOTE_KINDS as readonly string[]).includes(n.kind)),
    },
    {
      title: "Personal",
      notes: notes.filter((n) => (PERSONAL_NOTE_KINDS as readonly string[]).includes(n.kind)),
    },
    {
      title: "Other",
      notes: notes.filter(
        (n) =>
          !(PROFESSIONAL_NOTE_KINDS as readonly string[]).includes(n.kind) &&
          !(PERSONAL_NOTE_KINDS as readonly string[]).includes(n.kind),
      ),
    },
  ].filter((group) => group.notes.length > 0);
  const done = result?.ok
    ? { "add-note": "Note added.", "edit-note": "Note saved.", "delete-note": "Note deleted." }[result.intent]
    : null;

  return (
    <section aria-labelledby="notes-heading">
      <h2 id="notes-heading" className="mb-3 text-lg font-semibold">
        What the team knows
      </h2>
      {done ? (
        <p role="status" className="mb-3 rounded-md bg-emerald-50 p-3 text-sm text-emerald-900">
          {done}
        </p>
      ) : null}
      {canEdit ? (
        <details className="card mb-4 p-4" open={notes.length === 0 || result?.intent === "add-note"}>
          <summary className="cursor-pointer text-sm font-semibold">Add a note</summary>
          <div className="mt-3">
            <ContactNoteForm result={result?.intent === "add-note" ? result : undefined} />
          </div>
        </details>
      ) : null}
      {notes.length === 0 ? (
        <EmptyState title="No notes yet">
          Start with the professional side: their career goal, how they are measured, what keeps them up at
          night.
        </EmptyState>
      ) : (
        groups.map((group) => (
          <div key={group.title} className="mb-4">
            <h3 className="mb-2 text-sm font-semibold uppercase tracking-wide text-slate-500">
              {group.title}
            </h3>
            <ul className="card divide-y divide-slate-100" aria-label={`${group.title} notes`}>
              {group.notes.map((note) => (
                // a saved edit changes updatedAt, which remounts the item and closes its edit panel
                <NoteItem
                  key={`${note.id}-${note.updatedAt}`}
                  note={note}
                  result={result?.noteId === note.id ? result : undefined}
                />
              ))}
            </ul>
          </div>
        ))
      )}
    </section>
  );
}

function NoteItem({ note, result }: { note: NoteRow; result: NoteFormResult | undefined }) {
  const navigation = useNavigation();
  const deleting =
    navigation.state === "submitting" &&
    navigation.formData?.get("intent") === "delete-note" &&
    navigation.formData?.get("noteId") === note.id;
  const edited = new Date(note.updatedAt).getTime() > new Date(note.createdAt).getTime();
  return (
    <li className="px-4 py-3">
      <p className="text-xs font-medium uppercase tracking-wide text-slate-500">
        {NOTE_KIND_LABELS[note.kind]}
        {note.isPrivate ? " · private to you" : ""}
        {note.remindOn
          ? ` · ${note.kind === "birthday" ? "birthday" : "remind on"} ${day(note.remindOn)}`
          : ""}
      </p>
      <p className="mt-1 whitespace-pre-line text-sm">{note.body}</p>
      <p className="mt-1 text-xs text-slate-500">
        {note.authorName}, {day(note.createdAt)}
        {edited ? ` · edited ${day(note.updatedAt)}` : ""}
      </p>
      {note.canModify ? (
        <div className="mt-2 flex flex-wrap gap-4 text-sm">
          <details className="w-full" open={result?.intent === "edit-note" && !result.ok}>
            <summary className="cursor-pointer text-indigo-700">
              Edit <span className="sr-only">this {NOTE_KIND_LABELS[note.kind].toLowerCase()} note</span>
            </summary>
            <div className="mt-2">
              <ContactNoteForm
                note={note}
                result={result?.intent === "edit-note" ? result : undefined}
                canChangePrivacy={note.isMine}
              />
            </div>
          </details>
          <details className="w-full">
            <summary className="cursor-pointer text-red-700">
              Delete <span className="sr-only">this {NOTE_KIND_LABELS[note.kind].toLowerCase()} note</span>
            </summary>
            <Form method="post" className="mt-2 flex flex-wrap items-center gap-3" preventScrollReset>
              <input type="hidden" name="intent" value="delete-note" />
              <input type="hidden" name="noteId" value={note.id} />
              <span className="text-sm text-slate-700">Delete this note? It cannot be undone.</span>
              <button
                type="submit"
                className="btn bg-red-600 text-white hover:bg-red-700"
                disabled={deleting}
              >
                {deleting ? "Deleting…" : "Yes, delete this note"}
              </button>
            </Form>
          </details>
        </div>
      ) : null}
    </li>
  );
}
