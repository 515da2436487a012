/**
 * Rep calibration (docs/health-model.md, §7 "Rep calibration"): each prediction paired with
 * what the customer said next, and per author how far off and in which direction.
 */
import { HEALTH_DIMENSIONS, type HealthDimension } from "../dimensions";
import { respondentKey, roleWeight, toRespondentAnswers, type CustomerAnswerRow } from "./customer";
import { assertScore, DAY_MS, mean, roundScore, rowsAtExtreme, weightedMean } from "./shared";
import type { PredictionRow } from "./team";

export const CALIBRATION_HORIZON_DAYS = 180;

export interface CalibrationPredictionRow extends PredictionRow {
  accountId: string;
}
export interface CalibrationAnswerRow extends CustomerAnswerRow {
  accountId: string;
}

export interface CalibrationOptions {
  now: Date;
  /** An answer pairs with a prediction only within this many days after it; default 180. */
  horizonDays?: number;
}

export interface CalibrationPair {
  authorId: string;
  accountId: string;
  contactId: string | null;
  dimension: HealthDimension;
  madeAt: Date;
  predicted: number;
  /** What the customer then said (role-weighted over the account's respondents for an account-level prediction). */
  actual: number;
  /** When the first of those answers came in. */
  answeredAt: Date;
  responseIds: string[];
  /** predicted − actual: positive is optimistic. */
  error: number;
}

/**
 * Pairs each prediction with what the customer said next on the same dimension: per
 * respondent, the first answer completed after the prediction and within the horizon (a
 * contact-level prediction looks only at that contact). A prediction is dropped when the
 * same author predicted the same target and dimension again before those answers came in:
 * the later one is what stood when the customer spoke.
 */
export function pairPredictionsWithAnswers(
  predictions: readonly CalibrationPredictionRow[],
  answers: readonly CalibrationAnswerRow[],
  options: CalibrationOptions,
): CalibrationPair[] {
  const horizonMs = (options.horizonDays ?? CALIBRATION_HORIZON_DAYS) * DAY_MS;
  const nowMs = options.now.getTime();
  const made = predictions.filter((p) => p.madeAt.getTime() <= nowMs);
  const candidatePairs: CalibrationPair[] = [];
  for (const prediction of made) {
    assertScore(prediction.value, `prediction by ${prediction.authorId}/${prediction.dimension}`);
    const start = prediction.madeAt.getTime();
    const end = Math.min(start + horizonMs, nowMs);
    const after = answers.filter(
      (a) =>
        a.accountId === prediction.accountId &&
        a.dimension === prediction.dimension &&
        (prediction.contactId === null || a.contactId === prediction.contactId) &&
        a.completedAt.getTime() > start &&
        a.completedAt.getTime() <= end,
    );
    if (after.length === 0) continue;
    for (const row of after) assertScore(row.value, `answer ${row.responseId}/${row.dimension}`);
    const firsts = toRespondentAnswers(
      rowsAtExtreme(after, respondentKey, (row) => row.completedAt.getTime(), "earliest"),
    );
    const actual = weightedMean(firsts.map((f) => ({ value: f.value, weight: roleWeight(f.buyingRole) })))!;
    candidatePairs.push({
      authorId: prediction.authorId,
      accountId: prediction.accountId,
      contactId: prediction.contactId,
      dimension: prediction.dimension,
      madeAt: prediction.madeAt,
      predicted: prediction.value,
      actual,
      answeredAt: new Date(Math.min(...firsts.map((f) => f.completedAt.getTime()))),
      responseIds: [...new Set(firsts.flatMap((f) => f.responseIds))].sort(),
      error: prediction.value - actual,
    });
  }
  const sameTarget = (
    a: CalibrationPair,
    b: { authorId: string; accountId: string; contactId: string | null },
  ) => a.authorId === b.authorId && a.accountId === b.accountId && a.contactId === b.contactId;
  return candidatePairs
    .filter(
      (pair) =>
        !made.some(
          (other) =>
            sameTarget(pair, other) &&
            other.dimension === pair.dimension &&
            other.madeAt > pair.madeAt &&
            other.madeAt < pair.answeredAt,
        ),
    )
    .sort(
      (a, b) =>
        (a.authorId < b.authorId ? -1 : a.authorId > b.authorId ? 1 : 0) ||
        a.madeAt.getTime() - b.madeAt.getTime() ||
        HEALTH_DIMENSIONS.indexOf(a.dimension) - HEALTH_DIMENSIONS.indexOf(b.dimension) ||
        (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0),
    );
}

export interface RepCalibration {
  authorId: string;
  pairs: number;
  /** Mean |predicted − actual|: how far off, whatever the direction. */
  meanAbsoluteError: number;
  /** Mean (predicted − actual): positive is optimistic, negative pessimistic. */
  meanBias: number;
}

/** Per author with at least one pair: mean absolute error and mean signed bias. */
export function computeRepCalibration(
  predictions: readonly CalibrationPredictionRow[],
  answers: readonly CalibrationAnswerRow[],
  options: CalibrationOptions,
): RepCalibration[] {
  const byAuthor = new Map<string, number[]>();
  for (const pair of pairPredictionsWithAnswers(predictions, answers, options)) {
    const errors = byAuthor.get(pair.authorId) ?? [];
    errors.push(pair.error);
    byAuthor.set(pair.authorId, errors);
  }
  return rankCalibration(
    [...byAuthor.entries()].map(([authorId, errors]) => ({
      authorId,
      pairs: errors.length,
      meanAbsoluteError: roundScore(mean(errors.map(Math.abs))!),
      meanBias: roundScore(mean(errors)!),
    })),
  );
}

/** Best calibrated first: lowest mean absolute error, then more pairs, then author id. */
export function rankCalibration(results: readonly RepCalibration[]): RepCalibration[] {
  return [...results].sort(
    (a, b) =>
      a.meanAbsoluteError - b.meanAbsoluteError ||
      b.pairs - a.pairs ||
      (a.authorId < b.authorId ? -1 : a.authorId > b.authorId ? 1 : 0),
  );
}
