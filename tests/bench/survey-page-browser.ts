/**
 * What a customer on a mid-range phone over a slow mobile network sees when opening the
 * survey: largest contentful paint, total blocking time and cumulative layout shift of a
 * real `/s/:token` page in Debian's Chromium, over several fresh page loads (a new invitation
 * and a new browser context each: nothing cached, a first view every time).
 *
 * Conditions (Lighthouse's mobile defaults, reproduced with DevTools throttling):
 * - viewport 390×844, deviceScaleFactor 3, isMobile and touch;
 * - CPU slowed 4× (`Emulation.setCPUThrottlingRate`, rate 4);
 * - "slow 4G": 150 ms RTT, 1.6 Mbps down, 750 Kbps up. DevTools throttling delays each
 *   response rather than each packet, so, as Lighthouse does for its `devtools` throttling
 *   method, the RTT is multiplied by 3.75 and the throughputs by 0.9: CDP's
 *   `Network.emulateNetworkConditions` gets latency 562.5 ms, download 1474.56 Kbps and upload
 *   675 Kbps, converted to bytes per second (× 1024 / 8) as Lighthouse does.
 *
 * Definitions (all observed from an init script that runs before the page's own scripts):
 * - LCP: the last 'largest-contentful-paint' entry's startTime (nothing interacts with the
 *   page, so the candidate never freezes early).
 * - TBT: for every long task, the part of it after first contentful paint and before the
 *   end of the observation, minus 50 ms (when positive), summed. The observation ends once the
 *   first question is visible and then no long task has run for QUIET_WINDOW_MS (a stand-in
 *   for time-to-interactive: the survey is on screen and the main thread is quiet), or after
 *   OBSERVE_LIMIT_MS.
 * - CLS: layout shifts without recent input, grouped in session windows (gaps < 1 s, at most
 *   5 s long); the largest window's sum — the Web Vitals definition.
 *
 * Every load must render the survey (its first question visible) without a page error or a
 * console error (a hydration mismatch, React #418, shows as one) nor a failed request; any of
 * those is recorded as a problem. `BENCH_DEBUG=1` prints each load's raw entries (long
 * tasks, layout shifts and their sources, the LCP element).
 */
import { chromium, type Browser, type CDPSession } from "@playwright/test";
import { chromiumArgs, chromiumExecutable } from "../support/chromium";
import type { Benchmark } from "./benchmark";
import type { BenchContext } from "./context";
import { percentile, timingFigure, type Figure } from "./figures";

const RUNS = 8;
const LCP_BUDGET_MS = 2500;
const TBT_BUDGET_MS = 600;
const CLS_BUDGET = 0.1;

const CPU_SLOWDOWN = 4;
const RTT_MS = 150;
const DOWNLOAD_KBPS = 1.6 * 1024;
const UPLOAD_KBPS = 750;
/** Lighthouse's DEVTOOLS_RTT_ADJUSTMENT_FACTOR and DEVTOOLS_THROUGHPUT_ADJUSTMENT_FACTOR. */
const DEVTOOLS_RTT_FACTOR = 3.75;
const DEVTOOLS_THROUGHPUT_FACTOR = 0.9;
const NETWORK = {
  offline: false,
  latency: RTT_MS * DEVTOOLS_RTT_FACTOR,
  downloadThroughput: Math.floor((DOWNLOAD_KBPS * DEVTOOLS_THROUGHPUT_FACTOR * 1024) / 8),
  uploadThroughput: Math.floor((UPLOAD_KBPS * DEVTOOLS_THROUGHPUT_FACTOR * 1024) / 8),
};
const PHONE = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 3,
  isMobile: true,
  hasTouch: true,
};

/** SurveyJS puts the question's name on its root element; pages and the survey have none. */
const FIRST_QUESTION = "[data-name]";
const RENDER_TIMEOUT_MS = 30_000;
const QUIET_WINDOW_MS = 2_000;
const OBSERVE_LIMIT_MS = 15_000;

interface Vitals {
  lcp: number | null;
  fcp: number | null;
  tbt: number;
  cls: number;
}

interface Observed {
  lcp: number | null;
  /** The start of the LCP element's markup, to tell what it was. */
  lcpElement?: string | null;
  fcp: number | null;
  longTasks: { start: number; end: number }[];
  shifts: { start: number; value: number }[];
}

/**
 * Runs in the page before any of its scripts: collects what the metrics are computed from.
 * Plain JavaScript in a string: tsx compiles functions with helpers (`__name`) that the page
 * does not have.
 */
const OBSERVE_VITALS = `(() => {
  const observed = { lcp: null, fcp: null, longTasks: [], shifts: [] };
  window.__vitals = observed;
  const observe = (type, callback) => {
    try {
      new PerformanceObserver((list) => list.getEntries().forEach(callback)).observe({ type, buffered: true });
    } catch {}
  };
  observe("largest-contentful-paint", (e) => {
    observed.lcp = e.startTime;
    observed.lcpElement = e.element ? e.element.outerHTML.slice(0, 120) : null;
  });
  observe("paint", (e) => { if (e.name === "first-contentful-paint") observed.fcp = e.startTime; });
  observe("longtask", (e) => { observed.longTasks.push({ start: e.startTime, end: e.startTime + e.duration }); });
  observe("layout-shift", (e) => {
    if (e.hadRecentInput) return;
    const sources = (e.sources || []).map((s) => s.node && s.node.outerHTML ? s.node.outerHTML.slice(0, 80) : "?");
    observed.shifts.push({ start: e.startTime, value: e.value, sources });
  });
})();`;

/** Waits until no long task has ended for QUIET_WINDOW_MS (or OBSERVE_LIMIT_MS), then reports. */
const COLLECT_VITALS = `(async () => {
  const lastTaskEnd = () => Math.max(0, ...window.__vitals.longTasks.map((t) => t.end));
  while (performance.now() < ${OBSERVE_LIMIT_MS} && performance.now() - lastTaskEnd() < ${QUIET_WINDOW_MS}) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { ...window.__vitals, now: performance.now() };
})()`;

/** The Web Vitals CLS: the largest sum of a session window (gaps < 1 s, at most 5 s). */
export function cumulativeLayoutShift(shifts: readonly { start: number; value: number }[]): number {
  let largest = 0;
  let sessionValue = 0;
  let sessionStart = -Infinity;
  let previous = -Infinity;
  for (const shift of [...shifts].sort((a, b) => a.start - b.start)) {
    if (shift.start - previous >= 1000 || shift.start - sessionStart >= 5000) {
      sessionValue = 0;
      sessionStart = shift.start;
    }
    sessionValue += shift.value;
    previous = shift.start;
    largest = Math.max(largest, sessionValue);
  }
  return largest;
}

/** Lighthouse's TBT: each long task's part after FCP (and before `end`), beyond 50 ms. */
export function totalBlockingTime(
  tasks: readonly { start: number; end: number }[],
  fcp: number,
  end: number,
): number {
  let total = 0;
  for (const task of tasks) {
    const duration = Math.min(task.end, end) - Math.max(task.start, fcp);
    if (duration > 50) total += duration - 50;
  }
  return total;
}

async function loadOnce(browser: Browser, context: BenchContext, throttled: boolean): Promise<Vitals> {
  const { token } = (await context.createInvitations(1))[0]!;
  const url = `${context.baseUrl}/s/${token}`;
  const browserContext = await browser.newContext(PHONE);
  const problems: string[] = [];
  try {
    await browserContext.addInitScript(OBSERVE_VITALS);
    const page = await browserContext.newPage();
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(`console error: ${message.text()}`);
    });
    page.on("requestfailed", (request) =>
      problems.push(`request failed: ${request.url()} (${request.failure()?.errorText ?? "?"})`),
    );
    page.on("response", (response) => {
      if (response.status() >= 400) problems.push(`${response.status()} for ${response.url()}`);
    });
    const cdp: CDPSession = await browserContext.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
    if (throttled) {
      await cdp.send("Network.emulateNetworkConditions", NETWORK);
      await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU_SLOWDOWN });
    }

    await page.goto(url, { waitUntil: "commit" });
    try {
      await page.locator(FIRST_QUESTION).first().waitFor({ state: "visible", timeout: RENDER_TIMEOUT_MS });
    } catch (error) {
      const text = (
        await page
          .locator("body")
          .innerText()
          .catch(() => "")
      ).slice(0, 300);
      throw new Error(
        `the survey's first question did not appear within ${RENDER_TIMEOUT_MS / 1000}s` +
          ` (${summarise(problems) || "no page error"}); the page says: ${JSON.stringify(text)}`,
        { cause: error },
      );
    }

    // Until the main thread has been quiet for a while after the survey appeared.
    const observed = (await page.evaluate(COLLECT_VITALS)) as Observed & { now: number };
    if (process.env.BENCH_DEBUG) console.error(JSON.stringify(observed));
    if (problems.length > 0) {
      context.problem(`survey page in Chromium (${token.slice(0, 6)}…): ${summarise(problems)}`);
    }
    if (observed.lcp === null || observed.fcp === null) {
      context.problem("survey page in Chromium: no first or largest contentful paint was reported");
    }
    return {
      lcp: observed.lcp,
      fcp: observed.fcp,
      tbt: totalBlockingTime(observed.longTasks, observed.fcp ?? 0, observed.now),
      cls: cumulativeLayoutShift(observed.shifts),
    };
  } finally {
    await browserContext.close();
  }
}

/** The first few problems of a load (one missing build file brings a dozen more). */
function summarise(problems: readonly string[]): string {
  const shown = problems.slice(0, 4).join("; ");
  return problems.length > 4 ? `${shown}; and ${problems.length - 4} more` : shown;
}

export const surveyPageBrowser: Benchmark = {
  name: "survey page in Chromium",
  async run(context) {
    const browser = await chromium.launch({ executablePath: chromiumExecutable(), args: chromiumArgs });
    try {
      // The server's first render of the route and the browser's start-up are not measured.
      await loadOnce(browser, context, false);
      const runs: Vitals[] = [];
      for (let i = 0; i < RUNS; i++) runs.push(await loadOnce(browser, context, true));

      const conditions = `390×844 @3×, 4× CPU, slow 4G, n=${RUNS}`;
      const lcp = runs.map((r) => r.lcp ?? Infinity);
      const fcp = runs.map((r) => r.fcp ?? Infinity);
      // Layout-shift scores are fractions and the table rounds to one decimal: thousandths.
      const cls = runs.map((r) => r.cls * 1000);
      // Web Vitals thresholds are met at the 75th percentile of page loads (figures.ts, budgetOn).
      const vital = (name: string, unit: string, samples: number[], budget: number): Figure => ({
        ...timingFigure(`Survey page ${name} (${conditions})`, samples),
        unit,
        p75: percentile(samples, 75),
        budgetOn: "p75",
        budget,
      });
      return [
        timingFigure(`Survey page FCP (${conditions})`, fcp),
        vital("LCP", "ms", lcp, LCP_BUDGET_MS),
        vital(
          "TBT",
          "ms",
          runs.map((r) => r.tbt),
          TBT_BUDGET_MS,
        ),
        vital("CLS × 1000", "CLS/1000", cls, CLS_BUDGET * 1000),
      ];
    } finally {
      await browser.close();
    }
  },
};
