/**
 * The relationship-equity ledger (DESIGN.md: "Relationship equity is a bank account").
 * Pure functions, no I/O: what an interaction deposits or withdraws, how old entries
 * fade, and whether a commitment is overdue. See docs/ledger.md for the worked example.
 */

/** What people log (the form, /log, CSV imports). */
export const LOGGABLE_KINDS = [
  "meeting",
  "call",
  "email",
  "qbr",
  "social",
  "escalation",
  "favour",
  "mistake",
  "commitment",
] as const;
export type LoggableKind = (typeof LOGGABLE_KINDS)[number];

/**
 * Every kind on the ledger: what people log, and what Rapport logs itself — a
 * `customer_alert` is the withdrawal Customer 9-1-1 records when a customer signals trouble.
 * It is not contact: nobody from the team has spoken with them yet (an `escalation` is a
 * conversation someone logged), so it is not two-way.
 */
export const INTERACTION_KINDS = [...LOGGABLE_KINDS, "customer_alert"] as const;
export type InteractionKind = (typeof INTERACTION_KINDS)[number];
export type EquityEffect = "deposit" | "neutral" | "withdrawal";
export type CommitmentStatus = "open" | "kept" | "broken";

/** Real two-way contact (engagement), as opposed to reaching out (interaction). */
export const TWO_WAY_KINDS: readonly InteractionKind[] = ["meeting", "call", "qbr", "social", "escalation"];

export function isTwoWay(kind: InteractionKind): boolean {
  return TWO_WAY_KINDS.includes(kind);
}

/** How often an account expects real two-way contact unless its team sets otherwise. */
export const DEFAULT_TARGET_CADENCE_DAYS = 45;

/** Entries older than this count half as much; after 180 days a quarter, and so on. */
export const EQUITY_HALF_LIFE_DAYS = 90;

/**
 * The equity effect a kind has unless the person logging it says otherwise: a favour
 * deposits, a mistake withdraws, an escalation withdraws a little; a commitment moves
 * nothing until it is kept (deposit) or broken (withdrawal).
 */
export function defaultEquity(
  kind: InteractionKind,
  commitmentStatus?: CommitmentStatus | null,
): { equityEffect: EquityEffect; equityWeight: number } {
  switch (kind) {
    case "favour":
      return { equityEffect: "deposit", equityWeight: 2 };
    case "mistake":
      return { equityEffect: "withdrawal", equityWeight: 2 };
    case "escalation":
      return { equityEffect: "withdrawal", equityWeight: 1 };
    case "customer_alert":
      // Customer 9-1-1 sets the weight from the case's severity; this is the high default
      return { equityEffect: "withdrawal", equityWeight: 2 };
    case "commitment":
      if (commitmentStatus === "kept") return { equityEffect: "deposit", equityWeight: 2 };
      if (commitmentStatus === "broken") return { equityEffect: "withdrawal", equityWeight: 2 };
      return { equityEffect: "neutral", equityWeight: 1 };
    default:
      return { equityEffect: "neutral", equityWeight: 1 };
  }
}

export interface LedgerEntry {
  occurredAt: Date;
  equityEffect: EquityEffect;
  equityWeight: number;
  kind?: InteractionKind;
  commitmentStatus?: CommitmentStatus | null;
  /** When a commitment was kept or broken: its effect dates from then. */
  commitmentResolvedAt?: Date | null;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** +weight for a deposit, −weight for a withdrawal, 0 for neutral (and for an open commitment). */
export function signedWeight(entry: LedgerEntry): number {
  if (entry.kind === "commitment" && (!entry.commitmentStatus || entry.commitmentStatus === "open")) return 0;
  if (entry.equityEffect === "deposit") return entry.equityWeight;
  if (entry.equityEffect === "withdrawal") return -entry.equityWeight;
  return 0;
}

/** The moment an entry's effect begins: a resolved commitment counts from its resolution. */
export function effectiveAt(entry: LedgerEntry): Date {
  return entry.kind === "commitment" && entry.commitmentResolvedAt
    ? entry.commitmentResolvedAt
    : entry.occurredAt;
}

/**
 * The equity balance at `at`: the sum of every entry's signed weight that has taken
 * effect by then, each multiplied by 0.5^(age in days / half-life).
 */
export function equityBalance(
  entries: readonly LedgerEntry[],
  at: Date,
  halfLifeDays = EQUITY_HALF_LIFE_DAYS,
): number {
  let balance = 0;
  for (const entry of entries) {
    const weight = signedWeight(entry);
    if (weight === 0) continue;
    const ageDays = (at.getTime() - effectiveAt(entry).getTime()) / DAY_MS;
    if (ageDays < 0) continue;
    balance += weight * Math.pow(0.5, ageDays / halfLifeDays);
  }
  return balance;
}

/** The balance at evenly spaced points from `from` to `to` (inclusive), for the ledger chart. */
export function balanceSeries(
  entries: readonly LedgerEntry[],
  from: Date,
  to: Date,
  points = 60,
  halfLifeDays = EQUITY_HALF_LIFE_DAYS,
): { at: Date; balance: number }[] {
  const span = Math.max(0, to.getTime() - from.getTime());
  const count = Math.max(2, points);
  return Array.from({ length: count }, (_, i) => {
    const at = new Date(from.getTime() + (span * i) / (count - 1));
    return { at, balance: equityBalance(entries, at, halfLifeDays) };
  });
}

/** An open commitment whose due date (YYYY-MM-DD) is before `today`'s date. */
export function isOverdue(
  commitment: { kind: InteractionKind; commitmentStatus?: CommitmentStatus | null; dueOn?: string | null },
  today: Date,
): boolean {
  if (commitment.kind !== "commitment" || commitment.commitmentStatus !== "open" || !commitment.dueOn)
    return false;
  return commitment.dueOn < today.toISOString().slice(0, 10);
}
