import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { EmptyState } from "~/components/empty-state";
import { GeneralErrorBoundary } from "~/components/general-error-boundary";
import { PageHeader } from "~/components/page-header";
import { Pagination } from "~/components/pagination";
import { interviewListQuerySchema, listInterviewTasks } from "~/domain/interview-tasks.server";
import { isoDay } from "~/domain/winloss-program";
import { requireUser } from "~/lib/auth.server";
import { getDb } from "~/lib/db.server";
import { humanize } from "~/lib/format";
import { TaskStatusBadge, daysBetween, formatDueDay } from "~/components/interview-task-parts";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const query = interviewListQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const today = isoDay(new Date());
  const list = await listInterviewTasks(getDb(), user, query, today);
  return json({
    ...list,
    status: query.status,
    today,
    // leaders read; the account team and admins act
    canAct: user.role !== "leader",
    seesEveryAccount: user.role !== "manager",
  });
}

export const meta: MetaFunction = () => [{ title: "Interviews · Rapport" }];

const STATUS_LABELS = { open: "Open", done: "Done", cancelled: "Cancelled", all: "Any status" } as const;

export default function Interviews() {
  const { rows, total, page, pageSize, scope, status, today, canAct, seesEveryAccount } =
    useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const location = useLocation();
  const loading = navigation.state === "loading";
  return (
    <>
      <PageHeader
        title="Win/loss interviews"
        description="Conversations to hold with the buyers of closed deals, opened by the win/loss rules. Open ones first, the most overdue on top."
      />
      <Form
        key={location.search}
        method="get"
        role="search"
        aria-label="Filter interviews"
        className="card mb-4 flex flex-wrap items-end gap-3 p-4"
      >
        <div>
          <label htmlFor="interview-scope" className="block text-sm font-medium">
            Whose
          </label>
          <select id="interview-scope" name="scope" defaultValue={scope} className="input mt-1">
            <option value="mine">Assigned to me</option>
            <option value="all">{seesEveryAccount ? "Everyone's" : "Everyone's on my accounts"}</option>
          </select>
        </div>
        <div>
          <label htmlFor="interview-status" className="block text-sm font-medium">
            Status
          </label>
          <select id="interview-status" name="status" defaultValue={status} className="input mt-1">
            {(Object.keys(STATUS_LABELS) as (keyof typeof STATUS_LABELS)[]).map((value) => (
              <option key={value} value={value}>
                {STATUS_LABELS[value]}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="btn-secondary">
          Show
        </button>
      </Form>
      {rows.length === 0 ? (
        <EmptyState title={total > 0 ? "This page is past the end of the list" : "No interviews here"}>
          {total > 0 ? (
            <Link to="?page=1" className="font-medium text-indigo-700 hover:underline">
              Go to the first page
            </Link>
          ) : scope === "mine" ? (
            <>
              Nothing is assigned to you.{" "}
              <Link to="?scope=all" className="font-medium text-indigo-700 hover:underline">
                Show everyone&rsquo;s
              </Link>
              .
            </>
          ) : (
            "An interview task opens when a deal closes and a win/loss rule says “interview”."
          )}
        </EmptyState>
      ) : (
        <ul
          className={`card divide-y divide-slate-100 ${loading ? "opacity-60" : ""}`}
          aria-label="Interview tasks"
          aria-busy={loading}
        >
          {rows.map((task) => {
            const late = task.overdue ? daysBetween(task.dueOn, today) : 0;
            return (
              <li
                key={task.id}
                className={`flex flex-wrap items-center justify-between gap-3 px-4 py-3 ${task.overdue ? "border-l-4 border-red-600 bg-red-50" : ""}`}
                data-overdue={task.overdue ? "true" : undefined}
              >
                <div>
                  <Link to={`/interviews/${task.id}`} className="font-medium text-indigo-700 hover:underline">
                    {task.opportunityName}
                  </Link>{" "}
                  <span className="text-sm text-slate-600">
                    {humanize(task.outcome)} · {task.accountName}
                  </span>
                  <p className="text-sm">
                    {task.contactName ? `With ${task.contactName}` : "No contact chosen yet"} ·{" "}
                    {task.assigneeName}
                  </p>
                  <p className="text-xs text-slate-600">
                    Due <time dateTime={task.dueOn}>{formatDueDay(task.dueOn)}</time>
                    {task.overdue ? (
                      <span className="font-medium text-red-700">
                        {" "}
                        · {late} {late === 1 ? "day" : "days"} overdue
                      </span>
                    ) : null}
                  </p>
                </div>
                <div className="flex items-center gap-2">
                  <TaskStatusBadge status={task.status} />
                  {canAct && task.status === "open" && task.contactId ? (
                    <Link
                      to={`/contacts/${task.contactId}/interview?task=${task.id}`}
                      className="btn-secondary"
                    >
                      Record interview<span className="sr-only">: {task.opportunityName}</span>
                    </Link>
                  ) : null}
                </div>
              </li>
            );
          })}
        </ul>
      )}
      <Pagination page={page} pageSize={pageSize} total={total} />
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
