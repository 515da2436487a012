/**
 * Where a report's chart goes. Charts measure their box in the browser, so the server renders an
 * empty frame of the same height (nothing to mismatch on hydration) and the chart is drawn once the
 * page has hydrated and recharts has loaded (a chunk of its own, fetched only then: the page's
 * chart module is imported lazily). The frame is an image with a sentence describing it; the
 * numbers are always in the table beneath, for screen readers and before JavaScript.
 */
import { Suspense, type ReactNode } from "react";
import { useHydrated } from "~/lib/use-hydrated";

export const CHART_HEIGHT = 220;

/** `children`: the chart, a lazy component (so recharts stays out of the page's first JavaScript). */
export function ChartFrame({ label, children }: { label: string; children: ReactNode }) {
  const hydrated = useHydrated();
  return (
    <div role="img" aria-label={label} className="w-full break-inside-avoid" style={{ height: CHART_HEIGHT }}>
      {hydrated ? <Suspense fallback={null}>{children}</Suspense> : null}
    </div>
  );
}
