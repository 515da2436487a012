import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "../../db/schema";

export type Database = PostgresJsDatabase<typeof schema>;
/** The handle inside `db.transaction(async (tx) => …)`. */
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** Either: for writes that join the caller's transaction when there is one. */
export type Executor = Database | Transaction;

interface Connection {
  url: string;
  sql: postgres.Sql;
  db: Database;
}

/*
 * The connection lives on globalThis because the process entry (run by tsx) and the
 * Remix server build (bundled by esbuild) each get their own copy of this module;
 * both must share one pool, and shutdown must close that pool or the process never exits.
 */
const KEY = Symbol.for("rapport.db.connection");
type Holder = { [KEY]?: Connection };
const holder = globalThis as Holder;

export interface ConnectOptions {
  /** Pool size. The web process and the worker each hold their own pool. */
  max?: number;
}

export function connectDb(url: string, options: ConnectOptions = {}): Database {
  if (holder[KEY]) {
    if (holder[KEY].url === url) return holder[KEY].db;
    throw new Error("connectDb: already connected to another database; call closeDb() first");
  }
  const sql = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    connection: { application_name: "rapport" },
  });
  const db = drizzle(sql, { schema, casing: "snake_case" });
  holder[KEY] = { url, sql, db };
  return db;
}

/** The app's database. Connects from DATABASE_URL on first use when nothing connected yet. */
export function getDb(): Database {
  const connection = holder[KEY];
  if (connection) return connection.db;
  const url = process.env.DATABASE_URL;
  if (!url) {
    throw new Error("The database is not connected: start the app with `npm start` or set DATABASE_URL");
  }
  return connectDb(url);
}

/**
 * A query drizzle builds once per database handle instead of on every call (its prepared
 * queries, values passed as `sql.placeholder`s). For the hot paths behind a survey link —
 * every page view, autosave, submit and one-click answer — where building the statement
 * cost more CPU than Postgres spent running it (docs/performance.md).
 */
export function preparedQuery<Q>(build: (db: Database) => Q): (db: Database) => Q {
  const built = new WeakMap<Database, Q>();
  return (db) => {
    let query = built.get(db);
    if (!query) {
      query = build(db);
      built.set(db, query);
    }
    return query;
  };
}

/** The raw postgres.js client, for the few statements drizzle cannot express. */
export function getSql(): postgres.Sql {
  getDb();
  return holder[KEY]!.sql;
}

export async function closeDb(): Promise<void> {
  const connection = holder[KEY];
  if (!connection) return;
  delete holder[KEY];
  await connection.sql.end({ timeout: 5 });
}

/** True when the database answers a trivial query within `timeoutMs`. */
export async function isDatabaseReachable(timeoutMs = 2000): Promise<boolean> {
  try {
    const sql = getSql();
    const probe = sql`select 1 as ok`.execute();
    const timeout = new Promise<never>((_, reject) => {
      const timer = setTimeout(() => reject(new Error("database probe timed out")), timeoutMs);
      timer.unref();
    });
    await Promise.race([probe, timeout]);
    return true;
  } catch {
    return false;
  }
}

/** Node's codes for a socket that could not connect or was cut. */
const SOCKET_ERROR_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENOTFOUND",
]);
/** postgres.js's codes for a connection it lost or could not open. */
const CLIENT_ERROR_CODES = new Set([
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
]);

/**
 * True for an error that says the database could not be reached or cut the connection (it
 * was restarted, shut down, or the network went): the statement may be tried again once the
 * database is back. Postgres's own codes: class 08 (connection exception) and 57P01–57P03
 * (admin or crash shutdown, starting up). Errors of the statement itself (a constraint, bad
 * SQL) are not.
 */
export function isDatabaseConnectionError(error: unknown, depth = 0): boolean {
  if (typeof error !== "object" || error === null || depth > 3) return false;
  const { code, message, cause } = error as { code?: unknown; message?: unknown; cause?: unknown };
  // drizzle wraps the driver's error in a DrizzleQueryError ("Failed query: …") as its cause
  if (cause !== undefined && isDatabaseConnectionError(cause, depth + 1)) return true;
  if (typeof code === "string") {
    if (SOCKET_ERROR_CODES.has(code) || CLIENT_ERROR_CODES.has(code)) return true;
    if (code.startsWith("08") || code === "57P01" || code === "57P02" || code === "57P03") return true;
  }
  // node-postgres (under pg-boss) says so in words only
  return typeof message === "string" && /^Connection terminated/.test(message);
}

/**
 * Runs `write` and, while it fails because the database is unreachable, runs it again every
 * `intervalMs` until it goes through or `withinMs` has passed (then the last error is
 * thrown). For work that must not be dropped because Postgres is restarting. `write` must be
 * safe to run twice: a commit can succeed and its answer still be lost with the connection.
 */
export async function retryWhileDatabaseUnreachable<T>(
  write: () => Promise<T>,
  {
    withinMs,
    intervalMs = 500,
    onRetry,
  }: { withinMs: number; intervalMs?: number; onRetry?: (error: unknown) => void },
): Promise<T> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    try {
      return await write();
    } catch (error) {
      if (!isDatabaseConnectionError(error) || Date.now() + intervalMs > deadline) throw error;
      onRetry?.(error);
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}
