/**
 * `npm run db:backup` / `db:restore`: pg_dump's custom format when a new enough pg_dump is
 * on the machine, else the built-in format (backup-builtin.server.ts). Both hold the
 * public schema and the migration state, not pg-boss's queues (docs/operations.md).
 */
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { openBuiltinBackup, restoreBuiltinBackup, writeBuiltinBackup } from "./backup-builtin.server";
import {
  appliedMigrations,
  BackupError,
  connect,
  countRows,
  describeUrl,
  errorText,
  inspectTarget,
  listTables,
  localMigrations,
  matchMigrations,
  refuseTargetWithData,
  serverMajorVersion,
} from "./backup-catalog.server";
import { findPgTool, runPgDump, runPgRestore, type PgTool } from "./backup-pgdump.server";
import { runMigrations } from "./migrate.server";

export { BackupError } from "./backup-catalog.server";

export type BackupMethod = "pg_dump" | "builtin";

export interface BackupResult {
  file: string;
  bytes: number;
  method: BackupMethod;
  /** Which tool made it, and why when the built-in format was chosen over an old pg_dump. */
  how: string;
  rows: Record<string, number>;
}

export interface RestoreResult {
  method: BackupMethod;
  how: string;
  rows: Record<string, number>;
}

const EXTENSION: Record<BackupMethod, string> = { pg_dump: ".dump", builtin: ".rapport.gz" };

/** `backups/rapport-2026-12-01T21-05-00Z.dump`: sorts by time, no characters a shell or Windows minds. */
function defaultBackupFile(method: BackupMethod, now = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/\.\d+Z$/, "Z")
    .replace(/:/g, "-");
  return path.join("backups", `rapport-${stamp}${EXTENSION[method]}`);
}

function toolName(tool: PgTool) {
  return tool.path.includes(path.sep) ? `${tool.label} (${tool.path})` : tool.label;
}

async function chooseMethod(
  wanted: BackupMethod | "auto",
  serverMajor: number,
): Promise<{ method: BackupMethod; tool?: PgTool; how: string }> {
  if (wanted === "builtin") return { method: "builtin", how: "the built-in backup (asked for)" };
  const tool = await findPgTool("pg_dump");
  if (tool && tool.major >= serverMajor) return { method: "pg_dump", tool, how: toolName(tool) };
  const why = tool
    ? `${tool.label} cannot dump a Postgres ${serverMajor} server`
    : "no pg_dump found (PG_DUMP_PATH, the embedded Postgres, PATH)";
  if (wanted === "pg_dump") throw new BackupError(`Cannot back up with pg_dump: ${why}`);
  return { method: "builtin", how: `the built-in backup (${why})` };
}

/** Backs up the database at `url` into a new file; never overwrites one. */
export async function backupDatabase(
  url: string,
  options: { out?: string; method?: BackupMethod | "auto" } = {},
): Promise<BackupResult> {
  const sql = await connect(url, "the database");
  try {
    const choice = await chooseMethod(options.method ?? "auto", await serverMajorVersion(sql));
    const file = options.out ?? defaultBackupFile(choice.method);
    if (existsSync(file)) throw new BackupError(`${file} already exists; a backup never overwrites a file`);
    await fs.mkdir(path.dirname(path.resolve(file)), { recursive: true });
    // Written under another name and renamed when complete, so a failed run leaves no file
    // that looks like a backup.
    const partial = `${file}.partial`;
    await fs.rm(partial, { force: true });
    try {
      const rows =
        choice.method === "pg_dump"
          ? await dumpWithPgDump(sql, choice.tool!, url, partial)
          : await writeBuiltinBackup(sql, partial);
      await fs.rename(partial, file);
      return { file, bytes: (await fs.stat(file)).size, method: choice.method, how: choice.how, rows };
    } finally {
      await fs.rm(partial, { force: true });
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function dumpWithPgDump(
  sql: Awaited<ReturnType<typeof connect>>,
  tool: PgTool,
  url: string,
  file: string,
) {
  // The counts come from the snapshot pg_dump dumps, so they are the file's counts.
  return sql.begin("isolation level repeatable read read only", async (tx) => {
    if (!(await appliedMigrations(tx))) {
      throw new BackupError("The database has no Rapport schema (no migrations applied)");
    }
    const [{ snapshot }] = await tx<[{ snapshot: string }]>`select pg_export_snapshot() as snapshot`;
    const rows = await countRows(
      tx,
      (await listTables(tx)).map((table) => table.name),
    );
    await runPgDump(tool, url, file, snapshot);
    return rows;
  });
}

/** The format of a backup file, from its first bytes rather than its name. */
async function detectFormat(file: string): Promise<BackupMethod> {
  let head: Buffer;
  try {
    const handle = await fs.open(file, "r");
    try {
      head = Buffer.alloc(5);
      const { bytesRead } = await handle.read(head, 0, 5, 0);
      head = head.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new BackupError(`${file} does not exist`);
    if (code === "EISDIR") throw new BackupError(`${file} is a folder, not a backup file`);
    throw new BackupError(`Cannot read ${file}: ${errorText(error)}`);
  }
  if (head.toString("latin1") === "PGDMP") return "pg_dump";
  if (head[0] === 0x1f && head[1] === 0x8b) return "builtin";
  throw new BackupError(
    `${file} is not a Rapport backup (neither a pg_dump custom-format archive nor a built-in backup)`,
  );
}

/**
 * Restores a backup into the database at `url`, which must hold no rows; afterwards the
 * schema is migrated to this version of Rapport.
 */
export async function restoreBackup(file: string, url: string): Promise<RestoreResult> {
  const method = await detectFormat(file);
  // The built-in file's header is checked before the target is touched.
  const reader = method === "builtin" ? await openBuiltinBackup(file) : undefined;
  let how: string;
  try {
    const sql = await connect(url, "the target database");
    try {
      const target = await inspectTarget(sql);
      if (reader) {
        await restoreBuiltinBackup(sql, file, reader, target, url);
        how = "the built-in backup";
      } else {
        refuseTargetWithData(target, url);
        if (target.tables.length > 0 || target.applied) {
          throw new BackupError(
            `The target database ${describeUrl(url)} already has Rapport's tables (with no rows); ` +
              "a pg_dump backup restores only into a newly created database: drop and create it first",
          );
        }
        const tool = await findPgTool("pg_restore");
        if (!tool) {
          throw new BackupError(
            `${file} was made by pg_dump and restoring it needs pg_restore: none found (PG_RESTORE_PATH, PATH)`,
          );
        }
        await runPgRestore(tool, url, file);
        how = toolName(tool);
        // The archive's schema must be one this version knows, or runMigrations would leave it as is.
        matchMigrations((await appliedMigrations(sql)) ?? [], localMigrations(), file);
      }
    } finally {
      await sql.end({ timeout: 5 });
    }
  } finally {
    await reader?.lines.return(undefined);
  }
  await runMigrations(url);
  const sql = await connect(url, "the target database");
  try {
    const rows = await countRows(
      sql,
      (await listTables(sql)).map((table) => table.name),
    );
    return { method, how, rows };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** One line per table that has rows, then the totals. */
export function formatRowCounts(rows: Record<string, number>): string {
  const names = Object.keys(rows).sort();
  const filled = names.filter((name) => rows[name]! > 0);
  const width = Math.max(0, ...filled.map((name) => name.length));
  const total = names.reduce((sum, name) => sum + rows[name]!, 0);
  return [
    ...filled.map((name) => `  ${name.padEnd(width)}  ${rows[name]}`),
    `${total} rows in ${names.length} tables (${names.length - filled.length} empty).`,
  ].join("\n");
}
