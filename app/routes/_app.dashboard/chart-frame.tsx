/**
 * Where a dashboard chart goes. Charts measure their box in the browser, so the server renders
 * an empty frame of the same height (nothing to mismatch on hydration) and the chart is drawn
 * once the page has hydrated and recharts has loaded (a chunk of its own, fetched only then).
 * The frame is an image with a sentence describing it; the numbers are always in the table
 * beneath, for screen readers and before JavaScript.
 */
import { Suspense, lazy, type ReactNode } from "react";
import { useHydrated } from "~/lib/use-hydrated";

export const CHART_HEIGHT = 220;

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

function ChartFrame({ label, children }: { label: string; children: ReactNode }) {
  const hydrated = useHydrated();
  return (
    <div role="img" aria-label={label} className="w-full break-inside-avoid" style={{ height: CHART_HEIGHT }}>
      {hydrated ? <Suspense fallback={null}>{children}</Suspense> : null}
    </div>
  );
}

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
