/**
 * The health dimensions (DESIGN.md, "Surveys"). Plain data with no imports, so the
 * browser bundle, the schema and the scoring code share one list.
 */
export const HEALTH_DIMENSIONS = [
  "trust",
  "responsiveness",
  "understanding",
  "value",
  "communication",
  "relationship",
  "advocacy",
  "renewal",
] as const;
export type HealthDimension = (typeof HEALTH_DIMENSIONS)[number];

export const SURVEY_KINDS = ["relationship", "winloss", "interview", "mirror"] as const;
export type SurveyKind = (typeof SURVEY_KINDS)[number];

/** The win/loss reason taxonomy (DESIGN.md, "Win/loss"). */
export const DECISION_REASONS = [
  "price",
  "product_fit",
  "relationship",
  "responsiveness",
  "sales_experience",
  "implementation_risk",
  "competitor_strength",
  "no_decision",
] as const;
export type DecisionReason = (typeof DECISION_REASONS)[number];

export function isHealthDimension(value: unknown): value is HealthDimension {
  return typeof value === "string" && (HEALTH_DIMENSIONS as readonly string[]).includes(value);
}
