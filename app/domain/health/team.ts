/**
 * The team view (docs/health-model.md, §3 "Team view"): what the team believes, each author's
 * latest sealed prediction in the window, every author weighing the same.
 */
import type { HealthDimension } from "../dimensions";
import {
  assertScore,
  confidenceFromDates,
  isRelationshipDimension,
  isWithinWindow,
  mean,
  perDimension,
  RELATIONSHIP_DIMENSIONS,
  roundOrNull,
  rowsAtExtreme,
  type ConfidenceLevel,
  type WindowOptions,
} from "./shared";

/** One value of a sealed prediction (predictions ⨝ prediction_values). */
export interface PredictionRow {
  authorId: string;
  contactId: string | null;
  madeAt: Date;
  dimension: HealthDimension;
  value: number;
}

export interface TeamViewOptions extends WindowOptions {
  /** Keep each author's latest prediction per contact (account-level ones are one more target) instead of per author. */
  perContact?: boolean;
}

export interface TeamDimensionScore {
  value: number | null;
  /** Latest predictions averaged (one per author, or per author and contact). */
  predictions: number;
  authors: number;
  confidence: ConfidenceLevel;
}

export interface TeamView {
  dimensions: Record<HealthDimension, TeamDimensionScore>;
  health: TeamDimensionScore;
}

interface LatestPrediction {
  authorId: string;
  dimension: HealthDimension;
  value: number;
  madeAt: Date;
}

function latestPredictions(
  predictions: readonly PredictionRow[],
  options: TeamViewOptions,
): LatestPrediction[] {
  const inWindow = predictions.filter((row) => isWithinWindow(row.madeAt, options.now, options.windowMonths));
  for (const row of inWindow) assertScore(row.value, `prediction by ${row.authorId}/${row.dimension}`);
  const groups = rowsAtExtreme(
    inWindow,
    (row) =>
      [row.dimension, row.authorId, options.perContact ? (row.contactId ?? "(account)") : ""].join("|"),
    (row) => row.madeAt.getTime(),
    "latest",
  );
  return groups.map((group) => ({
    authorId: group[0]!.authorId,
    dimension: group[0]!.dimension,
    value: mean(group.map((row) => row.value))!,
    madeAt: group[0]!.madeAt,
  }));
}

interface RawTeamScore {
  value: number | null;
  predictions: number;
  authors: Map<string, Date>;
}

function scoreTeam(items: readonly LatestPrediction[]): RawTeamScore {
  const authors = new Map<string, Date>();
  for (const item of items) {
    const seen = authors.get(item.authorId);
    if (!seen || item.madeAt > seen) authors.set(item.authorId, item.madeAt);
  }
  return { value: mean(items.map((item) => item.value)), predictions: items.length, authors };
}

function toTeamScore(raw: RawTeamScore, now: Date): TeamDimensionScore {
  return {
    value: roundOrNull(raw.value),
    predictions: raw.predictions,
    authors: raw.authors.size,
    confidence: confidenceFromDates([...raw.authors.values()], now),
  };
}

/**
 * The team view, per dimension 0–100: each author's latest prediction in the window
 * (optionally per contact), averaged with equal weight; plus the team's health score.
 */
export function computeTeamView(predictions: readonly PredictionRow[], options: TeamViewOptions): TeamView {
  const latest = latestPredictions(predictions, options);
  const raws = perDimension((d) => scoreTeam(latest.filter((item) => item.dimension === d)));
  const relationship = latest.filter((item) => isRelationshipDimension(item.dimension));
  const healthRaw: RawTeamScore = {
    value: mean(RELATIONSHIP_DIMENSIONS.flatMap((d) => (raws[d].value === null ? [] : [raws[d].value]))),
    predictions: relationship.length,
    authors: scoreTeam(relationship).authors,
  };
  return {
    dimensions: perDimension((d) => toTeamScore(raws[d], options.now)),
    health: toTeamScore(healthRaw, options.now),
  };
}
