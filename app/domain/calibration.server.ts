/**
 * Rep calibration (docs/health-model.md §7): each author's sealed predictions paired with
 * what the customers then said, scored by health.ts's computeRepCalibration. Leaders and
 * admins see everyone's line; a manager sees only their own. Three queries: the predictions
 * (with their values), the answers that can pair with one of them (completed after a
 * prediction on the same account and within the horizon — the database drops the rest), and
 * the names.
 */
import { and, eq, exists, inArray, isNotNull, lte, sql } from "drizzle-orm";
import {
  accounts,
  answers,
  contacts,
  predictions,
  predictionValues,
  responses,
  users,
  type UserRole,
} from "../../db/schema";
import type { Database } from "../lib/db.server";
import { seesAllAccounts } from "./access";
import { calibrationByDimension } from "./calibration";
import { HEALTH_DIMENSIONS } from "./dimensions";
import {
  CALIBRATION_HORIZON_DAYS,
  computeRepCalibration,
  pairPredictionsWithAnswers,
  roundScore,
  type CalibrationAnswerRow,
  type CalibrationPredictionRow,
} from "./health";

export interface CalibrationViewer {
  id: string;
  role: UserRole;
}

/** At most this many pairs are listed in a person's breakdown, newest first. */
export const CALIBRATION_PAIRS_SHOWN = 100;

/**
 * The ranking the viewer may see and, for one person (the viewer themself by default; a
 * leader or admin may name anyone), the breakdown by dimension and the pairs behind it.
 */
export async function getCalibration(
  db: Database,
  viewer: CalibrationViewer,
  now: Date,
  options: { authorId?: string } = {},
) {
  const everyone = seesAllAccounts(viewer.role);
  const onlyAuthor = everyone ? undefined : viewer.id;
  const focusId = everyone ? (options.authorId ?? null) : viewer.id;

  const [predictionRows, answerRows] = await Promise.all([
    db
      .select({
        predictionId: predictions.id,
        authorId: predictions.authorId,
        accountId: predictions.accountId,
        contactId: predictions.contactId,
        madeAt: predictions.createdAt,
        dimension: predictionValues.dimension,
        value: predictionValues.value,
      })
      .from(predictions)
      .innerJoin(predictionValues, eq(predictionValues.predictionId, predictions.id))
      .where(onlyAuthor ? eq(predictions.authorId, onlyAuthor) : undefined),
    db
      .select({
        accountId: responses.accountId,
        contactId: responses.contactId,
        buyingRole: contacts.buyingRole,
        responseId: responses.id,
        completedAt: responses.completedAt,
        dimension: answers.dimension,
        value: answers.value,
      })
      .from(answers)
      .innerJoin(responses, eq(responses.id, answers.responseId))
      .leftJoin(contacts, eq(contacts.id, responses.contactId))
      .where(
        and(
          eq(responses.isComplete, true),
          isNotNull(responses.completedAt),
          isNotNull(responses.accountId),
          lte(responses.completedAt, now),
          // only answers some prediction could pair with (predictions_account_created_idx)
          exists(
            db
              .select({ one: sql`1` })
              .from(predictions)
              .where(
                and(
                  eq(predictions.accountId, responses.accountId),
                  sql`${predictions.createdAt} < ${responses.completedAt}`,
                  sql`${responses.completedAt} <= ${predictions.createdAt} + ${sql.raw(`interval '${CALIBRATION_HORIZON_DAYS} days'`)}`,
                  onlyAuthor ? eq(predictions.authorId, onlyAuthor) : undefined,
                ),
              ),
          ),
        ),
      ),
  ]);

  const predictionRowsIn: CalibrationPredictionRow[] = predictionRows;
  const answerRowsIn: CalibrationAnswerRow[] = answerRows.map((row) => ({
    accountId: row.accountId!,
    contactId: row.contactId,
    buyingRole: row.buyingRole,
    responseId: row.responseId,
    completedAt: row.completedAt!,
    dimension: row.dimension,
    value: row.value,
  }));
  const pairing = { now };
  const ranking = computeRepCalibration(predictionRowsIn, answerRowsIn, pairing);

  // the focus person's pairs, each traced back to its prediction
  const focusPairs = pairPredictionsWithAnswers(
    predictionRowsIn.filter((p) => p.authorId === focusId),
    answerRowsIn,
    pairing,
  );
  const predictionIdOf = new Map(
    predictionRows.map((p) => [
      `${p.authorId}|${p.accountId}|${p.contactId ?? ""}|${p.madeAt.getTime()}`,
      p.predictionId,
    ]),
  );

  const accountIds = [...new Set(focusPairs.map((p) => p.accountId))];
  const contactIds = [...new Set(focusPairs.flatMap((p) => (p.contactId ? [p.contactId] : [])))];
  const userIds = [...new Set([...ranking.map((r) => r.authorId), ...(focusId ? [focusId] : [])])];
  const [people, accountRows, contactRows] = await Promise.all([
    db
      .select({ id: users.id, name: users.name, deactivatedAt: users.deactivatedAt })
      .from(users)
      .where(inArray(users.id, userIds)),
    accountIds.length === 0
      ? Promise.resolve([])
      : db
          .select({ id: accounts.id, name: accounts.name })
          .from(accounts)
          .where(inArray(accounts.id, accountIds)),
    contactIds.length === 0
      ? Promise.resolve([])
      : db
          .select({ id: contacts.id, name: contacts.name })
          .from(contacts)
          .where(inArray(contacts.id, contactIds)),
  ]);
  const person = new Map(people.map((p) => [p.id, p]));
  const accountName = new Map(accountRows.map((a) => [a.id, a.name]));
  const contactName = new Map(contactRows.map((c) => [c.id, c.name]));

  const lines = ranking.map((line, index) => ({
    ...line,
    rank: index + 1,
    name: person.get(line.authorId)?.name ?? "A former colleague",
    deactivated: Boolean(person.get(line.authorId)?.deactivatedAt),
  }));
  const focusPerson = focusId ? person.get(focusId) : undefined;
  const pairsNewestFirst = [...focusPairs].sort(
    (a, b) =>
      b.madeAt.getTime() - a.madeAt.getTime() ||
      HEALTH_DIMENSIONS.indexOf(a.dimension) - HEALTH_DIMENSIONS.indexOf(b.dimension),
  );
  return {
    scope: everyone ? ("everyone" as const) : ("self" as const),
    horizonDays: CALIBRATION_HORIZON_DAYS,
    ranking: everyone ? lines : lines.filter((line) => line.authorId === viewer.id),
    focus:
      focusId && focusPerson
        ? {
            authorId: focusId,
            name: focusPerson.name,
            overall: lines.find((line) => line.authorId === focusId) ?? null,
            byDimension: calibrationByDimension(focusPairs),
            pairCount: focusPairs.length,
            pairs: pairsNewestFirst.slice(0, CALIBRATION_PAIRS_SHOWN).map((pair) => ({
              predictionId:
                predictionIdOf.get(
                  `${pair.authorId}|${pair.accountId}|${pair.contactId ?? ""}|${pair.madeAt.getTime()}`,
                ) ?? null,
              accountId: pair.accountId,
              accountName: accountName.get(pair.accountId) ?? "A deleted account",
              contactName: pair.contactId ? (contactName.get(pair.contactId) ?? null) : null,
              dimension: pair.dimension,
              madeAt: pair.madeAt,
              answeredAt: pair.answeredAt,
              predicted: pair.predicted,
              // shown to one decimal; the error is of the figures shown, so the row subtracts
              actual: roundScore(pair.actual),
              error: roundScore(pair.predicted - roundScore(pair.actual)),
              responses: pair.responseIds.length,
            })),
          }
        : null,
  };
}

export type Calibration = Awaited<ReturnType<typeof getCalibration>>;
