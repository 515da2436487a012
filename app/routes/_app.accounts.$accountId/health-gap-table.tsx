import type { ReactNode } from "react";
import { HEALTH_DIMENSIONS, type HealthDimension } from "~/domain/dimensions";
import { humanize } from "~/lib/format";
import { formatScore, formatSigned } from "~/lib/score-format";
import { confidenceText, SourceLink, type Health } from "./health-parts";

export type Gap = Health["gap"]["health"];
type Quadrant = NonNullable<Gap["quadrant"]>;

export const QUADRANT: Record<Quadrant, { label: string; style: string }> = {
  agreed_strength: { label: "Agreed strength", style: "bg-emerald-50 text-emerald-800" },
  agreed_weakness: { label: "Agreed weakness", style: "bg-amber-50 text-amber-900" },
  blind_spot: { label: "Blind spot", style: "bg-red-50 text-red-800" },
  undervalued: { label: "Undervalued", style: "bg-sky-50 text-sky-800" },
};

/** What a dimension's quadrant means here, in a sentence with its numbers. */
export function quadrantSentence(gap: Gap): string {
  const { team, customer } = gap;
  if (customer === null && team === null) return "Nothing known yet.";
  if (customer === null) return "No customer answers to compare the prediction with.";
  if (team === null) return "No prediction to compare the customer’s answer with.";
  const apart = Math.abs(gap.gap ?? 0);
  switch (gap.quadrant) {
    case "blind_spot":
      return `The team rates it ${formatScore(team)}, the customer ${formatScore(customer)}: they are less happy than the team thinks.`;
    case "undervalued":
      return `The customer rates it ${formatScore(customer)}, the team only ${formatScore(team)}: it is going better than the team believes.`;
    case "agreed_strength":
      return gap.misaligned
        ? `Both call it healthy, though ${formatScore(apart)} points apart.`
        : "Both call it healthy.";
    case "agreed_weakness":
      if (team >= 60 && customer < 60) return "The customer calls it weak and the team nearly agrees.";
      return gap.misaligned
        ? `Both see a problem, though ${formatScore(apart)} points apart.`
        : "Both see a problem.";
    default:
      return "";
  }
}

export function QuadrantBadge({ quadrant }: { quadrant: Quadrant | null }) {
  if (!quadrant) return <span className="text-slate-500">—</span>;
  return (
    <span
      className={`inline-block whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ${QUADRANT[quadrant].style}`}
    >
      {QUADRANT[quadrant].label}
    </span>
  );
}

export const ROWS: { key: HealthDimension | "health"; label: string }[] = [
  { key: "health", label: "Overall health" },
  ...HEALTH_DIMENSIONS.map((d) => ({ key: d, label: humanize(d) })),
];

export type RowKey = HealthDimension | "health";
export type RowValues = { customer: Health["customer"]["health"]; team: Health["team"]["health"]; gap: Gap };

/** Per dimension (and overall): customer, team, gap and quadrant, every value linked to its source. */
export function GapTable({
  health,
  rows,
  rowFor,
}: {
  health: Health;
  rows: typeof ROWS;
  rowFor: (key: RowKey) => RowValues;
}) {
  return (
    <>
      {/* the caption's words, kept in view while the table scrolls sideways on a phone */}
      <p
        className="mt-6 border-t border-slate-100 pt-3 text-sm font-medium text-slate-700"
        aria-hidden="true"
      >
        Customer and team per dimension, 0–100, and the gap (team − customer)
      </p>
      <div className="-mx-4 mt-2 overflow-x-auto">
        <table className="min-w-full divide-y divide-slate-200 text-sm">
          <caption className="sr-only">
            Customer and team per dimension, 0–100, and the gap (team − customer)
          </caption>
          <thead className="bg-slate-50 text-left text-slate-600">
            <tr>
              <th scope="col" className="px-3 py-2 font-medium">
                Dimension
              </th>
              <th scope="col" className="px-3 py-2 text-right font-medium">
                Customer
              </th>
              <th scope="col" className="px-3 py-2 text-right font-medium">
                Team
              </th>
              <th scope="col" className="px-3 py-2 text-right font-medium">
                Gap
              </th>
              <th scope="col" className="px-3 py-2 font-medium">
                Where it sits
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.map((row) => {
              const r = rowFor(row.key);
              const teamSources = row.key === "health" ? [] : health.sources[row.key].team;
              const anchor = row.key === "health" ? "#sources" : `#sources-${row.key}`;
              const teamHref =
                teamSources.length === 1 ? `/predictions/${teamSources[0]!.predictionId}` : anchor;
              return (
                <tr key={row.key} className={row.key === "health" ? "bg-slate-50/60" : undefined}>
                  <th scope="row" className="px-3 py-2 text-left font-medium">
                    {row.label}
                  </th>
                  <td className="min-w-[8.5rem] px-3 py-2 text-right align-top">
                    <Score value={r.customer.value} href={anchor} />
                    <Note>{confidenceText(r.customer.confidence, r.customer.respondents, "respondent")}</Note>
                  </td>
                  <td className="min-w-[7.5rem] px-3 py-2 text-right align-top">
                    <Score value={r.team.value} href={teamHref} />
                    <Note>{confidenceText(r.team.confidence, r.team.authors, "author")}</Note>
                  </td>
                  <td className="px-3 py-2 text-right align-top">
                    <span className="font-semibold tabular-nums">{formatSigned(r.gap.gap)}</span>
                    {r.gap.gap !== null ? <Note>{r.gap.confidence} confidence</Note> : null}
                  </td>
                  <td className="min-w-[12rem] px-3 py-2 align-top">
                    <QuadrantBadge quadrant={r.gap.quadrant} />
                    <Note>{quadrantSentence(r.gap)}</Note>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}

function Score({ value, href }: { value: number | null; href: string }) {
  if (value === null) return <span className="text-slate-500">—</span>;
  return (
    <SourceLink href={href} className="font-semibold tabular-nums text-indigo-700 hover:underline">
      {formatScore(value)}
    </SourceLink>
  );
}

function Note({ children }: { children: ReactNode }) {
  return <span className="mt-0.5 block text-xs font-normal text-slate-600">{children}</span>;
}
