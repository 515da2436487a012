import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import type { ReactNode } from "react";
import { z } from "zod";
import { FormError } from "~/components/form-error";
import { GeneralErrorBoundary } from "~/components/general-error-boundary";
import { TaskStatusBadge, formatDueDay } from "~/components/interview-task-parts";
import { PageHeader } from "~/components/page-header";
import type { AccountAccess } from "~/domain/access";
import {
  accountIdOfInterviewTask,
  cancelInterviewTask,
  getInterviewTask,
  interviewTaskContacts,
  interviewTaskTeam,
  isOverdue,
  updateInterviewTask,
  type TaskChange,
} from "~/domain/interview-tasks.server";
import { isoDay } from "~/domain/winloss-program";
import { isUuid, requireAccountAccess, requireUser } from "~/lib/auth.server";
import { getDb } from "~/lib/db.server";
import { formatCents, humanize } from "~/lib/format";
import { TaskWork, type TaskActionData } from "./task-work";

/** Signed in and allowed `access` to the task's deal's account; an unknown id is a 404. */
async function requireTask(request: Request, taskId: string | undefined, access: AccountAccess) {
  const user = await requireUser(request);
  const accountId = taskId && isUuid(taskId) ? await accountIdOfInterviewTask(getDb(), taskId) : null;
  if (!accountId) throw new Response("No such interview task.", { status: 404 });
  await requireAccountAccess(user, accountId, access);
  return { user, taskId: taskId!, accountId };
}

const intentSchema = z.enum(["update", "cancel"]);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, taskId, accountId } = await requireTask(request, params.taskId, "view");
  const db = getDb();
  const found = await getInterviewTask(db, taskId);
  if (!found) throw new Response("No such interview task.", { status: 404 });
  const today = isoDay(new Date());
  // seeing a manager's account means being on its team, which is edit access too; leaders only read
  const canEdit = user.role !== "leader" && found.task.status === "open";
  const [team, contacts] = canEdit
    ? await Promise.all([interviewTaskTeam(db, accountId), interviewTaskContacts(db, accountId)])
    : [[], []];
  return json({
    ...found,
    overdue: isOverdue(found.task, today),
    canEdit,
    team,
    contacts,
    today,
  });
}

type ActionData = TaskActionData;

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, taskId } = await requireTask(request, params.taskId, "edit");
  const form = Object.fromEntries(await request.formData());
  const intent = intentSchema.safeParse(form.intent);
  if (!intent.success)
    throw new Response("Unknown action: reload the page and use its buttons.", { status: 400 });
  const db = getDb();
  const change: TaskChange =
    intent.data === "update"
      ? await updateInterviewTask(db, taskId, form)
      : await cancelInterviewTask(db, user.id, taskId);
  switch (change.status) {
    case "done":
      return redirect(`/interviews/${taskId}?saved=${intent.data === "update" ? "updated" : "cancelled"}`);
    case "invalid":
      return json<ActionData>(
        { intent: intent.data, formError: null, fieldErrors: change.fieldErrors },
        { status: 400 },
      );
    case "conflict":
      return json<ActionData>(
        { intent: intent.data, formError: change.message, fieldErrors: {} },
        { status: 409 },
      );
    case "not_found":
      throw new Response("No such interview task.", { status: 404 });
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Interview: ${data?.opportunityName ?? "task"} · Rapport` },
];

const notices: Record<string, string> = {
  updated: "Saved.",
  cancelled: "Cancelled. Nobody will hold this interview.",
  recorded: "Interview recorded. The buyer's answers now sit beside the seller's reasons on the deal.",
};

export default function InterviewTaskPage() {
  const data = useLoaderData<typeof loader>();
  const { task } = data;
  const result = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const notice = notices[searchParams.get("saved") ?? ""];
  return (
    <>
      <p className="mb-2 text-sm">
        <Link to="/interviews" className="text-indigo-700 hover:underline">
          ← Interviews
        </Link>
      </p>
      <PageHeader
        title={`Interview: ${data.opportunityName}`}
        description={`${humanize(data.outcome)} at ${data.accountName} · ${formatCents(data.amountCents)}`}
        actions={<TaskStatusBadge status={task.status} />}
      />
      {notice && !result ? (
        <p role="status" className="mb-4 rounded-md bg-emerald-50 p-3 text-sm text-emerald-900">
          {notice}
        </p>
      ) : null}
      {result?.formError ? (
        <div className="mb-4">
          <FormError message={result.formError} />
        </div>
      ) : null}
      <dl className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <Fact label="Deal">
          <Link to={`/opportunities/${task.opportunityId}`} className="text-indigo-700 hover:underline">
            {data.opportunityName}
          </Link>
        </Fact>
        <Fact label="With">
          {task.contactId ? (
            <Link to={`/contacts/${task.contactId}`} className="text-indigo-700 hover:underline">
              {data.contactName}
            </Link>
          ) : (
            "No contact chosen yet"
          )}
        </Fact>
        <Fact label="Assigned to">{data.assigneeName}</Fact>
        <Fact label="Due">
          <time dateTime={task.dueOn}>{formatDueDay(task.dueOn)}</time>
          {data.overdue ? <span className="block text-sm font-medium text-red-700">Overdue</span> : null}
        </Fact>
      </dl>
      {task.status === "done" ? (
        <p className="card mt-6 p-4 text-sm">
          Recorded{task.completedAt ? ` on ${task.completedAt.slice(0, 10)}` : ""}. The answers are on{" "}
          <Link
            to={`/opportunities/${task.opportunityId}`}
            className="font-medium text-indigo-700 hover:underline"
          >
            the deal
          </Link>{" "}
          and in the account&rsquo;s customer view.
        </p>
      ) : null}
      {data.canEdit ? <TaskWork data={data} result={result} /> : null}
    </>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="card p-4">
      <dt className="text-sm text-slate-600">{label}</dt>
      <dd className="mt-1 font-semibold">{children}</dd>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
