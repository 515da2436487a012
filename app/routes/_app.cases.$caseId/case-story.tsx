import type { SerializeFrom } from "@remix-run/node";
import { formatCaseTime } from "~/components/case-badges";
import type { CaseTrigger } from "~/domain/cases";
import { humanize } from "~/lib/format";
import type { loader } from "./route";

type Detail = SerializeFrom<typeof loader>;
type ResponseView = NonNullable<Detail["response"]>;

const SOURCE_WORDS: Record<string, string> = {
  email: "from an emailed survey",
  link: "from a survey link",
  interview: "in an interview",
};

function ScoresTable({ scores, caption }: { scores: ResponseView["scores"]; caption: string }) {
  return (
    <table className="mt-3 min-w-full divide-y divide-slate-200 text-sm">
      <caption className="sr-only">{caption}</caption>
      <thead className="text-left text-slate-600">
        <tr>
          <th scope="col" className="py-1 pr-3 font-medium">
            Question
          </th>
          <th scope="col" className="py-1 pr-3 font-medium">
            Dimension
          </th>
          <th scope="col" className="py-1 text-right font-medium">
            Score
          </th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {scores.map((s) => (
          <tr key={s.question}>
            <td className="py-1 pr-3">{s.title}</td>
            <td className="py-1 pr-3">{humanize(s.dimension)}</td>
            <td
              className={`py-1 text-right tabular-nums ${s.value <= 25 || (s.dimension === "advocacy" && s.value <= 60) ? "font-semibold text-red-700" : ""}`}
            >
              {s.value}
              <span className="text-slate-400">/100</span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Comments({ comments }: { comments: ResponseView["comments"] }) {
  if (comments.length === 0) return <p className="mt-3 text-sm text-slate-600">No comments written.</p>;
  return (
    <ul className="mt-3 space-y-3">
      {comments.map((c) => (
        <li key={c.question}>
          <p className="text-xs text-slate-600">{c.title}</p>
          <blockquote className="border-l-4 border-slate-300 pl-3 italic">“{c.text}”</blockquote>
        </li>
      ))}
    </ul>
  );
}

/** The response that opened the case: its scores and the customer's own words. */
export function CustomerSaid({ response, trigger }: { response: Detail["response"]; trigger: CaseTrigger }) {
  return (
    <section aria-labelledby="customer-said" className="card p-4">
      <h2 id="customer-said" className="text-lg font-semibold">
        What the customer said
      </h2>
      {response ? (
        <>
          <p className="mt-1 text-sm text-slate-600">
            “{response.surveyTitle}”, answered {SOURCE_WORDS[response.source] ?? ""}
            {response.interviewerName ? ` with ${response.interviewerName}` : ""}
            {response.completedAt ? ` on ${formatCaseTime(response.completedAt)}` : ""}.
            {trigger === "help_requested" && response.helpRequestedAt
              ? ` Pressed “I need help now” on ${formatCaseTime(response.helpRequestedAt)}.`
              : ""}
          </p>
          {response.scores.length > 0 ? (
            <ScoresTable scores={response.scores} caption="Scores in the response, 0–100" />
          ) : null}
          <h3 className="mt-4 font-medium">In their words</h3>
          <Comments comments={response.comments} />
        </>
      ) : (
        <p className="mt-1 text-sm text-slate-600">This case was not opened from a survey answer.</p>
      )}
    </section>
  );
}

/** The short pulse sent on resolving, and what came back. */
export function RecoveryPulse({ recovery }: { recovery: NonNullable<Detail["recovery"]> }) {
  return (
    <section aria-labelledby="recovery-pulse" className="card p-4">
      <h2 id="recovery-pulse" className="text-lg font-semibold">
        Recovery pulse
      </h2>
      <p className="mt-1 text-sm text-slate-600">
        Sent {formatCaseTime(recovery.createdAt)} · {humanize(recovery.status)}
        {recovery.expiresAt && !recovery.response
          ? ` · the link works until ${formatCaseTime(recovery.expiresAt)}`
          : ""}
      </p>
      {recovery.response ? (
        <>
          <ScoresTable scores={recovery.response.scores} caption="The recovery pulse's answers, 0–100" />
          <Comments comments={recovery.response.comments} />
        </>
      ) : (
        <p className="mt-2 text-sm">No answer yet.</p>
      )}
    </section>
  );
}

const NOTE_WORDS: Record<string, string> = {
  note: "added a note",
  acknowledged: "acknowledged the case",
  resolved: "resolved the case",
  recovery_pulse: "recovery pulse",
};

/** Opening, then every note and status change in order, with who made it. */
export function CaseTimeline({
  openedAt,
  ownerName,
  summary,
  notes,
}: {
  openedAt: string;
  ownerName: string;
  summary: string;
  notes: Detail["notes"];
}) {
  return (
    <section aria-labelledby="case-timeline" className="card p-4">
      <h2 id="case-timeline" className="text-lg font-semibold">
        Timeline
      </h2>
      <ol className="mt-3 space-y-3 border-l-2 border-slate-200 pl-4" aria-label="Case timeline">
        <li>
          <p className="text-xs text-slate-600">
            <time dateTime={openedAt}>{formatCaseTime(openedAt)}</time> · Case opened and assigned to{" "}
            {ownerName}
          </p>
          <p className="text-sm">{summary}</p>
        </li>
        {notes.map((note) => (
          <li key={note.id}>
            <p className="text-xs text-slate-600">
              <time dateTime={note.createdAt}>{formatCaseTime(note.createdAt)}</time> ·{" "}
              {note.authorName ?? "A former colleague"} {NOTE_WORDS[note.kind] ?? note.kind}
            </p>
            {note.body ? <p className="whitespace-pre-line text-sm">{note.body}</p> : null}
          </li>
        ))}
      </ol>
    </section>
  );
}
