import { and, eq, sql } from "drizzle-orm";
import { csvImports } from "../../../db/schema";
import type { Database } from "../../lib/db.server";
import { log } from "../../lib/log.server";
import { queueRollupRefreshes } from "../rollup-refresh.server";
import { loadCreator, loadImport, mayView, progressWriter, UUID } from "./imports.server";
import { ImportPass, type ImportUser } from "./pass";
import { runPass } from "./pass.server";
import { writePlans } from "./write.server";

export type StartApplyResult = "started" | "not-found" | "not-ready";

/**
 * Marks a checked import without errors as `applying` (once: a second click finds it
 * applying already). Only the person who uploaded it may apply it: the preview was computed
 * with their rights.
 */
export async function startApplyingCsvImport(
  db: Database,
  user: ImportUser,
  importId: string,
): Promise<StartApplyResult> {
  if (!UUID.test(importId)) return "not-found";
  const claimed = await db
    .update(csvImports)
    .set({ status: "applying", processedRows: 0, error: null })
    .where(
      and(
        eq(csvImports.id, importId),
        eq(csvImports.createdById, user.id),
        eq(csvImports.status, "checked"),
        sql`coalesce((${csvImports.report}->>'errorCount')::int, 0) = 0`,
      ),
    )
    .returning({ id: csvImports.id });
  if (claimed.length > 0) return "started";
  const imp = await loadImport(db, importId);
  return imp && mayView(user, imp) ? "not-ready" : "not-found";
}

class RecheckFailed extends Error {}

/**
 * Writes an import in status `applying`, in one transaction: every row is checked again
 * against the data as it is now, and if any row no longer applies nothing is written and the
 * import goes back to `rejected` with the new errors. A database failure rolls back too
 * (status `failed`). Any other status: does nothing.
 *
 * A job retried after a crash finds the import still `applying`; the advisory lock tells a
 * dead attempt (its transaction rolled back, so it is safe to start again) from a live one.
 */
export async function applyCsvImport(db: Database, importId: string): Promise<void> {
  if (!UUID.test(importId)) return;
  const imp = await loadImport(db, importId, { withContent: true });
  if (!imp || imp.status !== "applying") return;
  const user = await loadCreator(db, imp.createdById);
  const setProgress = progressWriter(db, importId);
  const pass = new ImportPass(imp.kind, user);
  // the accounts whose rollups the import changes, refreshed once it has committed
  const touched = new Set<string>();
  let committed = false;
  try {
    await db.transaction(async (tx) => {
      const [lock] = await tx.execute<{ locked: boolean }>(
        sql`select pg_try_advisory_xact_lock(hashtextextended(${`csv-import:${importId}`}, 0)) as locked`,
      );
      if (!lock?.locked) return;
      // Every look-up here is by key, one batch at a time. Rows this transaction inserted have no
      // statistics yet, so the planner would pick a scan of the whole (growing) table per batch
      // and a big file would take quadratic time; SET LOCAL ends with the transaction.
      await tx.execute(sql`set local enable_seqscan = off`);
      await runPass(tx, imp.content, pass, {
        // after the first bad row, keep checking (to report them all) but stop writing
        onBatch: async (plans) => {
          if (pass.errorCount > 0) return;
          for (const accountId of await writePlans(tx, imp.kind, plans)) touched.add(accountId);
        },
        // progress commits on its own connection, so the page sees it while this transaction runs
        setProgress,
      });
      if (pass.errorCount > 0) throw new RecheckFailed();
      await tx
        .update(csvImports)
        .set({
          status: "applied",
          appliedAt: new Date(),
          report: pass.report(),
          processedRows: pass.processed,
          error: null,
        })
        .where(eq(csvImports.id, importId));
    });
    committed = true;
  } catch (error) {
    const rechecked = error instanceof RecheckFailed;
    await db
      .update(csvImports)
      .set(
        rechecked
          ? {
              status: "rejected",
              report: pass.report(),
              error: `The data changed since the preview: ${pass.errorCount} ${pass.errorCount === 1 ? "row no longer applies" : "rows no longer apply"}. Nothing was imported.`,
            }
          : { status: "failed", error: `Nothing was imported: ${(error as Error).message}` },
      )
      .where(and(eq(csvImports.id, importId), eq(csvImports.status, "applying")));
    if (!rechecked) log.error("csv_import.apply_failed", { importId, error });
  }
  // docs/health-model.md, "Rollups": one refresh per account, however many of its rows came in
  if (committed) await queueRollupRefreshes(touched);
}
