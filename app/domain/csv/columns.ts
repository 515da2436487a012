/**
 * CSV import and export: the columns of each kind of file, and turning one row of text into
 * checked values. Pure functions, no I/O — the database half (who the owner is, which
 * account a row points at, what already exists) lives in lookups.server.ts and plan.server.ts.
 *
 * Rules every kind shares:
 * - A header cell is matched after normalising ("Owner Email" → owner_email); unknown columns
 *   are ignored and listed in the report, so a CRM export with extra columns still imports.
 * - A column the file does not have leaves that field alone on existing rows.
 * - An empty cell clears a field that may be empty (title, email, close date …) and keeps a
 *   field that may not (segment, buying role, annual value …); new rows get the default.
 * - Rows are numbered as a spreadsheet shows them: the header is row 1.
 */
import type {
  buyingRole,
  equityEffect,
  lifecycleStage,
  opportunityOutcome,
  segment,
  tier,
} from "../../../db/schema";
import { defaultEquity, LOGGABLE_KINDS, type InteractionKind } from "../ledger";

export const CSV_KINDS = ["accounts", "contacts", "opportunities", "interactions"] as const;
export type CsvKind = (typeof CSV_KINDS)[number];

export function isCsvKind(value: unknown): value is CsvKind {
  return typeof value === "string" && (CSV_KINDS as readonly string[]).includes(value);
}

/** The columns of each kind, in the order export writes them. */
export const CSV_COLUMNS = {
  accounts: [
    "external_id",
    "name",
    "segment",
    "region",
    "tier",
    "lifecycle_stage",
    "annual_value",
    "owner_email",
    "target_cadence_days",
  ],
  contacts: [
    "external_id",
    "account_external_id",
    "account_name",
    "name",
    "email",
    "title",
    "buying_role",
    "language",
    "opted_out",
  ],
  opportunities: [
    "external_id",
    "account_external_id",
    "account_name",
    "name",
    "amount",
    "close_date",
    "outcome",
    "competitor",
    "seller_email",
  ],
  interactions: [
    "external_id",
    "account_external_id",
    "account_name",
    "kind",
    "occurred_at",
    "summary",
    "engagement_quality",
    "equity_effect",
    "equity_weight",
    "author_email",
    "contact_emails",
  ],
} as const satisfies Record<CsvKind, readonly string[]>;

/** Columns a file must have (the account reference is checked on its own: either column will do). */
export const REQUIRED_COLUMNS: Record<CsvKind, readonly string[]> = {
  accounts: ["name", "segment", "region", "tier", "owner_email"],
  contacts: ["name"],
  opportunities: ["name"],
  interactions: ["kind", "occurred_at"],
};

/** Kinds whose rows belong to an account, named by its external id or its name. */
export function referencesAccount(kind: CsvKind): boolean {
  return kind !== "accounts";
}
export const ACCOUNT_REFERENCE = "account_external_id or account_name";

/** One problem with one cell. Row 0 is the file itself, row 1 the header. */
export interface RowError {
  row: number;
  column: string;
  value: string;
  reason: string;
}

// ─── Allowed values (kept in step with the enums in db/schema.ts by the `satisfies`) ─────────

type EnumValues<E extends { enumValues: readonly string[] }> = readonly E["enumValues"][number][];

export const SEGMENTS = ["enterprise", "mid_market", "smb"] as const satisfies EnumValues<typeof segment>;
export const TIERS = ["strategic", "key", "core"] as const satisfies EnumValues<typeof tier>;
export const LIFECYCLE_STAGES = [
  "onboarding",
  "adopting",
  "expanding",
  "renewing",
  "at_risk",
  "churned",
] as const satisfies EnumValues<typeof lifecycleStage>;
export const BUYING_ROLES = [
  "decision_maker",
  "influencer",
  "user",
  "champion",
] as const satisfies EnumValues<typeof buyingRole>;
export const OUTCOMES = ["open", "won", "lost", "no_decision"] as const satisfies EnumValues<
  typeof opportunityOutcome
>;
export const EQUITY_EFFECTS = ["deposit", "neutral", "withdrawal"] as const satisfies EnumValues<
  typeof equityEffect
>;

export type Segment = (typeof SEGMENTS)[number];
export type Tier = (typeof TIERS)[number];
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];
export type BuyingRole = (typeof BUYING_ROLES)[number];
export type Outcome = (typeof OUTCOMES)[number];
export type EquityEffectValue = (typeof EQUITY_EFFECTS)[number];

// ─── The header ───────────────────────────────────────────────────────────────

/** "Owner Email" → owner_email, "\uFEFFExternal-ID" → external_id. */
export function normalizeHeader(raw: string): string {
  return raw
    .replace(/^\uFEFF/, "")
    .trim()
    .toLowerCase()
    .replace(/[\s\-.]+/g, "_")
    .replace(/^_+|_+$/g, "");
}

/**
 * Comma unless the header line uses semicolons or tabs instead (what Excel writes in locales
 * with a decimal comma). Only separators outside quotes count.
 */
export function detectDelimiter(firstLine: string): "," | ";" | "\t" {
  const counts = { ",": 0, ";": 0, "\t": 0 };
  let quoted = false;
  for (const char of firstLine) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === "," || char === ";" || char === "\t")) counts[char] += 1;
  }
  if (counts[";"] > counts[","] && counts[";"] >= counts["\t"]) return ";";
  if (counts["\t"] > counts[","]) return "\t";
  return ",";
}

export interface Header {
  /** The known column at each position, or null for a column that is ignored. */
  columns: (string | null)[];
  present: ReadonlySet<string>;
  /** Header cells that name no column of this kind, as written. */
  ignored: string[];
  errors: RowError[];
}

export function checkHeader(kind: CsvKind, cells: readonly string[]): Header {
  const known: readonly string[] = CSV_COLUMNS[kind];
  const present = new Set<string>();
  const ignored: string[] = [];
  const errors: RowError[] = [];
  const columns = cells.map((raw) => {
    const name = normalizeHeader(raw);
    if (!known.includes(name)) {
      if (raw.trim() !== "") ignored.push(raw.trim());
      return null;
    }
    if (present.has(name)) {
      errors.push({ row: 1, column: name, value: raw, reason: "column appears more than once" });
      return null;
    }
    present.add(name);
    return name;
  });
  for (const column of REQUIRED_COLUMNS[kind]) {
    if (!present.has(column)) errors.push({ row: 1, column, value: "", reason: "missing required column" });
  }
  if (referencesAccount(kind) && !present.has("account_external_id") && !present.has("account_name")) {
    errors.push({ row: 1, column: ACCOUNT_REFERENCE, value: "", reason: "missing required column" });
  }
  return { columns, present, ignored, errors };
}

/*
 * A cell starting with = + - or @ runs as a formula when a spreadsheet opens the file (CSV
 * injection). Export writes such cells with a leading apostrophe, which spreadsheets show as
 * text and hide; import takes it off again, so an exported file imports unchanged.
 */
const FORMULA_START = /^[=+\-@]/;

export function protectFromFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

export function unprotectFormula(value: string): string {
  return value.startsWith("'") && FORMULA_START.test(value.slice(1)) ? value.slice(1) : value;
}

/**
 * The cells of one data row by column name (trimmed), or the reason the row does not line
 * up with the header. Extra cells that are empty (a trailing comma) are tolerated.
 */
export function cellsByColumn(
  header: Header,
  row: number,
  cells: readonly string[],
): { ok: true; cells: Map<string, string> } | { ok: false; error: RowError } {
  const width = header.columns.length;
  const extra = cells.slice(width);
  if (cells.length < width || extra.some((cell) => cell.trim() !== "")) {
    return {
      ok: false,
      error: {
        row,
        column: "row",
        value: "",
        reason: `has ${cells.length} cells but the header has ${width}: check for a stray comma or quote`,
      },
    };
  }
  const byColumn = new Map<string, string>();
  header.columns.forEach((column, index) => {
    if (column) byColumn.set(column, unprotectFormula((cells[index] ?? "").trim()));
  });
  return { ok: true, cells: byColumn };
}

// ─── Values ───────────────────────────────────────────────────────────────────

const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
export function isEmail(value: string): boolean {
  return value.length <= 254 && EMAIL.test(value);
}

/** "Mid-market" → mid_market, "No decision" → no_decision, "QBR" → qbr. */
export function parseEnum<T extends string>(raw: string, allowed: readonly T[]): T | null {
  const normalized = raw
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_");
  return (allowed as readonly string[]).includes(normalized) ? (normalized as T) : null;
}

/** Currency units ("125000", "125000.5", "$125,000.50") → integer cents; null when not an amount. */
export function parseMoneyToCents(raw: string): number | null {
  let text = raw.replace(/\s/g, "").replace(/^[$€£]/, "");
  if (/^\d{1,3}(,\d{3})+(\.\d{1,2})?$/.test(text)) text = text.replace(/,/g, "");
  const match = /^(\d{1,13})(?:\.(\d{1,2}))?$/.exec(text);
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
}

/** Integer cents → currency units as import reads them: 12000000 → "120000", 150 → "1.50". */
export function formatCentsForCsv(cents: number): string {
  const whole = Math.floor(cents / 100);
  const fraction = cents % 100;
  return fraction === 0 ? String(whole) : `${whole}.${String(fraction).padStart(2, "0")}`;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** A calendar date written YYYY-MM-DD, or null. */
export function parseIsoDate(raw: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw.trim());
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1900 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return match[0];
}

const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

/**
 * An ISO 8601 date and time ("2025-03-14T09:30:00Z", "2025-03-14 09:30+01:00", "2025-03-14").
 * Without an offset the time is taken as UTC; a date alone is midnight UTC.
 */
export function parseIsoDateTime(raw: string): Date | null {
  const match = ISO_DATE_TIME.exec(raw.trim());
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const [hour, minute, second] = [Number(match[4] ?? 0), Number(match[5] ?? 0), Number(match[6] ?? 0)];
  const millis = Number((match[7] ?? "").slice(0, 3).padEnd(3, "0"));
  if (year < 1900 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  let offsetMinutes = 0;
  const offset = match[8];
  if (offset && offset.toUpperCase() !== "Z") {
    const digits = offset.slice(1).replace(":", "");
    const [offsetHours, offsetMins] = [Number(digits.slice(0, 2)), Number(digits.slice(2) || 0)];
    if (offsetHours > 14 || offsetMins > 59) return null;
    offsetMinutes = (offset.startsWith("-") ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000);
}

export function parseBoolean(raw: string): boolean | null {
  const value = raw.trim().toLowerCase();
  if (["true", "yes", "y", "1"].includes(value)) return true;
  if (["false", "no", "n", "0"].includes(value)) return false;
  return null;
}

/** "en", "de", "pt-BR": the first subtag lower-cased, the rest as written. */
export function parseLanguage(raw: string): string | null {
  if (!/^[a-z]{2,3}(-[a-z0-9]{2,8})*$/i.test(raw)) return null;
  const [first, ...rest] = raw.split("-");
  return [first!.toLowerCase(), ...rest].join("-");
}

// ─── Rows ─────────────────────────────────────────────────────────────────────

/** Which account a row belongs to: its external id is tried first, then its name. */
export interface AccountReference {
  externalId?: string;
  name?: string;
}

export interface AccountRow {
  row: number;
  externalId?: string;
  name: string;
  segment: Segment;
  region: string;
  tier: Tier;
  lifecycleStage?: LifecycleStage;
  annualValueCents?: number;
  ownerEmail: string;
  targetCadenceDays?: number;
}

export interface ContactRow {
  row: number;
  externalId?: string;
  account: AccountReference;
  name: string;
  /** undefined: the file has no such column (keep); null: the cell is empty (clear). */
  email?: string | null;
  title?: string | null;
  buyingRole?: BuyingRole;
  language?: string;
  optedOut?: boolean;
}

export interface OpportunityRow {
  row: number;
  externalId?: string;
  account: AccountReference;
  name: string;
  amountCents?: number;
  closeDate?: string | null;
  outcome?: Outcome;
  competitor?: string | null;
  sellerEmail?: string | null;
}

export interface InteractionRow {
  row: number;
  externalId?: string;
  account: AccountReference;
  kind: InteractionKind;
  occurredAt: Date;
  summary?: string;
  engagementQuality?: number | null;
  equityEffect?: EquityEffectValue;
  equityWeight?: number;
  authorEmail?: string | null;
  /** Customer participants by email; [] clears them. */
  contactEmails?: string[];
}

export interface ParsedRows {
  accounts: AccountRow;
  contacts: ContactRow;
  opportunities: OpportunityRow;
  interactions: InteractionRow;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; errors: RowError[] };

export const MAX_TEXT = 200;
export const MAX_SUMMARY = 5000;

/**
 * Reads one row's cells, collecting every problem in it rather than stopping at the first.
 * Each reader method returns undefined when the column is absent, and records an error (and
 * returns undefined) when the value is bad.
 */
class RowReader {
  readonly errors: RowError[] = [];
  constructor(
    readonly row: number,
    private readonly cells: ReadonlyMap<string, string>,
  ) {}

  private fail(column: string, reason: string) {
    this.errors.push({ row: this.row, column, value: (this.cells.get(column) ?? "").slice(0, 200), reason });
  }

  /** The trimmed cell, "" when empty, undefined when the file has no such column. */
  raw(column: string): string | undefined {
    return this.cells.get(column);
  }

  required(column: string, max = MAX_TEXT): string | undefined {
    const value = this.raw(column);
    if (!value) {
      this.fail(column, "required value is missing");
      return undefined;
    }
    return this.checkLength(column, value, max);
  }

  /** Empty → null (clear), absent → undefined (keep). */
  optionalText(column: string, max = MAX_TEXT): string | null | undefined {
    const value = this.raw(column);
    if (value === undefined) return undefined;
    if (value === "") return null;
    return this.checkLength(column, value, max);
  }

  /** Empty or absent → undefined: the field cannot be empty, so an empty cell keeps it. */
  keepIfEmpty<T>(column: string, parse: (value: string) => T | null, reason: string): T | undefined {
    const value = this.raw(column);
    if (!value) return undefined;
    const parsed = parse(value);
    if (parsed === null) this.fail(column, reason);
    return parsed ?? undefined;
  }

  requiredEnum<T extends string>(column: string, allowed: readonly T[]): T | undefined {
    const value = this.required(column);
    if (value === undefined) return undefined;
    const parsed = parseEnum(value, allowed);
    if (!parsed) this.fail(column, `must be one of: ${allowed.join(", ")}`);
    return parsed ?? undefined;
  }

  optionalEnum<T extends string>(column: string, allowed: readonly T[]): T | undefined {
    return this.keepIfEmpty(column, (v) => parseEnum(v, allowed), `must be one of: ${allowed.join(", ")}`);
  }

  integer(column: string, min: number, max: number): number | undefined {
    return this.keepIfEmpty(
      column,
      (v) => (/^\d+$/.test(v) && Number(v) >= min && Number(v) <= max ? Number(v) : null),
      `must be a whole number from ${min} to ${max}`,
    );
  }

  email(column: string, { required }: { required: boolean }): string | null | undefined {
    const value = required ? this.required(column) : this.optionalText(column);
    if (!value) return value;
    if (!isEmail(value)) {
      this.fail(column, "not a valid email address");
      return undefined;
    }
    return value;
  }

  accountReference(): AccountReference | undefined {
    const externalId = this.raw("account_external_id") || undefined;
    const name = this.raw("account_name") || undefined;
    if (!externalId && !name) {
      const column = this.cells.has("account_name") ? "account_name" : "account_external_id";
      this.fail(column, "required value is missing: give account_external_id or account_name");
      return undefined;
    }
    if (externalId) this.checkLength("account_external_id", externalId, MAX_TEXT);
    if (name) this.checkLength("account_name", name, MAX_TEXT);
    return { externalId, name };
  }

  externalId(): string | undefined {
    const value = this.raw("external_id");
    return value ? this.checkLength("external_id", value, MAX_TEXT) : undefined;
  }

  private checkLength(column: string, value: string, max: number): string | undefined {
    if (value.length <= max) return value;
    this.fail(column, `too long: at most ${max} characters`);
    return undefined;
  }

  result<T>(value: T): ParseResult<T> {
    return this.errors.length > 0 ? { ok: false, errors: this.errors } : { ok: true, value };
  }
}

export function parseAccountRow(row: number, cells: ReadonlyMap<string, string>): ParseResult<AccountRow> {
  const r = new RowReader(row, cells);
  const value = {
    row,
    externalId: r.externalId(),
    name: r.required("name"),
    segment: r.requiredEnum("segment", SEGMENTS),
    region: r.required("region", 100),
    tier: r.requiredEnum("tier", TIERS),
    lifecycleStage: r.optionalEnum("lifecycle_stage", LIFECYCLE_STAGES),
    annualValueCents: r.keepIfEmpty(
      "annual_value",
      parseMoneyToCents,
      "not an amount: use digits with an optional decimal point (e.g. 125000.50)",
    ),
    ownerEmail: r.email("owner_email", { required: true }),
    targetCadenceDays: r.integer("target_cadence_days", 1, 3650),
  };
  return r.result(value as AccountRow);
}

export function parseContactRow(row: number, cells: ReadonlyMap<string, string>): ParseResult<ContactRow> {
  const r = new RowReader(row, cells);
  const value = {
    row,
    externalId: r.externalId(),
    account: r.accountReference(),
    name: r.required("name"),
    email: r.email("email", { required: false }),
    title: r.optionalText("title"),
    buyingRole: r.optionalEnum("buying_role", BUYING_ROLES),
    language: r.keepIfEmpty("language", parseLanguage, "not a language code (e.g. en, de, pt-BR)"),
    optedOut: r.keepIfEmpty("opted_out", parseBoolean, "must be true or false"),
  };
  return r.result(value as ContactRow);
}

export function parseOpportunityRow(
  row: number,
  cells: ReadonlyMap<string, string>,
): ParseResult<OpportunityRow> {
  const r = new RowReader(row, cells);
  const closeDateText = r.raw("close_date");
  let closeDate: string | null | undefined = closeDateText === "" ? null : undefined;
  if (closeDateText) {
    closeDate = parseIsoDate(closeDateText);
    if (!closeDate) {
      r.errors.push({
        row,
        column: "close_date",
        value: closeDateText.slice(0, 200),
        reason: "unparseable date: use YYYY-MM-DD (e.g. 2025-03-14)",
      });
    }
  }
  const value = {
    row,
    externalId: r.externalId(),
    account: r.accountReference(),
    name: r.required("name"),
    amountCents: r.keepIfEmpty(
      "amount",
      parseMoneyToCents,
      "not an amount: use digits with an optional decimal point (e.g. 125000.50)",
    ),
    closeDate,
    outcome: r.optionalEnum("outcome", OUTCOMES),
    competitor: r.optionalText("competitor"),
    sellerEmail: r.email("seller_email", { required: false }),
  };
  return r.result(value as OpportunityRow);
}

export function parseInteractionRow(
  row: number,
  cells: ReadonlyMap<string, string>,
): ParseResult<InteractionRow> {
  const r = new RowReader(row, cells);
  const occurredAtText = r.required("occurred_at");
  let occurredAt: Date | null = null;
  if (occurredAtText) {
    occurredAt = parseIsoDateTime(occurredAtText);
    if (!occurredAt) {
      r.errors.push({
        row,
        column: "occurred_at",
        value: occurredAtText.slice(0, 200),
        reason: "unparseable date and time: use ISO 8601 (e.g. 2025-03-14T09:30:00Z)",
      });
    }
  }
  const summary = r.raw("summary");
  if (summary && summary.length > MAX_SUMMARY) {
    r.errors.push({
      row,
      column: "summary",
      value: summary.slice(0, 200),
      reason: `too long: at most ${MAX_SUMMARY} characters`,
    });
  }
  const emailsText = r.raw("contact_emails");
  let contactEmails: string[] | undefined;
  if (emailsText !== undefined) {
    contactEmails = [
      ...new Set(
        emailsText
          .split(/[;,]/)
          .map((e) => e.trim())
          .filter(Boolean),
      ),
    ];
    const bad = contactEmails.filter((email) => !isEmail(email));
    if (bad.length > 0) {
      r.errors.push({
        row,
        column: "contact_emails",
        value: emailsText.slice(0, 200),
        reason: `not a valid email address: ${bad.join("; ")} (separate addresses with semicolons)`,
      });
    }
  }
  const engagementText = r.raw("engagement_quality");
  const value = {
    row,
    externalId: r.externalId(),
    account: r.accountReference(),
    kind: r.requiredEnum("kind", LOGGABLE_KINDS),
    occurredAt,
    summary,
    // the only non-text field that may be empty: a one-way email has no engagement quality
    engagementQuality: engagementText === "" ? null : r.integer("engagement_quality", 1, 5),
    equityEffect: r.optionalEnum("equity_effect", EQUITY_EFFECTS),
    equityWeight: r.integer("equity_weight", 1, 3),
    authorEmail: r.email("author_email", { required: false }),
    contactEmails,
  };
  return r.result(value as InteractionRow);
}

export function parseRow<K extends CsvKind>(
  kind: K,
  row: number,
  cells: ReadonlyMap<string, string>,
): ParseResult<ParsedRows[K]> {
  const parsers: {
    [T in CsvKind]: (row: number, cells: ReadonlyMap<string, string>) => ParseResult<ParsedRows[T]>;
  } = {
    accounts: parseAccountRow,
    contacts: parseContactRow,
    opportunities: parseOpportunityRow,
    interactions: parseInteractionRow,
  };
  return parsers[kind](row, cells) as ParseResult<ParsedRows[K]>;
}

// ─── What a row would write ───────────────────────────────────────────────────

/*
 * Each kind's record as a row would leave it: the row's values merged over the existing
 * record (`before`, null for a new one) by the rules at the top of this file, with references
 * (owner, account, people) already resolved by the caller.
 */

export interface AccountState {
  externalId: string | null;
  name: string;
  segment: Segment;
  region: string;
  tier: Tier;
  lifecycleStage: LifecycleStage;
  annualValueCents: number;
  ownerId: string;
  ownerEmail: string;
  targetCadenceDays: number;
}

export interface ContactState {
  externalId: string | null;
  accountId: string;
  accountName: string;
  name: string;
  email: string | null;
  title: string | null;
  buyingRole: BuyingRole;
  language: string;
  optedOutAt: Date | null;
}

export interface OpportunityState {
  externalId: string | null;
  accountId: string;
  accountName: string;
  name: string;
  amountCents: number;
  closeDate: string | null;
  outcome: Outcome;
  competitor: string | null;
  sellerId: string | null;
  sellerEmail: string | null;
  closedAt: Date | null;
}

export interface InteractionState {
  externalId: string | null;
  accountId: string;
  accountName: string;
  kind: InteractionKind;
  occurredAt: Date;
  summary: string;
  engagementQuality: number | null;
  equityEffect: EquityEffectValue;
  equityWeight: number;
  commitmentStatus: "open" | "kept" | "broken" | null;
  authorId: string | null;
  authorEmail: string | null;
  /** Sorted by id, so two states with the same people compare equal. */
  contactIds: string[];
  /** Sorted by address, for showing. */
  contactEmails: string[];
}

interface Ref {
  id: string;
  name: string;
}
interface Person {
  id: string;
  email: string;
}

export function nextAccountState(r: AccountRow, before: AccountState | null, owner: Person): AccountState {
  return {
    externalId: r.externalId ?? before?.externalId ?? null,
    name: r.name,
    segment: r.segment,
    region: r.region,
    tier: r.tier,
    lifecycleStage: r.lifecycleStage ?? before?.lifecycleStage ?? "adopting",
    annualValueCents: r.annualValueCents ?? before?.annualValueCents ?? 0,
    ownerId: owner.id,
    ownerEmail: owner.email,
    targetCadenceDays: r.targetCadenceDays ?? before?.targetCadenceDays ?? 45,
  };
}

export function nextContactState(
  r: ContactRow,
  before: ContactState | null,
  account: Ref,
  now: Date,
): ContactState {
  return {
    externalId: r.externalId ?? before?.externalId ?? null,
    accountId: account.id,
    accountName: account.name,
    name: r.name,
    email: r.email === undefined ? (before?.email ?? null) : r.email,
    title: r.title === undefined ? (before?.title ?? null) : r.title,
    buyingRole: r.buyingRole ?? before?.buyingRole ?? "user",
    language: r.language ?? before?.language ?? "en",
    // A contact's own opt-out is never undone by a file: "false" leaves an opt-out in place.
    optedOutAt: before?.optedOutAt ?? (r.optedOut ? now : null),
  };
}

/** `seller`: the user the row's seller_email names (null when the cell is empty). */
export function nextOpportunityState(
  r: OpportunityRow,
  before: OpportunityState | null,
  account: Ref,
  seller: Person | null,
  now: Date,
): OpportunityState {
  const outcome = r.outcome ?? before?.outcome ?? "open";
  const keepSeller = r.sellerEmail === undefined;
  return {
    externalId: r.externalId ?? before?.externalId ?? null,
    accountId: account.id,
    accountName: account.name,
    name: r.name,
    amountCents: r.amountCents ?? before?.amountCents ?? 0,
    closeDate: r.closeDate === undefined ? (before?.closeDate ?? null) : r.closeDate,
    outcome,
    competitor: r.competitor === undefined ? (before?.competitor ?? null) : r.competitor,
    sellerId: keepSeller ? (before?.sellerId ?? null) : (seller?.id ?? null),
    sellerEmail: keepSeller ? (before?.sellerEmail ?? null) : (seller?.email ?? null),
    // closed when the outcome stopped being open; reopening clears it
    closedAt: outcome === "open" ? null : (before?.closedAt ?? now),
  };
}

/** `author` and `participants`: the users and contacts the row names (null / [] when empty). */
export function nextInteractionState(
  r: InteractionRow,
  before: InteractionState | null,
  account: Ref,
  author: Person | null,
  participants: Person[],
): InteractionState {
  const equity = defaultEquity(r.kind);
  const keepAuthor = r.authorEmail === undefined;
  const keepPeople = r.contactEmails === undefined;
  return {
    externalId: r.externalId ?? before?.externalId ?? null,
    accountId: account.id,
    accountName: account.name,
    kind: r.kind,
    occurredAt: r.occurredAt,
    summary: r.summary ?? before?.summary ?? "",
    engagementQuality:
      r.engagementQuality === undefined ? (before?.engagementQuality ?? null) : r.engagementQuality,
    equityEffect: r.equityEffect ?? before?.equityEffect ?? equity.equityEffect,
    equityWeight: r.equityWeight ?? before?.equityWeight ?? equity.equityWeight,
    commitmentStatus: r.kind === "commitment" ? (before?.commitmentStatus ?? "open") : null,
    authorId: keepAuthor ? (before?.authorId ?? null) : (author?.id ?? null),
    authorEmail: keepAuthor ? (before?.authorEmail ?? null) : (author?.email ?? null),
    contactIds: keepPeople ? (before?.contactIds ?? []) : participants.map((p) => p.id).sort(),
    contactEmails: keepPeople ? (before?.contactEmails ?? []) : sortEmails(participants.map((p) => p.email)),
  };
}

export function sortEmails(emails: string[]): string[] {
  return [...emails].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
}

// ─── Comparing what a row would write with what is there ──────────────────────

export interface FieldChange {
  column: string;
  from: string;
  to: string;
}

/** A CSV column of a state: how to show it, and (when different) what makes two values the same. */
export interface StateField<S> {
  column: string;
  show: (state: S) => string;
  key?: (state: S) => string;
}

/** The columns whose value differs between `before` (null for a new record) and `after`. */
export function diffStates<S>(before: S | null, after: S, fields: readonly StateField<S>[]): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of fields) {
    const key = field.key ?? field.show;
    const to = field.show(after);
    const changed = before ? key(before) !== key(after) : to !== "";
    if (changed) changes.push({ column: field.column, from: before ? field.show(before) : "", to });
  }
  return changes;
}

// Accounts are compared by id and shown by name: two accounts may share a name.
const accountField = <S extends { accountId: string; accountName: string }>(): StateField<S> => ({
  column: "account",
  show: (s) => s.accountName,
  key: (s) => s.accountId,
});

export const ACCOUNT_FIELDS: readonly StateField<AccountState>[] = [
  { column: "external_id", show: (s) => s.externalId ?? "" },
  { column: "name", show: (s) => s.name },
  { column: "segment", show: (s) => s.segment },
  { column: "region", show: (s) => s.region },
  { column: "tier", show: (s) => s.tier },
  { column: "lifecycle_stage", show: (s) => s.lifecycleStage },
  { column: "annual_value", show: (s) => formatCentsForCsv(s.annualValueCents) },
  { column: "owner_email", show: (s) => s.ownerEmail, key: (s) => s.ownerId },
  { column: "target_cadence_days", show: (s) => String(s.targetCadenceDays) },
];

export const CONTACT_FIELDS: readonly StateField<ContactState>[] = [
  { column: "external_id", show: (s) => s.externalId ?? "" },
  accountField<ContactState>(),
  { column: "name", show: (s) => s.name },
  { column: "email", show: (s) => s.email ?? "" },
  { column: "title", show: (s) => s.title ?? "" },
  { column: "buying_role", show: (s) => s.buyingRole },
  { column: "language", show: (s) => s.language },
  { column: "opted_out", show: (s) => (s.optedOutAt ? "true" : "false") },
];

export const OPPORTUNITY_FIELDS: readonly StateField<OpportunityState>[] = [
  { column: "external_id", show: (s) => s.externalId ?? "" },
  accountField<OpportunityState>(),
  { column: "name", show: (s) => s.name },
  { column: "amount", show: (s) => formatCentsForCsv(s.amountCents) },
  { column: "close_date", show: (s) => s.closeDate ?? "" },
  { column: "outcome", show: (s) => s.outcome },
  { column: "competitor", show: (s) => s.competitor ?? "" },
  { column: "seller_email", show: (s) => s.sellerEmail ?? "", key: (s) => s.sellerId ?? "" },
];

export const INTERACTION_FIELDS: readonly StateField<InteractionState>[] = [
  { column: "external_id", show: (s) => s.externalId ?? "" },
  accountField<InteractionState>(),
  { column: "kind", show: (s) => s.kind },
  { column: "occurred_at", show: (s) => s.occurredAt.toISOString() },
  { column: "summary", show: (s) => s.summary },
  { column: "engagement_quality", show: (s) => String(s.engagementQuality ?? "") },
  { column: "equity_effect", show: (s) => s.equityEffect },
  { column: "equity_weight", show: (s) => String(s.equityWeight) },
  { column: "author_email", show: (s) => s.authorEmail ?? "", key: (s) => s.authorId ?? "" },
  { column: "contact_emails", show: (s) => s.contactEmails.join(";"), key: (s) => s.contactIds.join(";") },
];
