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
import { CHART_HEIGHT as HEIGHT, type QuadrantBar, type TrendChartPoint } from "./chart-frame";
import { formatMonth } from "./panel";

const axisTick = { fontSize: 12, fill: "#475569" };
const shortMonth = (month: string) => formatMonth(month).replace(/ (\d{2})(\d{2})$/, " ’$2");

export function NpsChart({ points }: { points: TrendChartPoint[] }) {
  return (
    <BarChart
      data={points}
      responsive
      style={{ width: "100%", height: HEIGHT }}
      margin={{ top: 8, right: 8 }}
    >
      <CartesianGrid strokeDasharray="3 3" vertical={false} />
      <XAxis dataKey="month" tickFormatter={shortMonth} tick={axisTick} />
      <YAxis domain={[-100, 100]} ticks={[-100, -50, 0, 50, 100]} tick={axisTick} width={40} />
      <ReferenceLine y={0} stroke="#94a3b8" />
      <Tooltip labelFormatter={(month) => formatMonth(String(month))} formatter={(value) => [value, "NPS"]} />
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
    <LineChart
      data={points}
      responsive
      style={{ width: "100%", height: HEIGHT }}
      margin={{ top: 8, right: 8 }}
    >
      <CartesianGrid strokeDasharray="3 3" vertical={false} />
      <XAxis dataKey="month" tickFormatter={shortMonth} tick={axisTick} />
      <YAxis domain={[0, 100]} ticks={[0, 25, 50, 75, 100]} tick={axisTick} width={40} />
      <ReferenceLine y={60} stroke="#94a3b8" strokeDasharray="4 4" />
      <Tooltip
        labelFormatter={(month) => formatMonth(String(month))}
        formatter={(value) => [value, "Customer health"]}
      />
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
    <BarChart
      data={bars}
      layout="vertical"
      responsive
      style={{ width: "100%", height: HEIGHT }}
      margin={{ top: 8, right: 16, left: 8 }}
    >
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
