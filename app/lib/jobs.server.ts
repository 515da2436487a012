import PgBoss from "pg-boss";
import {
  CAMPAIGN_TICK_JOB,
  SEND_CAMPAIGN_JOB,
  runCampaignTick,
  sendCampaignInvitations,
} from "../domain/campaign-send.server";
import { APPLY_JOB, CHECK_JOB, applyCsvImport, checkCsvImport } from "../domain/csv-import.server";
import { HEALTH_REFRESH_CRON, HEALTH_REFRESH_JOB } from "../domain/health-rollups";
import { runHealthRefreshJob } from "../domain/health-rollups.server";
import { sweepApiBookkeeping, sweepExpiredSignInData } from "../domain/maintenance.server";
import { DELIVER_EMAIL_JOB, deliverPendingEmails } from "../domain/outbox.server";
import { WEBHOOK_DELIVER_JOB, deliverDueWebhooks } from "../domain/webhooks.server";
import { WINLOSS_FOLLOWUPS_JOB, processDueFollowups } from "../domain/winloss-followups.server";
import { getDb, isDatabaseConnectionError, retryWhileDatabaseUnreachable } from "./db.server";
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
      const api = await sweepApiBookkeeping(getDb());
      log.info("maintenance.swept", { ...removed, ...api });
    },
  },
  // Both do nothing for an import that is not in the status they expect (checking / applying).
  {
    name: CHECK_JOB,
    queue: { expireInSeconds: 30 * 60 },
    async handle(data) {
      await checkCsvImport(getDb(), importIdOf(data));
    },
  },
  {
    name: APPLY_JOB,
    queue: { expireInSeconds: 60 * 60 },
    async handle(data) {
      await applyCsvImport(getDb(), importIdOf(data));
    },
  },
  // Sends the outbox. The schedule is the safety net that picks up every pending message
  // within a minute; when Resend asks us to wait, the job queues itself for that moment.
  {
    name: DELIVER_EMAIL_JOB,
    cron: "* * * * *",
    // "short": at most one run (and one queued retry) waiting at a time, never a pile-up
    queue: { policy: "short" },
    async handle() {
      const result = await deliverPendingEmails(getDb());
      if (result.mode === "resend" && result.retryAfterMs !== undefined) {
        await getRunningBoss()?.send(
          DELIVER_EMAIL_JOB,
          {},
          { startAfter: new Date(Date.now() + result.retryAfterMs), singletonKey: "retry" },
        );
      }
    },
  },
  // Writes a launched campaign's invitations; delivery starts as soon as the first chunk is in.
  {
    name: SEND_CAMPAIGN_JOB,
    queue: { expireInSeconds: 60 * 60 },
    async handle(data) {
      const campaignId = stringField(data, "campaignId");
      if (!campaignId) return;
      const { written } = await sendCampaignInvitations(getDb(), campaignId, { afterChunk: startDelivery });
      if (written > 0) await startDelivery();
    },
  },
  // Scheduled launches, sends that stopped half-way, due reminders, expiry.
  {
    name: CAMPAIGN_TICK_JOB,
    cron: "* * * * *",
    queue: { policy: "short", expireInSeconds: 30 * 60 },
    async handle() {
      const result = await runCampaignTick(getDb());
      if (result.written > 0) await startDelivery();
      if (result.launched || result.written || result.expiredInvitations || result.completedCampaigns) {
        log.info("campaigns.ticked", result);
      }
    },
  },
  // Win/loss follow-ups that are due: a campaign to the deal's buyers, or an interview task
  // (docs/winloss-program.md). Each follow-up is claimed with SKIP LOCKED while still
  // "scheduled", so a retried or overlapping run never doubles one.
  {
    name: WINLOSS_FOLLOWUPS_JOB,
    cron: "* * * * *",
    queue: { policy: "short", expireInSeconds: 30 * 60 },
    async handle() {
      const result = await processDueFollowups(getDb());
      if (result.written > 0) await startDelivery();
    },
  },
  // Outgoing webhooks (docs/webhooks.md). A write that emits an event queues a run after its
  // commit; the schedule is the safety net and sends the retries whose time has come. Each
  // delivery is claimed with SKIP LOCKED and leased, so overlapping runs never send one twice.
  {
    name: WEBHOOK_DELIVER_JOB,
    cron: "* * * * *",
    queue: { policy: "short", expireInSeconds: 30 * 60 },
    async handle() {
      const result = await deliverDueWebhooks(getDb());
      if (result.succeeded || result.failed || result.abandoned)
        log.info("webhooks.delivered", { ...result });
    },
  },
  // Health rollups (docs/health-model.md, "Rollups"). `{ accountId }` refreshes one account after
  // a write; queued with the account as singletonKey, so with "stately" a burst collapses into
  // one waiting refresh per account. The nightly schedule sends `{}`: every account, because
  // windows, decay and the silent rule move with time even when nothing is written.
  {
    name: HEALTH_REFRESH_JOB,
    cron: HEALTH_REFRESH_CRON,
    queue: { policy: "stately", expireInSeconds: 30 * 60 },
    async handle(data) {
      await runHealthRefreshJob(getDb(), data);
    },
  },
];

/**
 * Asks the worker to look at the win/loss follow-ups now rather than at the next minute: a
 * deal just closed or got its seller's reasons, and a rule with no delay asks its buyers at
 * once. The close is committed either way, so a failure to ask is logged, not thrown.
 */
export async function runWinlossFollowupsSoon(): Promise<void> {
  try {
    await sendJob(WINLOSS_FOLLOWUPS_JOB, {});
  } catch (error) {
    log.warn("winloss.followups_not_queued", { error });
  }
}

/** Asks the worker to send the outbox now rather than at the next minute. */
export async function startDelivery(): Promise<void> {
  await sendJob(DELIVER_EMAIL_JOB, {});
}

function stringField(data: object, name: string): string {
  const value = (data as Record<string, unknown>)[name];
  return typeof value === "string" ? value : "";
}

function importIdOf(data: object): string {
  return stringField(data, "importId");
}

/*
 * The running pg-boss lives on globalThis for the same reason as the database pool
 * (db.server.ts): the process entry and the Remix server build each load their own copy of
 * this module, and routes in the build must send jobs through the boss the entry started.
 */
const BOSS = Symbol.for("rapport.jobs.boss");
/** The workers this process runs, by queue name. */
const WORKERS = Symbol.for("rapport.jobs.workers");
type BossHolder = { [BOSS]?: PgBoss; [WORKERS]?: Map<string, string> };
const bossHolder = globalThis as BossHolder;

/** The pg-boss this process started, if any (none in integration tests and scripts). */
export function getRunningBoss(): PgBoss | undefined {
  return bossHolder[BOSS];
}

/** Queues a job; false when no pg-boss is running here, so the caller can do the work inline. */
export async function sendJob(name: string, data: object): Promise<boolean> {
  const boss = getRunningBoss();
  if (!boss) return false;
  await boss.send(name, data);
  // when this process works the queue, the job starts now rather than at the worker's next poll
  const worker = bossHolder[WORKERS]?.get(name);
  if (worker) boss.notifyWorker(worker);
  return true;
}

/**
 * pg-boss 10 records a job's outcome without waiting for it (its worker calls `complete` or
 * `fail` and drops the promise), so while the database is down that write rejects with
 * nobody to catch it, and Node ends the process on an unhandled rejection: a Postgres
 * restart would take the web server down with it. Losing that write loses nothing — the job
 * stays active, expires and runs again, and handlers are idempotent — so a database
 * connection error that reaches this point is logged and the process lives on. Anything else
 * is a bug: `onOther` gets it (the entry logs it and stops, as Node would have).
 */
export function keepRunningThroughDatabaseOutages(onOther: (reason: unknown) => void): void {
  process.on("unhandledRejection", (reason) => {
    if (isDatabaseConnectionError(reason)) {
      log.warn("jobs.outcome_not_recorded", { error: reason });
      return;
    }
    onOther(reason);
  });
}

/** How long a job waits out an unreachable database before it fails as any error would. */
const OUTAGE_WAIT_MS = 2 * 60_000;

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
  const workers = new Map<string, string>();
  for (const definition of definitions) {
    await boss.createQueue(definition.name, { name: definition.name, ...definition.queue });
    if (definition.cron) await boss.schedule(definition.name, definition.cron, {}, { tz: "UTC" });
    if (options.work) {
      const worker = await boss.work(definition.name, async (jobs) => {
        for (const job of jobs) {
          const started = Date.now();
          // A job cut off by a database restart runs again as soon as the database is back
          // (handlers are idempotent), rather than at its expiry: up to an hour for a send.
          await retryWhileDatabaseUnreachable(
            () => definition.handle(job.data as object, { jobId: job.id }),
            {
              withinMs: OUTAGE_WAIT_MS,
              intervalMs: 1_000,
              onRetry: (error) =>
                log.warn("job.waiting_for_database", {
                  queue: definition.name,
                  jobId: job.id,
                  error: String(error),
                }),
            },
          );
          log.info("job.done", { queue: definition.name, jobId: job.id, ms: Date.now() - started });
        }
      });
      workers.set(definition.name, worker);
    }
  }
  log.info("jobs.started", { queues: definitions.map((d) => d.name), working: options.work });
  bossHolder[BOSS] = boss;
  bossHolder[WORKERS] = workers;
  return {
    boss,
    async stop() {
      if (bossHolder[BOSS] === boss) {
        delete bossHolder[BOSS];
        delete bossHolder[WORKERS];
      }
      await boss.stop({ graceful: true, timeout: 10_000, wait: true });
    },
  };
}
