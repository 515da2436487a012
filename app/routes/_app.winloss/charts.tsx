/**
 * The win/loss chart, drawn with recharts. Only chart-frame.tsx imports this module, lazily and in
 * the browser. No animation, dark strokes and labelled axes: a printed chart is the finished one.
 */
import { Bar, CartesianGrid, ComposedChart, Line, Tooltip, XAxis, YAxis } from "recharts";
import { axisTick, monthAxis, monthChart, monthLabel } from "~/components/report/chart-props";
import type { WinRatePoint } from "./chart-frame";

/** Win rate (line, left axis, 0–100%) over the deals closed each month (bars, right axis). */
export function WinRateChart({ points }: { points: WinRatePoint[] }) {
  return (
    <ComposedChart data={points} {...monthChart}>
      <CartesianGrid strokeDasharray="3 3" vertical={false} />
      <XAxis {...monthAxis} />
      <YAxis
        yAxisId="rate"
        domain={[0, 100]}
        ticks={[0, 25, 50, 75, 100]}
        tickFormatter={(v) => `${v}%`}
        tick={axisTick}
        width={44}
      />
      <YAxis yAxisId="deals" orientation="right" allowDecimals={false} tick={axisTick} width={32} />
      <Tooltip
        labelFormatter={monthLabel}
        formatter={(value, name) => [name === "Win rate" ? `${value}%` : value, name]}
      />
      <Bar yAxisId="deals" dataKey="deals" name="Deals closed" fill="#cbd5e1" isAnimationActive={false} />
      <Line
        yAxisId="rate"
        dataKey="winRate"
        name="Win rate"
        stroke="#4338ca"
        strokeWidth={2}
        dot={{ r: 3 }}
        connectNulls
        isAnimationActive={false}
      />
    </ComposedChart>
  );
}
