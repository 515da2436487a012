/**
 * A 50,000-row contacts file through the app's CSV import, as an admin does it: upload on
 * /import, wait for the check, press Apply, wait until it is applied (the app's own worker
 * runs both jobs). Set beside a `COPY` of the same rows into a scratch copy of `contacts`
 * that does the work the real table does: `CREATE TABLE … (LIKE contacts INCLUDING ALL)` (the
 * same columns, defaults and indexes) with its foreign key to `accounts`, logged like every
 * table of the app, so the app's data holds only what the import wrote. An earlier version
 * copied into a TEMP table, which writes no WAL and checks no foreign key: a floor the import,
 * writing the real table, could never stand on. That COPY is still printed, for reference.
 * The app's resident memory is sampled (context.appRssMb) before, during and after the import.
 */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import postgres from "postgres";
import type { Benchmark } from "./benchmark";
import { signInAs } from "./measure";
import { median, type Figure } from "./figures";

const ROWS = 50_000;
const ACCOUNTS = 10;
const COPY_RUNS = 3;
const POLL_MS = 100;
const IMPORT_TIMEOUT_MS = 10 * 60_000;
const RSS_SAMPLE_MS = 50;
/**
 * The import streams the stored file in batches of 1,000 rows (docs/csv-import.md), so its
 * memory must not grow with the row count: what may grow is the upload itself (the ~4 MB file,
 * held as bytes and as text by the upload, the check and the apply), one batch's rows and
 * queries, and the in-file duplicate keys (two short strings a row, ~10 MB for 50,000 rows).
 * 150 MB leaves room for V8 growing its heap before it collects, not for holding every row.
 */
const RSS_GROWTH_BUDGET_MB = 150;
const COLUMNS = [
  "external_id",
  "account_name",
  "name",
  "email",
  "title",
  "buying_role",
  "language",
  "opted_out",
];
const ROLES = ["decision_maker", "champion", "influencer", "user"];

interface Row {
  externalId: string;
  accountId: string;
  accountName: string;
  name: string;
  email: string;
  title: string;
  buyingRole: string;
}

function makeRows(accounts: { id: string; name: string }[]): Row[] {
  return Array.from({ length: ROWS }, (_, i) => {
    const account = accounts[i % accounts.length]!;
    return {
      externalId: `CSV-BENCH-${i + 1}`,
      accountId: account.id,
      accountName: account.name,
      name: `Imported contact ${i + 1}`,
      email: `imported-${i + 1}@csv-bench.test`,
      title: `Title ${i % 40}`,
      buyingRole: ROLES[i % ROLES.length]!,
    };
  });
}

/** A cell as a spreadsheet would write it: quoted when it holds a comma, quote or line break. */
function cell(value: string) {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function csvFile(rows: Row[]) {
  const lines = rows.map((r) =>
    [r.externalId, r.accountName, r.name, r.email, r.title, r.buyingRole, "en", "false"].map(cell).join(","),
  );
  return `${COLUMNS.join(",")}\n${lines.join("\n")}\n`;
}

/** The same rows in COPY's text format, with the account ids the import looks up by name. */
function copyText(rows: Row[]) {
  return rows
    .map((r) => [r.accountId, r.externalId, r.name, r.email, r.title, r.buyingRole, "en"].join("\t"))
    .join("\n")
    .concat("\n");
}

/**
 * ms of each COPY of the rows into a fresh scratch copy of `contacts` (created and dropped
 * untimed): `logged` the way the import writes (WAL, the foreign key), or a TEMP table.
 */
async function timeCopies(sql: postgres.Sql, rows: Row[], logged: boolean): Promise<number[]> {
  const text = copyText(rows);
  const samples: number[] = [];
  const connection = await sql.reserve();
  try {
    for (let i = 0; i < COPY_RUNS; i++) {
      if (logged) {
        // left behind only by a run that was stopped mid-way (with DATABASE_URL, a kept database)
        await connection`drop table if exists bench_csv_contacts`;
        await connection`create table bench_csv_contacts (like contacts including all)`;
        await connection`alter table bench_csv_contacts add foreign key (account_id)
          references accounts (id) on delete cascade`;
      } else {
        await connection`create temporary table bench_csv_contacts (like contacts including all)`;
      }
      const started = process.hrtime.bigint();
      const writable = await connection`
        copy bench_csv_contacts (account_id, external_id, name, email, title, buying_role, language)
        from stdin`.writable();
      await pipeline(Readable.from([text]), writable);
      samples.push(Number(process.hrtime.bigint() - started) / 1e6);
      await connection`drop table bench_csv_contacts`;
    }
  } finally {
    connection.release();
  }
  return samples;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const csvImportTime: Benchmark = {
  name: "CSV import of 50,000 contacts",
  async run(context) {
    const sql = postgres(context.databaseUrl, { max: 2, onnotice: () => {} });
    const figures: Figure[] = [];
    try {
      const accounts = await sql<{ id: string; name: string }[]>`
        select id, name from accounts order by name limit ${ACCOUNTS}`;
      if (accounts.length === 0) throw new Error("the demo workspace has no accounts");
      const rows = makeRows(accounts);

      const copyMedian = median(await timeCopies(sql, rows, true));
      const tempCopyMedian = median(await timeCopies(sql, rows, false));

      const base = context.baseUrl;
      const cookie = await signInAs(base, "admin@demo.test");
      const before = await context.appRssMb();
      let peak = before;
      let sampling = true;
      const sampler = (async () => {
        while (sampling) {
          peak = Math.max(peak, await context.appRssMb());
          await sleep(RSS_SAMPLE_MS);
        }
      })();

      const status = async (id: string) => {
        // a poll may meet a kept-alive connection the app just closed (ECONNRESET): ask again
        for (let attempt = 1; ; attempt++) {
          try {
            const response = await fetch(
              `${base}/import/${id}?_data=${encodeURIComponent("routes/_app.import.$importId")}`,
              { headers: { Cookie: cookie } },
            );
            if (!response.ok) throw new Error(`GET /import/${id} answered ${response.status}`);
            const data = (await response.json()) as { imp: { status: string; error: string | null } };
            return data.imp;
          } catch (error) {
            if (attempt >= 3 || !(error instanceof TypeError)) throw error;
            await sleep(POLL_MS);
          }
        }
      };
      const waitWhile = async (id: string, busy: string) => {
        const deadline = Date.now() + IMPORT_TIMEOUT_MS;
        for (;;) {
          const imp = await status(id);
          if (imp.status !== busy) return imp;
          if (Date.now() > deadline)
            throw new Error(`the import was still ${busy} after ${IMPORT_TIMEOUT_MS / 1000}s`);
          await sleep(POLL_MS);
        }
      };

      const started = process.hrtime.bigint();
      const form = new FormData();
      form.set("kind", "contacts");
      form.set("file", new Blob([csvFile(rows)], { type: "text/csv" }), "contacts.csv");
      const uploaded = await fetch(`${base}/import?index`, {
        method: "POST",
        headers: { Cookie: cookie, Origin: new URL(base).origin },
        body: form,
        redirect: "manual",
      });
      const id = /\/import\/([0-9a-f-]{36})$/.exec(uploaded.headers.get("location") ?? "")?.[1];
      if (uploaded.status !== 302 || !id)
        throw new Error(`the upload answered ${uploaded.status}, not a redirect to the import`);
      const checked = await waitWhile(id, "checking");
      const checkedAt = process.hrtime.bigint();
      if (checked.status !== "checked")
        throw new Error(`the check ended ${checked.status}: ${checked.error ?? ""}`);
      const applying = await fetch(`${base}/import/${id}`, {
        method: "POST",
        headers: {
          Cookie: cookie,
          Origin: new URL(base).origin,
          "Content-Type": "application/x-www-form-urlencoded",
        },
        body: new URLSearchParams({ intent: "apply" }),
        redirect: "manual",
      });
      if (applying.status !== 302) throw new Error(`Apply answered ${applying.status}`);
      const applied = await waitWhile(id, "applying");
      const done = process.hrtime.bigint();
      if (applied.status !== "applied")
        throw new Error(`the apply ended ${applied.status}: ${applied.error ?? ""}`);
      sampling = false;
      await sampler;
      await sleep(1000);
      const after = await context.appRssMb();

      const [stored] = await sql<{ n: number }[]>`
        select count(*)::int as n from contacts where external_id like 'CSV-BENCH-%'`;
      if (stored!.n !== ROWS) context.problem(`the import stored ${stored!.n} of ${ROWS} contacts`);

      const importMs = Number(done - started) / 1e6;
      figures.push(
        {
          name: `COPY of the same rows into a TEMP copy of contacts, for reference (n=${COPY_RUNS})`,
          unit: "ms",
          value: tempCopyMedian,
        },
        {
          name: `COPY of the same rows into a copy of contacts with its FK (n=${COPY_RUNS})`,
          unit: "ms",
          value: copyMedian,
        },
        {
          name: "Upload → checked (queue wait included)",
          unit: "ms",
          value: Number(checkedAt - started) / 1e6,
        },
        {
          name: "Apply → applied (queue wait included)",
          unit: "ms",
          value: Number(done - checkedAt) / 1e6,
        },
        {
          name: "CSV import of 50,000 contacts, upload → applied (≤ 5× COPY)",
          unit: "ms",
          value: importMs,
          baseline: copyMedian,
          ratio: importMs / copyMedian,
          ratioAtMost: 5,
        },
      );
      figures.push(
        { name: "App RSS before the import", unit: "MB", value: before },
        { name: "App RSS after the import (1 s later)", unit: "MB", value: after },
        {
          name: `App RSS peak growth during the import (≤ ${RSS_GROWTH_BUDGET_MB} MB)`,
          unit: "MB",
          value: peak - before,
          budget: RSS_GROWTH_BUDGET_MB,
        },
      );
      return figures;
    } finally {
      await sql.end({ timeout: 5 });
    }
  },
};
