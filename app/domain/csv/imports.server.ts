/**
 * The `csv_imports` rows: storing an upload, and reading, listing and discarding imports.
 */
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { csvImports, users } from "../../../db/schema";
import type { Database } from "../../lib/db.server";
import type { CsvKind } from "./columns";
import type { DbOrTx } from "./db.server";
import { emptyReport, type ImportReport, type ImportUser } from "./pass";

export const MAX_UPLOAD_BYTES = 25 * 1024 * 1024;

export const NOT_UTF8_REASON = "not UTF-8 text: save the file as UTF-8 (CSV UTF-8 in Excel)";

const NUL_REASON = "contains a NUL character (byte 0): save the file again as CSV UTF-8 text";

/** The line (1 = the header) a character of the text is on, as a spreadsheet would number it. */
function lineOf(text: string, index: number): number {
  return text.slice(0, index).split(/\r\n|\n|\r/).length;
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Stores an uploaded file as an import waiting to be checked. A file that is not UTF-8 is
 * stored already rejected, with that one error, so the person sees why on the import's page.
 */
export async function createCsvImport(
  db: Database,
  user: ImportUser,
  input: { kind: CsvKind; fileName: string; content: Uint8Array | string },
) {
  if (user.role === "leader") throw new Error("leaders may export but not import");
  let text: string | null;
  if (typeof input.content === "string") {
    text = input.content;
  } else {
    try {
      // fatal: a file in another encoding is refused rather than imported with mangled names
      text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(input.content);
    } catch {
      text = null;
    }
  }
  const fileName = input.fileName.trim().slice(0, 255) || `${input.kind}.csv`;
  const base = { kind: input.kind, fileName, createdById: user.id };
  // Postgres text cannot hold a NUL: storing the file would fail (found by fuzzing)
  const nul = text === null ? -1 : text.indexOf("\u0000");
  if (text === null || nul !== -1) {
    const report = emptyReport();
    report.errors = [
      text === null
        ? { row: 0, column: "file", value: "", reason: NOT_UTF8_REASON }
        : { row: lineOf(text, nul), column: "file", value: "", reason: NUL_REASON },
    ];
    report.errorCount = 1;
    const [row] = await db
      .insert(csvImports)
      .values({ ...base, content: "", status: "rejected", report })
      .returning({ id: csvImports.id });
    return { id: row!.id };
  }
  const [row] = await db
    .insert(csvImports)
    .values({ ...base, content: text.replace(/^\uFEFF/, ""), status: "checking" })
    .returning({ id: csvImports.id });
  return { id: row!.id };
}

/** Imports are private to the person who uploaded them, and admins. */
export function mayView(user: ImportUser, imp: { createdById: string }) {
  return user.role === "admin" || imp.createdById === user.id;
}

const summaryColumns = {
  id: csvImports.id,
  kind: csvImports.kind,
  fileName: csvImports.fileName,
  status: csvImports.status,
  totalRows: csvImports.totalRows,
  processedRows: csvImports.processedRows,
  report: csvImports.report,
  error: csvImports.error,
  createdById: csvImports.createdById,
  createdAt: csvImports.createdAt,
  appliedAt: csvImports.appliedAt,
};

export async function loadImport(db: DbOrTx, importId: string): Promise<ImportSummary | undefined>;
export async function loadImport(
  db: DbOrTx,
  importId: string,
  options: { withContent: true },
): Promise<(ImportSummary & { content: string }) | undefined>;
export async function loadImport(db: DbOrTx, importId: string, options: { withContent?: boolean } = {}) {
  const [row] = await db
    .select(options.withContent ? { ...summaryColumns, content: csvImports.content } : summaryColumns)
    .from(csvImports)
    .where(eq(csvImports.id, importId));
  return row ? { ...row, report: row.report as ImportReport | null } : undefined;
}

export interface ImportSummary {
  id: string;
  kind: CsvKind;
  fileName: string;
  status: "checking" | "checked" | "rejected" | "applying" | "applied" | "failed";
  totalRows: number;
  processedRows: number;
  report: ImportReport | null;
  error: string | null;
  createdById: string;
  createdAt: Date;
  appliedAt: Date | null;
}

/** An import for its page (never the file's text), or null when the viewer may not see it. */
export async function getCsvImport(db: Database, viewer: ImportUser, importId: string) {
  if (!UUID.test(importId)) return null;
  const imp = await loadImport(db, importId);
  if (!imp || !mayView(viewer, imp)) return null;
  const [creator] = await db.select({ name: users.name }).from(users).where(eq(users.id, imp.createdById));
  return { ...imp, createdByName: creator?.name ?? "", isMine: imp.createdById === viewer.id };
}

/** The latest imports: an admin's list has everyone's, a manager's their own. */
export async function listCsvImports(db: Database, viewer: ImportUser, limit = 20) {
  const rows = await db
    .select({
      id: csvImports.id,
      kind: csvImports.kind,
      fileName: csvImports.fileName,
      status: csvImports.status,
      totalRows: csvImports.totalRows,
      processedRows: csvImports.processedRows,
      errorCount: sql<number>`coalesce((${csvImports.report}->>'errorCount')::int, 0)`,
      creates: sql<number>`coalesce((${csvImports.report}->>'creates')::int, 0)`,
      updates: sql<number>`coalesce((${csvImports.report}->>'updates')::int, 0)`,
      createdAt: csvImports.createdAt,
      appliedAt: csvImports.appliedAt,
      createdByName: users.name,
    })
    .from(csvImports)
    .innerJoin(users, eq(users.id, csvImports.createdById))
    .where(viewer.role === "admin" ? undefined : eq(csvImports.createdById, viewer.id))
    .orderBy(desc(csvImports.createdAt))
    .limit(limit);
  return rows;
}

/** Deletes an import that is not being or has not been applied; false when there is none to discard. */
export async function discardCsvImport(db: Database, viewer: ImportUser, importId: string): Promise<boolean> {
  if (!UUID.test(importId)) return false;
  const deleted = await db
    .delete(csvImports)
    .where(
      and(
        eq(csvImports.id, importId),
        viewer.role === "admin" ? undefined : eq(csvImports.createdById, viewer.id),
        inArray(csvImports.status, ["checking", "checked", "rejected", "failed"]),
      ),
    )
    .returning({ id: csvImports.id });
  return deleted.length > 0;
}

export async function loadCreator(db: DbOrTx, userId: string): Promise<ImportUser> {
  const [user] = await db.select({ id: users.id, role: users.role }).from(users).where(eq(users.id, userId));
  if (!user) throw new Error(`the user who uploaded the file (${userId}) no longer exists`);
  return user;
}

export function progressWriter(db: Database, importId: string) {
  return async (processedRows: number) => {
    await db.update(csvImports).set({ processedRows }).where(eq(csvImports.id, importId));
  };
}
