import { and, eq } from "drizzle-orm";
import { csvImports } from "../../../db/schema";
import type { Database } from "../../lib/db.server";
import { log } from "../../lib/log.server";
import { loadCreator, loadImport, progressWriter, UUID } from "./imports.server";
import { ImportPass } from "./pass";
import { countDataRows, runPass } from "./pass.server";

/**
 * Checks an import in status `checking` and stores the preview (status `checked`) or every
 * bad row (status `rejected`). Any other status: does nothing, so a repeated job is harmless.
 */
export async function checkCsvImport(db: Database, importId: string): Promise<void> {
  if (!UUID.test(importId)) return;
  const imp = await loadImport(db, importId, { withContent: true });
  if (!imp || imp.status !== "checking") return;
  const user = await loadCreator(db, imp.createdById);
  const setProgress = progressWriter(db, importId);
  try {
    const totalRows = await countDataRows(imp.content);
    await db.update(csvImports).set({ totalRows, processedRows: 0 }).where(eq(csvImports.id, importId));
    const pass = new ImportPass(imp.kind, user);
    await runPass(db, imp.content, pass, { onBatch: async () => {}, setProgress });
    const report = pass.report();
    await db
      .update(csvImports)
      .set({
        status: report.errorCount > 0 ? "rejected" : "checked",
        report,
        totalRows: pass.processed,
        processedRows: pass.processed,
      })
      .where(and(eq(csvImports.id, importId), eq(csvImports.status, "checking")));
  } catch (error) {
    await db
      .update(csvImports)
      .set({ status: "failed", error: `The check stopped: ${(error as Error).message}` })
      .where(and(eq(csvImports.id, importId), eq(csvImports.status, "checking")));
    log.error("csv_import.check_failed", { importId, error });
  }
}
