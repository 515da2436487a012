/**
 * Everything for one account (docs/health-model.md, §1–§8 together, as the worked example
 * computes them): the three views, the gap, the trend and the flags from the account's rows.
 */
import {
  computeAccountNps,
  computeCustomerView,
  type CustomerAnswerRow,
  type CustomerView,
  type NpsResult,
} from "./customer";
import { computeAccountFlags, type AccountFlag, type FlagThresholds, type InvitationRow } from "./flags";
import { computeAccountGap, type AccountGap, type ImportanceByDimension } from "./gap";
import { computeLedgerView, type LedgerInteractionRow, type LedgerView } from "./ledger";
import type { WindowOptions } from "./shared";
import { computeTeamView, type PredictionRow, type TeamView } from "./team";
import { computeHealthTrend, type HealthTrend } from "./trend";

export interface AccountHealthInput {
  now: Date;
  windowMonths?: number;
  answers: readonly CustomerAnswerRow[];
  predictions: readonly PredictionRow[];
  interactions: readonly LedgerInteractionRow[];
  targetCadenceDays: number | null;
  keyContactIds: readonly string[];
  invitations: readonly InvitationRow[];
  /** The latest completed response of any kind; default: the latest `completedAt` among `answers`. */
  lastCustomerVoiceAt?: Date | null;
  importance?: ImportanceByDimension;
  thresholds?: Partial<FlagThresholds>;
}

export interface AccountHealth {
  customer: CustomerView;
  nps: NpsResult;
  team: TeamView;
  ledger: LedgerView;
  gap: AccountGap;
  trend: HealthTrend;
  flags: AccountFlag[];
}

/** The three views, the gap, the trend and the flags of one account, from its rows. */
export function computeAccountHealth(input: AccountHealthInput): AccountHealth {
  const window: WindowOptions = { now: input.now, windowMonths: input.windowMonths };
  const customer = computeCustomerView(input.answers, window);
  const team = computeTeamView(input.predictions, window);
  const ledger = computeLedgerView(input, window);
  const lastCustomerVoiceAt =
    input.lastCustomerVoiceAt !== undefined
      ? input.lastCustomerVoiceAt
      : input.answers.reduce<Date | null>(
          (last, row) =>
            row.completedAt <= input.now && (!last || row.completedAt > last) ? row.completedAt : last,
          null,
        );
  return {
    customer,
    nps: computeAccountNps(input.answers, window),
    team,
    ledger,
    gap: computeAccountGap(team, customer, { ...input.thresholds, importance: input.importance }),
    trend: computeHealthTrend(input.answers, window),
    flags: computeAccountFlags(
      {
        now: input.now,
        lastCustomerVoiceAt,
        invitations: input.invitations,
        interactions: input.interactions,
        customerHealth: customer.health.value,
        teamHealth: team.health.value,
        ledger: { score: ledger.score, balance: ledger.facts.balance },
      },
      input.thresholds,
    ),
  };
}
