/**
 * The health model (DESIGN.md, "The three views of an account, and the gap"): what the
 * customer says, what the team believes, what the ledger shows, and the gaps between them.
 * Pure functions, no I/O: the inputs are the rows a query returns, every function takes
 * `now` and gives the same answer for the same rows in any order. docs/health-model.md has
 * every formula and weight, the reasons for them, and a worked example that
 * tests/unit/health.test.ts reproduces.
 *
 * Reported numbers are rounded to one decimal (NPS to a whole number) at the end of each
 * computation; everything derived from a view (gaps, flags) is computed from the rounded
 * numbers, so the figures on a page subtract the way a reader checks them.
 *
 * This module is the model's public face; the rules live in health/, one module per section
 * of docs/health-model.md: shared.ts (conventions, windows, confidence), customer.ts (§1
 * customer view, §2 NPS), team.ts (§3), ledger.ts (§4), gap.ts (§5), flags.ts (§6),
 * calibration.ts (§7), trend.ts (§8) and account.ts (all of them for one account). Imports
 * run one way: shared.ts imports none of the others, account.ts is imported by none, and of
 * the views flags.ts builds on gap.ts and ledger.ts, calibration.ts on customer.ts and
 * team.ts, trend.ts on customer.ts.
 */
export {
  CONFIDENCE_LEVELS,
  confidenceFromDates,
  type ConfidenceLevel,
  confidenceLevel,
  type ConfidenceRule,
  INTERACTION_CONFIDENCE,
  isWithinWindow,
  lowerConfidence,
  RELATIONSHIP_DIMENSIONS,
  RESPONDENT_CONFIDENCE,
  roundScore,
  VIEW_WINDOW_MONTHS,
  type WindowOptions,
  windowStart,
} from "./health/shared";
export {
  type BuyingRole,
  computeAccountNps,
  computeCustomerView,
  computeNps,
  computeNpsFromStoredValues,
  type CustomerAnswerRow,
  type CustomerView,
  type DimensionScore,
  latestAnswersPerContact,
  type NpsResult,
  type RespondentAnswer,
  respondentKey,
  ROLE_WEIGHTS,
  roleWeight,
  UNKNOWN_ROLE_WEIGHT,
} from "./health/customer";
export {
  computeTeamView,
  type PredictionRow,
  type TeamDimensionScore,
  type TeamView,
  type TeamViewOptions,
} from "./health/team";
export {
  breadthScore,
  cadenceScore,
  combineLedgerScore,
  commitmentScore,
  computeLedgerView,
  engagementQualityScore,
  EQUITY_FULL_SCALE,
  equityScore,
  LEDGER_WEIGHTS,
  type LedgerComponent,
  type LedgerInteractionRow,
  type LedgerView,
  type LedgerViewInput,
  recencyScore,
} from "./health/ledger";
export {
  type AccountGap,
  type AccountGapOptions,
  computeAccountGap,
  computeDimensionGap,
  computeGap,
  computeQuadrant,
  DEFAULT_GAP_THRESHOLDS,
  type DimensionGap,
  type GapThresholds,
  HEALTHY_THRESHOLD,
  type ImportanceByDimension,
  importanceWeights,
  MISALIGNED_GAP,
  type Quadrant,
  type ScoredView,
} from "./health/gap";
export {
  type AccountFlag,
  type AccountFlagInput,
  type AccountFlagKind,
  BUSY_INTERACTION_COUNT,
  BUSY_WINDOW_DAYS,
  busyButShallowFlag,
  computeAccountFlags,
  DEFAULT_FLAG_THRESHOLDS,
  type FlagThresholds,
  invitationOutcome,
  type InvitationRow,
  ledgerDisagreesFlag,
  LOW_ENGAGEMENT_QUALITY,
  overdrawnFlag,
  SILENT_AFTER_DAYS,
  silentFlag,
  UNANSWERED_AFTER_DAYS,
} from "./health/flags";
export {
  CALIBRATION_HORIZON_DAYS,
  type CalibrationAnswerRow,
  type CalibrationOptions,
  type CalibrationPair,
  type CalibrationPredictionRow,
  computeRepCalibration,
  pairPredictionsWithAnswers,
  rankCalibration,
  type RepCalibration,
} from "./health/calibration";
export {
  computeHealthTrend,
  type ContactHealthChange,
  HEALTH_DROP_CASE_POINTS,
  healthDrop,
  type HealthTrend,
  isHealthDropCase,
  responseHealth,
} from "./health/trend";
export { type AccountHealth, type AccountHealthInput, computeAccountHealth } from "./health/account";
