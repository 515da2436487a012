import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { afterEach, beforeEach, describe, expect, inject, it } from "vitest";
import { insertContact, insertContactNote, insertUser } from "../../db/factories";
import { seedDemoWorkspace } from "../../db/seed";
import { backupDatabase, BackupError, restoreBackup } from "~/lib/backup.server";
import { findPgTool } from "~/lib/backup-pgdump.server";
import { getDb } from "~/lib/db.server";
import { migrationsFolder } from "~/lib/migrate.server";

const run = promisify(execFile);
// Each test seeds a workspace, starts the CLI in child processes and restores whole databases.
const SLOW = 240_000;
const sourceUrl = inject("databaseUrl");

async function query<T extends object>(url: string, text: string): Promise<T[]> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return (await sql.unsafe(text)) as unknown as T[];
  } finally {
    await sql.end({ timeout: 5 });
  }
}

// Which path `auto` must take here: pg_dump when one at least as new as the server is on the
// machine (CI's run on the machine's Postgres 15), the built-in one otherwise (the embedded 17).
const serverMajor = Math.floor(
  Number((await query<{ v: string }>(sourceUrl, "select current_setting('server_version_num') as v"))[0]!.v) /
    10000,
);
const pgDump = await findPgTool("pg_dump");
const expectedMethod = pgDump && pgDump.major >= serverMajor ? "pg_dump" : "builtin";

let dir: string;
let scratch: string[] = [];

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "rapport-backup-test-"));
});

afterEach(async () => {
  for (const name of scratch) await query(sourceUrl, `drop database if exists "${name}" with (force)`);
  scratch = [];
  await fs.rm(dir, { recursive: true, force: true });
});

/** A new, empty database on the test server, dropped after the test. */
async function freshDatabase(): Promise<string> {
  const name = `${new URL(sourceUrl).pathname.slice(1)}_restore_${scratch.length}`.slice(0, 63);
  await query(sourceUrl, `drop database if exists "${name}" with (force)`);
  await query(sourceUrl, `create database "${name}"`);
  scratch.push(name);
  const url = new URL(sourceUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Per table: its row count and a checksum of every row; plus the migrations and sequences. */
async function fingerprint(url: string) {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const tables = await sql<{ name: string }[]>`
      select tablename as name from pg_tables where schemaname = 'public' order by 1`;
    const result: Record<string, string> = {};
    for (const { name } of tables) {
      const [row] = await sql.unsafe<{ rows: string; checksum: string }[]>(
        `select count(*) as rows, md5(coalesce(string_agg(t::text, E'\\n' order by t::text), '')) as checksum
         from public."${name}" t`,
      );
      result[name] = `${row!.rows} ${row!.checksum}`;
    }
    // A failed pg_restore leaves the target as created: no drizzle schema at all.
    const [{ migrated }] = await sql<[{ migrated: boolean }]>`
      select to_regclass('drizzle.__drizzle_migrations') is not null as migrated`;
    const migrations = migrated
      ? await sql<{ hash: string }[]>`select hash from drizzle.__drizzle_migrations order by created_at`
      : [];
    const sequences = await sql<{ name: string; value: string | null }[]>`
      select sequencename as name, last_value::text as value from pg_sequences where schemaname = 'public' order by 1`;
    return { tables: result, migrations: migrations.map((m) => m.hash), sequences: [...sequences] };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

function rowsOf(print: Awaited<ReturnType<typeof fingerprint>>) {
  return Object.values(print.tables).reduce((sum, entry) => sum + Number(entry.split(" ")[0]), 0);
}

/** The demo workspace, plus a note whose text has everything a dump format must escape. */
async function seedWorkspace() {
  const db = getDb();
  await seedDemoWorkspace(db, { now: new Date("2026-11-01T09:00:00Z") });
  const contact = await insertContact(db, { name: 'Zoë "Quotes" O\'Brien', title: null });
  await insertContactNote(db, {
    contactId: contact.id,
    body: 'two\nlines\r\n\ttab, back\\slash, \\.\n\\.\n(a,b) "q" {x} NULL 🙂',
  });
}

async function cli(script: string, args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", script, ...args], {
      env: { ...process.env, DATABASE_URL: sourceUrl, LOG_LEVEL: "warn", ...env },
    });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

describe("npm run db:backup and db:restore", () => {
  it(
    `back up a workspace and restore every response, answer, contact and note into a fresh database (${expectedMethod} here)`,
    async () => {
      await seedWorkspace();
      const before = await fingerprint(sourceUrl);
      const file = path.join(dir, "nightly.backup");

      const backup = await cli("app/cli/db-backup.ts", ["--out", file]);
      expect(backup.output).toContain(`${file} (`);
      expect(backup.code).toBe(0);
      expect(backup.output).toContain(
        expectedMethod === "pg_dump" ? "with pg_dump" : "with the built-in backup",
      );
      const responses = before.tables.responses!.split(" ")[0]!;
      expect(Number(responses)).toBeGreaterThan(20);
      expect(backup.output).toMatch(new RegExp(`^  responses +${responses}$`, "m"));

      const again = await cli("app/cli/db-backup.ts", ["--out", file]);
      expect(again.code).toBe(1);
      expect(again.output).toContain("already exists; a backup never overwrites a file");

      const target = await freshDatabase();
      const restore = await cli("app/cli/db-restore.ts", [file, "--into", target]);
      expect(restore.output).toMatch(new RegExp(`^  responses +${responses}$`, "m"));
      expect(restore.code).toBe(0);
      expect(await fingerprint(target)).toEqual(before);
    },
    SLOW,
  );

  it(
    "makes and restores the built-in backup whatever pg_dump the machine has",
    async () => {
      await seedWorkspace();
      const before = await fingerprint(sourceUrl);
      const backup = await backupDatabase(sourceUrl, {
        out: path.join(dir, "b.rapport.gz"),
        method: "builtin",
      });
      expect(backup.method).toBe("builtin");
      expect(backup.rows.answers).toBe(Number(before.tables.answers!.split(" ")[0]));

      const target = await freshDatabase();
      const restored = await restoreBackup(backup.file, target);
      expect(restored.method).toBe("builtin");
      expect(restored.rows).toEqual(backup.rows);
      expect(await fingerprint(target)).toEqual(before);
    },
    SLOW,
  );

  it(
    "restores a backup made before the latest migrations, then migrates it",
    async () => {
      const old = await freshDatabase();
      // The schema as of the first three migrations, as an older Rapport would have left it.
      const folder = path.join(dir, "migrations");
      await fs.mkdir(path.join(folder, "meta"), { recursive: true });
      const journal = JSON.parse(
        await fs.readFile(path.join(migrationsFolder, "meta/_journal.json"), "utf8"),
      );
      journal.entries = journal.entries.slice(0, 3);
      await fs.writeFile(path.join(folder, "meta/_journal.json"), JSON.stringify(journal));
      for (const entry of journal.entries as { tag: string }[]) {
        await fs.copyFile(
          path.join(migrationsFolder, `${entry.tag}.sql`),
          path.join(folder, `${entry.tag}.sql`),
        );
      }
      const sql = postgres(old, { max: 1, onnotice: () => {} });
      await migrate(drizzle(sql), { migrationsFolder: folder });
      await sql`insert into users (email, name, role) values ('early@example.test', 'Early Adopter', 'admin')`;
      await sql.end();

      const backup = await backupDatabase(old, { out: path.join(dir, "old.rapport.gz"), method: "builtin" });
      const target = await freshDatabase();
      await restoreBackup(backup.file, target);
      const after = await fingerprint(target);
      expect(after.migrations).toEqual((await fingerprint(sourceUrl)).migrations);
      expect(after.migrations.length).toBeGreaterThan(3);
      expect(await query(target, "select email, name, role from users")).toEqual([
        { email: "early@example.test", name: "Early Adopter", role: "admin" },
      ]);
    },
    SLOW,
  );

  it(
    "refuses a damaged backup without leaving a row behind, and a second run with the good file succeeds",
    async () => {
      const db = getDb();
      for (let i = 0; i < 40; i++)
        await insertContactNote(db, { body: `Note ${i}: ${"renewal risk ".repeat(20)}` });
      const before = await fingerprint(sourceUrl);
      const good = await backupDatabase(sourceUrl, { out: path.join(dir, "good.backup") });
      expect(good.method).toBe(expectedMethod);
      const bytes = await fs.readFile(good.file);
      const cut = path.join(dir, "cut.backup");
      await fs.writeFile(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));

      const target = await freshDatabase();
      const failed = await cli("app/cli/db-restore.ts", [cut, "--into", target]);
      expect(failed.code).toBe(1);
      expect(failed.output).toMatch(/damaged|failed/);
      expect(failed.output).not.toMatch(/^\s+at /m);
      expect(failed.output.trim().split("\n")).toHaveLength(1);
      expect(rowsOf(await fingerprint(target))).toBe(0);

      await restoreBackup(good.file, target);
      expect(await fingerprint(target)).toEqual(before);
    },
    SLOW,
  );

  it(
    "names what is wrong with a file that is missing, foreign or not a backup",
    async () => {
      const target = await freshDatabase();
      const missing = path.join(dir, "nope.dump");
      await expect(restoreBackup(missing, target)).rejects.toThrow(`${missing} does not exist`);

      const random = path.join(dir, "random.dump");
      await fs.writeFile(random, randomBytes(4096));
      await expect(restoreBackup(random, target)).rejects.toThrow("is not a Rapport backup");

      const plainSql = path.join(dir, "plain.sql");
      await fs.writeFile(plainSql, "-- PostgreSQL database dump\ncreate table x (id int);\n");
      await expect(restoreBackup(plainSql, target)).rejects.toThrow("is not a Rapport backup");

      const otherGzip = path.join(dir, "other.gz");
      await fs.writeFile(otherGzip, gzipSync('{"hello":"world"}\n'));
      await expect(restoreBackup(otherGzip, target)).rejects.toThrow(
        "is not a Rapport backup: its first line is not a Rapport backup header",
      );

      const empty = path.join(dir, "empty.dump");
      await fs.writeFile(empty, "");
      await expect(restoreBackup(empty, target)).rejects.toBeInstanceOf(BackupError);

      const viaCli = await cli("app/cli/db-restore.ts", [random, "--into", target]);
      expect(viaCli.code).toBe(1);
      expect(viaCli.output.trim()).toBe(
        `${random} is not a Rapport backup (neither a pg_dump custom-format archive nor a built-in backup)`,
      );
      expect(await query(target, "select tablename from pg_tables where schemaname = 'public'")).toEqual([]);
    },
    SLOW,
  );

  it(
    "refuses to restore into a database that has rows and leaves it as it was",
    async () => {
      const db = getDb();
      await insertUser(db, { email: "keep@example.test" });
      const file = (await backupDatabase(sourceUrl, { out: path.join(dir, "one-user.backup") })).file;
      await insertUser(db, { email: "later@example.test" });
      const before = await fingerprint(sourceUrl);

      const refused = await cli("app/cli/db-restore.ts", [file, "--into", sourceUrl]);
      expect(refused.code).toBe(1);
      expect(refused.output).toMatch(/is not empty \(users have rows\)\. Restore never overwrites data/);
      expect(await fingerprint(sourceUrl)).toEqual(before);
      // The same holds without --into: the app's own database (DATABASE_URL) is the target then.
      const implicit = await cli("app/cli/db-restore.ts", [file]);
      expect(implicit.code).toBe(1);
      expect(implicit.output).toContain("is not empty");
      expect(await fingerprint(sourceUrl)).toEqual(before);
    },
    SLOW,
  );

  it(
    "reports an unreachable database in one line",
    async () => {
      const nowhere = "postgres://postgres@127.0.0.1:1/rapport";
      const backup = await cli("app/cli/db-backup.ts", ["--out", path.join(dir, "x.backup")], {
        DATABASE_URL: nowhere,
      });
      expect(backup.code).toBe(1);
      expect(backup.output.trim()).toMatch(
        /^Cannot reach the database at 127\.0\.0\.1:1\/rapport: .*ECONNREFUSED/,
      );
      await fs.writeFile(path.join(dir, "y.dump"), "PGDMP");
      const restore = await cli("app/cli/db-restore.ts", [path.join(dir, "y.dump"), "--into", nowhere]);
      expect(restore.code).toBe(1);
      expect(restore.output.trim()).toMatch(/^Cannot reach the target database at 127\.0\.0\.1:1\/rapport: /);
      const usage = await cli("app/cli/db-restore.ts", []);
      expect(usage.code).toBe(2);
      expect(usage.output).toContain("Usage: npm run db:restore -- FILE");
    },
    SLOW,
  );
});
