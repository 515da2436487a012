/**
 * The web process's resident memory after the load the benchmarks before it put on it
 * (VmRSS of the app's process, read from /proc): it must stay under 400 MB. Runs last.
 */
import type { Benchmark } from "./benchmark";

const BUDGET_MB = 400;

export const webProcessMemory: Benchmark = {
  name: "survey memory: web process RSS after the load",
  async run(context) {
    return [
      {
        name: "Web process RSS after the load",
        unit: "MB",
        value: await context.appRssMb(),
        budget: BUDGET_MB,
      },
    ];
  },
};
