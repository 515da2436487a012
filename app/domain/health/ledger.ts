/**
 * The ledger view (docs/health-model.md, §4 "Ledger view"): what the ledger shows, six
 * weighted components from what the team did in the window. The ledger's own rules (two-way
 * kinds, equity decay, commitments) are app/domain/ledger.ts's; this module scores them.
 */
import { daysBetween, engagementDue, isoDay } from "../keep-in-touch";
import {
  DEFAULT_TARGET_CADENCE_DAYS,
  effectiveAt,
  equityBalance,
  isTwoWay,
  type InteractionKind,
  type LedgerEntry,
} from "../ledger";
import {
  ageInDays,
  clamp,
  confidenceFromDates,
  INTERACTION_CONFIDENCE,
  mean,
  roundOrNull,
  roundScore,
  weightedMean,
  windowStart,
  type ConfidenceLevel,
  type WindowOptions,
} from "./shared";

/** An equity balance of +6 scores 100 and −6 scores 0 (three fresh weight-2 deposits). */
export const EQUITY_FULL_SCALE = 6;

export const LEDGER_WEIGHTS = {
  recency: 0.25,
  cadence: 0.2,
  breadth: 0.15,
  equity: 0.15,
  quality: 0.15,
  commitments: 0.1,
} as const;
export type LedgerComponent = keyof typeof LEDGER_WEIGHTS;

/**
 * One logged interaction with the contacts it lists. Structurally a LedgerEntry, so the
 * same rows feed app/domain/ledger.ts's equityBalance. Two-way or not follows from `kind`
 * (isTwoWay).
 */
export interface LedgerInteractionRow extends LedgerEntry {
  kind: InteractionKind;
  engagementQuality: number | null;
  contactIds: readonly string[];
}

export interface LedgerViewInput {
  interactions: readonly LedgerInteractionRow[];
  /** The account's target cadence; null or not positive: DEFAULT_TARGET_CADENCE_DAYS. */
  targetCadenceDays: number | null;
  /** Decision-makers and champions not opted out (keep-in-touch.ts's key contacts). */
  keyContactIds: readonly string[];
}

export interface LedgerView {
  /** 0–100, the weighted mean of the components that have a value. */
  score: number;
  confidence: ConfidenceLevel;
  components: Record<LedgerComponent, number | null>;
  facts: {
    targetCadenceDays: number;
    lastTwoWayAt: Date | null;
    daysSinceTwoWay: number | null;
    periodsCovered: number;
    periods: number;
    keyContacts: number;
    keyContactsEngaged: number;
    balance: number;
    meanEngagementQuality: number | null;
    ratedInteractions: number;
    kept: number;
    broken: number;
    /** Interactions in the window, any kind. */
    interactions: number;
  };
}

function targetCadence(days: number | null | undefined): number {
  return days && days > 0 ? days : DEFAULT_TARGET_CADENCE_DAYS;
}

/** 100 while the last two-way contact is within the cadence, falling linearly to 0 at three cadences; 0 when none. */
export function recencyScore(daysSinceTwoWay: number | null, cadenceDays: number): number {
  if (daysSinceTwoWay === null) return 0;
  if (daysSinceTwoWay <= cadenceDays) return 100;
  return 100 * clamp(1 - (daysSinceTwoWay - cadenceDays) / (2 * cadenceDays), 0, 1);
}

/**
 * The share of cadence periods with at least one two-way contact. The window is cut into
 * whole periods of `cadenceDays` counting back from `now` (period 1 is the last
 * `cadenceDays` days, both ends included); a leftover part-period at its start is ignored.
 */
export function cadenceScore(
  twoWayAt: readonly Date[],
  now: Date,
  from: Date,
  cadenceDays: number,
): { value: number; covered: number; periods: number } {
  const periods = Math.max(1, Math.floor(daysBetween(isoDay(from), isoDay(now)) / cadenceDays));
  const covered = new Set<number>();
  for (const at of twoWayAt) {
    if (at < from || at > now) continue;
    const period = Math.max(1, Math.ceil(ageInDays(at, now) / cadenceDays));
    if (period <= periods) covered.add(period);
  }
  return { value: (100 * covered.size) / periods, covered: covered.size, periods };
}

/** The share of key contacts engaged (two-way) within the cadence, by keep-in-touch.ts's engagementDue; null without key contacts. */
export function breadthScore(
  keyContactIds: readonly string[],
  interactions: readonly LedgerInteractionRow[],
  now: Date,
  cadenceDays: number,
): { value: number | null; engaged: number; keyContacts: number } {
  const keys = [...new Set(keyContactIds)];
  let engaged = 0;
  for (const contactId of keys) {
    let last: Date | null = null;
    for (const row of interactions) {
      if (!isTwoWay(row.kind) || row.occurredAt > now || !row.contactIds.includes(contactId)) continue;
      if (!last || row.occurredAt > last) last = row.occurredAt;
    }
    if (!engagementDue(last, cadenceDays, now).overdue) engaged += 1;
  }
  return {
    value: keys.length === 0 ? null : (100 * engaged) / keys.length,
    engaged,
    keyContacts: keys.length,
  };
}

/** 50 at a zero balance, linear to 100 at +EQUITY_FULL_SCALE and 0 at −EQUITY_FULL_SCALE, clamped. */
export function equityScore(balance: number): number {
  return clamp(50 + (50 * balance) / EQUITY_FULL_SCALE, 0, 100);
}

/** Mean engagement quality (1–5) mapped onto 0–100 (1 → 0, 3 → 50, 5 → 100); null when nothing is rated. */
export function engagementQualityScore(qualities: readonly number[]): number | null {
  for (const quality of qualities) {
    if (!Number.isFinite(quality) || quality < 1 || quality > 5) {
      throw new RangeError(`engagement quality must be from 1 to 5, got ${quality}`);
    }
  }
  const average = mean(qualities);
  return average === null ? null : ((average - 1) / 4) * 100;
}

/** Commitments kept as a share of those kept or broken; null when none was resolved. */
export function commitmentScore(kept: number, broken: number): number | null {
  return kept + broken === 0 ? null : (100 * kept) / (kept + broken);
}

/** The weighted mean of the components that have a value (their weights rescaled to sum to 1). */
export function combineLedgerScore(
  components: Record<LedgerComponent, number | null>,
  weights: Record<LedgerComponent, number> = LEDGER_WEIGHTS,
): number {
  const items = (Object.keys(weights) as LedgerComponent[]).flatMap((name) => {
    const value = components[name];
    return value === null ? [] : [{ value, weight: weights[name] }];
  });
  return weightedMean(items) ?? 0;
}

/**
 * The ledger view, 0–100, from what the team did in the window. The equity balance uses
 * every entry given (decay already discounts age): pass the ledger page's rows and the two agree.
 */
export function computeLedgerView(input: LedgerViewInput, options: WindowOptions): LedgerView {
  const { now } = options;
  const from = windowStart(now, options.windowMonths);
  const cadence = targetCadence(input.targetCadenceDays);
  const inWindow = input.interactions.filter((row) => row.occurredAt >= from && row.occurredAt <= now);
  const twoWay = inWindow.filter((row) => isTwoWay(row.kind));

  const lastTwoWayAt = twoWay.reduce<Date | null>(
    (last, row) => (!last || row.occurredAt > last ? row.occurredAt : last),
    null,
  );
  const daysSinceTwoWay = lastTwoWayAt ? ageInDays(lastTwoWayAt, now) : null;
  const cadenceResult = cadenceScore(
    twoWay.map((row) => row.occurredAt),
    now,
    from,
    cadence,
  );
  const breadth = breadthScore(input.keyContactIds, inWindow, now, cadence);
  const balance = equityBalance(input.interactions, now);
  const qualities = inWindow.flatMap((row) =>
    row.engagementQuality === null ? [] : [row.engagementQuality],
  );
  const resolved = input.interactions.filter((row) => {
    if (row.kind !== "commitment") return false;
    const at = effectiveAt(row);
    return at >= from && at <= now;
  });
  const kept = resolved.filter((row) => row.commitmentStatus === "kept").length;
  const broken = resolved.filter((row) => row.commitmentStatus === "broken").length;

  const raw: Record<LedgerComponent, number | null> = {
    recency: recencyScore(daysSinceTwoWay, cadence),
    cadence: cadenceResult.value,
    breadth: breadth.value,
    equity: equityScore(balance),
    quality: engagementQualityScore(qualities),
    commitments: commitmentScore(kept, broken),
  };
  const averageQuality = mean(qualities);
  return {
    score: roundScore(combineLedgerScore(raw)),
    confidence: confidenceFromDates(
      inWindow.map((row) => row.occurredAt),
      now,
      INTERACTION_CONFIDENCE,
    ),
    components: {
      recency: roundOrNull(raw.recency),
      cadence: roundOrNull(raw.cadence),
      breadth: roundOrNull(raw.breadth),
      equity: roundOrNull(raw.equity),
      quality: roundOrNull(raw.quality),
      commitments: roundOrNull(raw.commitments),
    },
    facts: {
      targetCadenceDays: cadence,
      lastTwoWayAt,
      daysSinceTwoWay,
      periodsCovered: cadenceResult.covered,
      periods: cadenceResult.periods,
      keyContacts: breadth.keyContacts,
      keyContactsEngaged: breadth.engaged,
      balance,
      meanEngagementQuality: averageQuality === null ? null : Math.round(averageQuality * 100) / 100,
      ratedInteractions: qualities.length,
      kept,
      broken,
      interactions: inWindow.length,
    },
  };
}
