/**
 * npm run db:restore -- FILE [--into postgres://…/empty_database]
 * Restores a db:backup file into --into (else DATABASE_URL's database, else the embedded one).
 * The target must hold no rows: restore never overwrites data.
 */
import { formatRowCounts, restoreBackup } from "../lib/backup.server";
import { describeUrl } from "../lib/backup-catalog.server";
import { openDatabase } from "../lib/database.server";
import { getEnv } from "../lib/env.server";
import { runCli } from "./with-database";

const usage = "Usage: npm run db:restore -- FILE [--into postgres://user:pass@host:5432/empty_database]";
const args = process.argv.slice(2);
const files: string[] = [];
let into: string | undefined;
let unknownFlag = false;
for (let i = 0; i < args.length; i++) {
  const arg = args[i]!;
  if (arg === "--into") into = args[++i] ?? "";
  else if (arg.startsWith("--into=")) into = arg.slice("--into=".length);
  else if (arg.startsWith("--")) unknownFlag = true;
  else files.push(arg);
}
if (files.length !== 1 || into === "" || unknownFlag) {
  console.error(usage);
  process.exit(2);
}
const file = files[0]!;

await runCli(async (onExit) => {
  let url = into;
  let description = into ? `Postgres at ${describeUrlSafely(into)}` : "";
  if (!url) {
    // Not withDatabase: it would migrate the target before the restore looks at it.
    const database = await openDatabase(getEnv(), { reuseRunning: true });
    onExit(database.stop);
    url = database.url;
    description = database.description;
  }
  const result = await restoreBackup(file, url);
  console.log(`Restored ${file} into ${description} with ${result.how}.`);
  console.log(formatRowCounts(result.rows));
});

function describeUrlSafely(url: string) {
  try {
    return describeUrl(url);
  } catch {
    return url;
  }
}
