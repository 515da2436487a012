import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { HEALTH_DIMENSIONS } from "~/domain/dimensions";
import { humanize } from "~/lib/format";
import { formatScore, formatSigned } from "~/lib/score-format";
import { formatDay } from "./dates";
import { confidenceText, SourceLink, type Health } from "./health-parts";

export const link = "font-medium text-indigo-700 hover:underline";

export function ContactName({ id, name }: { id: string | null; name: string | null }) {
  if (!id || !name) return <span className="font-medium">A former contact</span>;
  return (
    <Link to={`/contacts/${id}`} className={link}>
      {name}
    </Link>
  );
}

function Card({ title, id, children }: { title: string; id?: string; children: ReactNode }) {
  return (
    <div className="card scroll-mt-4 p-4" id={id}>
      <h3 className="font-semibold">{title}</h3>
      <div className="mt-2 text-sm">{children}</div>
    </div>
  );
}

type Verbatim = Health["verbatims"][number];

/** Consecutive comments of one response under one attribution (they arrive newest response first). */
function byResponse(verbatims: readonly Verbatim[]): Verbatim[][] {
  const groups: Verbatim[][] = [];
  for (const v of verbatims) {
    const last = groups[groups.length - 1];
    if (last && last[0]!.responseId === v.responseId) last.push(v);
    else groups.push([v]);
  }
  return groups;
}

/** NPS with its counts, the change since the previous survey wave, and the customers' own words. */
export function VoiceOfCustomer({ health }: { health: Health }) {
  const { nps, trend } = health;
  const advocacy = health.customer.dimensions.advocacy;
  return (
    <>
      <div className="grid gap-4 md:grid-cols-2">
        <Card title="Net Promoter Score">
          {nps.nps === null ? (
            <p className="text-slate-600">No “would you recommend us” answers in the window yet.</p>
          ) : (
            <>
              <p className="flex flex-wrap items-baseline gap-x-3">
                <SourceLink
                  href="#sources-advocacy"
                  className="text-3xl font-bold tabular-nums hover:underline"
                >
                  {formatSigned(nps.nps)}
                </SourceLink>
                <span className="text-slate-700">
                  {nps.promoters} {nps.promoters === 1 ? "promoter" : "promoters"} · {nps.passives}{" "}
                  {nps.passives === 1 ? "passive" : "passives"} · {nps.detractors}{" "}
                  {nps.detractors === 1 ? "detractor" : "detractors"}
                </span>
              </p>
              <p className="mt-1 text-xs text-slate-600">
                {confidenceText(advocacy.confidence, nps.respondents, "respondent")}. Each person’s latest
                answer counts once: 9–10 promote, 0–6 detract.
              </p>
            </>
          )}
        </Card>
        <Card title="Since the previous survey">
          {trend.change === null ? (
            <p className="text-slate-600">
              Nobody has answered twice yet; the trend appears once a contact answers the next survey.
            </p>
          ) : (
            <>
              <p className="flex flex-wrap items-baseline gap-x-3">
                <span className="text-3xl font-bold tabular-nums">{formatSigned(trend.change)}</span>
                <span className="text-slate-700">points of customer health</span>
              </p>
              <p className="mt-1 text-xs text-slate-600">
                {trend.confidence} confidence: {trend.contacts.length}{" "}
                {trend.contacts.length === 1 ? "contact" : "contacts"} answered twice. Measured on the
                questions both responses answered, weighted by role.
              </p>
              <ul className="mt-2 space-y-1">
                {trend.contacts.map((c) => (
                  <li key={c.respondent}>
                    <ContactName id={c.contactId} name={c.contactName} />:{" "}
                    <span className="tabular-nums">{formatSigned(c.change)}</span> since{" "}
                    {formatDay(c.previousAt)}{" "}
                    <span className="text-slate-600">
                      (health {formatScore(c.previousHealth)} on {formatDay(c.previousAt)},{" "}
                      {formatScore(c.currentHealth)} on {formatDay(c.currentAt)})
                    </span>
                  </li>
                ))}
              </ul>
            </>
          )}
        </Card>
      </div>
      <Card title="In their words" id="verbatims">
        {health.verbatims.length === 0 ? (
          <p className="text-slate-600">No written comments in the last {health.windowMonths} months.</p>
        ) : (
          <>
            <ul className="space-y-5">
              {byResponse(health.verbatims).map((group) => (
                <li key={group[0]!.responseId}>
                  <p className="text-xs text-slate-600">
                    <ContactName id={group[0]!.contactId} name={group[0]!.contactName} />,{" "}
                    {formatDay(group[0]!.completedAt)} · {group[0]!.surveyTitle}
                  </p>
                  {group.map((v) => (
                    <figure key={v.question} className="m-0 mt-2">
                      <figcaption className="text-xs text-slate-600">{v.questionTitle}</figcaption>
                      <blockquote className="mt-1 whitespace-pre-line border-l-4 border-indigo-200 pl-3 text-slate-900">
                        {v.text}
                      </blockquote>
                    </figure>
                  ))}
                </li>
              ))}
            </ul>
            {health.verbatimCount > health.verbatims.length ? (
              <p className="mt-3 text-xs text-slate-600">
                The latest {health.verbatims.length} of {health.verbatimCount} comments.
              </p>
            ) : null}
          </>
        )}
      </Card>
    </>
  );
}

/** Per dimension: the answers behind the customer's value and the predictions behind the team's. */
export function HealthSources({ health }: { health: Health }) {
  const dimensions = HEALTH_DIMENSIONS.filter(
    (d) => health.sources[d].customer.length > 0 || health.sources[d].team.length > 0,
  );
  return (
    <div id="sources" className="scroll-mt-4">
      <h3 className="font-semibold">Where the numbers come from</h3>
      <p className="mt-1 text-sm text-slate-600">
        A customer value is the mean of each respondent’s latest answer, weighted by role (decision-maker ×3,
        champion ×2, influencer ×1.5, user ×1). A team value is the plain mean of each author’s latest
        prediction. Overall health is the mean of the six relationship dimensions.
      </p>
      <div className="mt-3 grid gap-4 lg:grid-cols-2">
        {dimensions.map((dimension) => {
          const { customer, team } = health.sources[dimension];
          return (
            <div key={dimension} id={`sources-${dimension}`} className="card scroll-mt-4 p-4 text-sm">
              <h4 className="font-semibold">{humanize(dimension)}</h4>
              <p className="mt-2 font-medium text-slate-700">
                Customer {formatScore(health.customer.dimensions[dimension].value)}
              </p>
              {customer.length === 0 ? (
                <p className="text-slate-600">No answers in the window.</p>
              ) : (
                <ul className="mt-1 space-y-1">
                  {customer.map((item) => (
                    <li key={`${item.contactId}-${item.responseIds.join()}`}>
                      <ContactName id={item.contactId} name={item.contactName} />{" "}
                      <span className="text-slate-600">
                        ({item.buyingRole ? humanize(item.buyingRole) : "former contact"}, ×{item.weight})
                      </span>
                      : <span className="font-semibold tabular-nums">{formatScore(item.value)}</span> on{" "}
                      {formatDay(item.completedAt)}
                    </li>
                  ))}
                </ul>
              )}
              <p className="mt-3 font-medium text-slate-700">
                Team {formatScore(health.team.dimensions[dimension].value)}
              </p>
              {team.length === 0 ? (
                <p className="text-slate-600">No prediction in the window.</p>
              ) : (
                <ul className="mt-1 space-y-1">
                  {team.map((item) => (
                    <li key={item.predictionId}>
                      {item.authorName}
                      {item.contactName ? ` about ${item.contactName}` : ""}:{" "}
                      <span className="font-semibold tabular-nums">{formatScore(item.value)}</span> on{" "}
                      {formatDay(item.madeAt)} ·{" "}
                      <Link to={`/predictions/${item.predictionId}`} className={link}>
                        the prediction
                      </Link>
                    </li>
                  ))}
                </ul>
              )}
            </div>
          );
        })}
      </div>
    </div>
  );
}
