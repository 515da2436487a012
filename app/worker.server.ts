/**
 * The job worker as a process of its own (`npm run worker`), for running the web and
 * the worker separately. `npm start` runs the worker inside the web process instead.
 */
import { closeDb, connectDb } from "./lib/db.server";
import { getEnv } from "./lib/env.server";
import { keepRunningThroughDatabaseOutages, startJobs } from "./lib/jobs.server";
import { log } from "./lib/log.server";
import { runMigrations } from "./lib/migrate.server";

keepRunningThroughDatabaseOutages((reason) => {
  console.error("The worker stopped on an unexpected error:", reason);
  process.exit(1);
});

const env = getEnv();
if (!env.DATABASE_URL) {
  console.error("DATABASE_URL: must be set to run the worker on its own (npm start runs one already).");
  process.exit(1);
}
await runMigrations(env.DATABASE_URL);
connectDb(env.DATABASE_URL, { max: 4 });
const jobs = await startJobs(env.DATABASE_URL, { work: true });
log.info("worker.ready", {});

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void (async () => {
      await jobs.stop();
      await closeDb();
      process.exit(0);
    })();
  });
}
