import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { CaseSeverityBadge, CaseStatusBadge, SlaText, formatCaseTime } from "~/components/case-badges";
import { GeneralErrorBoundary } from "~/components/general-error-boundary";
import { PageHeader } from "~/components/page-header";
import { getCaseDetail } from "~/domain/case-queries.server";
import { TRIGGER_LABELS } from "~/domain/cases";
import { requireCaseAccess } from "~/lib/case-access.server";
import { getDb } from "~/lib/db.server";
import { getEnv } from "~/lib/env.server";
import { deliverSoon } from "~/lib/deliver-soon.server";
import { runCaseAction } from "./case-actions.server";
import { CaseWork } from "./case-work";
import { CaseTimeline, CustomerSaid, RecoveryPulse } from "./case-story";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, caseId } = await requireCaseAccess(request, params.caseId, "view");
  const detail = await getCaseDetail(getDb(), caseId, { companyName: getEnv().COMPANY_NAME });
  if (!detail) throw new Response("No such case.", { status: 404 });
  // The guard let them view; managers who may view an account may also work it, leaders may not.
  return json({ ...detail, canWork: user.role !== "leader", now: new Date().toISOString() });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, caseId } = await requireCaseAccess(request, params.caseId, "edit");
  const result = await runCaseAction(getDb(), user, caseId, await request.formData());
  switch (result.status) {
    case "not_found":
      throw new Response("No such case.", { status: 404 });
    case "forbidden":
      throw new Response("This case is on an account of another team.", { status: 403 });
    case "refused":
      return json(
        { intent: result.intent, error: result.message, field: result.field ?? null, notice: null },
        { status: result.httpStatus },
      );
    case "done":
      // the recovery pulse waits in the outbox: send it now rather than at the next minute
      if (result.mailQueued) await deliverSoon("recovery_pulse");
      return json({ intent: result.intent, error: null, field: null, notice: result.notice });
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Case: ${data.contact?.name ?? data.accountName} · Rapport` : "Case · Rapport" },
];

export default function CasePage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const c = data.case;
  return (
    <>
      <p className="mb-2 text-sm">
        <Link to="/cases" className="text-indigo-700 hover:underline">
          ← Cases
        </Link>
      </p>
      <PageHeader
        title={`${TRIGGER_LABELS[c.trigger]}: ${data.contact?.name ?? "a former contact"} at ${data.accountName}`}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <CaseSeverityBadge severity={c.severity} />
            <CaseStatusBadge status={c.status} />
            <span>Owner {data.owner.name}</span>
          </span>
        }
      />
      {actionData?.notice ? (
        <p role="status" className="mb-4 rounded-md bg-emerald-50 p-3 text-sm text-emerald-900">
          {actionData.notice}
        </p>
      ) : null}
      {/* On a phone the clock and the buttons come first: that is what the owner opens the page for. */}
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="space-y-6 lg:order-2">
          <section aria-labelledby="sla-clock" className="card p-4">
            <h2 id="sla-clock" className="text-sm font-medium text-slate-600">
              SLA clock
            </h2>
            <p className="mt-1 text-xl" data-testid="sla-clock">
              <SlaText slaDueAt={c.slaDueAt} resolvedAt={c.resolvedAt} now={data.now} />
            </p>
            <p className="mt-1 text-xs text-slate-500">
              Due {formatCaseTime(c.slaDueAt)}, business days only.
            </p>
          </section>
          {data.canWork ? (
            <CaseWork
              status={c.status}
              contactName={data.contact?.name ?? null}
              recoveryPulseBlocker={data.recoveryPulseBlocker}
              noteCount={data.notes.length}
              actionData={actionData ?? null}
            />
          ) : (
            <p className="card p-4 text-sm text-slate-600">
              Leaders follow cases here; the account team acknowledges and resolves them.
            </p>
          )}
        </div>
        <div className="space-y-6 lg:order-1 lg:col-span-2">
          <section aria-labelledby="case-summary" className="card p-4">
            <h2 id="case-summary" className="sr-only">
              Summary
            </h2>
            <p className="text-base">{c.summary}</p>
            <dl className="mt-4 grid gap-x-6 gap-y-2 text-sm sm:grid-cols-2">
              <Fact label="Account">
                <Link to={`/accounts/${c.accountId}`} className="text-indigo-700 hover:underline">
                  {data.accountName}
                </Link>
              </Fact>
              <Fact label="Contact">
                {data.contact ? (
                  <Link to={`/contacts/${data.contact.id}`} className="text-indigo-700 hover:underline">
                    {data.contact.name}
                  </Link>
                ) : (
                  "No longer on file"
                )}
                {data.contact?.title ? `, ${data.contact.title}` : ""}
              </Fact>
              <Fact label="Opened">{formatCaseTime(c.openedAt)}</Fact>
              <Fact label="SLA due">
                <time dateTime={c.slaDueAt}>{formatCaseTime(c.slaDueAt)}</time>
              </Fact>
              <Fact label="Acknowledged">
                {c.acknowledgedAt ? formatCaseTime(c.acknowledgedAt) : "Not yet"}
              </Fact>
              <Fact label="Resolved">{c.resolvedAt ? formatCaseTime(c.resolvedAt) : "Not yet"}</Fact>
            </dl>
          </section>
          <CustomerSaid response={data.response} trigger={c.trigger} />
          {data.recovery ? <RecoveryPulse recovery={data.recovery} /> : null}
          <CaseTimeline
            openedAt={c.openedAt}
            ownerName={data.owner.name}
            summary={c.summary}
            notes={data.notes}
          />
        </div>
      </div>
    </>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt className="text-slate-600">{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
