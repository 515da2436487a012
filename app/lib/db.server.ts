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
