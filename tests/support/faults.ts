/**
 * For fault tests: a Postgres of the test's own that it may stop and start (never the shared
 * integration database), a drizzle handle on it, and a condition poller.
 */
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { drizzle } from "drizzle-orm/postgres-js";
import PgBoss from "pg-boss";
import postgres from "postgres";
import * as schema from "../../db/schema";
import type { Database } from "../../app/lib/db.server";
import {
  findFreePort,
  startEmbeddedPostgres,
  type EmbeddedDatabase,
} from "../../app/lib/embedded-postgres.server";
import { runMigrations } from "../../app/lib/migrate.server";

export interface OwnPostgres {
  url: string;
  port: number;
  /** Stops the server (a fast shutdown: open connections are cut). */
  stop(): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  /** Stops it and removes its data. */
  dispose(): Promise<void>;
}

/**
 * An embedded Postgres in a temporary folder on a port of its own, migrated. Both CI runs use
 * one (with TEST_DATABASE_URL too): a test that restarts its database must not restart the one
 * the other test files share.
 */
export async function startOwnPostgres(label: string): Promise<OwnPostgres> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), `rapport-${label}-`));
  const dataDir = path.join(dir, "postgres");
  const port = await findFreePort();
  let server: EmbeddedDatabase | undefined = await startEmbeddedPostgres({
    dataDir,
    database: "rapport",
    port,
  });
  const url = server.url;
  await runMigrations(url);
  return {
    url,
    port,
    async stop() {
      await server?.stop();
      server = undefined;
    },
    async start() {
      if (server) return;
      server = await startEmbeddedPostgres({ dataDir, database: "rapport", port });
    },
    async dispose() {
      await server?.stop();
      server = undefined;
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}

export interface OwnDb {
  db: Database;
  close(): Promise<void>;
}

/** A pool on `url` of the test's own, beside the shared one the integration setup connects. */
export function connectOwnDb(url: string): OwnDb {
  const sql = postgres(url, { max: 4, onnotice: () => {} });
  return {
    db: drizzle(sql, { schema, casing: "snake_case" }),
    close: () => sql.end({ timeout: 5 }),
  };
}

/** Queues one job on the database at `url`, for the worker of an app process to run. */
export async function sendJobTo(url: string, name: string, data: object): Promise<void> {
  const boss = new PgBoss({
    connectionString: url,
    schema: "pgboss",
    max: 1,
    supervise: false,
    schedule: false,
    migrate: false,
  });
  await boss.start();
  try {
    await boss.send(name, data);
  } finally {
    await boss.stop({ graceful: false, wait: true });
  }
}

/** Polls `condition` until it holds; past the deadline, fails with `explain()`. */
export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  explain: () => string | Promise<string>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs / 1000}s: ${await explain()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A GET that answers its status, or null when nothing answered (the process is down). */
export async function statusOf(url: string): Promise<number | null> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return null;
  }
}
