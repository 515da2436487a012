import { humanize } from "~/lib/format";

/** A gap this large (team − customer) is a misalignment (DESIGN.md, "the gap"). */
const MISALIGNED = 15;

export interface ComparisonRow {
  dimension: string;
  predicted: number;
  customer: number | null;
}

/**
 * What the team predicted per dimension and, once the customer has answered, what they
 * said and the gap (team − customer). `compact` is the timeline's small inline table;
 * otherwise it is the prediction page's full-width one, which also flags misalignments.
 */
export function PredictionComparisonTable({
  rows,
  answered,
  compact = false,
  caption,
}: {
  rows: ComparisonRow[];
  answered: boolean;
  compact?: boolean;
  caption?: string;
}) {
  const cell = compact ? "pr-4" : "px-4 py-2";
  const lastCell = compact ? "" : "px-4 py-2 ";
  return (
    <table className={compact ? "mt-2 text-xs" : "w-full text-sm"}>
      {caption ? <caption className="sr-only">{caption}</caption> : null}
      <thead className={compact ? "text-left text-slate-600" : "bg-slate-50 text-left text-slate-600"}>
        <tr>
          <th scope="col" className={`${cell} font-medium`}>
            Dimension
          </th>
          <th scope="col" className={`${cell} text-right font-medium`}>
            Team predicted
          </th>
          {answered ? (
            <>
              <th scope="col" className={`${cell} text-right font-medium`}>
                Customer said
              </th>
              <th scope="col" className={`${lastCell}text-right font-medium`}>
                Gap
              </th>
            </>
          ) : null}
        </tr>
      </thead>
      <tbody className={compact ? undefined : "divide-y divide-slate-100"}>
        {rows.map((row) => (
          <tr key={row.dimension}>
            <th scope="row" className={`${cell} text-left ${compact ? "font-normal" : "font-medium"}`}>
              {humanize(row.dimension)}
            </th>
            <td className={`${cell} text-right tabular-nums`}>{row.predicted}</td>
            {answered ? (
              <>
                <td className={`${cell} text-right tabular-nums`}>
                  {row.customer ?? (compact ? "—" : "Not asked")}
                </td>
                <td className={`${lastCell}text-right tabular-nums`}>
                  {compact ? (
                    row.customer === null ? (
                      "—"
                    ) : (
                      gapText(row.predicted - row.customer)
                    )
                  ) : (
                    <Gap gap={row.customer === null ? null : row.predicted - row.customer} />
                  )}
                </td>
              </>
            ) : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const gapText = (gap: number) => (gap > 0 ? `+${gap}` : gap < 0 ? `−${Math.abs(gap)}` : "0");

function Gap({ gap }: { gap: number | null }) {
  if (gap === null) return <span className="text-slate-500">—</span>;
  const text = gapText(gap);
  if (Math.abs(gap) < MISALIGNED) return <>{text}</>;
  return (
    <span className={gap > 0 ? "font-semibold text-red-700" : "font-semibold text-amber-700"}>
      {text}{" "}
      <span className="font-normal">({gap > 0 ? "team more optimistic" : "team more pessimistic"})</span>
    </span>
  );
}
