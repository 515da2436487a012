import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { EmptyState } from "~/components/empty-state";
import { Badge, CommitmentActions, Row, Section } from "~/components/week-parts";
import { PageHeader } from "~/components/page-header";
import { describeDaysAway } from "~/domain/keep-in-touch";
import { getMyWeek } from "~/domain/keep-in-touch.server";
import { openInterviewTasksFor } from "~/domain/interview-tasks.server";
import { dealsAwaitingSellerReasons } from "~/domain/winloss-followups.server";
import { requireUser } from "~/lib/auth.server";
import { getDb } from "~/lib/db.server";
import { humanize } from "~/lib/format";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const [week, awaitingReasons, interviews] = await Promise.all([
    getMyWeek(db, user, new Date()),
    dealsAwaitingSellerReasons(db, user.id),
    openInterviewTasksFor(db, user.id),
  ]);
  return json({ ...week, awaitingReasons, interviews, role: user.role });
}

export const meta: MetaFunction = () => [{ title: "My week · Rapport" }];

// Dates are UTC calendar days throughout (see app/domain/keep-in-touch.ts).
const formatDay = (iso: string) =>
  new Date(`${iso.slice(0, 10)}T00:00:00Z`).toLocaleDateString("en-GB", {
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    timeZone: "UTC",
  });
const formatDateTime = (iso: string) =>
  `${new Date(iso).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" })} UTC`;
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
const linkClass = "font-medium text-indigo-700 hover:underline";

export default function MyWeek() {
  const week = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title="My week"
        description={`People to call, promises to keep and cases to close on the accounts you own or are on the team of. Today is ${formatDay(week.today)} (UTC).`}
      />
      {week.accountCount === 0 ? (
        <div className="mb-8">
          <EmptyState title="No accounts of your own yet">
            My week lists accounts you own or are on the team of, and you have none.{" "}
            {week.role === "manager" ? (
              "Ask an admin to add you to an account team."
            ) : (
              <>
                To look across every account, open{" "}
                <Link to="/accounts" className={linkClass}>
                  Accounts
                </Link>{" "}
                or the{" "}
                <Link to="/dashboard" className={linkClass}>
                  Dashboard
                </Link>
                .
              </>
            )}
          </EmptyState>
        </div>
      ) : (
        <div className="grid gap-8">
          <Section
            id="birthdays"
            title="Birthdays in the next two weeks"
            count={week.birthdays.length}
            empty="Nobody has a birthday in the next two weeks."
          >
            {week.birthdays.map((b) => (
              <Row key={b.noteId}>
                <div>
                  <Link to={`/contacts/${b.contactId}`} className={linkClass}>
                    {b.contactName}
                  </Link>{" "}
                  <span className="text-sm text-slate-600">
                    at{" "}
                    <Link to={`/accounts/${b.accountId}`} className="hover:underline">
                      {b.accountName}
                    </Link>
                  </span>
                  <p className="text-sm text-slate-600">{b.note}</p>
                </div>
                <p className="text-sm">
                  <time dateTime={b.on}>{formatDay(b.on)}</time>{" "}
                  <Badge tone={b.inDays === 0 ? "green" : "slate"}>{describeDaysAway(b.inDays)}</Badge>
                </p>
              </Row>
            ))}
          </Section>

          <Section
            id="key-contacts"
            title="Key contacts to reach"
            count={week.keyContacts.length}
            empty="Every decision-maker and champion has had two-way contact (a meeting, call, QBR…) within their account’s cadence."
          >
            {week.keyContacts.map((c) => (
              <Row key={c.contactId}>
                <div>
                  <Link to={`/contacts/${c.contactId}`} className={linkClass}>
                    {c.contactName}
                  </Link>{" "}
                  <span className="text-sm text-slate-600">
                    {humanize(c.buyingRole)} at{" "}
                    <Link to={`/accounts/${c.accountId}`} className="hover:underline">
                      {c.accountName}
                    </Link>
                  </span>
                </div>
                <p className="text-sm">
                  {c.daysSince === null ? (
                    <Badge tone="red">no two-way contact yet</Badge>
                  ) : (
                    <Badge tone="amber">last two-way contact {plural(c.daysSince, "day", "days")} ago</Badge>
                  )}{" "}
                  <span className="text-slate-600">target every {plural(c.cadenceDays, "day", "days")}</span>
                </p>
              </Row>
            ))}
          </Section>

          <Section
            id="commitments"
            title="Overdue commitments"
            count={week.overdueCommitments.length}
            empty="No open commitment is past its due date."
          >
            {week.overdueCommitments.map((c) => (
              <Row key={c.interactionId}>
                <div>
                  <Link to={`/accounts/${c.accountId}`} className={linkClass}>
                    {c.accountName}
                  </Link>
                  <p className="text-sm">{c.summary || "No summary recorded"}</p>
                  <p className="text-xs text-slate-600">
                    Due <time dateTime={c.dueOn}>{formatDay(c.dueOn)}</time> ·{" "}
                    <span className="font-medium text-red-700">
                      {plural(c.daysOverdue, "day", "days")} overdue
                    </span>
                    {c.authorName ? ` · promised by ${c.authorName}` : ""}
                  </p>
                </div>
                <CommitmentActions interactionId={c.interactionId} summary={c.summary} />
              </Row>
            ))}
          </Section>

          <Section
            id="predictions"
            title="Accounts with no prediction in six months"
            count={week.accountsWithoutPrediction.length}
            empty="Someone on the team predicted every one of your accounts in the last six months."
          >
            {week.accountsWithoutPrediction.map((a) => (
              <Row key={a.accountId}>
                <div>
                  <Link to={`/accounts/${a.accountId}`} className={linkClass}>
                    {a.accountName}
                  </Link>
                  <p className="text-xs text-slate-600">
                    {a.lastPredictionAt
                      ? `Last prediction ${formatDay(a.lastPredictionAt)}`
                      : "Nobody has predicted this account yet"}
                  </p>
                </div>
                <Link
                  to={`/accounts/${a.accountId}/predict`}
                  className="btn-secondary"
                  aria-label={`Make a prediction for ${a.accountName}`}
                >
                  Make a prediction
                </Link>
              </Row>
            ))}
          </Section>
        </div>
      )}
      {week.accountCount > 0 || week.awaitingReasons.length > 0 || week.interviews.length > 0 ? (
        <div className="mt-8 grid gap-8">
          <Section
            id="seller-reasons"
            title="Closed deals waiting for your reasons"
            count={week.awaitingReasons.length}
            empty="Every deal you closed has your reasons on record."
          >
            {week.awaitingReasons.map((d) => (
              <Row key={d.id}>
                <div>
                  <Link to={`/opportunities/${d.id}`} className={linkClass}>
                    {d.name}
                  </Link>{" "}
                  <span className="text-sm text-slate-600">
                    {humanize(d.outcome)} at{" "}
                    <Link to={`/accounts/${d.accountId}`} className="hover:underline">
                      {d.accountName}
                    </Link>
                  </span>
                  <p className="text-xs text-slate-600">
                    {d.closeDate ? `Closed ${formatDay(d.closeDate)} · ` : ""}the buyers are asked only once
                    your reasons are sealed
                  </p>
                </div>
                <Link to={`/opportunities/${d.id}/reasons`} className="btn-secondary">
                  Record your reasons<span className="sr-only">: {d.name}</span>
                </Link>
              </Row>
            ))}
          </Section>
          <Section
            id="interviews"
            title="Win/loss interviews to hold"
            count={week.interviews.length}
            empty="No win/loss interview is assigned to you."
          >
            {week.interviews.map((t) => (
              <Row key={t.id}>
                <div>
                  <Link to={`/interviews/${t.id}`} className={linkClass}>
                    {t.opportunityName}
                  </Link>{" "}
                  <span className="text-sm text-slate-600">at {t.accountName}</span>
                  <p className="text-xs text-slate-600">
                    {t.contactName ? `With ${t.contactName} · ` : ""}due{" "}
                    <time dateTime={t.dueOn}>{formatDay(t.dueOn)}</time>
                    {t.dueOn < week.today.slice(0, 10) ? (
                      <span className="font-medium text-red-700"> · overdue</span>
                    ) : null}
                  </p>
                </div>
              </Row>
            ))}
          </Section>
        </div>
      ) : null}
      {week.accountCount > 0 || week.openCases.length > 0 ? (
        <div className="mt-8">
          <Section
            id="cases"
            title="Your open 9-1-1 cases"
            count={week.openCases.length}
            empty="You own no open Customer 9-1-1 case."
          >
            {week.openCases.map((c) => (
              <Row key={c.caseId}>
                <div>
                  <Link to={`/cases/${c.caseId}`} className={linkClass}>
                    {c.accountName}
                  </Link>
                  <p className="text-sm">{c.summary}</p>
                  <p className="text-xs text-slate-600">
                    SLA due <time dateTime={c.slaDueAt}>{formatDateTime(c.slaDueAt)}</time>
                    {c.slaBreached ? <span className="font-medium text-red-700"> · SLA overdue</span> : null}
                  </p>
                </div>
                <p className="text-sm">
                  <Badge tone={c.slaBreached ? "red" : "slate"}>
                    {humanize(c.severity)} · {humanize(c.status)}
                  </Badge>
                </p>
              </Row>
            ))}
          </Section>
          {week.openCases.length > 0 ? (
            <p className="mt-2 text-sm">
              <Link to="/cases" className={linkClass}>
                Acknowledge and resolve them on the Cases page
              </Link>
            </p>
          ) : null}
        </div>
      ) : null}
    </>
  );
}
