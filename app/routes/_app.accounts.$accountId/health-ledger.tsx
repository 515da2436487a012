import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { formatBalance } from "~/components/ledger-chart";
import { humanize } from "~/lib/format";
import { formatScore } from "~/lib/score-format";
import { formatDay } from "./dates";
import { ContactName, link } from "./health-details";
import { confidenceText, type Health } from "./health-parts";

const COMPONENTS = ["recency", "cadence", "breadth", "equity", "quality", "commitments"] as const;
const COMPONENT_LABEL: Record<(typeof COMPONENTS)[number], string> = {
  recency: "Recency",
  cadence: "Cadence",
  breadth: "Breadth",
  equity: "Equity",
  quality: "Engagement quality",
  commitments: "Commitments",
};

/** The ledger score's six components, what each rests on, and where those rows are on the page. */
export function LedgerBreakdown({
  accountId,
  health,
  canEdit,
}: {
  accountId: string;
  health: Health;
  canEdit: boolean;
}) {
  const { ledger } = health;
  const { facts } = ledger;
  const cadence = facts.targetCadenceDays;
  const interactionsLink = (text: string) => (
    <Link to="?kind=interaction#timeline" className={link}>
      {text}
    </Link>
  );
  const restsOn: Record<(typeof COMPONENTS)[number], ReactNode> = {
    recency:
      facts.daysSinceTwoWay === null || !health.lastTwoWay ? (
        <>No meeting, call, QBR, social contact or escalation in the window.</>
      ) : (
        <>
          Last two-way contact {facts.daysSinceTwoWay === 0 ? "today" : `${facts.daysSinceTwoWay} days ago`} (
          {interactionsLink(
            `${humanize(health.lastTwoWay.kind).toLowerCase()}, ${formatDay(health.lastTwoWay.occurredAt)}`,
          )}
          ); the target is every {cadence} days.
        </>
      ),
    cadence: (
      <>
        {interactionsLink(`${facts.periodsCovered} of ${facts.periods} periods`)} of {cadence} days had
        two-way contact.
      </>
    ),
    breadth:
      facts.keyContacts === 0 ? (
        <>
          No decision-makers or champions in the{" "}
          <a href="#buying-group" className={link}>
            buying group
          </a>
          .
        </>
      ) : (
        <>
          {facts.keyContactsEngaged} of {facts.keyContacts} key contacts engaged in the last {cadence} days:{" "}
          {health.keyContacts.map((c, i) => (
            <span key={c.contactId}>
              {i > 0 ? ", " : ""}
              <ContactName id={c.contactId} name={c.name} />{" "}
              <span className={c.engaged ? "text-emerald-700" : "text-amber-800"}>
                ({c.engaged ? "engaged" : c.lastTwoWayAt ? `last ${formatDay(c.lastTwoWayAt)}` : "not yet"})
              </span>
            </span>
          ))}
          .
        </>
      ),
    equity: (
      <>
        Balance{" "}
        <a href="#ledger" className={link}>
          {formatBalance(facts.balance)}
        </a>{" "}
        (deposits − withdrawals, halving every 90 days).
      </>
    ),
    quality:
      facts.meanEngagementQuality === null ? (
        <>No interaction in the window has an engagement rating.</>
      ) : (
        <>
          Mean rating {facts.meanEngagementQuality} of 5 over{" "}
          {interactionsLink(
            `${facts.ratedInteractions} rated ${facts.ratedInteractions === 1 ? "interaction" : "interactions"}`,
          )}
          .
        </>
      ),
    commitments:
      facts.kept + facts.broken === 0 ? (
        <>No commitment kept or broken in the window.</>
      ) : (
        <Link to="?ledger=all#ledger" className={link}>
          {facts.kept} kept, {facts.broken} broken
        </Link>
      ),
  };
  return (
    <div id="ledger-view" className="scroll-mt-4">
      <h3 className="font-semibold">How the ledger score is made</h3>
      <p className="mt-1 text-sm text-slate-600">
        From what the team logged in the window
        {health.empty.ledger && canEdit ? (
          <>
            {" "}
            — nothing yet:{" "}
            <Link to={`/log?accountId=${accountId}`} className={link}>
              log an interaction
            </Link>
          </>
        ) : null}
        . A component without a value is left out and the others are rescaled.
      </p>
      <div className="card mt-3 overflow-x-auto">
        <table className="min-w-full divide-y divide-slate-200 text-sm">
          <caption className="sr-only">Ledger components, their weights and scores, 0–100</caption>
          <thead className="bg-slate-50 text-left text-slate-600">
            <tr>
              <th scope="col" className="px-3 py-2 font-medium">
                Component
              </th>
              <th scope="col" className="px-3 py-2 text-right font-medium">
                Weight
              </th>
              <th scope="col" className="px-3 py-2 text-right font-medium">
                Score
              </th>
              <th scope="col" className="px-3 py-2 font-medium">
                Rests on
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {COMPONENTS.map((name) => (
              <tr key={name}>
                <th scope="row" className="px-3 py-2 text-left font-medium">
                  {COMPONENT_LABEL[name]}
                </th>
                <td className="px-3 py-2 text-right tabular-nums">
                  {Math.round(health.ledgerWeights[name] * 100)}%
                </td>
                <td className="px-3 py-2 text-right font-semibold tabular-nums">
                  {ledger.components[name] === null ? (
                    <span className="font-normal text-slate-500">left out</span>
                  ) : (
                    formatScore(ledger.components[name])
                  )}
                </td>
                <td className="min-w-[14rem] px-3 py-2">{restsOn[name]}</td>
              </tr>
            ))}
          </tbody>
          <tfoot className="border-t border-slate-200 bg-slate-50">
            <tr>
              <th scope="row" className="px-3 py-2 text-left font-semibold">
                Ledger score
              </th>
              <td className="px-3 py-2" />
              <td className="px-3 py-2 text-right font-bold tabular-nums">{formatScore(ledger.score)}</td>
              <td className="px-3 py-2 text-xs text-slate-600">
                {health.empty.ledger
                  ? "no data: nothing logged in the window"
                  : confidenceText(ledger.confidence, facts.interactions, "interaction")}
              </td>
            </tr>
          </tfoot>
        </table>
      </div>
    </div>
  );
}
