import { Form, useNavigation } from "@remix-run/react";
import { EmptyState } from "~/components/empty-state";
import { humanize } from "~/lib/format";

/** What the page's action answers to "Create survey link". */
export interface LinkResult {
  intent: "create-link";
  error: string | null;
  link: string | null;
}

const day = (iso: string) =>
  new Date(iso).toLocaleDateString("en-GB", { dateStyle: "medium", timeZone: "UTC" });

/** The contact's survey links and interviews, and (for the team) a way to make a new link. */
export function SurveysSection({
  canCreateLink,
  optedOut,
  availableSurveys,
  surveys,
  interviews,
  result,
}: {
  canCreateLink: boolean;
  optedOut: boolean;
  availableSurveys: { versionId: string; title: string; version: number }[];
  surveys: { invitationId: string; title: string; version: number; status: string }[];
  interviews: {
    responseId: string;
    title: string;
    interviewerName: string | null;
    completedAt: string | null;
  }[];
  result: LinkResult | undefined;
}) {
  return (
    <section aria-labelledby="surveys-heading">
      <h2 id="surveys-heading" className="mb-3 text-lg font-semibold">
        Surveys
      </h2>
      {canCreateLink ? <CreateLink surveys={availableSurveys} result={result} /> : null}
      {optedOut ? (
        <p className="mb-4 text-sm text-slate-600">No new survey links: they opted out of surveys.</p>
      ) : null}
      {interviews.length > 0 ? (
        <ul className="card mb-4 divide-y divide-slate-100" aria-label="Interviews">
          {interviews.map((i) => (
            <li
              key={i.responseId}
              className="flex flex-wrap items-center justify-between gap-2 px-4 py-3 text-sm"
            >
              <span>
                {i.title}{" "}
                <span className="text-slate-500">by {i.interviewerName ?? "a former colleague"}</span>
              </span>
              <span className="rounded-full bg-indigo-50 px-2 py-1 text-xs text-indigo-800">
                Interview
                {i.completedAt ? `, ${day(i.completedAt)}` : ""}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
      {surveys.length === 0 && interviews.length === 0 ? (
        <EmptyState title="No surveys yet">
          Survey links and interviews for this contact appear here.
        </EmptyState>
      ) : (
        <ul className="card divide-y divide-slate-100" aria-label="Survey links">
          {surveys.map((s) => (
            <li
              key={s.invitationId}
              className="flex flex-wrap items-center justify-between gap-2 px-4 py-3 text-sm"
            >
              <span>
                {s.title} <span className="text-slate-500">v{s.version}</span>
              </span>
              <span className="rounded-full bg-slate-100 px-2 py-1 text-xs">{humanize(s.status)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function CreateLink({
  surveys,
  result,
}: {
  surveys: { versionId: string; title: string; version: number }[];
  result: LinkResult | undefined;
}) {
  const navigation = useNavigation();
  // other forms on the page (notes) must not make this button look busy
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "create-link";
  return (
    <div className="card mb-4 p-4">
      <Form method="post" className="flex flex-wrap items-end gap-2" preventScrollReset>
        <input type="hidden" name="intent" value="create-link" />
        <div className="min-w-0 flex-1">
          <label htmlFor="surveyVersionId" className="block text-sm font-medium">
            Survey to send
          </label>
          <select id="surveyVersionId" name="surveyVersionId" className="input mt-1" required>
            {surveys.map((s) => (
              <option key={s.versionId} value={s.versionId}>
                {s.title} (v{s.version})
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="btn-primary" disabled={busy || surveys.length === 0}>
          {busy ? "Creating…" : "Create survey link"}
        </button>
      </Form>
      {result?.error ? (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {result.error}
        </p>
      ) : null}
      {result?.link ? (
        <div className="mt-3">
          <label htmlFor="survey-link" className="block text-sm font-medium">
            Link for this contact (shown once — copy it now)
          </label>
          <input
            id="survey-link"
            readOnly
            value={result.link}
            className="input mt-1 font-mono text-xs"
            onFocus={(e) => e.currentTarget.select()}
          />
        </div>
      ) : null}
    </div>
  );
}
