/**
 * The world the benchmarks run in: a fresh production build, `npm start`'s entry on its own
 * DATA_DIR (embedded Postgres with the demo workspace) sending its mail to a fake Resend that
 * keeps Resend's limits, and a pool on that same database so benchmarks can create
 * invitations and check what was stored.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { contacts, users } from "../../db/schema";
import { DEMO_USERS } from "../../db/seed";
import { createSurveyLink } from "../../app/domain/survey-links.server";
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
  /** Fresh invitations to relationship-health for demo contacts; returns their tokens and ids. */
  createInvitations(count: number): Promise<{ token: string; invitationId: string }[]>;
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

/** `remix build` in production mode, always: the figures must describe the current sources. */
export function buildForProduction() {
  const cli = path.resolve("node_modules/.bin/remix");
  const result = spawnSync(cli, ["build"], {
    env: { ...process.env, NODE_ENV: "production" },
    encoding: "utf8",
  });
  if (result.status !== 0) {
    throw new Error(
      `\`remix build\` failed:\n${result.stdout ?? ""}${result.stderr ?? ""}${result.error ?? ""}`,
    );
  }
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
      if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
    })();
    return disposed;
  };

  const start = async (): Promise<BenchContext> => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "rapport-bench-"));
    const port = await findFreePort();
    const fake = await startFakeResend({ requestsPerSecond: RESEND_REQUESTS_PER_SECOND });
    resend = fake;
    const running = startApp({
      PORT: String(port),
      DATA_DIR: dataDir,
      RESEND_API_KEY: "re_bench",
      RESEND_BASE_URL: fake.url,
      RESEND_REQUESTS_PER_SECOND: String(RESEND_REQUESTS_PER_SECOND),
    });
    app = running;
    await withTimeout(running.waitFor(/Press Ctrl-C to stop/), STARTUP_TIMEOUT_MS, () => {
      return `the app did not start within ${STARTUP_TIMEOUT_MS / 1000}s:\n${running.output()}`;
    });

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
      async createInvitations(count) {
        const created: { token: string; invitationId: string }[] = [];
        for (let i = 0; i < count; i++) {
          // Spread over the demo's contacts, as a campaign would.
          const contact = demoContacts[next++ % demoContacts.length]!;
          const { invitation, token } = await createSurveyLink(db, {
            contactId: contact.id,
            surveyVersionId: version.id,
            createdById: creator.id,
          });
          created.push({ token, invitationId: invitation.id });
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
