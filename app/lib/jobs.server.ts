import PgBoss from "pg-boss";
import { sweepExpiredSignInData } from "../domain/maintenance.server";
import { getDb } from "./db.server";
import { log } from "./log.server";

/**
 * A job handler. Handlers must be idempotent: pg-boss delivers at least once, so a
 * job retried after a crash must find its work already done and do nothing twice.
 */
export interface JobDefinition<Data extends object = object> {
  name: string;
  handle(data: Data, meta: { jobId: string }): Promise<void>;
  queue?: Omit<PgBoss.Queue, "name">;
  /** Cron expression (UTC) for jobs that run on a schedule. */
  cron?: string;
}

/** Every job the worker runs. Later capabilities add theirs here. */
export const jobDefinitions: JobDefinition[] = [
  {
    name: "maintenance.sweep-sign-in-data",
    cron: "17 3 * * *",
    async handle() {
      const removed = await sweepExpiredSignInData(getDb());
      log.info("maintenance.swept", removed);
    },
  },
];

export interface JobRunner {
  boss: PgBoss;
  stop(): Promise<void>;
}

/** Starts pg-boss on the app's database (its own `pgboss` schema) and, if asked, the workers. */
export async function startJobs(
  url: string,
  options: { work: boolean; definitions?: JobDefinition[] },
): Promise<JobRunner> {
  const boss = new PgBoss({
    connectionString: url,
    schema: "pgboss",
    max: 4,
    application_name: "rapport-jobs",
  });
  boss.on("error", (error) => log.error("jobs.error", { error }));
  await boss.start();
  const definitions = options.definitions ?? jobDefinitions;
  for (const definition of definitions) {
    await boss.createQueue(definition.name, { name: definition.name, ...definition.queue });
    if (definition.cron) await boss.schedule(definition.name, definition.cron, {}, { tz: "UTC" });
    if (options.work) {
      await boss.work(definition.name, async (jobs) => {
        for (const job of jobs) {
          const started = Date.now();
          await definition.handle(job.data as object, { jobId: job.id });
          log.info("job.done", { queue: definition.name, jobId: job.id, ms: Date.now() - started });
        }
      });
    }
  }
  log.info("jobs.started", { queues: definitions.map((d) => d.name), working: options.work });
  return {
    boss,
    async stop() {
      await boss.stop({ graceful: true, timeout: 10_000, wait: true });
    },
  };
}
