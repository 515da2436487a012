/**
 * npm run db:backup -- [--out FILE] [--method auto|pg_dump|builtin]
 * Backs up DATABASE_URL's database (else the embedded one) into backups/ unless --out says where.
 */
import { backupDatabase, formatRowCounts, formatSize, type BackupMethod } from "../lib/backup.server";
import { openDatabase } from "../lib/database.server";
import { getEnv } from "../lib/env.server";
import { parseFlags, runCli } from "./with-database";

const flags = parseFlags(process.argv.slice(2));
const usage = "Usage: npm run db:backup -- [--out FILE] [--method auto|pg_dump|builtin]";
const method = flags.method || "auto";
if (flags.out === "" || !["auto", "pg_dump", "builtin"].includes(method)) {
  console.error(usage);
  process.exit(2);
}

// Not withDatabase: a backup reads the database as it is and never migrates it first.
await runCli(async (onExit) => {
  const database = await openDatabase(getEnv(), { reuseRunning: true });
  onExit(database.stop);
  const result = await backupDatabase(database.url, {
    out: flags.out,
    method: method as BackupMethod | "auto",
  });
  console.log(`Backed up ${database.description} with ${result.how}.`);
  console.log(`${result.file} (${formatSize(result.bytes)})`);
  console.log(formatRowCounts(result.rows));
});
