import { Link } from "@remix-run/react";
import { PANEL_ROWS } from "~/domain/dashboard";
import type { getBlindSpots, getCoverage, getSilentAccounts } from "~/domain/dashboard.server";
import type { SerializeFrom } from "@remix-run/node";
import { humanize } from "~/lib/format";
import { formatDay } from "~/components/report/format";
import { Panel, PanelEmpty } from "~/components/report/panel";
import {
  cellClass,
  headClass,
  numberCellClass,
  numberHeadClass,
  tableClass,
  theadClass,
} from "~/components/report/table-classes";
import { dashboardCsv } from "./csv";
import { formatScore, formatWhole } from "./format";

type BlindSpots = SerializeFrom<Awaited<ReturnType<typeof getBlindSpots>>>;
type SilentAccounts = SerializeFrom<Awaited<ReturnType<typeof getSilentAccounts>>>;
type Coverage = SerializeFrom<Awaited<ReturnType<typeof getCoverage>>>;

function AccountLink({ id, name }: { id: string; name: string }) {
  return (
    <Link to={`/accounts/${id}`} className="font-medium text-indigo-700 hover:underline">
      {name}
    </Link>
  );
}

function More({ shown, total, what }: { shown: number; total: number; what: string }) {
  if (total <= shown) return null;
  return (
    <p className="mt-2 text-xs text-slate-500">
      The {shown} largest of {total} {what}; the CSV has them all.
    </p>
  );
}

export function BlindSpotsPanel({ blindSpots }: { blindSpots: BlindSpots }) {
  return (
    <Panel
      id="blind-spots"
      title="Top blind spots"
      csv={dashboardCsv("blind-spots")}
      description="Dimensions the team rates healthy and the customer does not, at least 15 points apart."
    >
      {blindSpots.rows.length === 0 ? (
        <PanelEmpty>
          No blind spots in this window: where both sides have spoken, the team is not more optimistic than
          the customer.
        </PanelEmpty>
      ) : (
        <div className="relative overflow-x-auto">
          <table className={tableClass}>
            <caption className="sr-only">Top blind spots</caption>
            <thead className={theadClass}>
              <tr>
                <th scope="col" className={headClass}>
                  Account and dimension
                </th>
                <th scope="col" className={numberHeadClass}>
                  Team
                </th>
                <th scope="col" className={numberHeadClass}>
                  Customer
                </th>
                <th scope="col" className={numberHeadClass}>
                  Gap
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {blindSpots.rows.map((row) => (
                <tr key={`${row.accountId}-${row.dimension}`}>
                  <td className={cellClass}>
                    <AccountLink id={row.accountId} name={row.accountName} />
                    <span className="block text-slate-600">{humanize(row.dimension)}</span>
                  </td>
                  <td className={numberCellClass}>{formatScore(row.team)}</td>
                  <td className={numberCellClass}>
                    {formatScore(row.customer)}
                    <span className="block whitespace-nowrap text-xs text-slate-500">
                      {row.respondents} {row.respondents === 1 ? "voice" : "voices"}, {row.confidence}
                    </span>
                  </td>
                  <td className={`${numberCellClass} font-semibold text-red-700`}>
                    {formatScore(row.gap, { signed: true })}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <More shown={blindSpots.rows.length} total={blindSpots.total} what="blind spots" />
    </Panel>
  );
}

export function SilentPanel({ silent }: { silent: SilentAccounts }) {
  return (
    <Panel
      id="silent"
      title="Silent accounts"
      csv={dashboardCsv("silent")}
      description="Customers rarely announce they are leaving; they stop answering. No voice in 180 days, or the last two invitations unanswered."
    >
      {silent.rows.length === 0 ? (
        <PanelEmpty>
          No silent accounts: every account in view has spoken in the last 180 days and answers its
          invitations.
        </PanelEmpty>
      ) : (
        <ul className="divide-y divide-slate-100 text-sm">
          {silent.rows.map((row) => (
            <li key={row.accountId} className="py-2">
              <AccountLink id={row.accountId} name={row.accountName} />
              <span className="ml-2 text-slate-600">
                {row.lastCustomerVoiceAt
                  ? `last heard ${formatDay(row.lastCustomerVoiceAt)}`
                  : "never heard from"}
              </span>
              <p className="text-xs text-slate-500">{row.reason}</p>
            </li>
          ))}
        </ul>
      )}
      <More shown={silent.rows.length} total={silent.total} what="silent accounts" />
    </Panel>
  );
}

export function CoveragePanel({
  coverage,
  totals,
}: {
  coverage: Coverage;
  totals: {
    responseRate: number | null;
    sent: number;
    completed: number;
    coverage: number | null;
    keyContacts: number;
    heard: number;
  };
}) {
  return (
    <Panel
      id="coverage"
      title="Response rate and key-contact coverage"
      csv={dashboardCsv("coverage")}
      description="Invitations sent in the window that reached the customer and were completed; decision-makers and champions heard from (survey or interview) in it."
    >
      <dl className="grid grid-cols-2 gap-4">
        <div>
          <dt className="text-sm text-slate-600">Response rate</dt>
          <dd className="text-2xl font-semibold tabular-nums">
            {formatWhole(totals.responseRate, { suffix: "%" })}
          </dd>
          <dd className="text-xs text-slate-500">
            {totals.completed} of {totals.sent} invitations
          </dd>
        </div>
        <div>
          <dt className="text-sm text-slate-600">Key contacts heard</dt>
          <dd className="text-2xl font-semibold tabular-nums">
            {formatWhole(totals.coverage, { suffix: "%" })}
          </dd>
          <dd className="text-xs text-slate-500">
            {totals.heard} of {totals.keyContacts} decision-makers and champions
          </dd>
        </div>
      </dl>
      {coverage.length === 0 ? (
        <div className="mt-4">
          <PanelEmpty>No accounts match these filters.</PanelEmpty>
        </div>
      ) : (
        <div className="relative mt-4 overflow-x-auto">
          <table className={tableClass}>
            <caption className="px-3 pb-2 text-left text-xs text-slate-500">
              The {Math.min(PANEL_ROWS, coverage.length)} least covered accounts
            </caption>
            <thead className={theadClass}>
              <tr>
                <th scope="col" className={headClass}>
                  Account
                </th>
                <th scope="col" className={numberHeadClass}>
                  Key contacts heard
                </th>
                <th scope="col" className={numberHeadClass}>
                  Responses
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {coverage.map((row) => (
                <tr key={row.accountId}>
                  <td className={cellClass}>
                    <AccountLink id={row.accountId} name={row.accountName} />
                  </td>
                  <td className={numberCellClass}>
                    {row.keyContactsHeard} of {row.keyContacts}
                    {row.coverage !== null ? (
                      <span className="text-slate-500"> ({row.coverage}%)</span>
                    ) : null}
                  </td>
                  <td className={numberCellClass}>
                    {row.invitationsCompleted} of {row.invitationsSent}
                    {row.responseRate !== null ? (
                      <span className="text-slate-500"> ({row.responseRate}%)</span>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  );
}
