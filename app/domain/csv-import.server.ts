/**
 * CSV import of accounts, contacts, opportunities and interactions: upload → check (a preview
 * of what would change, or every bad row) → apply in one transaction.
 *
 * Memory stays flat whatever the file's size: the stored text is parsed as a stream, rows are
 * looked up and written 1,000 at a time, and only the keys needed to spot in-file duplicates
 * (emails, external ids, names) are kept across batches. Column rules live in csv/columns.ts.
 */
import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import { parse } from "csv-parse";
import { and, desc, eq, inArray, or, sql, type SQL } from "drizzle-orm";
import {
  accountMembers,
  accounts,
  contacts,
  csvImports,
  interactionContacts,
  interactions,
  interactionUsers,
  opportunities,
  users,
  type UserRole,
} from "../../db/schema";
import type { Database } from "../lib/db.server";
import { log } from "../lib/log.server";
import { canAccessAccount } from "./access";
import {
  ACCOUNT_FIELDS,
  CONTACT_FIELDS,
  INTERACTION_FIELDS,
  OPPORTUNITY_FIELDS,
  cellsByColumn,
  checkHeader,
  detectDelimiter,
  diffStates,
  isCsvKind,
  nextAccountState,
  nextContactState,
  nextInteractionState,
  nextOpportunityState,
  parseRow,
  sortEmails,
  type AccountReference,
  type AccountRow,
  type AccountState,
  type ContactRow,
  type ContactState,
  type CsvKind,
  type FieldChange,
  type Header,
  type InteractionRow,
  type InteractionState,
  type OpportunityRow,
  type OpportunityState,
  type RowError,
  type StateField,
} from "./csv/columns";

export { isCsvKind, type CsvKind, type RowError };

export const CSV_BATCH_SIZE = 1000;
/** Errors stored in the report; the total is always counted. */
export const MAX_REPORTED_ERRORS = 1000;
/** Changes shown in the preview. */
export const SAMPLE_SIZE = 50;
export const MAX_UPLOAD_BYTES = 25 * 1024 * 1024;

export const NOT_UTF8_REASON = "not UTF-8 text: save the file as UTF-8 (CSV UTF-8 in Excel)";

type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
type DbOrTx = Database | Transaction;

export interface ImportUser {
  id: string;
  role: UserRole;
}

export interface SampleChange {
  row: number;
  action: "create" | "update";
  record: string;
  changes: FieldChange[];
}

/** What `csv_imports.report` holds. */
export interface ImportReport {
  creates: number;
  updates: number;
  unchanged: number;
  /** Sorted by row; at most MAX_REPORTED_ERRORS of them. */
  errors: RowError[];
  errorCount: number;
  sample: SampleChange[];
  ignoredColumns: string[];
}

/** Sends a job to the queue; false when no queue is running (the caller then works inline). */
export type Enqueue = (name: string, data: { importId: string }) => Promise<boolean>;

export const CHECK_JOB = "csv-import.check";
export const APPLY_JOB = "csv-import.apply";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// ─── Upload ───────────────────────────────────────────────────────────────────

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
  if (text === null) {
    const report = emptyReport();
    report.errors = [{ row: 0, column: "file", value: "", reason: NOT_UTF8_REASON }];
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

// ─── Check ────────────────────────────────────────────────────────────────────

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

// ─── Apply ────────────────────────────────────────────────────────────────────

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
          if (pass.errorCount === 0) await writePlans(tx, imp.kind, plans);
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
}

// ─── Reading imports ──────────────────────────────────────────────────────────

/** Imports are private to the person who uploaded them, and admins. */
function mayView(user: ImportUser, imp: { createdById: string }) {
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

async function loadImport(db: DbOrTx, importId: string): Promise<ImportSummary | undefined>;
async function loadImport(
  db: DbOrTx,
  importId: string,
  options: { withContent: true },
): Promise<(ImportSummary & { content: string }) | undefined>;
async function loadImport(db: DbOrTx, importId: string, options: { withContent?: boolean } = {}) {
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

async function loadCreator(db: DbOrTx, userId: string): Promise<ImportUser> {
  const [user] = await db.select({ id: users.id, role: users.role }).from(users).where(eq(users.id, userId));
  if (!user) throw new Error(`the user who uploaded the file (${userId}) no longer exists`);
  return user;
}

function progressWriter(db: Database, importId: string) {
  return async (processedRows: number) => {
    await db.update(csvImports).set({ processedRows }).where(eq(csvImports.id, importId));
  };
}

function emptyReport(): ImportReport {
  return { creates: 0, updates: 0, unchanged: 0, errors: [], errorCount: 0, sample: [], ignoredColumns: [] };
}

// ─── Reading the file ─────────────────────────────────────────────────────────

class CsvSyntaxError extends Error {
  constructor(
    readonly row: number,
    message: string,
  ) {
    super(message);
  }
}

/** The text in 64 KB pieces, never splitting a surrogate pair. */
function* pieces(text: string, size = 64 * 1024) {
  for (let start = 0; start < text.length;) {
    let end = Math.min(start + size, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
    yield text.slice(start, end);
    start = end;
  }
}

/**
 * Every record of the file with its spreadsheet row number (the header is row 1), skipping
 * blank rows. Streams: only the record being read is held besides the text itself.
 */
async function* readRecords(content: string): AsyncGenerator<{ row: number; cells: string[] }> {
  const firstLine = content.slice(0, Math.min(content.length, 64 * 1024)).split(/\r?\n/, 1)[0] ?? "";
  const parser = parse({
    delimiter: detectDelimiter(firstLine),
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
  });
  const source = Readable.from(pieces(content));
  source.pipe(parser);
  let row = 0;
  try {
    for await (const cells of parser as AsyncIterable<string[]>) {
      row += 1;
      if (cells.every((cell) => cell.trim() === "")) continue;
      yield { row, cells };
    }
  } catch (error) {
    const records = (error as { records?: number }).records;
    throw new CsvSyntaxError(typeof records === "number" ? records + 1 : row + 1, (error as Error).message);
  } finally {
    source.destroy();
  }
}

/** Data rows in the file (for "N of M"); 0 when it cannot be read, which the check then reports. */
async function countDataRows(content: string): Promise<number> {
  let records = 0;
  try {
    for await (const _record of readRecords(content)) records += 1;
  } catch {
    // the check pass reports the syntax error with its row
  }
  return Math.max(0, records - 1); // the first record is the header
}

/**
 * Reads the file: the header first, then the rows in batches, each planned against the
 * database (`db`) and handed to `onBatch`. Progress is reported after every batch.
 */
async function runPass(
  db: DbOrTx,
  content: string,
  pass: ImportPass,
  hooks: { onBatch: (plans: Plan[]) => Promise<void>; setProgress: (processed: number) => Promise<void> },
) {
  let header: Header | null = null;
  let batch: { row: number; cells: string[] }[] = [];
  const flush = async () => {
    if (!header || batch.length === 0) return;
    const plans = await pass.planBatch(db, header, batch);
    await hooks.onBatch(plans);
    pass.processed += batch.length;
    batch = [];
    await hooks.setProgress(pass.processed);
  };
  try {
    for await (const record of readRecords(content)) {
      if (!header) {
        header = checkHeader(pass.kind, record.cells);
        pass.ignoredColumns = header.ignored;
        if (header.errors.length > 0) {
          for (const error of header.errors) pass.error(error);
          return;
        }
        continue;
      }
      batch.push(record);
      if (batch.length >= CSV_BATCH_SIZE) await flush();
    }
    await flush();
  } catch (error) {
    if (!(error instanceof CsvSyntaxError)) throw error;
    pass.error({ row: error.row, column: "file", value: "", reason: `not valid CSV: ${error.message}` });
    return;
  }
  if (!header) pass.error({ row: 1, column: "file", value: "", reason: "the file is empty" });
  else if (pass.processed === 0) {
    pass.error({ row: 2, column: "file", value: "", reason: "no rows below the header" });
  }
}

// ─── Planning: what each row would do ─────────────────────────────────────────

interface AccountInfo {
  id: string;
  externalId: string | null;
  name: string;
  ownerId: string;
  isMember: boolean;
}

type Plan =
  | { kind: "accounts"; action: Action; id: string; state: AccountState }
  | { kind: "contacts"; action: Action; id: string; state: ContactState }
  | { kind: "opportunities"; action: Action; id: string; state: OpportunityState }
  | {
      kind: "interactions";
      action: Action;
      id: string;
      state: InteractionState;
      participantsChanged: boolean;
    };
type Action = "create" | "update" | "unchanged";

const lower = (value: string) => value.toLowerCase();

/**
 * One pass over a file: counts, errors and sample so far, and the keys seen, to spot a value
 * that two rows of the file share.
 */
class ImportPass {
  processed = 0;
  ignoredColumns: string[] = [];
  private creates = 0;
  private updates = 0;
  private unchanged = 0;
  private errors: RowError[] = [];
  errorCount = 0;
  private sample: SampleChange[] = [];
  /** In-file key → the first row that had it. */
  private seen = new Map<string, number>();
  /** Keys whose first row has already been told about the duplicate. */
  private flaggedFirst = new Set<string>();
  /** Existing record id → the row that updates it. */
  private claimed = new Map<string, number>();
  /** Rows of the current batch with at least one error. */
  private badRows = new Set<number>();

  constructor(
    readonly kind: CsvKind,
    readonly user: ImportUser,
  ) {}

  error(error: RowError) {
    this.errorCount += 1;
    this.badRows.add(error.row);
    if (this.errors.length < MAX_REPORTED_ERRORS) this.errors.push(error);
  }

  private fail(row: number, column: string, value: string, reason: string) {
    this.error({ row, column, value: value.slice(0, 200), reason });
  }

  /** True (and both rows reported) when another row of the file already had `key`. */
  private duplicate(key: string, row: number, column: string, value: string, what: string): boolean {
    const first = this.seen.get(key);
    if (first === undefined) {
      this.seen.set(key, row);
      return false;
    }
    this.fail(row, column, value, `duplicate ${what} within the file (also on row ${first})`);
    if (!this.flaggedFirst.has(key)) {
      this.flaggedFirst.add(key);
      this.fail(first, column, value, `duplicate ${what} within the file (also on row ${row})`);
    }
    return true;
  }

  /** Two rows with different keys that land on the same existing record. */
  private claim(id: string, row: number, column: string, value: string): boolean {
    const first = this.claimed.get(id);
    if (first === undefined) {
      this.claimed.set(id, row);
      return true;
    }
    this.fail(row, column, value, `matches the same existing record as row ${first}`);
    return false;
  }

  private canEdit(account: { ownerId: string; isMember: boolean }) {
    return canAccessAccount(this.user, account, "edit");
  }

  report(): ImportReport {
    return {
      creates: this.creates,
      updates: this.updates,
      unchanged: this.unchanged,
      errors: [...this.errors].sort((a, b) => a.row - b.row),
      errorCount: this.errorCount,
      sample: this.sample,
      ignoredColumns: this.ignoredColumns,
    };
  }

  private decide<S>(
    row: number,
    record: string,
    before: S | null,
    after: S,
    fields: readonly StateField<S>[],
  ): Action {
    const changes = diffStates(before, after, fields);
    const action: Action = !before ? "create" : changes.length > 0 ? "update" : "unchanged";
    if (action === "create") this.creates += 1;
    else if (action === "update") this.updates += 1;
    else this.unchanged += 1;
    if (action !== "unchanged" && this.sample.length < SAMPLE_SIZE) {
      this.sample.push({ row, action, record, changes });
    }
    return action;
  }

  /** Parses, looks up and decides one batch; rows with errors are reported and left out. */
  async planBatch(db: DbOrTx, header: Header, records: { row: number; cells: string[] }[]): Promise<Plan[]> {
    this.badRows = new Set();
    const parsed: { row: number; cells: Map<string, string> }[] = [];
    for (const record of records) {
      const lined = cellsByColumn(header, record.row, record.cells);
      if (lined.ok) parsed.push({ row: record.row, cells: lined.cells });
      else this.error(lined.error);
    }
    const rows = [];
    for (const { row, cells } of parsed) {
      const result = parseRow(this.kind, row, cells);
      if (result.ok) rows.push(result.value);
      else for (const error of result.errors) this.error(error);
    }
    switch (this.kind) {
      case "accounts":
        return this.planAccounts(db, rows as AccountRow[]);
      case "contacts":
        return this.planContacts(db, rows as ContactRow[]);
      case "opportunities":
        return this.planOpportunities(db, rows as OpportunityRow[]);
      case "interactions":
        return this.planInteractions(db, rows as InteractionRow[]);
    }
  }

  private async planAccounts(db: DbOrTx, rows: AccountRow[]): Promise<Plan[]> {
    for (const r of rows) {
      if (r.externalId)
        this.duplicate(`ext:${r.externalId}`, r.row, "external_id", r.externalId, "external_id");
      else this.duplicate(`name:${lower(r.name)}`, r.row, "name", r.name, "account name");
    }
    const owners = await usersByEmail(
      db,
      rows.map((r) => r.ownerEmail),
    );
    const existing = await findAccounts(
      db,
      this.user.id,
      rows.map((r) => ({ externalId: r.externalId, name: r.name })),
      true,
    );
    const plans: Plan[] = [];
    for (const r of rows) {
      const owner = owners.get(lower(r.ownerEmail));
      if (!owner) this.fail(r.row, "owner_email", r.ownerEmail, "unknown owner: no user has this email");
      else if (owner.deactivated) {
        this.fail(r.row, "owner_email", r.ownerEmail, "owner is deactivated: choose an active user");
      }
      const match = matchByKey(
        r.externalId,
        existing.byExternalId,
        existing.byName.get(lower(r.name)) ?? [],
        (a) => a.externalId === null,
      );
      if (match.ambiguous) {
        this.fail(
          r.row,
          "name",
          r.name,
          `${match.ambiguous} existing accounts have this name: give them external ids to tell them apart`,
        );
      }
      const before = match.found;
      if (before && !this.canEdit(before)) this.fail(r.row, "name", r.name, ACCOUNT_NOT_YOURS);
      if (!before && owner && this.user.role === "manager" && owner.id !== this.user.id) {
        this.fail(
          r.row,
          "owner_email",
          r.ownerEmail,
          "account not yours: as a manager you can only create accounts you own",
        );
      }
      if (before && !this.badRows.has(r.row)) this.claim(before.id, r.row, "name", r.name);
      if (this.badRows.has(r.row) || !owner) continue;
      const state = nextAccountState(r, before ?? null, owner);
      const action = this.decide(r.row, r.name, before ?? null, state, ACCOUNT_FIELDS);
      plans.push({ kind: "accounts", action, id: before?.id ?? randomUUID(), state });
    }
    return plans;
  }

  /** The account each row points at, if it exists and the importer may edit it. */
  private async resolveAccounts(db: DbOrTx, rows: { row: number; account: AccountReference }[]) {
    const found = await findAccounts(
      db,
      this.user.id,
      rows.map((r) => r.account),
      false,
    );
    const resolved = new Map<number, AccountInfo>();
    for (const r of rows) {
      const column = r.account.externalId ? "account_external_id" : "account_name";
      const value = r.account.externalId ?? r.account.name ?? "";
      const account = r.account.externalId ? found.byExternalId.get(r.account.externalId) : undefined;
      // an unknown external id falls back to the name, but never onto an account that has another one
      const byName = (r.account.name ? (found.byName.get(lower(r.account.name)) ?? []) : []).filter(
        (a) => !r.account.externalId || a.externalId === null,
      );
      if (!account && byName.length > 1) {
        this.fail(
          r.row,
          "account_name",
          r.account.name ?? "",
          `${byName.length} accounts have this name: use account_external_id`,
        );
        continue;
      }
      const chosen = account ?? byName[0];
      if (!chosen) {
        this.fail(
          r.row,
          column,
          value,
          r.account.externalId
            ? "unknown account: no account has this external id"
            : "unknown account: no account has this name",
        );
      } else if (!this.canEdit(chosen)) {
        this.fail(r.row, column, value, ACCOUNT_NOT_YOURS);
      } else {
        resolved.set(r.row, chosen);
      }
    }
    return resolved;
  }

  private async planContacts(db: DbOrTx, rows: ContactRow[]): Promise<Plan[]> {
    for (const r of rows) {
      if (r.externalId)
        this.duplicate(`ext:${r.externalId}`, r.row, "external_id", r.externalId, "external_id");
      if (r.email) this.duplicate(`email:${lower(r.email)}`, r.row, "email", r.email, "email");
    }
    const resolved = await this.resolveAccounts(db, rows);
    for (const r of rows) {
      const account = resolved.get(r.row);
      if (account && !r.email && !r.externalId) {
        this.duplicate(
          `name:${account.id}:${lower(r.name)}`,
          r.row,
          "name",
          r.name,
          "contact name at this account",
        );
      }
    }
    const live = rows.filter((r) => resolved.has(r.row) && !this.badRows.has(r.row));
    const existing = await findContacts(db, this.user.id, live, resolved);
    const plans: Plan[] = [];
    for (const r of live) {
      const account = resolved.get(r.row)!;
      const before = matchContact(r, account.id, existing);
      if (before === "ambiguous") {
        this.fail(
          r.row,
          r.email ? "email" : "name",
          r.email ?? r.name,
          "several existing contacts at this account match: give them external ids to tell them apart",
        );
        continue;
      }
      if (before && before.accountId !== account.id && !this.canEdit(before.account)) {
        this.fail(r.row, "external_id", r.externalId ?? "", ACCOUNT_NOT_YOURS);
        continue;
      }
      if (before && !this.claim(before.id, r.row, r.email ? "email" : "name", r.email ?? r.name)) continue;
      const state = nextContactState(r, before ?? null, account, new Date());
      const action = this.decide(r.row, `${r.name} (${account.name})`, before ?? null, state, CONTACT_FIELDS);
      plans.push({ kind: "contacts", action, id: before?.id ?? randomUUID(), state });
    }
    return plans;
  }

  private async planOpportunities(db: DbOrTx, rows: OpportunityRow[]): Promise<Plan[]> {
    for (const r of rows) {
      if (r.externalId)
        this.duplicate(`ext:${r.externalId}`, r.row, "external_id", r.externalId, "external_id");
    }
    const resolved = await this.resolveAccounts(db, rows);
    for (const r of rows) {
      const account = resolved.get(r.row);
      if (account && !r.externalId) {
        this.duplicate(
          `name:${account.id}:${lower(r.name)}`,
          r.row,
          "name",
          r.name,
          "opportunity name at this account",
        );
      }
    }
    const sellers = await usersByEmail(
      db,
      rows.flatMap((r) => (r.sellerEmail ? [r.sellerEmail] : [])),
    );
    const live = rows.filter((r) => resolved.has(r.row) && !this.badRows.has(r.row));
    const existing = await findOpportunities(db, this.user.id, live, resolved);
    const plans: Plan[] = [];
    for (const r of live) {
      const account = resolved.get(r.row)!;
      const seller = r.sellerEmail ? sellers.get(lower(r.sellerEmail)) : undefined;
      if (r.sellerEmail && !seller) {
        this.fail(r.row, "seller_email", r.sellerEmail, "unknown seller: no user has this email");
        continue;
      }
      const match = matchByKey(
        r.externalId,
        existing.byExternalId,
        existing.byAccountName.get(`${account.id}:${lower(r.name)}`) ?? [],
        (o) => o.externalId === null,
      );
      if (match.ambiguous) {
        this.fail(
          r.row,
          "name",
          r.name,
          `${match.ambiguous} existing opportunities at this account have this name: give them external ids`,
        );
        continue;
      }
      const before = match.found;
      if (before && before.accountId !== account.id && !this.canEdit(before.account)) {
        this.fail(r.row, "external_id", r.externalId ?? "", ACCOUNT_NOT_YOURS);
        continue;
      }
      if (before && !this.claim(before.id, r.row, "name", r.name)) continue;
      const state = nextOpportunityState(r, before ?? null, account, seller ?? null, new Date());
      const action = this.decide(
        r.row,
        `${r.name} (${account.name})`,
        before ?? null,
        state,
        OPPORTUNITY_FIELDS,
      );
      plans.push({ kind: "opportunities", action, id: before?.id ?? randomUUID(), state });
    }
    return plans;
  }

  private async planInteractions(db: DbOrTx, rows: InteractionRow[]): Promise<Plan[]> {
    for (const r of rows) {
      if (r.externalId)
        this.duplicate(`ext:${r.externalId}`, r.row, "external_id", r.externalId, "external_id");
    }
    const resolved = await this.resolveAccounts(db, rows);
    const authors = await usersByEmail(
      db,
      rows.flatMap((r) => (r.authorEmail ? [r.authorEmail] : [])),
    );
    const live = rows.filter((r) => resolved.has(r.row) && !this.badRows.has(r.row));
    const existing = await findInteractions(db, this.user.id, live, resolved);
    const plans: Plan[] = [];
    for (const r of live) {
      const account = resolved.get(r.row)!;
      const author = r.authorEmail ? authors.get(lower(r.authorEmail)) : undefined;
      if (r.authorEmail && !author) {
        this.fail(r.row, "author_email", r.authorEmail, "unknown author: no user has this email");
      }
      const participants: { id: string; email: string }[] = [];
      for (const email of r.contactEmails ?? []) {
        const contact = existing.contactsByEmail.get(`${account.id}:${lower(email)}`);
        if (contact) participants.push(contact);
        else {
          this.fail(
            r.row,
            "contact_emails",
            email,
            `unknown contact: no contact at ${account.name} has the email ${email}`,
          );
        }
      }
      const before = r.externalId ? existing.byExternalId.get(r.externalId) : undefined;
      if (before && before.accountId !== account.id && !this.canEdit(before.account)) {
        this.fail(r.row, "external_id", r.externalId ?? "", ACCOUNT_NOT_YOURS);
      }
      if (this.badRows.has(r.row)) continue;
      const state = nextInteractionState(r, before ?? null, account, author ?? null, participants);
      const participantsChanged = !before || before.contactIds.join(";") !== state.contactIds.join(";");
      const record = `${r.kind} on ${r.occurredAt.toISOString().slice(0, 10)} (${account.name})`;
      const action = this.decide(r.row, record, before ?? null, state, INTERACTION_FIELDS);
      plans.push({
        kind: "interactions",
        action,
        id: before?.id ?? randomUUID(),
        state,
        participantsChanged,
      });
    }
    return plans;
  }
}

const ACCOUNT_NOT_YOURS =
  "account not yours: you can import only into accounts you own or are on the team of";

/**
 * Upsert matching: by external id when the row has one and it is known; else by the natural
 * key, among existing records that have no external id of their own when the row brings one
 * (a record with another external id is another record).
 */
function matchByKey<T extends { externalId: string | null }>(
  externalId: string | undefined,
  byExternalId: Map<string, T>,
  byNaturalKey: T[],
  linkable: (candidate: T) => boolean,
): { found?: T; ambiguous?: number } {
  if (externalId) {
    const found = byExternalId.get(externalId);
    if (found) return { found };
  }
  const candidates = externalId ? byNaturalKey.filter(linkable) : byNaturalKey;
  if (candidates.length > 1) return { ambiguous: candidates.length };
  return { found: candidates[0] };
}

// ─── Bulk look-ups (one query per batch, never per row) ───────────────────────

async function usersByEmail(db: DbOrTx, emails: string[]) {
  const wanted = [...new Set(emails.map(lower))];
  const found = new Map<string, { id: string; email: string; deactivated: boolean }>();
  if (wanted.length === 0) return found;
  const rows = await db
    .select({ id: users.id, email: users.email, deactivatedAt: users.deactivatedAt })
    .from(users)
    .where(inArray(sql`lower(${users.email})`, wanted));
  for (const row of rows) found.set(lower(row.email), { ...row, deactivated: row.deactivatedAt !== null });
  return found;
}

function isMemberSql(userId: string) {
  return sql<boolean>`exists (select 1 from ${accountMembers} where ${accountMembers.accountId} = ${accounts.id} and ${accountMembers.userId} = ${userId})`;
}

/** Accounts by external id and by lower-cased name; `full` adds the columns an account import compares. */
async function findAccounts(db: DbOrTx, userId: string, refs: AccountReference[], full: boolean) {
  const externalIds = [...new Set(refs.flatMap((r) => (r.externalId ? [r.externalId] : [])))];
  const names = [...new Set(refs.flatMap((r) => (r.name ? [lower(r.name)] : [])))];
  type Found = AccountInfo & Omit<AccountState, "externalId" | "name" | "ownerId">;
  const byExternalId = new Map<string, Found>();
  const byName = new Map<string, Found[]>();
  if (externalIds.length === 0 && names.length === 0) return { byExternalId, byName };
  const rows = await db
    .select({
      id: accounts.id,
      externalId: accounts.externalId,
      name: accounts.name,
      ownerId: accounts.ownerId,
      isMember: isMemberSql(userId),
      segment: accounts.segment,
      region: accounts.region,
      tier: accounts.tier,
      lifecycleStage: accounts.lifecycleStage,
      annualValueCents: accounts.annualValueCents,
      ownerEmail: full ? users.email : sql<string>`''`,
      targetCadenceDays: accounts.targetCadenceDays,
    })
    .from(accounts)
    .innerJoin(users, eq(users.id, accounts.ownerId))
    .where(
      or(
        externalIds.length > 0 ? inArray(accounts.externalId, externalIds) : undefined,
        names.length > 0 ? inArray(sql`lower(${accounts.name})`, names) : undefined,
      ),
    );
  for (const row of rows) {
    if (row.externalId) byExternalId.set(row.externalId, row);
    const key = lower(row.name);
    byName.set(key, [...(byName.get(key) ?? []), row]);
  }
  return { byExternalId, byName };
}

type ExistingContact = ContactState & { id: string; account: { ownerId: string; isMember: boolean } };

async function findContacts(
  db: DbOrTx,
  userId: string,
  rows: ContactRow[],
  resolved: Map<number, AccountInfo>,
) {
  const externalIds = rows.flatMap((r) => (r.externalId ? [r.externalId] : []));
  const emails = [...new Set(rows.flatMap((r) => (r.email ? [lower(r.email)] : [])))];
  const unaddressed = rows.filter((r) => !r.email);
  const accountIds = [...new Set(unaddressed.map((r) => resolved.get(r.row)!.id))];
  const names = [...new Set(unaddressed.map((r) => lower(r.name)))];
  const byExternalId = new Map<string, ExistingContact>();
  const byEmail = new Map<string, ExistingContact[]>();
  const byName = new Map<string, ExistingContact[]>();
  if (rows.length === 0) return { byExternalId, byEmail, byName };
  const found = await db
    .select({
      id: contacts.id,
      externalId: contacts.externalId,
      accountId: contacts.accountId,
      accountName: accounts.name,
      name: contacts.name,
      email: contacts.email,
      title: contacts.title,
      buyingRole: contacts.buyingRole,
      language: contacts.language,
      optedOutAt: contacts.optedOutAt,
      ownerId: accounts.ownerId,
      isMember: isMemberSql(userId),
    })
    .from(contacts)
    .innerJoin(accounts, eq(accounts.id, contacts.accountId))
    // three branches, each on an index (the name one narrowed by account), so a big account's
    // contacts are not scanned once per batch
    .where(
      or(
        externalIds.length > 0 ? inArray(contacts.externalId, externalIds) : undefined,
        emails.length > 0 ? inArray(sql`lower(${contacts.email})`, emails) : undefined,
        names.length > 0
          ? and(inArray(contacts.accountId, accountIds), inArray(sql`lower(${contacts.name})`, names))
          : undefined,
      ),
    );
  const push = (map: Map<string, ExistingContact[]>, key: string, contact: ExistingContact) =>
    map.set(key, [...(map.get(key) ?? []), contact]);
  for (const { ownerId, isMember, ...row } of found) {
    const contact: ExistingContact = { ...row, account: { ownerId, isMember } };
    if (row.externalId) byExternalId.set(row.externalId, contact);
    if (row.email) push(byEmail, `${row.accountId}:${lower(row.email)}`, contact);
    push(byName, `${row.accountId}:${lower(row.name)}`, contact);
  }
  return { byExternalId, byEmail, byName };
}

/**
 * A contact row's existing record: by external id; else by email within the account; a row
 * without an email by name within the account. (A row with an email never matches by name: a
 * namesake is another person, and looking names up would scan the account's contacts.)
 */
function matchContact(
  r: ContactRow,
  accountId: string,
  existing: Awaited<ReturnType<typeof findContacts>>,
): ExistingContact | "ambiguous" | undefined {
  const linkable = (c: ExistingContact) => !r.externalId || c.externalId === null;
  if (r.externalId) {
    const found = existing.byExternalId.get(r.externalId);
    if (found) return found;
  }
  const candidates = (
    r.email
      ? existing.byEmail.get(`${accountId}:${lower(r.email)}`)
      : existing.byName.get(`${accountId}:${lower(r.name)}`)
  )?.filter(linkable);
  if (candidates && candidates.length > 1) return "ambiguous";
  return candidates?.[0];
}

type ExistingOpportunity = OpportunityState & {
  id: string;
  account: { ownerId: string; isMember: boolean };
};

async function findOpportunities(
  db: DbOrTx,
  userId: string,
  rows: OpportunityRow[],
  resolved: Map<number, AccountInfo>,
) {
  const externalIds = rows.flatMap((r) => (r.externalId ? [r.externalId] : []));
  const accountIds = [...new Set(rows.map((r) => resolved.get(r.row)!.id))];
  const names = [...new Set(rows.map((r) => lower(r.name)))];
  const byExternalId = new Map<string, ExistingOpportunity>();
  const byAccountName = new Map<string, ExistingOpportunity[]>();
  if (rows.length === 0) return { byExternalId, byAccountName };
  const found = await db
    .select({
      id: opportunities.id,
      externalId: opportunities.externalId,
      accountId: opportunities.accountId,
      accountName: accounts.name,
      name: opportunities.name,
      amountCents: opportunities.amountCents,
      closeDate: opportunities.closeDate,
      outcome: opportunities.outcome,
      competitor: opportunities.competitor,
      sellerId: opportunities.sellerId,
      sellerEmail: users.email,
      closedAt: opportunities.closedAt,
      ownerId: accounts.ownerId,
      isMember: isMemberSql(userId),
    })
    .from(opportunities)
    .innerJoin(accounts, eq(accounts.id, opportunities.accountId))
    .leftJoin(users, eq(users.id, opportunities.sellerId))
    .where(
      or(
        externalIds.length > 0 ? inArray(opportunities.externalId, externalIds) : undefined,
        and(inArray(opportunities.accountId, accountIds), inArray(sql`lower(${opportunities.name})`, names)),
      ),
    );
  for (const { ownerId, isMember, ...row } of found) {
    const opportunity: ExistingOpportunity = { ...row, account: { ownerId, isMember } };
    if (row.externalId) byExternalId.set(row.externalId, opportunity);
    const key = `${row.accountId}:${lower(row.name)}`;
    byAccountName.set(key, [...(byAccountName.get(key) ?? []), opportunity]);
  }
  return { byExternalId, byAccountName };
}

type ExistingInteraction = InteractionState & {
  id: string;
  account: { ownerId: string; isMember: boolean };
};

async function findInteractions(
  db: DbOrTx,
  userId: string,
  rows: InteractionRow[],
  resolved: Map<number, AccountInfo>,
) {
  const externalIds = rows.flatMap((r) => (r.externalId ? [r.externalId] : []));
  const byExternalId = new Map<string, ExistingInteraction>();
  const contactsByEmail = new Map<string, { id: string; email: string }>();
  if (externalIds.length > 0) {
    const found = await db
      .select({
        id: interactions.id,
        externalId: interactions.externalId,
        accountId: interactions.accountId,
        accountName: accounts.name,
        kind: interactions.kind,
        occurredAt: interactions.occurredAt,
        summary: interactions.summary,
        engagementQuality: interactions.engagementQuality,
        equityEffect: interactions.equityEffect,
        equityWeight: interactions.equityWeight,
        commitmentStatus: interactions.commitmentStatus,
        authorId: interactions.authorId,
        authorEmail: users.email,
        ownerId: accounts.ownerId,
        isMember: isMemberSql(userId),
      })
      .from(interactions)
      .innerJoin(accounts, eq(accounts.id, interactions.accountId))
      .leftJoin(users, eq(users.id, interactions.authorId))
      .where(inArray(interactions.externalId, externalIds));
    const participants = found.length
      ? await db
          .select({
            interactionId: interactionContacts.interactionId,
            contactId: interactionContacts.contactId,
            email: contacts.email,
          })
          .from(interactionContacts)
          .innerJoin(contacts, eq(contacts.id, interactionContacts.contactId))
          .where(
            inArray(
              interactionContacts.interactionId,
              found.map((f) => f.id),
            ),
          )
      : [];
    for (const { ownerId, isMember, ...row } of found) {
      const mine = participants.filter((p) => p.interactionId === row.id);
      byExternalId.set(row.externalId!, {
        ...row,
        account: { ownerId, isMember },
        contactIds: mine.map((p) => p.contactId).sort(),
        contactEmails: sortEmails(mine.map((p) => p.email ?? "")),
      });
    }
  }
  const emails = [...new Set(rows.flatMap((r) => (r.contactEmails ?? []).map(lower)))];
  if (emails.length > 0) {
    const accountIds = [...new Set(rows.map((r) => resolved.get(r.row)!.id))];
    const found = await db
      .select({ id: contacts.id, accountId: contacts.accountId, email: contacts.email })
      .from(contacts)
      .where(and(inArray(contacts.accountId, accountIds), inArray(sql`lower(${contacts.email})`, emails)));
    // two contacts of one account sharing an address: the same one every time
    for (const c of found) {
      const key = `${c.accountId}:${lower(c.email!)}`;
      const seen = contactsByEmail.get(key);
      if (!seen || c.id < seen.id) contactsByEmail.set(key, { id: c.id, email: c.email! });
    }
  }
  return { byExternalId, contactsByEmail };
}

// ─── Writing a batch ──────────────────────────────────────────────────────────

/** `value::type` for a VALUES list, whose columns otherwise have no type to assign from. */
function typed(value: unknown, type: string): SQL {
  return sql`${value}::${sql.raw(type)}`;
}

/**
 * One UPDATE … FROM (VALUES …) for many rows: 1,000 single-row updates would be 1,000 round
 * trips inside the transaction.
 */
async function bulkUpdate(
  tx: Transaction,
  table: string,
  columns: readonly { name: string; type: string }[],
  rows: { id: string; values: unknown[] }[],
) {
  if (rows.length === 0) return;
  const values = sql.join(
    rows.map(
      (row) =>
        sql`(${sql.join(
          [typed(row.id, "uuid"), ...row.values.map((value, i) => typed(value, columns[i]!.type))],
          sql`, `,
        )})`,
    ),
    sql`, `,
  );
  const names = columns.map((c) => c.name);
  await tx.execute(sql`
    update ${sql.identifier(table)} as t
    set ${sql.raw(names.map((n) => `"${n}" = v."${n}"`).join(", "))}, "updated_at" = now()
    from (values ${values}) as v("id", ${sql.raw(names.map((n) => `"${n}"`).join(", "))})
    where t."id" = v."id"`);
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

async function writePlans(tx: Transaction, kind: CsvKind, plans: Plan[]) {
  switch (kind) {
    case "accounts":
      return writeAccounts(tx, plans as Extract<Plan, { kind: "accounts" }>[]);
    case "contacts":
      return writeContacts(tx, plans as Extract<Plan, { kind: "contacts" }>[]);
    case "opportunities":
      return writeOpportunities(tx, plans as Extract<Plan, { kind: "opportunities" }>[]);
    case "interactions":
      return writeInteractions(tx, plans as Extract<Plan, { kind: "interactions" }>[]);
  }
}

async function writeAccounts(tx: Transaction, plans: Extract<Plan, { kind: "accounts" }>[]) {
  const creates = plans.filter((p) => p.action === "create");
  if (creates.length > 0) {
    await tx
      .insert(accounts)
      .values(creates.map(({ id, state: { ownerEmail: _ownerEmail, ...values } }) => ({ id, ...values })));
  }
  await bulkUpdate(
    tx,
    "accounts",
    [
      { name: "external_id", type: "text" },
      { name: "name", type: "text" },
      { name: "segment", type: "segment" },
      { name: "region", type: "text" },
      { name: "tier", type: "tier" },
      { name: "lifecycle_stage", type: "lifecycle_stage" },
      { name: "annual_value_cents", type: "bigint" },
      { name: "owner_id", type: "uuid" },
      { name: "target_cadence_days", type: "smallint" },
    ],
    plans
      .filter((p) => p.action === "update")
      .map(({ id, state: s }) => ({
        id,
        values: [
          s.externalId,
          s.name,
          s.segment,
          s.region,
          s.tier,
          s.lifecycleStage,
          s.annualValueCents,
          s.ownerId,
          s.targetCadenceDays,
        ],
      })),
  );
}

async function writeContacts(tx: Transaction, plans: Extract<Plan, { kind: "contacts" }>[]) {
  const creates = plans.filter((p) => p.action === "create");
  if (creates.length > 0) {
    await tx
      .insert(contacts)
      .values(creates.map(({ id, state: { accountName: _accountName, ...values } }) => ({ id, ...values })));
  }
  await bulkUpdate(
    tx,
    "contacts",
    [
      { name: "external_id", type: "text" },
      { name: "account_id", type: "uuid" },
      { name: "name", type: "text" },
      { name: "email", type: "text" },
      { name: "title", type: "text" },
      { name: "buying_role", type: "buying_role" },
      { name: "language", type: "text" },
      { name: "opted_out_at", type: "timestamptz" },
    ],
    plans
      .filter((p) => p.action === "update")
      .map(({ id, state: s }) => ({
        id,
        values: [
          s.externalId,
          s.accountId,
          s.name,
          s.email,
          s.title,
          s.buyingRole,
          s.language,
          iso(s.optedOutAt),
        ],
      })),
  );
}

async function writeOpportunities(tx: Transaction, plans: Extract<Plan, { kind: "opportunities" }>[]) {
  const creates = plans.filter((p) => p.action === "create");
  if (creates.length > 0) {
    await tx
      .insert(opportunities)
      .values(
        creates.map(({ id, state: { accountName: _a, sellerEmail: _s, ...values } }) => ({ id, ...values })),
      );
  }
  await bulkUpdate(
    tx,
    "opportunities",
    [
      { name: "external_id", type: "text" },
      { name: "account_id", type: "uuid" },
      { name: "name", type: "text" },
      { name: "amount_cents", type: "bigint" },
      { name: "close_date", type: "date" },
      { name: "outcome", type: "opportunity_outcome" },
      { name: "competitor", type: "text" },
      { name: "seller_id", type: "uuid" },
      { name: "closed_at", type: "timestamptz" },
    ],
    plans
      .filter((p) => p.action === "update")
      .map(({ id, state: s }) => ({
        id,
        values: [
          s.externalId,
          s.accountId,
          s.name,
          s.amountCents,
          s.closeDate,
          s.outcome,
          s.competitor,
          s.sellerId,
          iso(s.closedAt),
        ],
      })),
  );
}

async function writeInteractions(tx: Transaction, plans: Extract<Plan, { kind: "interactions" }>[]) {
  const creates = plans.filter((p) => p.action === "create");
  if (creates.length > 0) {
    await tx.insert(interactions).values(
      creates.map(({ id, state: s }) => ({
        id,
        accountId: s.accountId,
        authorId: s.authorId,
        externalId: s.externalId,
        kind: s.kind,
        occurredAt: s.occurredAt,
        summary: s.summary,
        engagementQuality: s.engagementQuality,
        equityEffect: s.equityEffect,
        equityWeight: s.equityWeight,
        commitmentStatus: s.commitmentStatus,
      })),
    );
    // the author took part, as when an interaction is logged by hand
    const authored = creates.flatMap((p) =>
      p.state.authorId ? [{ interactionId: p.id, userId: p.state.authorId }] : [],
    );
    if (authored.length > 0) await tx.insert(interactionUsers).values(authored);
  }
  const updates = plans.filter((p) => p.action === "update");
  await bulkUpdate(
    tx,
    "interactions",
    [
      { name: "external_id", type: "text" },
      { name: "account_id", type: "uuid" },
      { name: "kind", type: "interaction_kind" },
      { name: "occurred_at", type: "timestamptz" },
      { name: "summary", type: "text" },
      { name: "engagement_quality", type: "smallint" },
      { name: "equity_effect", type: "equity_effect" },
      { name: "equity_weight", type: "smallint" },
      { name: "commitment_status", type: "commitment_status" },
      { name: "author_id", type: "uuid" },
    ],
    updates.map(({ id, state: s }) => ({
      id,
      values: [
        s.externalId,
        s.accountId,
        s.kind,
        iso(s.occurredAt),
        s.summary,
        s.engagementQuality,
        s.equityEffect,
        s.equityWeight,
        s.commitmentStatus,
        s.authorId,
      ],
    })),
  );
  const replaced = plans.filter((p) => p.action !== "unchanged" && p.participantsChanged);
  const replacedUpdates = replaced.filter((p) => p.action === "update").map((p) => p.id);
  if (replacedUpdates.length > 0) {
    await tx.delete(interactionContacts).where(inArray(interactionContacts.interactionId, replacedUpdates));
  }
  const links = replaced.flatMap((p) =>
    p.state.contactIds.map((contactId) => ({ interactionId: p.id, contactId })),
  );
  if (links.length > 0) await tx.insert(interactionContacts).values(links);
}
