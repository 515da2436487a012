import { useId } from "react";

export interface BalancePoint {
  /** ISO timestamp. */
  at: string;
  balance: number;
}

// The SVG stretches to its box (preserveAspectRatio="none", strokes that do not scale), and
// the axis labels are HTML beside it, so text stays readable on a phone-width screen.
const WIDTH = 600;
const HEIGHT = 160;
const PAD_Y = 8;

const monthYear = new Intl.DateTimeFormat("en-GB", { month: "short", year: "numeric", timeZone: "UTC" });
const fullDay = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" });

/** One decimal with a real minus sign; −0.0 prints as 0.0. */
export function formatBalance(balance: number): string {
  const rounded = Math.round(balance * 10) / 10;
  if (rounded === 0) return "0.0";
  return rounded > 0 ? `+${rounded.toFixed(1)}` : `−${Math.abs(rounded).toFixed(1)}`;
}

/** The words that go with a balance, judged on the figure the reader sees (one decimal). */
export function balanceWords(balance: number): "in credit" | "overdrawn" | "even" {
  const rounded = Math.round(balance * 10) / 10;
  return rounded > 0 ? "in credit" : rounded < 0 ? "overdrawn" : "even";
}

/** A sentence a screen reader (or anyone) can take in instead of the line. */
function describeSeries(series: readonly BalancePoint[]): string {
  const first = series[0]!;
  const last = series[series.length - 1]!;
  const high = series.reduce((a, b) => (b.balance > a.balance ? b : a));
  const low = series.reduce((a, b) => (b.balance < a.balance ? b : a));
  return (
    `The balance went from ${formatBalance(first.balance)} on ${fullDay.format(new Date(first.at))} ` +
    `to ${formatBalance(last.balance)} on ${fullDay.format(new Date(last.at))}. ` +
    `Highest ${formatBalance(high.balance)} on ${fullDay.format(new Date(high.at))}; ` +
    `lowest ${formatBalance(low.balance)} on ${fullDay.format(new Date(low.at))}.`
  );
}

/**
 * The equity balance over time as an inline SVG line with a zero line: green above it
 * (in credit), red below (overdrawn). The figure is described in words, and a visually
 * hidden table gives screen-reader users roughly one point a month.
 */
export function LedgerChart({
  series,
  title = "Equity balance over time",
}: {
  series: readonly BalancePoint[];
  title?: string;
}) {
  // useId gives ":r1:"; colons would need escaping inside url(#…)
  const id = useId().replace(/[^a-zA-Z0-9_-]/g, "");
  if (series.length < 2) return null;

  const values = series.map((p) => p.balance);
  const yMax = Math.max(1, Math.ceil(Math.max(0, ...values)));
  const yMin = Math.min(0, Math.floor(Math.min(0, ...values)));
  const plotHeight = HEIGHT - 2 * PAD_Y;
  const start = new Date(series[0]!.at).getTime();
  const span = Math.max(1, new Date(series[series.length - 1]!.at).getTime() - start);
  const x = (at: string) => ((new Date(at).getTime() - start) / span) * WIDTH;
  const y = (balance: number) => PAD_Y + ((yMax - balance) / (yMax - yMin)) * plotHeight;
  const zeroY = y(0);

  const line = series.map((p, i) => `${i === 0 ? "M" : "L"}${x(p.at).toFixed(1)},${y(p.balance).toFixed(1)}`);
  const area = `M0,${zeroY.toFixed(1)} ${line.join(" ").replace(/^M/, "L")} L${WIDTH},${zeroY.toFixed(1)} Z`;
  const yTicks = [yMax, 0, yMin].filter((v, i, all) => all.indexOf(v) === i);

  const middle = series[Math.floor(series.length / 2)]!;
  const step = Math.max(1, Math.round(series.length / 18));
  const tablePoints = series.filter((_, i) => i % step === 0 || i === series.length - 1);

  return (
    <figure className="m-0">
      <div className="flex gap-2">
        <div className="relative h-44 w-10 shrink-0 text-xs text-slate-600" aria-hidden="true">
          {yTicks.map((v) => (
            <span
              key={v}
              className="absolute right-0 -translate-y-1/2 tabular-nums"
              style={{ top: `${(y(v) / HEIGHT) * 100}%` }}
            >
              {v === 0 ? "0" : formatBalance(v).replace(".0", "")}
            </span>
          ))}
        </div>
        <div className="min-w-0 flex-1">
          <svg
            viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
            preserveAspectRatio="none"
            className="block h-44 w-full"
            role="img"
            aria-labelledby={`${id}-title ${id}-desc`}
          >
            <title id={`${id}-title`}>{title}</title>
            <desc id={`${id}-desc`}>{describeSeries(series)}</desc>
            <defs>
              <clipPath id={`${id}-above`}>
                <rect x={0} y={0} width={WIDTH} height={zeroY} />
              </clipPath>
              <clipPath id={`${id}-below`}>
                <rect x={0} y={zeroY} width={WIDTH} height={Math.max(0, HEIGHT - zeroY)} />
              </clipPath>
            </defs>
            <g aria-hidden="true">
              <path d={area} className="fill-emerald-100" clipPath={`url(#${id}-above)`} />
              <path d={area} className="fill-red-100" clipPath={`url(#${id}-below)`} />
              <line
                x1={0}
                x2={WIDTH}
                y1={zeroY}
                y2={zeroY}
                className="stroke-slate-500"
                strokeDasharray="4 3"
                vectorEffect="non-scaling-stroke"
              />
              <path
                d={line.join(" ")}
                fill="none"
                className="stroke-indigo-600"
                strokeWidth={2}
                strokeLinejoin="round"
                vectorEffect="non-scaling-stroke"
              />
            </g>
          </svg>
          <div className="mt-1 flex justify-between text-xs text-slate-600" aria-hidden="true">
            {[series[0]!, middle, series[series.length - 1]!].map((p) => (
              <span key={p.at}>{monthYear.format(new Date(p.at))}</span>
            ))}
          </div>
        </div>
      </div>
      {/* a wrapper, not the table itself: a table keeps its content width, so sr-only on it would widen a phone page */}
      <div className="sr-only">
        <table>
          <caption>{title}, about one point a month</caption>
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">Balance</th>
            </tr>
          </thead>
          <tbody>
            {tablePoints.map((p) => (
              <tr key={p.at}>
                <td>{fullDay.format(new Date(p.at))}</td>
                <td>{formatBalance(p.balance)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
