/**
 * Taking a person out of the files the team uploaded (a contact's erasure, docs/security.md,
 * "Privacy"): every stored import file that names one of their email addresses loses those
 * rows, and its report loses what it said about them.
 */
import { eq, sql } from "drizzle-orm";
import { csvImports } from "../../../db/schema";
import type { Transaction } from "../../lib/db.server";
import { reportWithoutRows, type ImportReport } from "./pass";
import { delimiterOf, readRecords } from "./pass.server";
import { firstLineBreak, formatCsvRecord } from "./records";

export type ImportsErasure =
  /** An import naming the person is being applied now: its transaction could bring them back. */
  { status: "busy"; fileName: string } | { status: "done"; imports: number; rows: number };

/** What separates addresses inside one cell: `a@x; b@y`, `Dana <dana@x>`. */
const TOKEN_SEPARATORS = /[\s,;<>"'()]+/;

/**
 * In the caller's transaction: each import file naming one of `addresses` (any cell holding
 * one, in any case) is rewritten with those rows left empty, so every other row keeps its row
 * number and the report's other errors still point at the right lines. A file that no longer
 * parses (a rejected upload) cannot be cut row by row and is emptied. An import being applied
 * is left alone and answered `busy`, before anything is written.
 */
export async function eraseAddressesFromImports(
  tx: Transaction,
  addresses: readonly (string | null)[],
): Promise<ImportsErasure> {
  const wanted = [...new Set(addresses.flatMap((a) => (a?.trim() ? [a.trim().toLowerCase()] : [])))];
  if (wanted.length === 0) return { status: "done", imports: 0, rows: 0 };
  const naming = await tx
    .select({
      id: csvImports.id,
      status: csvImports.status,
      fileName: csvImports.fileName,
      content: csvImports.content,
      report: csvImports.report,
    })
    .from(csvImports)
    .where(
      sql`exists (select 1 from unnest(${sql.param(wanted)}::text[]) as a where position(a in lower(${csvImports.content})) > 0)`,
    )
    .orderBy(csvImports.id)
    .for("update");
  const applying = naming.find((imp) => imp.status === "applying");
  if (applying) return { status: "busy", fileName: applying.fileName };

  let imports = 0;
  let rows = 0;
  for (const imp of naming) {
    const cut = await withoutRowsNaming(imp.content, new Set(wanted));
    if (cut.rows.size === 0 && !cut.unreadable) continue;
    const report = imp.report as ImportReport | null;
    await tx
      .update(csvImports)
      .set({
        content: cut.content,
        report:
          report &&
          (cut.unreadable ? { ...report, errors: [], sample: [] } : reportWithoutRows(report, cut.rows)),
      })
      .where(eq(csvImports.id, imp.id));
    imports += 1;
    rows += cut.rows.size;
  }
  return { status: "done", imports, rows };
}

/** `content` with every data row naming one of `addresses` left empty; the header stays. */
async function withoutRowsNaming(
  content: string,
  addresses: ReadonlySet<string>,
): Promise<{ content: string; rows: Set<number>; unreadable: boolean }> {
  const delimiter = delimiterOf(content);
  const lineBreak = firstLineBreak(content) ?? "\n";
  const lines: string[] = [];
  const rows = new Set<number>();
  try {
    for await (const { row, cells } of readRecords(content)) {
      // the reader skips blank records; they stay blank lines, so row numbers do not move
      while (lines.length < row - 1) lines.push("");
      const names =
        row > 1 &&
        cells.some((cell) =>
          cell
            .toLowerCase()
            .split(TOKEN_SEPARATORS)
            .some((token) => addresses.has(token)),
        );
      if (names) rows.add(row);
      lines.push(formatCsvRecord(names ? cells.map(() => "") : cells, delimiter));
    }
  } catch {
    return { content: "", rows, unreadable: true };
  }
  const endsWithBreak = /[\r\n]$/.test(content);
  return { content: lines.join(lineBreak) + (endsWithBreak ? lineBreak : ""), rows, unreadable: false };
}
