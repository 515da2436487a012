/**
 * The gap between the team and the customer, and the quadrants (docs/health-model.md, §5 "Gap
 * and quadrants"): team − customer per dimension and for health, where each dimension sits,
 * and the gap weighted by how much the customer says the dimension matters.
 */
import { HEALTH_DIMENSIONS, type HealthDimension } from "../dimensions";
import { assertScore, lowerConfidence, mean, perDimension, roundScore, type ConfidenceLevel } from "./shared";

export const HEALTHY_THRESHOLD = 60;
export const MISALIGNED_GAP = 15;

export type Quadrant = "agreed_strength" | "agreed_weakness" | "blind_spot" | "undervalued";

export interface GapThresholds {
  /** A view at or above this is healthy. */
  healthyThreshold: number;
  /** |gap| at or above this is misaligned. */
  misalignedGap: number;
}
export const DEFAULT_GAP_THRESHOLDS: GapThresholds = {
  healthyThreshold: HEALTHY_THRESHOLD,
  misalignedGap: MISALIGNED_GAP,
};

/** team − customer (positive: the team is more optimistic); null when either side is missing. */
export function computeGap(team: number | null, customer: number | null): number | null {
  return team === null || customer === null ? null : roundScore(team - customer);
}

/**
 * Where a dimension sits. Each view is high (≥ healthy) or low. Both high: agreed strength;
 * both low: agreed weakness — even when |gap| ≥ misaligned (`misaligned` says so). Team high
 * and customer low: a blind spot only when gap ≥ misaligned, otherwise the two nearly agree
 * and the customer's side decides (agreed weakness); customer high and team low: undervalued
 * only when −gap ≥ misaligned, otherwise agreed strength. Null when either side is missing.
 */
export function computeQuadrant(
  team: number | null,
  customer: number | null,
  thresholds: GapThresholds = DEFAULT_GAP_THRESHOLDS,
): Quadrant | null {
  const gap = computeGap(team, customer);
  if (team === null || customer === null || gap === null) return null;
  const teamHigh = team >= thresholds.healthyThreshold;
  const customerHigh = customer >= thresholds.healthyThreshold;
  if (teamHigh && !customerHigh) return gap >= thresholds.misalignedGap ? "blind_spot" : "agreed_weakness";
  if (!teamHigh && customerHigh) return -gap >= thresholds.misalignedGap ? "undervalued" : "agreed_strength";
  return customerHigh ? "agreed_strength" : "agreed_weakness";
}

export type ImportanceByDimension = Partial<Record<HealthDimension, number | null>>;

/**
 * How much a dimension's gap matters, from the customer's importance ratings (0–100): each
 * rated dimension's importance divided by the mean importance of the rated dimensions, so
 * the weights average 1 and a weighted gap stays on the gap's scale. Unrated: 1.
 */
export function importanceWeights(importance: ImportanceByDimension = {}): Record<HealthDimension, number> {
  const rated = HEALTH_DIMENSIONS.flatMap((d) => {
    const value = importance[d];
    if (value === null || value === undefined) return [];
    assertScore(value, `importance of ${d}`);
    return [value];
  });
  const average = mean(rated);
  return perDimension((d) => {
    const value = importance[d];
    if (value === null || value === undefined || !average) return 1;
    return value / average;
  });
}

export interface DimensionGap {
  team: number | null;
  customer: number | null;
  gap: number | null;
  misaligned: boolean | null;
  quadrant: Quadrant | null;
  importanceWeight: number;
  weightedGap: number | null;
  confidence: ConfidenceLevel;
}

export interface AccountGap {
  dimensions: Record<HealthDimension, DimensionGap>;
  health: DimensionGap;
}

/** What a gap needs from a view: a value and a confidence per dimension, and for health. */
export interface ScoredView {
  dimensions: Record<HealthDimension, { value: number | null; confidence: ConfidenceLevel }>;
  health: { value: number | null; confidence: ConfidenceLevel };
}

export interface AccountGapOptions extends Partial<GapThresholds> {
  importance?: ImportanceByDimension;
}

export function computeDimensionGap(
  team: { value: number | null; confidence: ConfidenceLevel },
  customer: { value: number | null; confidence: ConfidenceLevel },
  thresholds: GapThresholds = DEFAULT_GAP_THRESHOLDS,
  importanceWeight = 1,
): DimensionGap {
  const gap = computeGap(team.value, customer.value);
  return {
    team: team.value,
    customer: customer.value,
    gap,
    misaligned: gap === null ? null : Math.abs(gap) >= thresholds.misalignedGap,
    quadrant: computeQuadrant(team.value, customer.value, thresholds),
    importanceWeight,
    weightedGap: gap === null ? null : roundScore(gap * importanceWeight),
    confidence: lowerConfidence(team.confidence, customer.confidence),
  };
}

/** Per dimension and for health: gap = team − customer, quadrant, and the importance-weighted gap. */
export function computeAccountGap(
  team: ScoredView,
  customer: ScoredView,
  options: AccountGapOptions = {},
): AccountGap {
  const thresholds: GapThresholds = {
    healthyThreshold: options.healthyThreshold ?? HEALTHY_THRESHOLD,
    misalignedGap: options.misalignedGap ?? MISALIGNED_GAP,
  };
  const weights = importanceWeights(options.importance);
  return {
    dimensions: perDimension((d) =>
      computeDimensionGap(team.dimensions[d], customer.dimensions[d], thresholds, weights[d]),
    ),
    health: computeDimensionGap(team.health, customer.health, thresholds),
  };
}
