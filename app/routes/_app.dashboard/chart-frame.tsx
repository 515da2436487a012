/** Where the dashboard's charts go (how and why: ~/components/report/chart-frame). */
import { lazy } from "react";
import { ChartFrame } from "~/components/report/chart-frame";

export interface TrendChartPoint {
  month: string;
  nps: number | null;
  health: number | null;
}

export interface QuadrantBar {
  key: string;
  label: string;
  accounts: number;
  color: string;
}

const NpsChart = lazy(() => import("./charts").then((m) => ({ default: m.NpsChart })));
const HealthChart = lazy(() => import("./charts").then((m) => ({ default: m.HealthChart })));
const QuadrantChart = lazy(() => import("./charts").then((m) => ({ default: m.QuadrantChart })));

export function NpsChartFrame({ points, label }: { points: TrendChartPoint[]; label: string }) {
  return (
    <ChartFrame label={label}>
      <NpsChart points={points} />
    </ChartFrame>
  );
}

export function HealthChartFrame({ points, label }: { points: TrendChartPoint[]; label: string }) {
  return (
    <ChartFrame label={label}>
      <HealthChart points={points} />
    </ChartFrame>
  );
}

export function QuadrantChartFrame({ bars, label }: { bars: QuadrantBar[]; label: string }) {
  return (
    <ChartFrame label={label}>
      <QuadrantChart bars={bars} />
    </ChartFrame>
  );
}
