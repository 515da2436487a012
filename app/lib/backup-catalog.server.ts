import fs from "node:fs";
import path from "node:path";
import { readMigrationFiles } from "drizzle-orm/migrator";
import postgres from "postgres";
import { migrationsFolder } from "./migrate.server";

/** A backup or restore that cannot go on; the message is one line an operator can act on. */
export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BackupError";
  }
}

/** A connection inside or outside a transaction. */
export type Sql = postgres.Sql | postgres.TransactionSql;

/** A migration recorded in drizzle's bookkeeping table, as drizzle records it. */
export interface AppliedMigration {
  hash: string;
  createdAt: number;
}

export interface TableInfo {
  name: string;
  /** Every column in attribute order: the order of the table's row literal. */
  columns: string[];
  /** The columns an INSERT may write (generated ones are computed by Postgres). */
  insertable: string[];
}

export function describeUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
}

/** Opens one connection and proves the server answers, so "unreachable" is reported as such. */
export async function connect(url: string, what: string): Promise<postgres.Sql> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new BackupError(`${what} must be a postgres:// URL, got ${JSON.stringify(url)}`);
  }
  if (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:") {
    throw new BackupError(`${what} must be a postgres:// URL, got ${JSON.stringify(parsed.protocol)}`);
  }
  const sql = postgres(url, {
    max: 1,
    onnotice: () => {},
    connect_timeout: 10,
    connection: { application_name: "rapport-backup" },
  });
  try {
    await sql`select 1`;
  } catch (error) {
    await sql.end({ timeout: 1 });
    throw new BackupError(`Cannot reach ${what} at ${describeUrl(url)}: ${errorText(error)}`);
  }
  return sql;
}

export function errorText(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return errorText(error.errors[0]);
  return error instanceof Error ? error.message || error.name : String(error);
}

export function quoteTable(name: string): string {
  return `"public"."${name.replace(/"/g, '""')}"`;
}

export async function serverMajorVersion(sql: Sql): Promise<number> {
  const [row] = await sql<{ version: string }[]>`select current_setting('server_version_num') as version`;
  return Math.floor(Number(row!.version) / 10000);
}

/**
 * The public schema's tables, parents before children, so rows can be inserted in this
 * order without tripping a foreign key (Rapport's schema has no cycles; a future one
 * stops the backup with a message rather than producing a file that cannot be restored).
 */
export async function listTables(sql: Sql): Promise<TableInfo[]> {
  const rows = await sql<(TableInfo & { parents: string[] })[]>`
    select c.relname as name,
      array(select a.attname::text from pg_attribute a
            where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
            order by a.attnum) as columns,
      array(select a.attname::text from pg_attribute a
            where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
            order by a.attnum) as insertable,
      array(select distinct p.relname::text from pg_constraint f join pg_class p on p.oid = f.confrelid
            where f.conrelid = c.oid and f.contype = 'f' and f.confrelid <> c.oid) as parents
    from pg_class c
    where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p') and not c.relispartition
    order by c.relname`;
  const byName = new Map(rows.map((row) => [row.name, row]));
  const ordered: TableInfo[] = [];
  const placed = new Set<string>();
  while (ordered.length < rows.length) {
    const next = rows.find(
      (row) => !placed.has(row.name) && row.parents.every((p) => placed.has(p) || !byName.has(p)),
    );
    if (!next) {
      const left = rows.filter((row) => !placed.has(row.name)).map((row) => row.name);
      throw new BackupError(
        `The foreign keys between ${left.join(", ")} form a cycle; no insert order exists`,
      );
    }
    placed.add(next.name);
    ordered.push({ name: next.name, columns: next.columns, insertable: next.insertable });
  }
  return ordered;
}

export async function countRows(sql: Sql, tables: string[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const [row] = await sql<{ n: string }[]>`select count(*) as n from ${sql.unsafe(quoteTable(table))}`;
    counts[table] = Number(row!.n);
  }
  return counts;
}

/** The migrations drizzle applied here, oldest first; null when the database has no Rapport schema. */
export async function appliedMigrations(sql: Sql): Promise<AppliedMigration[] | null> {
  const [table] = await sql<{ exists: boolean }[]>`
    select to_regclass('drizzle.__drizzle_migrations') is not null as exists`;
  if (!table!.exists) return null;
  const rows = await sql<{ hash: string; created_at: string }[]>`
    select hash, created_at from drizzle.__drizzle_migrations order by created_at, id`;
  return rows.map((row) => ({ hash: row.hash, createdAt: Number(row.created_at) }));
}

export interface LocalMigration {
  tag: string;
  hash: string;
  folderMillis: number;
  statements: string[];
}

/** This build's migrations (db/migrations), read the way drizzle's migrator reads them. */
export function localMigrations(): LocalMigration[] {
  const journal = JSON.parse(fs.readFileSync(path.join(migrationsFolder, "meta/_journal.json"), "utf8")) as {
    entries: { tag: string }[];
  };
  return readMigrationFiles({ migrationsFolder }).map((migration, i) => ({
    tag: journal.entries[i]!.tag,
    hash: migration.hash,
    folderMillis: migration.folderMillis,
    statements: migration.sql,
  }));
}

/**
 * Checks that `applied` is where this build's migrations were after the first N of them,
 * and returns N: a backup made by a newer Rapport, or from a schema changed by hand,
 * is refused rather than loaded into tables that do not match it.
 */
export function matchMigrations(applied: AppliedMigration[], local: LocalMigration[], what: string): number {
  applied.forEach((migration, i) => {
    const mine = local[i];
    if (!mine) {
      throw new BackupError(
        `${what} has ${applied.length} migrations but this version of Rapport knows only ${local.length}: ` +
          "restore it with the version of Rapport that made it",
      );
    }
    if (mine.hash !== migration.hash || mine.folderMillis !== migration.createdAt) {
      throw new BackupError(
        `${what}'s migration ${i + 1} is not this version's ${mine.tag}: ` +
          "restore it with the version of Rapport that made it",
      );
    }
  });
  return applied.length;
}

export interface TargetState {
  tables: string[];
  tablesWithRows: string[];
  applied: AppliedMigration[] | null;
}

export async function inspectTarget(sql: Sql): Promise<TargetState> {
  const tables = (await listTables(sql)).map((table) => table.name);
  const tablesWithRows: string[] = [];
  for (const table of tables) {
    const [row] = await sql<{ has: boolean }[]>`
      select exists (select 1 from ${sql.unsafe(quoteTable(table))}) as has`;
    if (row!.has) tablesWithRows.push(table);
  }
  return { tables, tablesWithRows, applied: await appliedMigrations(sql) };
}

/** Restore never writes over rows: a target with data is refused, whatever is in the backup. */
export function refuseTargetWithData(target: TargetState, url: string): void {
  if (target.tablesWithRows.length === 0) return;
  const [first, second, ...rest] = target.tablesWithRows;
  const named = [first, second].filter(Boolean).join(", ");
  throw new BackupError(
    `The target database ${describeUrl(url)} is not empty (${named}${rest.length ? ` and ${rest.length} other tables` : ""} have rows). ` +
      "Restore never overwrites data: create an empty database and pass it with --into",
  );
}
