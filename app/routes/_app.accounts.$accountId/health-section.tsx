import { Link } from "@remix-run/react";
import { EmptyState } from "~/components/empty-state";
import { HealthChart, type HealthChartGroup } from "~/components/health-chart";
import { HEALTH_DIMENSIONS } from "~/domain/dimensions";
import { humanize } from "~/lib/format";
import { formatScore, formatSigned } from "~/lib/score-format";
import { HealthSources, VoiceOfCustomer } from "./health-details";
import {
  GapTable,
  QuadrantBadge,
  quadrantSentence,
  ROWS,
  type RowKey,
  type RowValues,
} from "./health-gap-table";
import { LedgerBreakdown } from "./health-ledger";
import { confidenceText, SourceLink, type Health } from "./health-parts";

const FLAG_LABEL: Record<Health["flags"][number]["flag"], string> = {
  silent: "Silent",
  busy_but_shallow: "Busy but shallow",
  overdrawn: "Overdrawn",
  ledger_disagrees: "Ledger disagrees",
};

/**
 * The account's two-sided view (DESIGN.md, "The three views of an account, and the gap"):
 * what the customer says, what the team believes, what the ledger shows, the gap per
 * dimension and what it means. Every number links to the rows behind it.
 */
export function HealthSection({
  accountId,
  health,
  canEdit,
  canLaunchCampaigns,
}: {
  accountId: string;
  health: Health;
  canEdit: boolean;
  canLaunchCampaigns: boolean;
}) {
  const { customer, team, ledger, gap } = health;
  const rowFor = (key: RowKey): RowValues =>
    key === "health"
      ? { customer: customer.health, team: team.health, gap: gap.health }
      : { customer: customer.dimensions[key], team: team.dimensions[key], gap: gap.dimensions[key] };
  const shown = ROWS.filter((row) => {
    const r = rowFor(row.key);
    return row.key === "health" || r.customer.value !== null || r.team.value !== null;
  });
  const both = !health.empty.customer || !health.empty.team;
  return (
    <section aria-labelledby="health" className="mt-8 space-y-6">
      <div>
        <h2 id="health" className="text-lg font-semibold">
          Customer, team and ledger
        </h2>
        <p className="mt-1 text-sm text-slate-600">
          What the customer says (their latest answers in the last {health.windowMonths} months, weighted by
          role), what the team believes (its sealed predictions), and what the ledger shows (what the team
          did). 0–100; 60 and above is healthy.
        </p>
      </div>

      <dl className="card grid divide-y divide-slate-100 sm:grid-cols-3 sm:divide-x sm:divide-y-0">
        <Headline
          label="Customer says"
          value={customer.health.value}
          href="#sources"
          note={confidenceText(customer.health.confidence, customer.health.respondents, "respondent")}
        />
        <Headline
          label="Team believes"
          value={team.health.value}
          href="#sources"
          note={confidenceText(team.health.confidence, team.health.authors, "author")}
        />
        <Headline
          label="Ledger shows"
          value={ledger.score}
          href="#ledger-view"
          note={
            health.empty.ledger
              ? "no data: nothing logged in the window"
              : confidenceText(ledger.confidence, ledger.facts.interactions, "interaction")
          }
        />
      </dl>
      {gap.health.quadrant ? (
        <p className="flex flex-wrap items-center gap-2 text-sm">
          <span>
            Overall gap <span className="font-semibold tabular-nums">{formatSigned(gap.health.gap)}</span>
          </span>
          <QuadrantBadge quadrant={gap.health.quadrant} />
          <span className="text-slate-600">{quadrantSentence(gap.health)}</span>
        </p>
      ) : null}

      <Flags flags={health.flags} />

      {health.empty.customer || health.empty.team ? (
        <div className="grid gap-4 md:grid-cols-2">
          {health.empty.customer ? (
            <EmptyState
              title={`No customer answers in the last ${health.windowMonths} months — send a survey`}
            >
              <SurveyPrompt
                accountId={accountId}
                target={health.surveyTarget}
                canEdit={canEdit}
                canLaunchCampaigns={canLaunchCampaigns}
              />
            </EmptyState>
          ) : null}
          {health.empty.team ? (
            <EmptyState title="No prediction yet — make one">
              {canEdit ? (
                <>
                  <Link
                    to={`/accounts/${accountId}/predict`}
                    className="font-medium text-indigo-700 hover:underline"
                  >
                    Predict what the customer will say
                  </Link>{" "}
                  before they answer; it stays sealed until they do.
                </>
              ) : (
                "The account team has not predicted what the customer will say yet."
              )}
              <SealedNote count={health.sealedFromViewer} />
            </EmptyState>
          ) : null}
        </div>
      ) : null}

      {both ? (
        <div className="card p-4">
          <HealthChart
            title="Customer, team and ledger, 0–100"
            description={describeChart(health)}
            groups={shown.map((row): HealthChartGroup => {
              const r = rowFor(row.key);
              return {
                key: row.key,
                label: row.label,
                bars: [
                  { series: "customer", value: r.customer.value },
                  { series: "team", value: r.team.value },
                  ...(row.key === "health" ? [{ series: "ledger" as const, value: ledger.score }] : []),
                ],
              };
            })}
          />
          <GapTable health={health} rows={shown} rowFor={rowFor} />
          {!health.empty.team ? <SealedNote count={health.sealedFromViewer} /> : null}
        </div>
      ) : null}

      <VoiceOfCustomer health={health} />
      {both ? <HealthSources health={health} /> : null}
      <LedgerBreakdown accountId={accountId} health={health} canEdit={canEdit} />
    </section>
  );
}

function Headline({
  label,
  value,
  href,
  note,
}: {
  label: string;
  value: number | null;
  href: string;
  note: string;
}) {
  return (
    <div className="px-4 py-3">
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="mt-1">
        {value === null ? (
          <span className="text-2xl font-bold text-slate-400">—</span>
        ) : (
          <SourceLink href={href} className="text-2xl font-bold tabular-nums text-slate-900 hover:underline">
            {formatScore(value)}
          </SourceLink>
        )}
        <span className="block text-xs text-slate-600">{note}</span>
      </dd>
    </div>
  );
}

function Flags({ flags }: { flags: Health["flags"] }) {
  if (flags.length === 0) {
    return (
      <p className="text-sm text-slate-600">
        No warning flags: not silent, not busy but shallow, not overdrawn.
      </p>
    );
  }
  return (
    <ul className="space-y-2" aria-label="Account flags">
      {flags.map((flag) => (
        <li key={flag.flag} className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm">
          <span className="font-semibold text-amber-900">{FLAG_LABEL[flag.flag]}.</span>{" "}
          <span className="text-amber-950">{flag.reason}</span>
        </li>
      ))}
    </ul>
  );
}

function SealedNote({ count }: { count: number }) {
  if (count === 0) return null;
  return (
    <p className="mt-3 text-xs text-violet-800">
      {count === 1 ? "1 prediction by a colleague is" : `${count} predictions by colleagues are`} still sealed
      and not counted until the customer answers.
    </p>
  );
}

function SurveyPrompt({
  accountId,
  target,
  canEdit,
  canLaunchCampaigns,
}: {
  accountId: string;
  target: Health["surveyTarget"];
  canEdit: boolean;
  canLaunchCampaigns: boolean;
}) {
  const campaigns = canLaunchCampaigns ? (
    <Link to="/campaigns" className="font-medium text-indigo-700 hover:underline">
      launch a campaign
    </Link>
  ) : null;
  if (canEdit && target) {
    return (
      <>
        Ask{" "}
        <Link
          to={`/contacts/${target.contactId}#surveys-heading`}
          className="font-medium text-indigo-700 hover:underline"
        >
          {target.name}
        </Link>{" "}
        with a survey link{campaigns ? <>, or {campaigns}</> : null}. Until someone answers, the team’s view
        is all there is — and it is only a belief.
      </>
    );
  }
  if (canEdit) {
    return (
      <>
        Nobody on this account can be surveyed yet:{" "}
        <Link
          to={`/accounts/${accountId}/contacts/new`}
          className="font-medium text-indigo-700 hover:underline"
        >
          add a contact with an email address
        </Link>
        {campaigns ? <>, or {campaigns}</> : null}.
      </>
    );
  }
  return campaigns ? (
    <>Include this account when you {campaigns}.</>
  ) : (
    <>The account team can send a survey link from a contact’s page.</>
  );
}

function describeChart(health: Health): string {
  const gaps = HEALTH_DIMENSIONS.flatMap((d) => {
    const g = health.gap.dimensions[d];
    return g.gap === null ? [] : [{ d, g }];
  }).sort((a, b) => Math.abs(b.g.gap!) - Math.abs(a.g.gap!));
  const widest = gaps[0];
  const overall = `Overall health: customer ${formatScore(health.customer.health.value)}, team ${formatScore(health.team.health.value)}, ledger ${formatScore(health.ledger.score)}.`;
  if (!widest) return `${overall} No dimension has both a customer answer and a prediction yet.`;
  return `${overall} The widest gap is on ${humanize(widest.d).toLowerCase()}: team ${formatScore(widest.g.team)}, customer ${formatScore(widest.g.customer)} (${formatSigned(widest.g.gap)}). Every figure is in the table below.`;
}
