import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { EmptyState } from "~/components/empty-state";
import { PageHeader } from "~/components/page-header";
import { getContactOverview } from "~/domain/contacts.server";
import { requireContactAccess } from "~/lib/contact-access.server";
import { createSurveyLink } from "~/domain/survey-links.server";
import { latestVersionsOfKind } from "~/domain/surveys.server";
import { getDb } from "~/lib/db.server";
import { humanize } from "~/lib/format";

const linkSchema = z.object({
  intent: z.literal("create-link"),
  surveyVersionId: z.string().uuid("Choose a survey."),
});

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, contactId } = await requireContactAccess(request, params.contactId, "view");
  const db = getDb();
  const [overview, availableSurveys] = await Promise.all([
    getContactOverview(db, contactId, user.id),
    latestVersionsOfKind(db, ["relationship", "winloss"]),
  ]);
  if (!overview) throw new Response("No such contact.", { status: 404 });
  return json({ ...overview, availableSurveys, canEdit: user.role !== "leader" });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, contactId } = await requireContactAccess(request, params.contactId, "edit");
  const parsed = linkSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) {
    return json(
      { error: parsed.error.issues[0]?.message ?? "Choose a survey.", link: null },
      { status: 400 },
    );
  }
  const { token } = await createSurveyLink(getDb(), {
    contactId,
    surveyVersionId: parsed.data.surveyVersionId,
    createdById: user.id,
  });
  const link = new URL(`/s/${token}`, new URL(request.url).origin).toString();
  return json({ error: null, link });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.contact.name ?? "Contact"} · Rapport` },
];

export default function ContactPage() {
  const { contact, notes, surveys, interviews, availableSurveys, canEdit } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
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
            <Link to="interview" className="btn-secondary">
              Record an interview
            </Link>
          ) : null
        }
      />
      {searchParams.get("interview") === "recorded" ? (
        <p role="status" className="mb-4 rounded-md bg-emerald-50 p-3 text-sm text-emerald-900">
          Interview recorded. It counts in {contact.accountName}’s customer view like any survey answer.
        </p>
      ) : null}
      {contact.optedOutAt ? (
        <p className="mb-4 rounded-md bg-amber-50 p-3 text-sm text-amber-900">
          {contact.name.split(" ")[0]} opted out of surveys. Do not send them survey links.
        </p>
      ) : null}
      <div className="grid gap-6 lg:grid-cols-2">
        <section aria-labelledby="notes-heading">
          <h2 id="notes-heading" className="mb-3 text-lg font-semibold">
            What the team knows
          </h2>
          {notes.length === 0 ? (
            <EmptyState title="No notes yet">
              Start with the professional side: their career goal, how they are measured, what keeps them up
              at night.
            </EmptyState>
          ) : (
            <ul className="card divide-y divide-slate-100">
              {notes.map((note) => (
                <li key={note.id} className="px-4 py-3">
                  <p className="text-xs font-medium uppercase tracking-wide text-slate-500">
                    {humanize(note.kind)}
                    {note.isPrivate ? " · private to you" : ""}
                  </p>
                  <p className="mt-1 text-sm">{note.body}</p>
                  <p className="mt-1 text-xs text-slate-500">
                    {note.authorName},{" "}
                    {new Date(note.createdAt).toLocaleDateString("en-GB", {
                      dateStyle: "medium",
                      timeZone: "UTC",
                    })}
                  </p>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section aria-labelledby="surveys-heading">
          <h2 id="surveys-heading" className="mb-3 text-lg font-semibold">
            Surveys
          </h2>
          {canEdit && !contact.optedOutAt ? <CreateLink surveys={availableSurveys} /> : null}
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
                    {i.completedAt
                      ? `, ${new Date(i.completedAt).toLocaleDateString("en-GB", { dateStyle: "medium", timeZone: "UTC" })}`
                      : ""}
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
      </div>
    </>
  );
}

function CreateLink({ surveys }: { surveys: { versionId: string; title: string; version: number }[] }) {
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  return (
    <div className="card mb-4 p-4">
      <Form method="post" className="flex flex-wrap items-end gap-2">
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
      {actionData?.error ? (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {actionData.error}
        </p>
      ) : null}
      {actionData?.link ? (
        <div className="mt-3">
          <label htmlFor="survey-link" className="block text-sm font-medium">
            Link for this contact (shown once — copy it now)
          </label>
          <input
            id="survey-link"
            readOnly
            value={actionData.link}
            className="input mt-1 font-mono text-xs"
            onFocus={(e) => e.currentTarget.select()}
          />
        </div>
      ) : null}
    </div>
  );
}
