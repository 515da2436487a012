/**
 * npm run health:rebuild — recomputes every account's health rollups from the raw rows.
 *
 * A rebuild is mostly JavaScript (turning each account's rows into its rollups), which one
 * process runs on one core; so on a large workspace the accounts are split into contiguous id
 * ranges, one per core (HEALTH_REBUILD_PROCESSES overrides), each rebuilt by a process of its
 * own at the same `now`. Afterwards the rollup tables are vacuumed and analysed, so the
 * dashboard's queries are planned for the rows they now hold.
 *
 * `--after <id> --through <id> --now <iso>` rebuilds one such range (what the parent runs).
 */
import { spawn } from "node:child_process";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { asc, sql } from "drizzle-orm";
import { accounts } from "../../db/schema";
import { rebuildHealthRollups } from "../domain/health-rollups.server";
import type { Database } from "../lib/db.server";
import { parseFlags, withDatabase } from "./with-database";

/** Batches side by side in one process: one loads from the database while another computes. */
const CONCURRENCY = 2;
/** Below this many accounts a second process costs more (its start-up) than it saves. */
const ACCOUNTS_PER_PROCESS = 1000;

const flags = parseFlags(process.argv.slice(2));

function processCount(): number {
  const asked = Number(process.env.HEALTH_REBUILD_PROCESSES);
  return Number.isInteger(asked) && asked >= 1 ? asked : os.availableParallelism();
}

/** Runs this script for one id range; resolves with how many accounts it rebuilt. */
function rebuildRange(range: { after?: string; through?: string }, now: Date): Promise<number> {
  const args = [fileURLToPath(import.meta.url), "--now", now.toISOString()];
  if (range.after) args.push("--after", range.after);
  if (range.through) args.push("--through", range.through);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, ...args], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code) => {
      const rebuilt = /^rebuilt (\d+)$/m.exec(out);
      if (code === 0 && rebuilt) resolve(Number(rebuilt[1]));
      else
        reject(
          new Error(`rebuilding the accounts after ${range.after ?? "the first"} failed (exit ${code})`),
        );
    });
  });
}

async function rebuildAll(db: Database, now: Date): Promise<number> {
  const ids = (await db.select({ id: accounts.id }).from(accounts).orderBy(asc(accounts.id))).map(
    (a) => a.id,
  );
  const processes = Math.min(processCount(), Math.max(1, Math.floor(ids.length / ACCOUNTS_PER_PROCESS)));
  if (processes <= 1) return (await rebuildHealthRollups(db, now, { concurrency: CONCURRENCY })).accounts;
  // ranges end at an id, so an account created meanwhile falls in some range or after the last
  const ends = Array.from(
    { length: processes - 1 },
    (_, i) => ids[Math.floor(((i + 1) * ids.length) / processes) - 1]!,
  );
  const ranges = [...ends, undefined].map((through, i) => ({ after: ends[i - 1], through }));
  const counts = await Promise.all(ranges.map((range) => rebuildRange(range, now)));
  return counts.reduce((sum, n) => sum + n, 0);
}

if (flags.now) {
  await withDatabase(
    async (db) => {
      const result = await rebuildHealthRollups(db, new Date(flags.now!), {
        concurrency: CONCURRENCY,
        after: flags.after || undefined,
        through: flags.through || undefined,
      });
      console.log(`rebuilt ${result.accounts}`);
    },
    { poolSize: CONCURRENCY + 1 },
  );
} else {
  await withDatabase(
    async (db, description) => {
      const started = Date.now();
      const rebuilt = await rebuildAll(db, new Date());
      const rebuiltMs = Date.now() - started;
      await db.execute(
        sql`vacuum (analyze) account_health, account_dimension_health, health_monthly, response_verbatims`,
      );
      console.log(
        `Rebuilt the health rollups of ${rebuilt} accounts in ${description} (${rebuiltMs} ms, then ${Date.now() - started - rebuiltMs} ms to vacuum and analyse).`,
      );
    },
    { poolSize: CONCURRENCY + 1 },
  );
}
