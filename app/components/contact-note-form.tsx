import { Form, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import type { ContactNote } from "../../db/schema";
import { FieldError } from "~/components/field-error";
import { NOTE_KIND_GROUPS } from "~/domain/contact-notes";

export type ContactNoteKind = ContactNote["kind"];

/** How each kind reads on screen; a Record so a new kind in the schema fails the typecheck here. */
export const NOTE_KIND_LABELS: Record<ContactNoteKind, string> = {
  career_goal: "Career goal",
  how_measured: "How they are measured",
  keeps_up_at_night: "What keeps them up at night",
  current_priorities: "Current priorities",
  interests: "Interests",
  family: "Family",
  birthday: "Birthday",
  how_we_met: "How we met",
  other: "Something else",
};

/**
 * The question to ask (or to answer in the note) for each kind. "Before you call" shows it
 * where nothing is known yet, so the missing professional facts read as a to-do, not a gap.
 */
export const NOTE_KIND_PROMPTS: Record<ContactNoteKind, string> = {
  career_goal: "Where do they want to be in two years?",
  how_measured: "Which numbers is their bonus or review tied to?",
  keeps_up_at_night: "What worries them about this year?",
  current_priorities: "What are they pushing through this quarter?",
  interests: "What do they do, watch or follow outside work?",
  family: "Partner, children, what they are proud of.",
  birthday: "When is it? Set the date below and we will flag it two weeks ahead.",
  how_we_met: "Who introduced us, where, and when.",
  other: "Anything the next person to call them should know.",
};

export const MAX_NOTE_BODY = 2000;

export type NoteFieldErrors = Partial<Record<"kind" | "body" | "remindOn" | "isPrivate", string>>;

/** What the contact page's action answers to a note form. */
export interface NoteFormResult {
  intent: "add-note" | "edit-note" | "delete-note";
  noteId: string | null;
  ok: boolean;
  fieldErrors: NoteFieldErrors;
}

export interface EditableNote {
  id: string;
  kind: ContactNoteKind;
  body: string;
  remindOn: string | null;
  isPrivate: boolean;
}

/**
 * Adds a note, or edits one (`note` given). Field errors come from the server's zod
 * schema and sit under their field, announced through aria-describedby.
 */
export function ContactNoteForm({
  note,
  result,
  canChangePrivacy = true,
}: {
  note?: EditableNote;
  /** The action's answer, when it is about this form. */
  result?: NoteFormResult;
  /** Privacy is the author's choice: a teammate editing a shared note does not see the box. */
  canChangePrivacy?: boolean;
}) {
  const intent = note ? "edit-note" : "add-note";
  const prefix = note ? `note-${note.id}` : "new-note";
  const navigation = useNavigation();
  const submitting =
    navigation.state === "submitting" &&
    navigation.formData?.get("intent") === intent &&
    (!note || navigation.formData?.get("noteId") === note.id);
  const formRef = useRef<HTMLFormElement>(null);
  const errors = result?.ok === false ? result.fieldErrors : {};

  // A saved new note clears the form for the next one.
  useEffect(() => {
    if (!note && result?.ok) formRef.current?.reset();
  }, [note, result]);

  const describedBy = (field: keyof NoteFieldErrors, help?: string) =>
    [help, errors[field] ? `${prefix}-${field}-error` : null].filter(Boolean).join(" ") || undefined;

  return (
    <Form ref={formRef} method="post" className="space-y-3" noValidate preventScrollReset>
      <input type="hidden" name="intent" value={intent} />
      {note ? <input type="hidden" name="noteId" value={note.id} /> : null}
      <div>
        <label htmlFor={`${prefix}-kind`} className="block text-sm font-medium">
          Kind of note
        </label>
        <select
          id={`${prefix}-kind`}
          name="kind"
          className="input mt-1"
          defaultValue={note?.kind ?? "career_goal"}
          aria-invalid={errors.kind ? true : undefined}
          aria-describedby={describedBy("kind")}
        >
          {NOTE_KIND_GROUPS.map((group) => (
            <optgroup key={group.label} label={group.label}>
              {group.kinds.map((kind) => (
                <option key={kind} value={kind}>
                  {NOTE_KIND_LABELS[kind]}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
        <FieldError id={`${prefix}-kind-error`} message={errors.kind} />
      </div>
      <div>
        <label htmlFor={`${prefix}-body`} className="block text-sm font-medium">
          Note
        </label>
        <textarea
          id={`${prefix}-body`}
          name="body"
          rows={3}
          maxLength={MAX_NOTE_BODY}
          required
          className="input mt-1"
          defaultValue={note?.body}
          placeholder="What did you learn, and from whom?"
          aria-invalid={errors.body ? true : undefined}
          aria-describedby={describedBy("body", `${prefix}-body-help`)}
        />
        <p id={`${prefix}-body-help`} className="mt-1 text-xs text-slate-500">
          Up to {MAX_NOTE_BODY} characters. Write what they said, not what you concluded.
        </p>
        <FieldError id={`${prefix}-body-error`} message={errors.body} />
      </div>
      <div className="flex flex-wrap items-start gap-4">
        <div>
          <label htmlFor={`${prefix}-remindOn`} className="block text-sm font-medium">
            Remind on <span className="font-normal text-slate-500">(optional)</span>
          </label>
          <input
            id={`${prefix}-remindOn`}
            name="remindOn"
            type="date"
            className="input mt-1"
            defaultValue={note?.remindOn ?? ""}
            aria-invalid={errors.remindOn ? true : undefined}
            aria-describedby={describedBy("remindOn", `${prefix}-remindOn-help`)}
          />
          <p id={`${prefix}-remindOn-help`} className="mt-1 max-w-xs text-xs text-slate-500">
            For a birthday, the date (any year): it is flagged two weeks ahead every year.
          </p>
          <FieldError id={`${prefix}-remindOn-error`} message={errors.remindOn} />
        </div>
        {canChangePrivacy ? (
          <div className="pt-6">
            <div className="flex items-center gap-2">
              <input
                id={`${prefix}-isPrivate`}
                name="isPrivate"
                type="checkbox"
                className="h-4 w-4 rounded border-slate-300"
                defaultChecked={note?.isPrivate ?? false}
                aria-describedby={describedBy("isPrivate", `${prefix}-isPrivate-help`)}
              />
              <label htmlFor={`${prefix}-isPrivate`} className="text-sm font-medium">
                Private to me
              </label>
            </div>
            <p id={`${prefix}-isPrivate-help`} className="mt-1 max-w-xs text-xs text-slate-500">
              Nobody else on the team sees a private note.
            </p>
            <FieldError id={`${prefix}-isPrivate-error`} message={errors.isPrivate} />
          </div>
        ) : null}
      </div>
      <button type="submit" className="btn-primary" disabled={submitting}>
        {submitting ? "Saving…" : note ? "Save changes" : "Add note"}
      </button>
    </Form>
  );
}
