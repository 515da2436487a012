/**
 * An account's relationship-equity ledger, read from its interactions. The rules (what
 * counts, how it decays, when a commitment is overdue) are the pure functions in
 * ./ledger.ts; this module only loads the rows and hands them over.
 */
import { and, desc, eq, inArray, lte, ne, or, sql } from "drizzle-orm";
import { accounts, interactions, users } from "../../db/schema";
import type { Database } from "../lib/db.server";
import {
  balanceSeries,
  effectiveAt,
  equityBalance,
  isOverdue,
  signedWeight,
  TWO_WAY_KINDS,
  type CommitmentStatus,
  type InteractionKind,
  type LedgerEntry,
} from "./ledger";

/** The chart looks back this far: long enough to see a year-on-year pattern, short enough to read. */
export const LEDGER_CHART_MONTHS = 18;
/** Entries listed under the chart until the reader asks for all of them. */
export const LEDGER_ENTRIES_SHOWN = 10;

const DAY_MS = 86_400_000;

export interface LedgerListEntry {
  id: string;
  kind: InteractionKind;
  /** When the entry took effect: the resolution for a kept or broken commitment. */
  at: Date;
  occurredAt: Date;
  summary: string;
  effect: "deposit" | "withdrawal";
  weight: number;
  commitmentStatus: CommitmentStatus | null;
  authorName: string | null;
}

export interface OpenCommitment {
  id: string;
  summary: string;
  occurredAt: Date;
  dueOn: string | null;
  overdue: boolean;
  authorName: string | null;
}

export interface AccountLedger {
  /** Today's balance, unrounded. */
  balance: number;
  /** Weekly points over the last 18 months, ending now. */
  series: { at: Date; balance: number }[];
  /** What moved the balance, newest first; capped by `entryLimit`. */
  entries: LedgerListEntry[];
  /** How many entries there are in all, whatever the cap. */
  entryCount: number;
  /** Promises not yet kept or broken, soonest due first (those without a due date last). */
  openCommitments: OpenCommitment[];
  /** The cadence the ledger view measures two-way contact against. */
  cadence: { targetCadenceDays: number; lastTwoWayAt: Date | null };
}

/**
 * `now` is a parameter so the balance is computed at one instant for the whole page (and
 * tests can pin it). `entryLimit: null` lists every entry.
 */
export async function getLedger(
  db: Database,
  accountId: string,
  now: Date,
  options: { entryLimit?: number | null } = {},
): Promise<AccountLedger> {
  const entryLimit = options.entryLimit === undefined ? LEDGER_ENTRIES_SHOWN : options.entryLimit;
  const [rows, [cadence]] = await Promise.all([
    // Neutral entries never move the balance; commitments are read whatever their effect
    // because the open ones are listed and the resolved ones count.
    db
      .select({
        id: interactions.id,
        kind: interactions.kind,
        occurredAt: interactions.occurredAt,
        summary: interactions.summary,
        equityEffect: interactions.equityEffect,
        equityWeight: interactions.equityWeight,
        dueOn: interactions.dueOn,
        commitmentStatus: interactions.commitmentStatus,
        commitmentResolvedAt: interactions.commitmentResolvedAt,
        authorName: users.name,
      })
      .from(interactions)
      .leftJoin(users, eq(users.id, interactions.authorId))
      .where(
        and(
          eq(interactions.accountId, accountId),
          or(ne(interactions.equityEffect, "neutral"), eq(interactions.kind, "commitment")),
        ),
      )
      .orderBy(desc(interactions.occurredAt), desc(interactions.id)),
    db
      .select({
        targetCadenceDays: accounts.targetCadenceDays,
        lastTwoWayAt: sql<Date | null>`(
          select max(${interactions.occurredAt}) from ${interactions}
          where ${and(
            eq(interactions.accountId, accounts.id),
            inArray(interactions.kind, [...TWO_WAY_KINDS]),
            lte(interactions.occurredAt, now),
          )}
        )`.mapWith(interactions.occurredAt),
      })
      .from(accounts)
      .where(eq(accounts.id, accountId)),
  ]);

  const ledgerEntries: (LedgerEntry & { row: (typeof rows)[number] })[] = rows.map((row) => ({
    row,
    kind: row.kind,
    occurredAt: row.occurredAt,
    equityEffect: row.equityEffect,
    equityWeight: row.equityWeight,
    commitmentStatus: row.commitmentStatus,
    commitmentResolvedAt: row.commitmentResolvedAt,
  }));

  const from = new Date(now.getTime());
  from.setUTCMonth(from.getUTCMonth() - LEDGER_CHART_MONTHS);
  const weeks = Math.round((now.getTime() - from.getTime()) / (7 * DAY_MS));

  const moving = ledgerEntries
    .filter((entry) => signedWeight(entry) !== 0 && effectiveAt(entry) <= now)
    .map((entry): LedgerListEntry => ({
      id: entry.row.id,
      kind: entry.row.kind,
      at: effectiveAt(entry),
      occurredAt: entry.row.occurredAt,
      summary: entry.row.summary,
      effect: signedWeight(entry) > 0 ? "deposit" : "withdrawal",
      weight: Math.abs(signedWeight(entry)),
      commitmentStatus: entry.row.commitmentStatus,
      authorName: entry.row.authorName,
    }))
    .sort((a, b) => b.at.getTime() - a.at.getTime() || (a.id < b.id ? 1 : -1));

  const openCommitments = rows
    .filter((row) => row.kind === "commitment" && (row.commitmentStatus ?? "open") === "open")
    .map((row): OpenCommitment => ({
      id: row.id,
      summary: row.summary,
      occurredAt: row.occurredAt,
      dueOn: row.dueOn,
      overdue: isOverdue({ kind: row.kind, commitmentStatus: "open", dueOn: row.dueOn }, now),
      authorName: row.authorName,
    }))
    // YYYY-MM-DD strings sort as dates; no due date goes last
    .sort((a, b) => (a.dueOn ?? "9999-12-31").localeCompare(b.dueOn ?? "9999-12-31"));

  return {
    balance: equityBalance(ledgerEntries, now),
    series: balanceSeries(ledgerEntries, from, now, weeks + 1),
    entries: entryLimit === null ? moving : moving.slice(0, entryLimit),
    entryCount: moving.length,
    openCommitments,
    cadence: {
      targetCadenceDays: cadence?.targetCadenceDays ?? 45,
      lastTwoWayAt: cadence?.lastTwoWayAt ?? null,
    },
  };
}
