/** Where the win-rate chart goes (how and why: ~/components/report/chart-frame). */
import { lazy } from "react";
import { ChartFrame } from "~/components/report/chart-frame";

export interface WinRatePoint {
  month: string;
  winRate: number | null;
  deals: number;
}

const WinRateChart = lazy(() => import("./charts").then((m) => ({ default: m.WinRateChart })));

export function WinRateChartFrame({ points, label }: { points: WinRatePoint[]; label: string }) {
  return (
    <ChartFrame label={label}>
      <WinRateChart points={points} />
    </ChartFrame>
  );
}
