/**
 * The built-in backup: for servers newer than any pg_dump on the machine (the embedded
 * Postgres ships none). One gzip'd file of JSON lines: a header (the migrations applied, the
 * tables and their columns, the sequences), then per table a `{"table": …}` line followed by
 * one line per row — the row's Postgres literal as a JSON string — and a closing line with
 * every table's row count, so a truncated file is told apart from a complete one.
 *
 * Rows travel as row literals (`row(t.*)::text`, read back with `::table`) through ordinary
 * queries rather than COPY streams: postgres.js 3.4.9 can hang a COPY whose server side
 * fails after the client ended it (porsager/postgres#1173), and a restore must fail cleanly.
 */
import { createReadStream, createWriteStream } from "node:fs";
import { once } from "node:events";
import { pipeline } from "node:stream/promises";
import { createGunzip, createGzip } from "node:zlib";
import { z } from "zod";
import {
  appliedMigrations,
  BackupError,
  errorText,
  listTables,
  localMigrations,
  matchMigrations,
  quoteTable,
  refuseTargetWithData,
  type LocalMigration,
  type Sql,
  type TargetState,
} from "./backup-catalog.server";
import type postgres from "postgres";

const BUILTIN_FORMAT = "rapport-backup";
const BATCH = 500;

const headerSchema = z.object({
  format: z.literal(BUILTIN_FORMAT),
  version: z.literal(1),
  createdAt: z.string(),
  server: z.string(),
  migrations: z.array(z.object({ hash: z.string(), createdAt: z.number() })),
  tables: z.array(z.object({ name: z.string(), columns: z.array(z.string()) })),
  sequences: z.array(z.object({ name: z.string(), lastValue: z.string().nullable() })),
});
type Header = z.infer<typeof headerSchema>;

const endSchema = z.object({ end: z.literal(true), rows: z.record(z.number()) });

/**
 * Session settings that make every value's text exact and readable by any server, as
 * pg_dump sets them: ISO dates whatever the server's DateStyle, all float digits.
 */
async function setOutputStyle(sql: Sql) {
  await sql`set local datestyle = 'ISO'`;
  await sql`set local intervalstyle = 'postgres'`;
  await sql`set local extra_float_digits = 3`;
}

/** Writes the backup of `sql`'s database to `file` (which must not exist); returns the row counts. */
export async function writeBuiltinBackup(sql: postgres.Sql, file: string): Promise<Record<string, number>> {
  const gzip = createGzip();
  const written = pipeline(gzip, createWriteStream(file, { flags: "wx" }));
  // Surfaces a write failure (disk full) at the next line instead of as an unhandled rejection.
  let writeError: unknown;
  written.catch((error: unknown) => (writeError = error));
  const writeLine = async (value: unknown) => {
    if (writeError) throw writeError;
    if (!gzip.write(JSON.stringify(value) + "\n")) await once(gzip, "drain");
  };
  try {
    // One snapshot for every table, so the file is the database at one moment.
    const counts = await sql.begin("isolation level repeatable read read only", async (tx) => {
      await setOutputStyle(tx);
      const migrations = await appliedMigrations(tx);
      if (!migrations) throw new BackupError("The database has no Rapport schema (no migrations applied)");
      const tables = await listTables(tx);
      const sequences = await tx<{ name: string; lastValue: string | null }[]>`
        select sequencename as name, last_value::text as "lastValue"
        from pg_sequences where schemaname = 'public' order by sequencename`;
      const [server] = await tx<{ version: string }[]>`select current_setting('server_version') as version`;
      const header: Header = {
        format: BUILTIN_FORMAT,
        version: 1,
        createdAt: new Date().toISOString(),
        server: server!.version,
        migrations,
        tables: tables.map(({ name, columns }) => ({ name, columns })),
        sequences: sequences.map(({ name, lastValue }) => ({ name, lastValue })),
      };
      await writeLine(header);
      const rows: Record<string, number> = {};
      for (const table of tables) {
        await writeLine({ table: table.name });
        let count = 0;
        const cursor = tx<{ row: string }[]>`
          select row(backup_row.*)::text as row from ${tx.unsafe(quoteTable(table.name))} as backup_row`.cursor(
          BATCH,
        );
        for await (const batch of cursor) {
          for (const { row } of batch) await writeLine(row);
          count += batch.length;
        }
        rows[table.name] = count;
      }
      await writeLine({ end: true, rows });
      return rows;
    });
    gzip.end();
    await written;
    return counts;
  } catch (error) {
    gzip.destroy();
    await written.catch(() => {});
    throw error;
  }
}

/** The file's lines, one at a time; a damaged gzip stream surfaces as a BackupError. */
async function* readLines(file: string): AsyncGenerator<string> {
  const gunzip = createGunzip();
  const reading = pipeline(createReadStream(file), gunzip);
  reading.catch(() => {}); // the same error reaches the loop below through gunzip
  let rest: Buffer = Buffer.alloc(0);
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      const buffer = rest.length ? Buffer.concat([rest, chunk]) : chunk;
      let start = 0;
      for (let nl = buffer.indexOf(10, start); nl !== -1; nl = buffer.indexOf(10, start)) {
        yield buffer.toString("utf8", start, nl);
        start = nl + 1;
      }
      rest = buffer.subarray(start);
    }
  } catch (error) {
    throw new BackupError(`${file} is damaged: ${errorText(error)}`);
  } finally {
    gunzip.destroy();
  }
  if (rest.length) throw new BackupError(`${file} is damaged: its last line is cut off`);
}

export interface BuiltinReader {
  header: Header;
  lines: AsyncGenerator<string>;
}

/** Opens a built-in backup and checks its header, before anything touches the target. */
export async function openBuiltinBackup(file: string): Promise<BuiltinReader> {
  const lines = readLines(file);
  const first = await lines.next();
  let parsed: unknown;
  try {
    parsed = first.done ? undefined : JSON.parse(first.value);
  } catch {
    parsed = undefined;
  }
  const header = headerSchema.safeParse(parsed);
  if (!header.success) {
    await lines.return(undefined);
    throw new BackupError(`${file} is not a Rapport backup: its first line is not a Rapport backup header`);
  }
  return { header: header.data, lines };
}

/**
 * Loads a built-in backup into `sql`'s database in one transaction: the schema as it was
 * when the backup was made (this build's migrations up to that point), the rows, the
 * sequences. The rows load in one transaction: any failure leaves no row behind. The caller
 * applies the newer migrations afterwards, so their data changes run on the restored rows.
 */
export async function restoreBuiltinBackup(
  sql: postgres.Sql,
  file: string,
  reader: BuiltinReader,
  target: TargetState,
  url: string,
): Promise<void> {
  const { header, lines } = reader;
  const local = localMigrations();
  const wanted = matchMigrations(header.migrations, local, file);
  const done = matchMigrations(target.applied ?? [], local, "The target database");
  refuseTargetWithData(target, url);
  if (done > wanted) {
    throw new BackupError(
      `The target database is already migrated past the backup (${local[done - 1]!.tag}, the backup is at ` +
        `${local[wanted - 1]?.tag ?? "no migration"}): restore into a newly created database`,
    );
  }
  try {
    // The schema commits on its own: Postgres lets no transaction use an enum value that it
    // added itself (migration 0008 adds one the rows use). A failed load below leaves these
    // empty tables, which a second run accepts as its starting point.
    await sql.begin((tx) => applyMigrations(tx, local.slice(done, wanted)));
    await sql.begin(async (tx) => {
      const tables = new Map((await listTables(tx)).map((table) => [table.name, table]));
      for (const table of header.tables) {
        const mine = tables.get(table.name);
        if (!mine || mine.columns.join(",") !== table.columns.join(",")) {
          throw new BackupError(
            `${file}: table ${table.name} has columns (${table.columns.join(", ")}) but the schema it was ` +
              `made with has ${mine ? `(${mine.columns.join(", ")})` : "no such table"}`,
          );
        }
      }
      await loadRows(tx, file, header, lines, tables);
      for (const sequence of header.sequences) {
        if (sequence.lastValue === null) continue;
        await tx`select setval(format('public.%I', ${sequence.name}::text)::regclass, ${sequence.lastValue}::bigint, true)`;
      }
    });
  } catch (error) {
    if (error instanceof BackupError) throw new BackupError(`${error.message}; no rows were restored`);
    throw new BackupError(`Restoring ${file} failed and no rows were restored: ${errorText(error)}`);
  } finally {
    await lines.return(undefined);
  }
}

async function loadRows(
  tx: postgres.TransactionSql,
  file: string,
  header: Header,
  lines: AsyncGenerator<string>,
  tables: Map<string, { insertable: string[] }>,
) {
  const damaged = (why: string) => new BackupError(`${file} is damaged: ${why}`);
  const counts: Record<string, number> = {};
  let section = -1;
  let batch: string[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const name = header.tables[section]!.name;
    const columns = tables.get(name)!.insertable.map((c) => `"${c.replace(/"/g, '""')}"`);
    // Each literal is read back as the table's row type, then split into its columns.
    await tx
      .unsafe(
        `insert into ${quoteTable(name)} (${columns.join(", ")}) ` +
          `select ${columns.map((c) => `(r).${c}`).join(", ")} ` +
          `from (select x::${quoteTable(name)} as r from unnest($1::text[]) as x) as s`,
        [batch],
      )
      .catch((error: unknown) => {
        throw new BackupError(`table ${name}: ${errorText(error)}`);
      });
    counts[name] = counts[name]! + batch.length;
    batch = [];
  };
  for (let lineNumber = 2; ; lineNumber++) {
    const next = await lines.next();
    if (next.done) throw damaged("it ends before its closing line (the file is cut off)");
    let value: unknown;
    try {
      value = JSON.parse(next.value);
    } catch {
      throw damaged(`line ${lineNumber} is not JSON`);
    }
    if (typeof value === "string") {
      if (section < 0) throw damaged(`line ${lineNumber} is a row before any table`);
      batch.push(value);
      if (batch.length >= BATCH) await flush();
      continue;
    }
    await flush();
    const start = z.object({ table: z.string() }).safeParse(value);
    if (start.success) {
      section++;
      const expected = header.tables[section]?.name;
      if (start.data.table !== expected) {
        throw damaged(
          `line ${lineNumber} starts table ${start.data.table}, expected ${expected ?? "the end"}`,
        );
      }
      counts[expected] = 0;
      continue;
    }
    const end = endSchema.safeParse(value);
    if (!end.success) throw damaged(`line ${lineNumber} is neither a row nor a table`);
    for (const { name } of header.tables) {
      if (counts[name] !== end.data.rows[name]) {
        throw damaged(
          `table ${name} has ${counts[name] ?? "no"} rows but the backup recorded ${end.data.rows[name]}`,
        );
      }
    }
    return;
  }
}

/**
 * Applies migrations inside the caller's transaction, recording them exactly as drizzle's
 * migrator does (same table, hash and timestamp), so `runMigrations` later carries on
 * from them. drizzle's own migrator cannot join an open postgres.js transaction.
 */
async function applyMigrations(tx: postgres.TransactionSql, migrations: LocalMigration[]) {
  await tx`create schema if not exists drizzle`;
  await tx`create table if not exists drizzle.__drizzle_migrations (id serial primary key, hash text not null, created_at bigint)`;
  for (const migration of migrations) {
    for (const statement of migration.statements) {
      if (statement.trim()) await tx.unsafe(statement);
    }
    await tx`insert into drizzle.__drizzle_migrations (hash, created_at) values (${migration.hash}, ${migration.folderMillis})`;
  }
}
