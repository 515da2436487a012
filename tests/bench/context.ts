/**
 * The world the benchmarks run in: a fresh production build, `npm start`'s entry on its own
 * DATA_DIR (embedded Postgres with the demo workspace) sending its mail to a fake Resend that
 * keeps Resend's limits, and a pool on that same database so benchmarks can create
 * invitations and check what was stored.
 */
import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, utimesSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { contacts, invitations, invitationTokens, users } from "../../db/schema";
import { DEMO_USERS } from "../../db/seed";
import {
  DEFAULT_LINK_EXPIRY_DAYS,
  hashSurveyToken,
  newSurveyToken,
} from "../../app/domain/survey-links.server";
import { serverBuildPath } from "../../app/lib/build.server";
import { latestSurveyVersion } from "../../app/domain/surveys.server";
import { closeDb, connectDb, type Database } from "../../app/lib/db.server";
import { findFreePort, startEmbeddedPostgres } from "../../app/lib/embedded-postgres.server";
import { startApp, type AppProcess } from "../support/app-process";
import { startFakeResend, type FakeResend } from "../support/fake-resend";

export interface BenchContext {
  /** http://127.0.0.1:<port>, the running app. */
  baseUrl: string;
  db: Database;
  /** The app's database, for clients of its own (e.g. pg-boss to queue a job). */
  databaseUrl: string;
  /** Where the app sends its mail: Resend's default limits, 2 requests a second of ≤ 100 emails. */
  resend: FakeResend;
  /**
   * Fresh invitations to relationship-health for demo contacts; returns their tokens and ids.
   * The same rows createSurveyLink writes (a sent invitation and its token's hash), inserted
   * in bulk so thousands take a moment.
   */
  createInvitations(count: number): Promise<{ token: string; invitationId: string }[]>;
  /** The path of the bare baseline page (tests/bench/baseline-route.tsx), in this build only. */
  baselinePath: string;
  /** The web process's resident memory now (VmRSS of the app's process), in MB. */
  appRssMb(): Promise<number>;
  /**
   * CPU time the web process has used so far (user + system, /proc/<pid>/stat, 10 ms
   * ticks), in ms: per request, a figure the machine's other load does not blur.
   */
  appCpuMs(): Promise<number>;
  /**
   * Waits until the web process is quiet — under 5 % of a core over a second, twice running —
   * so work queued by the start or by the last benchmark (rollup refreshes, the demo's first
   * deliveries) does not land in the next one's figures. False after a minute of waiting.
   */
  settle(): Promise<boolean>;
  /** Records a correctness problem: printed after the table, and the run exits non-zero. */
  problem(message: string): void;
  problems: string[];
  /** Everything the app printed (LOG_LEVEL=warn: its warnings and errors). */
  appOutput(): string;
}

const STARTUP_TIMEOUT_MS = 180_000;
const SHUTDOWN_TIMEOUT_MS = 30_000;
/** A Resend team's default rate limit; the app is told the same (RESEND_REQUESTS_PER_SECOND's default). */
export const RESEND_REQUESTS_PER_SECOND = 2;

/** Set at build time, remix.config.js adds the baseline route; at run time, the route answers. */
const BASELINE_ENV = { RAPPORT_BENCH_BASELINE: "1" };
const BASELINE_PATH = "/__bench/static";
/** context.settle(): quiet is under 5 % of a core, sampled each second, for at most a minute. */
const SETTLE_SAMPLE_MS = 1000;
const SETTLE_BUSY_SHARE = 0.05;
const SETTLE_TIMEOUT_MS = 60_000;
/** USER_HZ, the unit of /proc/<pid>/stat's CPU times: 100 on every Linux build we run on. */
const CLOCK_TICKS_PER_SECOND = 100;
/** Invitations per INSERT: well under Postgres's 65,535 parameters. */
const INVITATION_BATCH = 500;

/**
 * `remix build` in production mode, always: the figures must describe the current sources.
 * The build has the bench's baseline route, so once the app has loaded it, it is marked stale
 * (markBuildStale): the next `npm start` rebuilds without the route.
 */
export function buildForProduction() {
  const cli = path.resolve("node_modules/.bin/remix");
  const result = spawnSync(cli, ["build"], {
    env: { ...process.env, NODE_ENV: "production", ...BASELINE_ENV },
    encoding: "utf8",
  });
  if (result.status !== 0) {
    throw new Error(
      `\`remix build\` failed:\n${result.stdout ?? ""}${result.stderr ?? ""}${result.error ?? ""}`,
    );
  }
}

/**
 * Makes `npm start` rebuild (ensureBuild in app/lib/build.server.ts compares the build's mtime
 * with the sources'), so the bench's build with its baseline route is never served afterwards.
 */
function markBuildStale() {
  if (existsSync(serverBuildPath)) utimesSync(serverBuildPath, 0, 0);
}

export interface BenchEnvironment {
  /** Starts the app on a temporary DATA_DIR and connects to its database. */
  start(): Promise<BenchContext>;
  /**
   * Closes the pool, stops the app with SIGTERM (waiting for it to stop its Postgres) and
   * removes the temporary folder; safe at any point of start(), and more than once.
   * `signalled`: the bench itself got Ctrl-C, which the terminal also sent to the app; a
   * second signal would make the app exit at once, leaving its Postgres running.
   */
  dispose(options?: { signalled?: boolean }): Promise<void>;
}

export function benchEnvironment(): BenchEnvironment {
  let dataDir: string | undefined;
  let app: AppProcess | undefined;
  let resend: FakeResend | undefined;
  let connected = false;
  let disposed: Promise<void> | undefined;

  const dispose = (options: { signalled?: boolean } = {}) => {
    disposed ??= (async () => {
      if (connected) await closeDb();
      if (app && app.child.exitCode === null && app.child.signalCode === null) {
        const stopping = /received: stopping Rapport/;
        if (options.signalled) await withTimeout(app.waitFor(stopping), 1000, () => "").catch(() => {});
        if (!stopping.test(app.output())) app.child.kill("SIGTERM");
        const timer = new Promise<"timeout">((resolve) =>
          setTimeout(() => resolve("timeout"), SHUTDOWN_TIMEOUT_MS).unref(),
        );
        const code = await Promise.race([app.exited, timer]);
        if (code === "timeout") {
          app.child.kill("SIGKILL");
          console.error(
            `The app did not stop within ${SHUTDOWN_TIMEOUT_MS / 1000}s and was killed; its Postgres may still run.`,
          );
        } else if (code !== 0) {
          console.error(
            `The app exited with code ${code} while stopping:\n${app.output().trimEnd().slice(-2000)}`,
          );
        }
      }
      await resend?.close();
      markBuildStale();
      if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
    })();
    return disposed;
  };

  const start = async (): Promise<BenchContext> => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "rapport-bench-"));
    const port = await findFreePort();
    const fake = await startFakeResend({ requestsPerSecond: RESEND_REQUESTS_PER_SECOND });
    resend = fake;
    const running = startApp(
      {
        PORT: String(port),
        DATA_DIR: dataDir,
        RESEND_API_KEY: "re_bench",
        RESEND_BASE_URL: fake.url,
        RESEND_REQUESTS_PER_SECOND: String(RESEND_REQUESTS_PER_SECOND),
        ...BASELINE_ENV,
      },
      // e.g. "--cpu-prof --cpu-prof-dir=/tmp/profile": the app's own flags (docs/performance.md)
      process.env.BENCH_APP_NODE_FLAGS?.split(/\s+/).filter(Boolean) ?? [],
    );
    app = running;
    await withTimeout(running.waitFor(/Press Ctrl-C to stop/), STARTUP_TIMEOUT_MS, () => {
      return `the app did not start within ${STARTUP_TIMEOUT_MS / 1000}s:\n${running.output()}`;
    });
    // The app has imported its build by now.
    markBuildStale();

    // The app runs the cluster; this only looks up its port (reuseRunning never starts or stops it).
    const database = await startEmbeddedPostgres({
      dataDir: path.join(dataDir, "postgres"),
      database: "rapport",
      reuseRunning: true,
    });
    const db = connectDb(database.url);
    connected = true;

    const version = await latestSurveyVersion(db, "relationship-health");
    if (!version) throw new Error("the app did not import surveys/relationship-health.json");
    const managerEmail = DEMO_USERS.find((u) => u.role === "manager")!.email;
    const [creator] = await db.select({ id: users.id }).from(users).where(eq(users.email, managerEmail));
    if (!creator) throw new Error(`the demo workspace has no ${managerEmail}`);
    const demoContacts = await db.select({ id: contacts.id }).from(contacts).orderBy(contacts.id);
    if (demoContacts.length === 0) throw new Error("the demo workspace has no contacts");

    const appCpuMs = async () => {
      const stat = await fs.readFile(`/proc/${running.child.pid}/stat`, "utf8");
      // the fields after the command name, which is in parentheses and may hold spaces
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      return (Number(fields[11]) + Number(fields[12])) * (1000 / CLOCK_TICKS_PER_SECOND);
    };
    let next = 0;
    const problems: string[] = [];
    return {
      baseUrl: `http://127.0.0.1:${port}`,
      db,
      databaseUrl: database.url,
      resend: fake,
      problems,
      problem: (message) => problems.push(message),
      appOutput: () => running.output(),
      baselinePath: BASELINE_PATH,
      async appRssMb() {
        const status = await fs.readFile(`/proc/${running.child.pid}/status`, "utf8");
        const kb = /^VmRSS:\s+(\d+) kB/m.exec(status);
        if (!kb) throw new Error(`no VmRSS in /proc/${running.child.pid}/status`);
        return Number(kb[1]) / 1024;
      },
      appCpuMs,
      async settle() {
        const deadline = Date.now() + SETTLE_TIMEOUT_MS;
        let quiet = 0;
        let last = await appCpuMs();
        while (Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, SETTLE_SAMPLE_MS));
          const now = await appCpuMs();
          quiet = now - last <= SETTLE_SAMPLE_MS * SETTLE_BUSY_SHARE ? quiet + 1 : 0;
          last = now;
          if (quiet >= 2) return true;
        }
        return false;
      },
      async createInvitations(count) {
        const created: { token: string; invitationId: string }[] = [];
        const expiresAt = new Date(Date.now() + DEFAULT_LINK_EXPIRY_DAYS * 24 * 60 * 60 * 1000);
        for (let start = 0; start < count; start += INVITATION_BATCH) {
          const batch = Array.from({ length: Math.min(INVITATION_BATCH, count - start) }, () => ({
            // Spread over the demo's contacts, as a campaign would.
            contactId: demoContacts[next++ % demoContacts.length]!.id,
            invitationId: randomUUID(),
            token: newSurveyToken(),
          }));
          await db.transaction(async (tx) => {
            await tx.insert(invitations).values(
              batch.map((b) => ({
                id: b.invitationId,
                contactId: b.contactId,
                surveyVersionId: version.id,
                status: "sent" as const,
                sentAt: new Date(),
                createdById: creator.id,
                expiresAt,
              })),
            );
            await tx
              .insert(invitationTokens)
              .values(
                batch.map((b) => ({ tokenHash: hashSurveyToken(b.token), invitationId: b.invitationId })),
              );
          });
          created.push(...batch.map(({ token, invitationId }) => ({ token, invitationId })));
        }
        return created;
      },
    };
  };

  return { start, dispose };
}

async function withTimeout<T>(promise: Promise<T>, ms: number, message: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message())), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
