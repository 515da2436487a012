import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import surveyStyles from "survey-core/survey-core.fontless.min.css";
import { z } from "zod";
import { EmptyState } from "~/components/empty-state";
import { PageHeader } from "~/components/page-header";
import { SurveyRunner } from "~/components/survey-runner";
import { getContactSummary } from "~/domain/contacts.server";
import { requireContactAccess } from "~/lib/contact-access.server";
import { getInterviewTask, recordTaskInterview } from "~/domain/interview-tasks.server";
import { recordInterview } from "~/domain/responses.server";
import { WINLOSS_INTERVIEW_SLUG } from "~/domain/winloss-program";
import { getSurveyVersion, latestVersionsOfKind } from "~/domain/surveys.server";
import { isUuid } from "~/lib/auth.server";
import { getDb } from "~/lib/db.server";
import { getEnv } from "~/lib/env.server";
import { deliverSoon } from "~/lib/deliver-soon.server";
import { jsonError, readJsonBody } from "~/lib/json-body.server";
import { useRecordInterview } from "./use-record-interview";

const interviewSchema = z.object({
  surveyVersionId: z.string().uuid(),
  data: z.unknown(),
  // a win/loss interview task this interview carries out (docs/winloss-program.md)
  taskId: z.string().uuid().optional(),
});

const NOT_AN_INTERVIEW_GUIDE =
  "That is not an interview guide. Reload the page and choose one of the interview guides.";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: surveyStyles }];

/** An interview-kind version by id, or null (unknown, malformed, or another kind of survey). */
async function findInterviewGuide(versionId: string) {
  if (!isUuid(versionId)) return null;
  const version = await getSurveyVersion(getDb(), versionId);
  return version?.kind === "interview" ? version : null;
}

/**
 * The open interview task `?task=` names, which must be this contact's: null without one;
 * 404 for another contact's or an unknown task, 409 for one already done or cancelled.
 */
async function findOpenTask(taskId: string | null, contactId: string) {
  if (taskId === null) return null;
  const found = isUuid(taskId) ? await getInterviewTask(getDb(), taskId) : null;
  if (!found || found.task.contactId !== contactId) {
    throw new Response("No such interview task for this contact.", { status: 404 });
  }
  if (found.task.status !== "open") {
    throw new Response(
      found.task.status === "done"
        ? "This interview is already recorded."
        : "This interview task was cancelled.",
      { status: 409 },
    );
  }
  return { id: found.task.id, opportunityName: found.opportunityName };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { contactId } = await requireContactAccess(request, params.contactId, "edit");
  const db = getDb();
  // Recording an interview changes the account's customer view, so it needs edit access.
  const [contact, guides] = await Promise.all([
    getContactSummary(db, contactId),
    latestVersionsOfKind(db, ["interview"]),
  ]);
  if (!contact) throw new Response("No such contact.", { status: 404 });
  const searchParams = new URL(request.url).searchParams;
  const task = await findOpenTask(searchParams.get("task"), contactId);
  const requested = searchParams.get("guide");
  // a win/loss interview task opens on the win/loss guide
  const preferred = task ? guides.find((g) => g.slug === WINLOSS_INTERVIEW_SLUG) : undefined;
  const guideId = requested ?? preferred?.versionId ?? guides[0]?.versionId;
  const guide = guideId ? await findInterviewGuide(guideId) : null;
  if (requested && !guide) throw new Response("No such interview guide.", { status: 404 });
  return json({
    contact: {
      id: contact.id,
      name: contact.name,
      firstName: contact.name.split(" ")[0] ?? contact.name,
      accountName: contact.accountName,
    },
    companyName: getEnv().COMPANY_NAME,
    task,
    guides,
    guide: guide
      ? { versionId: guide.id, title: guide.title, version: guide.version, model: guide.model as object }
      : null,
  });
}

/** The finished interview, posted as JSON `{ surveyVersionId, data }` by the page below. */
export async function action({ request, params }: ActionFunctionArgs) {
  const { user, contactId } = await requireContactAccess(request, params.contactId, "edit");
  if (request.method !== "POST") return jsonError(405, "Use POST.");
  const parsed = interviewSchema.safeParse(await readJsonBody(request));
  if (!parsed.success) {
    return jsonError(
      400,
      'The interview is malformed: send { "surveyVersionId": "<guide version id>", "data": { … } }.',
    );
  }
  const { surveyVersionId, data, taskId } = parsed.data;
  if (!(await findInterviewGuide(surveyVersionId))) return jsonError(400, NOT_AN_INTERVIEW_GUIDE);
  const input = { contactId, surveyVersionId, interviewerId: user.id, data };
  const outcome = taskId
    ? await recordTaskInterview(getDb(), { ...input, taskId })
    : await recordInterview(getDb(), input);
  switch (outcome.status) {
    case "closed":
      return jsonError(409, outcome.message);
    case "wrong_contact":
      return jsonError(404, "That interview task is for another contact.");
    case "invalid":
      return jsonError(422, "Some answers need another look.", { errors: outcome.errors });
    case "not_found":
      return jsonError(404, "This contact or interview guide no longer exists.");
    case "completed":
      // the interview opened a Customer 9-1-1 case: its alert goes out now, not at the next minute
      if (outcome.openedCaseId) await deliverSoon("case_alert");
      return json({ responseId: outcome.response.id }, { headers: { "Cache-Control": "no-store" } });
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Interview with ${data?.contact.name ?? "a contact"} · Rapport` },
];

export default function InterviewPage() {
  const { contact, companyName, task, guides, guide } = useLoaderData<typeof loader>();
  return (
    <>
      <p className="mb-2 text-sm">
        <Link to={`/contacts/${contact.id}`} className="text-indigo-700 hover:underline">
          ← {contact.name}
        </Link>
      </p>
      <PageHeader
        title={`Interview with ${contact.name} (${contact.accountName})`}
        description="Ask in your own words; record the customer's answers, not yours. Notes fields are for your observations."
      />
      {task ? (
        <p className="card mb-4 p-4 text-sm">
          The win/loss interview about{" "}
          <Link to={`/interviews/${task.id}`} className="font-medium text-indigo-700 hover:underline">
            {task.opportunityName}
          </Link>
          : the answers are linked to the deal, and saving them completes the task.
        </p>
      ) : null}
      {guides.length > 1 && guide ? (
        <GuidePicker guides={guides} current={guide.versionId} taskId={task?.id} />
      ) : null}
      {guide ? (
        <InterviewGuide
          // a different guide is a different survey model
          key={guide.versionId}
          contactId={contact.id}
          taskId={task?.id}
          guide={guide}
          variables={{ company: companyName, contact: contact.firstName }}
        />
      ) : (
        <EmptyState title="No interview guide yet">
          An admin adds one as a survey of kind &ldquo;interview&rdquo;; the files in surveys/ are imported
          when Rapport starts.
        </EmptyState>
      )}
    </>
  );
}

function InterviewGuide({
  contactId,
  taskId,
  guide,
  variables,
}: {
  contactId: string;
  taskId?: string;
  guide: { versionId: string; title: string; model: object };
  variables: Record<string, string>;
}) {
  const record = useRecordInterview(contactId, guide.versionId, taskId);
  return (
    <section aria-label={guide.title}>
      <SurveyRunner
        json={guide.model}
        variables={variables}
        onSubmit={record}
        completedHtml={`<p>Interview saved. Opening the ${taskId ? "interview task" : "contact page"}…</p>`}
      />
    </section>
  );
}

function GuidePicker({
  guides,
  current,
  taskId,
}: {
  guides: { versionId: string; title: string; version: number }[];
  current: string;
  taskId?: string;
}) {
  return (
    <Form method="get" className="card mb-4 flex flex-wrap items-end gap-2 p-4">
      {taskId ? <input type="hidden" name="task" value={taskId} /> : null}
      <div className="min-w-0 flex-1">
        <label htmlFor="guide" className="block text-sm font-medium">
          Interview guide
        </label>
        <select id="guide" name="guide" className="input mt-1" defaultValue={current}>
          {guides.map((g) => (
            <option key={g.versionId} value={g.versionId}>
              {g.title} (v{g.version})
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="btn-secondary">
        Use this guide
      </button>
    </Form>
  );
}
