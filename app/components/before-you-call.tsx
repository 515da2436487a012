import { humanize } from "~/lib/format";
import { NOTE_KIND_LABELS, NOTE_KIND_PROMPTS, type ContactNoteKind } from "./contact-note-form";

/** getBeforeYouCall's answer as it arrives in the browser (dates as ISO strings). */
export interface BeforeYouCallData {
  contact: {
    name: string;
    email: string | null;
    title: string | null;
    buyingRole: string;
    language: string;
    optedOutAt: string | null;
    bouncedAt: string | null;
  };
  sides: {
    side: "professional" | "personal";
    facts: {
      kind: ContactNoteKind;
      note: { id: string; body: string; authorName: string; isPrivate: boolean; updatedAt: string } | null;
      olderCount: number;
    }[];
  }[];
  missingProfessional: ContactNoteKind[];
  birthday: { on: string; inDays: number; soon: boolean } | null;
  comingUp: { noteId: string; kind: ContactNoteKind; body: string; on: string; inDays: number }[];
  lastInteraction: { kind: string; occurredAt: string; summary: string } | null;
  lastSurveyAnswer: { completedAt: string; source: string; title: string } | null;
}

const day = (iso: string) =>
  new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso).toLocaleDateString("en-GB", {
    dateStyle: "medium",
    timeZone: "UTC",
  });

const dayAndMonth = (iso: string) =>
  new Date(`${iso}T00:00:00Z`).toLocaleDateString("en-GB", {
    day: "numeric",
    month: "long",
    timeZone: "UTC",
  });

/** "de" → "German"; a code the runtime does not know is shown as it is. */
function languageName(code: string): string {
  try {
    return new Intl.DisplayNames(["en"], { type: "language" }).of(code) ?? code;
  } catch {
    return code;
  }
}

function whenFromNow(inDays: number): string {
  if (inDays === 0) return "today";
  if (inDays === 1) return "tomorrow";
  return `in ${inDays} days`;
}

const SIDE_TITLES = { professional: "Professional", personal: "Personal" } as const;

/**
 * The top of a contact's page: "what should I know before I call them?" in one glance —
 * who they are, the professional side first (with what to ask where nothing is known), the
 * personal side, a birthday coming up, and the last time we and they spoke.
 */
export function BeforeYouCall({ data }: { data: BeforeYouCallData }) {
  const { contact, birthday, comingUp, lastInteraction, lastSurveyAnswer } = data;
  const firstName = contact.name.split(" ")[0] || contact.name;
  return (
    <section aria-labelledby="before-you-call-heading" className="card mb-6 p-4 sm:p-6">
      <h2 id="before-you-call-heading" className="text-lg font-semibold">
        Before you call {firstName}
      </h2>
      <p className="mt-1 text-sm text-slate-700">
        {humanize(contact.buyingRole)} in the buying group
        {contact.title ? ` · ${contact.title}` : " · no title recorded"} · speaks{" "}
        {languageName(contact.language)}
      </p>

      {contact.optedOutAt || contact.bouncedAt || (birthday?.soon ?? false) || comingUp.length > 0 ? (
        <ul className="mt-3 space-y-2 text-sm" aria-label="Heads-up">
          {contact.optedOutAt ? (
            <li className="rounded-md bg-amber-50 px-3 py-2 font-medium text-amber-900">
              Opted out of surveys on {day(contact.optedOutAt)}: do not send them survey links.
            </li>
          ) : null}
          {contact.bouncedAt ? (
            <li className="rounded-md bg-amber-50 px-3 py-2 text-amber-900">
              Email to {contact.email ?? "their address"} bounced on {day(contact.bouncedAt)}: check the
              address on the call.
            </li>
          ) : null}
          {birthday?.soon ? (
            <li className="rounded-md bg-rose-50 px-3 py-2 font-medium text-rose-900">
              Birthday {whenFromNow(birthday.inDays)} ({dayAndMonth(birthday.on)}).
            </li>
          ) : null}
          {comingUp.map((reminder) => (
            <li key={reminder.noteId} className="rounded-md bg-indigo-50 px-3 py-2 text-indigo-900">
              {whenFromNow(reminder.inDays).replace(/^./, (c) => c.toUpperCase())} ({day(reminder.on)}):{" "}
              {NOTE_KIND_LABELS[reminder.kind].toLowerCase()} — {reminder.body}
            </li>
          ))}
        </ul>
      ) : null}

      <div className="mt-4 grid gap-4 md:grid-cols-2">
        {data.sides.map(({ side, facts }) => (
          <div key={side}>
            <h3 className="text-sm font-semibold uppercase tracking-wide text-slate-500">
              {SIDE_TITLES[side]}
            </h3>
            <dl className="mt-2 space-y-2">
              {facts.map(({ kind, note, olderCount }) => (
                <div key={kind}>
                  <dt className="text-xs font-medium text-slate-500">{NOTE_KIND_LABELS[kind]}</dt>
                  {note ? (
                    <dd className="text-sm">
                      {note.body}
                      <span className="block text-xs text-slate-500">
                        {note.authorName}, {day(note.updatedAt)}
                        {note.isPrivate ? " · private to you" : ""}
                        {olderCount > 0 ? ` · ${olderCount} older below` : ""}
                      </span>
                    </dd>
                  ) : side === "professional" ? (
                    <dd className="text-sm text-indigo-800">Find out: {NOTE_KIND_PROMPTS[kind]}</dd>
                  ) : (
                    <dd className="text-sm text-slate-400">Not known yet</dd>
                  )}
                </div>
              ))}
            </dl>
          </div>
        ))}
      </div>
      {data.missingProfessional.length === 4 ? (
        <p className="mt-3 text-sm text-slate-600">
          Nobody has written down the professional side yet. Most teams know the hobbies and not the career
          goal: ask about it on this call.
        </p>
      ) : null}

      <dl className="mt-4 grid gap-4 border-t border-slate-100 pt-4 text-sm sm:grid-cols-2">
        <div>
          <dt className="text-xs font-medium text-slate-500">Last interaction with them</dt>
          <dd>
            {lastInteraction ? (
              <>
                {humanize(lastInteraction.kind)} on {day(lastInteraction.occurredAt)}
                {lastInteraction.summary ? (
                  <span className="block text-slate-600">{lastInteraction.summary}</span>
                ) : null}
              </>
            ) : (
              "None logged with them yet."
            )}
          </dd>
        </div>
        <div>
          <dt className="text-xs font-medium text-slate-500">Last survey answer</dt>
          <dd>
            {lastSurveyAnswer
              ? `${day(lastSurveyAnswer.completedAt)} · ${lastSurveyAnswer.title}${
                  lastSurveyAnswer.source === "interview" ? " (interview)" : ""
                }`
              : "They have not answered a survey yet."}
          </dd>
        </div>
      </dl>
    </section>
  );
}
