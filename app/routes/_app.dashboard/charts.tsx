/**
 * The dashboard's charts, drawn with recharts. Only chart-frame.tsx imports this module, lazily
 * and in the browser, so recharts is neither in the server's markup nor in the page's first
 * JavaScript. No animation: a printed or screenshotted chart is the finished one.
 */
import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  Line,
  LineChart,
  ReferenceLine,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { axisTick, chartBox, monthAxis, monthChart, monthLabel } from "~/components/report/chart-props";
import type { QuadrantBar, TrendChartPoint } from "./chart-frame";

export function NpsChart({ points }: { points: TrendChartPoint[] }) {
  return (
    <BarChart data={points} {...monthChart}>
      <CartesianGrid strokeDasharray="3 3" vertical={false} />
      <XAxis {...monthAxis} />
      <YAxis domain={[-100, 100]} ticks={[-100, -50, 0, 50, 100]} tick={axisTick} width={40} />
      <ReferenceLine y={0} stroke="#94a3b8" />
      <Tooltip labelFormatter={monthLabel} formatter={(value) => [value, "NPS"]} />
      <Bar dataKey="nps" name="NPS" isAnimationActive={false}>
        {points.map((point) => (
          <Cell key={point.month} fill={(point.nps ?? 0) < 0 ? "#dc2626" : "#16a34a"} />
        ))}
      </Bar>
    </BarChart>
  );
}

export function HealthChart({ points }: { points: TrendChartPoint[] }) {
  return (
    <LineChart data={points} {...monthChart}>
      <CartesianGrid strokeDasharray="3 3" vertical={false} />
      <XAxis {...monthAxis} />
      <YAxis domain={[0, 100]} ticks={[0, 25, 50, 75, 100]} tick={axisTick} width={40} />
      <ReferenceLine y={60} stroke="#94a3b8" strokeDasharray="4 4" />
      <Tooltip labelFormatter={monthLabel} formatter={(value) => [value, "Customer health"]} />
      <Line
        dataKey="health"
        name="Customer health"
        stroke="#4f46e5"
        strokeWidth={2}
        dot={{ r: 3 }}
        connectNulls
        isAnimationActive={false}
      />
    </LineChart>
  );
}

export function QuadrantChart({ bars }: { bars: QuadrantBar[] }) {
  return (
    <BarChart data={bars} layout="vertical" {...chartBox} margin={{ top: 8, right: 16, left: 8 }}>
      <CartesianGrid strokeDasharray="3 3" horizontal={false} />
      <XAxis type="number" allowDecimals={false} tick={axisTick} />
      <YAxis type="category" dataKey="label" tick={axisTick} width={120} />
      <Tooltip formatter={(value) => [value, "Accounts"]} />
      <Bar dataKey="accounts" name="Accounts" isAnimationActive={false}>
        {bars.map((bar) => (
          <Cell key={bar.key} fill={bar.color} />
        ))}
      </Bar>
    </BarChart>
  );
}
