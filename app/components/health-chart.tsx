import { useId } from "react";
import { formatScore } from "~/lib/score-format";

export type HealthSeries = "customer" | "team" | "ledger";

export interface HealthChartGroup {
  key: string;
  label: string;
  bars: { series: HealthSeries; value: number | null }[];
}

// Like ledger-chart.tsx: the SVG stretches to its box (preserveAspectRatio="none", strokes
// that do not scale) and every piece of text is HTML laid over it, so it stays readable on a
// phone. One viewBox unit across is one point of score; down, UNIT_PX pixels.
const BAR = 7;
const BAR_GAP = 1;
const GROUP_PAD = 4;
const UNIT_PX = 2;

export const SERIES_STYLE: Record<
  HealthSeries,
  { label: string; fill: string; swatch: string; missing: string }
> = {
  customer: {
    label: "Customer says",
    fill: "fill-indigo-600",
    swatch: "bg-indigo-600",
    missing: "no answers",
  },
  team: { label: "Team believes", fill: "fill-amber-500", swatch: "bg-amber-500", missing: "no prediction" },
  ledger: { label: "Ledger shows", fill: "fill-teal-600", swatch: "bg-teal-600", missing: "nothing logged" },
};

function layout(groups: readonly HealthChartGroup[]) {
  let y = 0;
  return {
    rows: groups.map((group) => {
      const top = y;
      const bars = group.bars.map((bar, i) => ({ ...bar, y: top + GROUP_PAD + i * (BAR + BAR_GAP) }));
      y += GROUP_PAD * 2 + group.bars.length * BAR + (group.bars.length - 1) * BAR_GAP;
      return { group, top, bottom: y, bars };
    }),
    height: y,
  };
}

/**
 * Grouped horizontal bars, 0–100: per group (a dimension, or overall health) what the
 * customer says, what the team believes and, where there is one, what the ledger shows,
 * with a dashed line at the healthy threshold. The figure is summed up in words in
 * `description`; the numbers themselves are in the table the caller puts beneath it.
 */
export function HealthChart({
  groups,
  title,
  description,
  threshold = 60,
}: {
  groups: readonly HealthChartGroup[];
  title: string;
  description: string;
  threshold?: number;
}) {
  const id = useId().replace(/[^a-zA-Z0-9_-]/g, "");
  if (groups.length === 0) return null;
  const { rows, height } = layout(groups);
  const pct = (y: number) => `${(y / height) * 100}%`;
  const series = [...new Set(groups.flatMap((g) => g.bars.map((b) => b.series)))];
  return (
    <figure className="m-0">
      <ul className="mb-3 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-700" aria-hidden="true">
        {series.map((s) => (
          <li key={s} className="flex items-center gap-1.5">
            <span className={`inline-block h-3 w-3 rounded-sm ${SERIES_STYLE[s].swatch}`} />
            {SERIES_STYLE[s].label}
          </li>
        ))}
        <li className="flex items-center gap-1.5">
          <span className="inline-block h-3 w-0 border-l-2 border-dashed border-slate-500" />
          Healthy from {threshold}
        </li>
      </ul>
      <div className="flex gap-2">
        <div
          className="relative w-24 shrink-0 text-xs sm:w-32"
          style={{ height: height * UNIT_PX }}
          aria-hidden="true"
        >
          {rows.map((row) => (
            <span
              key={row.group.key}
              className="absolute right-0 -translate-y-1/2 text-right font-medium leading-tight text-slate-700"
              style={{ top: pct((row.top + row.bottom) / 2) }}
            >
              {row.group.label}
            </span>
          ))}
        </div>
        <div className="relative min-w-0 flex-1" style={{ height: height * UNIT_PX }}>
          <svg
            viewBox={`0 0 100 ${height}`}
            preserveAspectRatio="none"
            className="absolute inset-0 block h-full w-full"
            role="img"
            aria-labelledby={`${id}-title ${id}-desc`}
          >
            <title id={`${id}-title`}>{title}</title>
            <desc id={`${id}-desc`}>{description}</desc>
            <g aria-hidden="true">
              {rows.slice(1).map((row) => (
                <line
                  key={row.group.key}
                  x1={0}
                  x2={100}
                  y1={row.top}
                  y2={row.top}
                  className="stroke-slate-200"
                  vectorEffect="non-scaling-stroke"
                />
              ))}
              <rect
                x={0}
                y={0}
                width={100}
                height={height}
                fill="none"
                className="stroke-slate-200"
                vectorEffect="non-scaling-stroke"
              />
              {rows.flatMap((row) =>
                row.bars.map((bar) =>
                  bar.value === null ? null : (
                    <rect
                      key={`${row.group.key}-${bar.series}`}
                      x={0}
                      y={bar.y}
                      width={Math.max(0.4, bar.value)}
                      height={BAR}
                      className={SERIES_STYLE[bar.series].fill}
                    />
                  ),
                ),
              )}
              <line
                x1={threshold}
                x2={threshold}
                y1={0}
                y2={height}
                className="stroke-slate-500"
                strokeDasharray="4 3"
                vectorEffect="non-scaling-stroke"
              />
            </g>
          </svg>
          <div aria-hidden="true">
            {rows.flatMap((row) =>
              row.bars.map((bar) => {
                const inside = bar.value !== null && bar.value > 80;
                return (
                  <span
                    key={`${row.group.key}-${bar.series}`}
                    className={`absolute -translate-y-1/2 whitespace-nowrap text-[11px] leading-none tabular-nums ${
                      bar.value === null
                        ? "italic text-slate-500"
                        : inside
                          ? "-translate-x-full pr-1 font-semibold text-white"
                          : "pl-1 font-semibold text-slate-800"
                    }`}
                    style={{ top: pct(bar.y + BAR / 2), left: `${bar.value ?? 0}%` }}
                  >
                    {bar.value === null ? SERIES_STYLE[bar.series].missing : formatScore(bar.value)}
                  </span>
                );
              }),
            )}
          </div>
        </div>
      </div>
      <div
        className="ml-[6.5rem] mt-1 flex justify-between text-xs text-slate-600 sm:ml-[8.5rem]"
        aria-hidden="true"
      >
        <span>0</span>
        <span>50</span>
        <span>100</span>
      </div>
    </figure>
  );
}
