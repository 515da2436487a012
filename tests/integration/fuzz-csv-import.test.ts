/**
 * Property-based tests of the CSV import: valid account files with one hostile change (odd
 * quoting, BOM, CRLF, blank rows, extra columns, formula cells, NUL bytes, wrong encodings).
 * The check never fails (status "failed"); a rejected file names a row and a reason for each
 * problem and writes no account; an applied file stores exactly the names it held. Regression
 * tests for what the properties found are at the bottom.
 */
import { asc } from "drizzle-orm";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { insertUser } from "../../db/factories";
import { accounts } from "../../db/schema";
import { importCsv, submitApply, getCsvImport, type ImportReport } from "~/domain/csv-import.server";
import { unprotectFormula } from "~/domain/csv/columns";
import { getDb } from "~/lib/db.server";
import { HOSTILE_STRINGS, databaseDigest, fuzzOptions } from "../support/fuzz";

const HEADER = ["name", "segment", "region", "tier", "owner_email"];
const noQueue = async () => false;
const digest = () => databaseDigest({ only: ["accounts", "account_members", "contacts", "users"] });

/** A cell as a spreadsheet writes it: quoted when it holds a quote, comma or line break. */
const quote = (cell: string) => (/[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);

const nameCell = fc.oneof(
  fc.stringMatching(/^[A-Za-z][A-Za-z0-9 &.]{0,20}$/),
  fc.constantFrom(
    "=cmd|' /C calc'!A0",
    "'=1+1",
    "+SUM(A1)",
    "@x",
    "Ünïcødé GmbH",
    "株式会社",
    "a,b",
    'say "hi"',
  ),
);

const change = fc.oneof(
  fc.constant({ kind: "none" as const }),
  fc.record({
    kind: fc.constant("cell" as const),
    row: fc.nat(),
    column: fc.nat({ max: HEADER.length - 1 }),
    value: fc.constantFrom(...HOSTILE_STRINGS),
  }),
  fc.constantFrom(
    { kind: "bom" as const },
    { kind: "crlf" as const },
    { kind: "blank-rows" as const },
    { kind: "extra-column" as const },
    { kind: "stray-quote" as const },
    { kind: "nul" as const },
    { kind: "latin1" as const },
    { kind: "header-only" as const },
    { kind: "short-row" as const },
    { kind: "semicolons" as const },
  ),
);

function fileOf(
  names: string[],
  ownerEmail: string,
  c: { kind: string; row?: number; column?: number; value?: string },
) {
  const rows = names.map((name) => [name, "smb", "EMEA", "core", ownerEmail]);
  if (c.kind === "cell") rows[c.row! % rows.length]![c.column!] = c.value!;
  if (c.kind === "short-row") rows[0]!.pop();
  if (c.kind === "extra-column") rows.forEach((r) => r.push("extra"));
  let lines = [HEADER, ...(c.kind === "header-only" ? [] : rows)].map((r) =>
    r.map(quote).join(c.kind === "semicolons" ? ";" : ","),
  );
  if (c.kind === "blank-rows") lines = lines.flatMap((l) => [l, "", ",,,,"]);
  let text = lines.join(c.kind === "crlf" ? "\r\n" : "\n") + "\n";
  if (c.kind === "bom") text = `\uFEFF${text}`;
  if (c.kind === "stray-quote") text = text.replace("smb", 'sm"b');
  if (c.kind === "nul") text = text.replace("EMEA", "EM\u0000EA");
  const bytes = new TextEncoder().encode(text);
  if (c.kind === "latin1") return Uint8Array.from([...bytes, 0xe9, 0x0a]);
  return bytes;
}

describe("the CSV import under fuzzing", () => {
  it("checks account files with one hostile change: never fails, rejections name row and reason, applies exactly", async () => {
    const db = getDb();
    const admin = await insertUser(db, { role: "admin", email: "admin@rapport.test" });
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(nameCell, { minLength: 1, maxLength: 4, selector: (n) => n.trim().toLowerCase() }),
        change,
        async (names, c) => {
          const content = fileOf(names, "admin@rapport.test", c);
          const context = `${JSON.stringify(c)} ${JSON.stringify(new TextDecoder().decode(content)).slice(0, 300)}`;
          const before = await digest();
          const checked = await importCsv(db, admin, { kind: "accounts", content });
          expect(checked.status, `${context}: ${checked.error}`).not.toBe("failed");
          if (checked.status === "rejected") {
            const report = checked.report as ImportReport;
            expect(report.errors.length, context).toBeGreaterThan(0);
            for (const error of report.errors) {
              expect(error.row, context).toBeGreaterThanOrEqual(0);
              expect(error.reason.trim(), context).not.toBe("");
            }
            expect(await digest(), `${context}: nothing written`).toEqual(before);
            return;
          }
          expect(checked.status, context).toBe("checked");
          expect(await submitApply(db, admin, checked.id, noQueue), context).toBe("started");
          const applied = await getCsvImport(db, admin, checked.id);
          expect(applied?.status, `${context}: ${applied?.error}`).toBe("applied");
          const stored = await db.select({ name: accounts.name }).from(accounts).orderBy(asc(accounts.name));
          const expected = (c.kind === "cell" && c.column === 0 ? [] : names).map((n) =>
            unprotectFormula(n.trim()),
          );
          for (const name of expected)
            expect(
              stored.map((s) => s.name),
              context,
            ).toContain(name);
          // the next case starts from no accounts, so a name can come again
          await db.delete(accounts);
        },
      ),
      fuzzOptions(500, 20261231),
    );
  }, 180_000);
});

describe("the CSV import: regressions the fuzzing found", () => {
  it("rejects a file holding a NUL byte at upload, naming its row, rather than failing to store it", async () => {
    const db = getDb();
    const admin = await insertUser(db, { role: "admin", email: "admin@rapport.test" });
    const before = await digest();
    const content = new TextEncoder().encode(
      "name,segment,region,tier,owner_email\nAcme,smb,EMEA,core,admin@rapport.test\nInitech,smb,EM\u0000EA,core,admin@rapport.test\n",
    );
    const imp = await importCsv(db, admin, { kind: "accounts", content });
    expect(imp.status).toBe("rejected");
    expect((imp.report as ImportReport).errors).toEqual([
      {
        row: 3,
        column: "file",
        value: "",
        reason: "contains a NUL character (byte 0): save the file again as CSV UTF-8 text",
      },
    ]);
    expect(await digest()).toEqual(before);
  });
});
