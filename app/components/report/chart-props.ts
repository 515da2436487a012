/**
 * What a report's charts share: their size, and for charts over months the month axis and the
 * tooltip's title. Imported only by the lazily loaded chart modules, beside recharts.
 */
import { CHART_HEIGHT } from "./chart-frame";
import { formatMonth } from "./format";

export const axisTick = { fontSize: 12, fill: "#475569" };

/** A chart that fills its ChartFrame. */
export const chartBox = { responsive: true, style: { width: "100%", height: CHART_HEIGHT } };

/** A chart with the months along the bottom. */
export const monthChart = { ...chartBox, margin: { top: 8, right: 8 } };

/** "May 2026" → "May ’26" on the axis. */
const shortMonth = (month: string) => formatMonth(month).replace(/ (\d{2})(\d{2})$/, " ’$2");
export const monthAxis = { dataKey: "month", tickFormatter: shortMonth, tick: axisTick };

/** A tooltip's title: the month in full. */
export const monthLabel = (month: unknown) => formatMonth(String(month));
