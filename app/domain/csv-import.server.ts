/**
 * CSV import of accounts, contacts, opportunities and interactions: upload → check (a preview
 * of what would change, or every bad row) → apply in one transaction.
 *
 * Memory stays flat whatever the file's size: the stored text is parsed as a stream, rows are
 * looked up and written 1,000 at a time, and only the keys needed to spot in-file duplicates
 * (emails, external ids, names) are kept across batches.
 *
 * This module is the public entry; the parts live in csv/: columns.ts (column rules, one row's
 * parsing), imports.server.ts (the `csv_imports` rows), check.server.ts and apply.server.ts (the
 * two jobs), pass.server.ts (reading the file, batch by batch) and records.ts (splitting it into
 * records), plan.server.ts (what each row would do), pass.ts (the tally and report),
 * lookups.server.ts (what already exists) and write.server.ts (the batched writes).
 */
import type { Database } from "../lib/db.server";
import { applyCsvImport, startApplyingCsvImport, type StartApplyResult } from "./csv/apply.server";
import { checkCsvImport } from "./csv/check.server";
import type { CsvKind } from "./csv/columns";
import { createCsvImport, loadImport } from "./csv/imports.server";
import type { ImportUser } from "./csv/pass";

export { isCsvKind, type CsvKind, type RowError } from "./csv/columns";
export { CSV_BATCH_SIZE } from "./csv/pass.server";
export {
  MAX_REPORTED_ERRORS,
  SAMPLE_SIZE,
  type ImportReport,
  type ImportUser,
  type SampleChange,
} from "./csv/pass";
export {
  MAX_UPLOAD_BYTES,
  NOT_UTF8_REASON,
  createCsvImport,
  discardCsvImport,
  getCsvImport,
  listCsvImports,
  type ImportSummary,
} from "./csv/imports.server";
export { applyCsvImport, checkCsvImport, startApplyingCsvImport, type StartApplyResult };

/** Sends a job to the queue; false when no queue is running (the caller then works inline). */
export type Enqueue = (name: string, data: { importId: string }) => Promise<boolean>;

export const CHECK_JOB = "csv-import.check";
export const APPLY_JOB = "csv-import.apply";

/** Upload and check: the check runs as a job when a queue is running, here and now otherwise. */
export async function submitCsvImport(
  db: Database,
  user: ImportUser,
  input: { kind: CsvKind; fileName: string; content: Uint8Array | string },
  enqueue: Enqueue,
) {
  const created = await createCsvImport(db, user, input);
  if (!(await enqueue(CHECK_JOB, { importId: created.id }))) await checkCsvImport(db, created.id);
  return created;
}

/** Upload and check inline; returns the import as it stands afterwards (tests, scripts). */
export async function importCsv(
  db: Database,
  user: ImportUser,
  input: { kind: CsvKind; fileName?: string; content: Uint8Array | string },
) {
  const { id } = await createCsvImport(db, user, { fileName: `${input.kind}.csv`, ...input });
  await checkCsvImport(db, id);
  return (await loadImport(db, id))!;
}

export async function submitApply(
  db: Database,
  user: ImportUser,
  importId: string,
  enqueue: Enqueue,
): Promise<StartApplyResult> {
  const result = await startApplyingCsvImport(db, user, importId);
  if (result === "started" && !(await enqueue(APPLY_JOB, { importId }))) await applyCsvImport(db, importId);
  return result;
}
