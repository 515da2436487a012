/**
 * Rep calibration, the parts health.ts does not already do (pure, no I/O): a person's
 * calibration per dimension, and bias in words. The pairing and the ranking are
 * health.ts's pairPredictionsWithAnswers, computeRepCalibration and rankCalibration.
 */
import { HEALTH_DIMENSIONS, type HealthDimension } from "./dimensions";
import { roundScore, type CalibrationPair } from "./health";

export interface DimensionCalibration {
  dimension: HealthDimension;
  pairs: number;
  meanAbsoluteError: number;
  meanBias: number;
}

/** Per dimension that has pairs, in the usual dimension order: MAE and bias over its pairs. */
export function calibrationByDimension(pairs: readonly CalibrationPair[]): DimensionCalibration[] {
  return HEALTH_DIMENSIONS.flatMap((dimension) => {
    const errors = pairs.filter((p) => p.dimension === dimension).map((p) => p.error);
    if (errors.length === 0) return [];
    return [
      {
        dimension,
        pairs: errors.length,
        meanAbsoluteError: roundScore(errors.reduce((sum, e) => sum + Math.abs(e), 0) / errors.length),
        meanBias: roundScore(errors.reduce((sum, e) => sum + e, 0) / errors.length),
      },
    ];
  });
}

function points(value: number): string {
  const shown = Number.isInteger(value) ? String(value) : value.toFixed(1);
  return `${shown} ${shown === "1" ? "point" : "points"}`;
}

/**
 * A signed bias (predicted − actual, already rounded) as a person would say it:
 * "optimistic by 12 points", "pessimistic by 4.5 points", or "no lean either way".
 */
export function describeBias(bias: number): string {
  if (bias > 0) return `optimistic by ${points(bias)}`;
  if (bias < 0) return `pessimistic by ${points(-bias)}`;
  return "no lean either way";
}
