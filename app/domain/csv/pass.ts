/**
 * What a pass over an import's file (the check, or the apply's re-check) has found so far, and
 * the report made of it. Pure: plan.server.ts looks rows up and tells the pass what each does.
 */
import type { UserRole } from "../../../db/schema";
import { canAccessAccount } from "../access";
import { diffStates, type CsvKind, type FieldChange, type RowError, type StateField } from "./columns";

/** Errors stored in the report; the total is always counted. */
export const MAX_REPORTED_ERRORS = 1000;
/** Changes shown in the preview. */
export const SAMPLE_SIZE = 50;

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

export type Action = "create" | "update" | "unchanged";

export function emptyReport(): ImportReport {
  return { creates: 0, updates: 0, unchanged: 0, errors: [], errorCount: 0, sample: [], ignoredColumns: [] };
}

/**
 * The report without what it says about `rows` (their errors and sample changes): for rows
 * taken out of the stored file. The counts of creates and updates stay: they name nobody.
 */
export function reportWithoutRows(report: ImportReport, rows: ReadonlySet<number>): ImportReport {
  const errors = report.errors.filter((e) => !rows.has(e.row));
  return {
    ...report,
    errors,
    errorCount: report.errorCount - (report.errors.length - errors.length),
    sample: report.sample.filter((s) => !rows.has(s.row)),
  };
}

/**
 * One pass over a file: counts, errors and sample so far, and the keys seen, to spot a value
 * that two rows of the file share.
 */
export class ImportPass {
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

  startBatch() {
    this.badRows = new Set();
  }

  /** Whether a row of the current batch has had an error. */
  hasError(row: number) {
    return this.badRows.has(row);
  }

  fail(row: number, column: string, value: string, reason: string) {
    this.error({ row, column, value: value.slice(0, 200), reason });
  }

  /** True (and both rows reported) when another row of the file already had `key`. */
  duplicate(key: string, row: number, column: string, value: string, what: string): boolean {
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
  claim(id: string, row: number, column: string, value: string): boolean {
    const first = this.claimed.get(id);
    if (first === undefined) {
      this.claimed.set(id, row);
      return true;
    }
    this.fail(row, column, value, `matches the same existing record as row ${first}`);
    return false;
  }

  canEdit(account: { ownerId: string; isMember: boolean }) {
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

  decide<S>(
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
}
