/**
 * The mirror: a team member's sealed prediction of what the customer will say, stored
 * with its raw answers (the mirror survey) and one value per dimension derived from them.
 * The sealing rules themselves are pure and live in ./predictions.ts; this module loads
 * the facts they need and writes the rows.
 */
import {
  and,
  asc,
  desc,
  eq,
  exists,
  gt,
  inArray,
  isNotNull,
  notInArray,
  or,
  sql,
  type SQL,
} from "drizzle-orm";
import { z } from "zod";
import {
  accountMembers,
  accounts,
  answers,
  campaigns,
  contacts,
  invitations,
  predictions,
  predictionValues,
  responses,
  surveyVersions,
  users,
  type Prediction,
  type UserRole,
} from "../../db/schema";
import type { Database, Executor } from "../lib/db.server";
import { canAccessAccount } from "./access";
import { changedAfter, pageOf, updatedAtMicros, type ChangePageOptions } from "./account-sync.server";
import { HEALTH_DIMENSIONS, type HealthDimension } from "./dimensions";
import {
  customerHasAnswered,
  isPredictionLocked,
  isPredictionVisibleTo,
  type CustomerAnswerFacts,
  type PredictionFacts,
} from "./predictions";
import { createSurveyModel, scoreAnswers, validateAnswers, type AnswerErrors } from "./survey-model";
import { queueHealthRefresh } from "./health-rollups.server";
import { getSurveyVersion, latestVersionsOfKind } from "./surveys.server";

export interface Actor {
  id: string;
  role: UserRole;
}

/** Campaigns in these states will send no more invitations, so there is nothing left to predict. */
const FINISHED_CAMPAIGN_STATUSES = ["completed", "cancelled"] as const;

export const LOCKED_MESSAGE = "Locked: the customer has answered; predictions cannot change after that.";

const isId = (value: string) => z.string().uuid().safeParse(value).success;

// ─── The facts the sealing rules need ─────────────────────────────────────────

/**
 * Every completed customer answer for the account (surveys by email or link, and
 * interviews recorded on a customer's behalf), with the campaign its invitation belongs to.
 */
export async function customerAnswersFor(db: Executor, accountId: string): Promise<CustomerAnswerFacts[]> {
  return (await customerAnswersByAccount(db, [accountId])).get(accountId)!;
}

/** One scored customer answer, with what decides whether it counts against a prediction. */
interface CustomerScore {
  responseId: string;
  contactId: string | null;
  campaignId: string | null;
  completedAt: Date;
  dimension: HealthDimension;
  value: number;
}

async function customerScoresSince(db: Executor, accountId: string, since: Date): Promise<CustomerScore[]> {
  return (await customerScoresByAccount(db, [accountId], since)).get(accountId)!;
}

// ─── Comparing a prediction with what the customer said ───────────────────────

export interface DimensionComparison {
  dimension: HealthDimension;
  /** The team's prediction, 0–100. */
  predicted: number;
  /** The customer's latest answer on this dimension since the prediction, 0–100; null until there is one. */
  customer: number | null;
  /** team − customer (DESIGN.md: positive = the team thinks better of the relationship). */
  gap: number | null;
}

/**
 * Per dimension, the customer's latest answer that the prediction predicts (completed after
 * it was made, to its campaign if it names one). A prediction about a key contact is
 * compared with that contact's answers when they have answered, else with the account's.
 * Several questions on one dimension in one response count as their mean.
 */
export function compareWithCustomer(
  prediction: PredictionFacts & { contactId: string | null },
  predicted: readonly { dimension: HealthDimension; value: number }[],
  scores: readonly CustomerScore[],
): { comparedWith: "contact" | "account" | null; dimensions: DimensionComparison[] } {
  const inScope = scores.filter(
    (s) =>
      s.completedAt > prediction.createdAt &&
      (prediction.campaignId === null || s.campaignId === prediction.campaignId),
  );
  const fromContact = prediction.contactId ? inScope.filter((s) => s.contactId === prediction.contactId) : [];
  const counted = fromContact.length > 0 ? fromContact : inScope;
  const comparedWith = counted.length === 0 ? null : fromContact.length > 0 ? "contact" : "account";

  const byDimension = new Map(predicted.map((p) => [p.dimension, p.value]));
  const dimensions = HEALTH_DIMENSIONS.filter((d) => byDimension.has(d)).map((dimension) => {
    const rows = counted.filter((s) => s.dimension === dimension);
    const latest = rows.reduce<CustomerScore | null>(
      (best, s) => (!best || s.completedAt > best.completedAt ? s : best),
      null,
    );
    const fromLatest = latest ? rows.filter((s) => s.responseId === latest.responseId) : [];
    const customer =
      fromLatest.length > 0
        ? Math.round(fromLatest.reduce((sum, s) => sum + s.value, 0) / fromLatest.length)
        : null;
    const team = byDimension.get(dimension)!;
    return { dimension, predicted: team, customer, gap: customer === null ? null : team - customer };
  });
  return { comparedWith, dimensions };
}

/** The first customer answer that the prediction predicts, or null while there is none. */
function answeredAt(prediction: PredictionFacts, facts: readonly CustomerAnswerFacts[]): Date | null {
  const matching = facts.filter((f) => customerHasAnswered(prediction, [f])).map((f) => f.completedAt);
  return matching.length === 0 ? null : new Date(Math.min(...matching.map((d) => d.getTime())));
}

// ─── Reading ──────────────────────────────────────────────────────────────────

/** One value per dimension from the mirror answers (several questions on a dimension: their mean). */
export function derivePredictionValues(model: unknown, data: Record<string, unknown>) {
  const scored = scoreAnswers(createSurveyModel(model), data);
  return HEALTH_DIMENSIONS.flatMap((dimension) => {
    const values = scored.filter((s) => s.dimension === dimension).map((s) => s.value);
    if (values.length === 0) return [];
    return [{ dimension, value: Math.round(values.reduce((a, b) => a + b, 0) / values.length) }];
  });
}

const predictionColumns = {
  id: predictions.id,
  accountId: predictions.accountId,
  accountName: accounts.name,
  accountOwnerId: accounts.ownerId,
  authorId: predictions.authorId,
  authorName: users.name,
  contactId: predictions.contactId,
  contactName: contacts.name,
  campaignId: predictions.campaignId,
  campaignName: campaigns.name,
  surveyVersionId: predictions.surveyVersionId,
  data: predictions.data,
  createdAt: predictions.createdAt,
  updatedAt: predictions.updatedAt,
  authorEmail: users.email,
  // the API's cursor position, to the microsecond
  updatedAtText: updatedAtMicros(predictions.updatedAt),
};

/** Newest first (the account page), or in the order they last changed (the API's cursor). */
async function selectPredictions(
  db: Executor,
  where: SQL | undefined,
  { order = "newest", limit }: { order?: "newest" | "changed"; limit?: number } = {},
) {
  const query = db
    .select(predictionColumns)
    .from(predictions)
    .innerJoin(accounts, eq(accounts.id, predictions.accountId))
    .innerJoin(users, eq(users.id, predictions.authorId))
    .leftJoin(contacts, eq(contacts.id, predictions.contactId))
    .leftJoin(campaigns, eq(campaigns.id, predictions.campaignId))
    .where(where)
    .orderBy(
      ...(order === "changed"
        ? [asc(predictions.updatedAt), asc(predictions.id)]
        : [desc(predictions.createdAt), asc(predictions.id)]),
    );
  const rows = await (limit === undefined ? query : query.limit(limit));
  const values =
    rows.length === 0
      ? []
      : await db
          .select()
          .from(predictionValues)
          .where(
            inArray(
              predictionValues.predictionId,
              rows.map((r) => r.id),
            ),
          );
  return rows.map((row) => ({ ...row, values: values.filter((v) => v.predictionId === row.id) }));
}

type PredictionRow = Awaited<ReturnType<typeof selectPredictions>>[number];

/** What the account page and the prediction page show about one prediction. */
function present(
  row: PredictionRow,
  viewerId: string,
  facts: readonly CustomerAnswerFacts[],
  scores: readonly CustomerScore[],
) {
  const locked = isPredictionLocked(row, facts);
  const comparison = compareWithCustomer(row, row.values, locked ? scores : []);
  return {
    id: row.id,
    accountId: row.accountId,
    accountName: row.accountName,
    author: { id: row.authorId, name: row.authorName },
    contact: row.contactId ? { id: row.contactId, name: row.contactName ?? "" } : null,
    campaign: row.campaignId ? { id: row.campaignId, name: row.campaignName ?? "" } : null,
    /** When it was sealed: the moment the honesty of the prediction is measured from. */
    sealedAt: row.createdAt,
    updatedAt: row.updatedAt,
    isAuthor: row.authorId === viewerId,
    locked,
    customerAnsweredAt: answeredAt(row, facts),
    comparedWith: comparison.comparedWith,
    dimensions: comparison.dimensions,
  };
}

export type PredictionView = ReturnType<typeof present>;

/**
 * An account's predictions that `viewerId` may see (isPredictionVisibleTo): their own,
 * and everyone's once the customer has answered what it predicts. The caller has checked
 * that the viewer may see the account. Newest first.
 */
export async function listAccountPredictionsVisibleTo(
  db: Database,
  accountId: string,
  viewerId: string,
): Promise<PredictionView[]> {
  const [rows, facts] = await Promise.all([
    selectPredictions(db, eq(predictions.accountId, accountId)),
    customerAnswersFor(db, accountId),
  ]);
  const visible = rows.filter((row) => isPredictionVisibleTo(row, viewerId, facts));
  if (visible.length === 0) return [];
  const oldest = new Date(Math.min(...visible.map((r) => r.createdAt.getTime())));
  const scores = await customerScoresSince(db, accountId, oldest);
  return visible.map((row) => present(row, viewerId, facts, scores));
}

/**
 * One prediction as `viewer` may see it, or null when they may not: without view access
 * to its account, or, for anyone but its author, before the customer has answered. The
 * route answers null with 404, so a sealed prediction does not even reveal that it exists.
 */
export async function getPrediction(db: Database, predictionId: string, viewer: Actor) {
  if (!isId(predictionId)) return null;
  const [row] = await selectPredictions(db, eq(predictions.id, predictionId));
  if (!row) return null;
  if (!(await mayAccess(db, viewer, row, "view"))) return null;
  const facts = await customerAnswersFor(db, row.accountId);
  if (!isPredictionVisibleTo(row, viewer.id, facts)) return null;
  const scores = await customerScoresSince(db, row.accountId, row.createdAt);
  const view = present(row, viewer.id, facts, scores);
  const canEdit = view.isAuthor && !view.locked && (await mayAccess(db, viewer, row, "edit"));
  return {
    ...view,
    surveyVersionId: row.surveyVersionId,
    // the raw answers prefill the author's edit; others see the derived values only
    data: view.isAuthor ? ((row.data ?? {}) as Record<string, unknown>) : null,
    confidenceBasis: confidenceBasisOf(row.data),
    canEdit,
  };
}

export type PredictionDetail = NonNullable<Awaited<ReturnType<typeof getPrediction>>>;

/** The mirror's free-text "what makes you confident" answer, if the author gave one. */
function confidenceBasisOf(data: unknown): string | null {
  if (typeof data !== "object" || data === null) return null;
  const value = (data as Record<string, unknown>).confidence_basis;
  return typeof value === "string" && value.trim() !== "" ? value : null;
}

async function mayAccess(
  db: Executor,
  actor: Actor,
  account: { accountId: string; accountOwnerId: string },
  access: "view" | "edit",
) {
  const [member] = await db
    .select({ userId: accountMembers.userId })
    .from(accountMembers)
    .where(and(eq(accountMembers.accountId, account.accountId), eq(accountMembers.userId, actor.id)));
  return canAccessAccount(actor, { ownerId: account.accountOwnerId, isMember: Boolean(member) }, access);
}

// ─── The predict form ─────────────────────────────────────────────────────────

const buyingRoleOrder = sql`case ${contacts.buyingRole} when 'decision_maker' then 0 when 'champion' then 1 else 2 end`;

/**
 * What the predict page offers: the account's contacts (decision-makers and champions
 * first: the people whose view matters most), the campaigns still to come, and the newest
 * mirror survey. Null when there is no such account.
 */
export async function getPredictionForm(db: Database, accountId: string) {
  const [account] = await db
    .select({ id: accounts.id, name: accounts.name })
    .from(accounts)
    .where(eq(accounts.id, accountId));
  if (!account) return null;
  const [contactRows, campaignRows, mirrors] = await Promise.all([
    db
      .select({ id: contacts.id, name: contacts.name, buyingRole: contacts.buyingRole })
      .from(contacts)
      .where(eq(contacts.accountId, accountId))
      .orderBy(buyingRoleOrder, asc(contacts.name), asc(contacts.id)),
    db
      .select({ id: campaigns.id, name: campaigns.name, status: campaigns.status })
      .from(campaigns)
      .where(notInArray(campaigns.status, [...FINISHED_CAMPAIGN_STATUSES]))
      .orderBy(desc(campaigns.createdAt), asc(campaigns.id)),
    latestVersionsOfKind(db, ["mirror"]),
  ]);
  const mirror = mirrors[0] ? await getSurveyVersion(db, mirrors[0].versionId) : null;
  return {
    account,
    contacts: contactRows,
    campaigns: campaignRows,
    survey: mirror
      ? { versionId: mirror.id, title: mirror.title, version: mirror.version, model: mirror.model as object }
      : null,
  };
}

/** "Dana" from "Dana Price": how the mirror's questions name the customer. */
export function firstName(name: string): string {
  return name.trim().split(/\s+/)[0] || name;
}

// ─── Writing ──────────────────────────────────────────────────────────────────

export type CreatePredictionOutcome =
  | { status: "created"; prediction: Prediction }
  | { status: "invalid"; errors: AnswerErrors }
  /** The request names something that cannot be predicted (the field and why). */
  | { status: "refused"; field: string; message: string };

/**
 * Seals a new prediction. The answers are validated in full against the exact mirror
 * version they answer and scored from it; the prediction and its values are written
 * together or not at all. The caller has checked that the author may edit the account.
 */
export async function createPrediction(
  db: Database,
  input: {
    accountId: string;
    authorId: string;
    surveyVersionId: string;
    contactId: string | null;
    campaignId: string | null;
    data: unknown;
  },
): Promise<CreatePredictionOutcome> {
  const version = isId(input.surveyVersionId) ? await getSurveyVersion(db, input.surveyVersionId) : null;
  if (version?.kind !== "mirror") {
    return {
      status: "refused",
      field: "surveyVersionId",
      message: `surveyVersionId ${JSON.stringify(input.surveyVersionId)} is not a version of the mirror survey. Reload the page and try again.`,
    };
  }
  if (input.contactId !== null) {
    const [contact] = isId(input.contactId)
      ? await db
          .select({ id: contacts.id })
          .from(contacts)
          .where(and(eq(contacts.id, input.contactId), eq(contacts.accountId, input.accountId)))
      : [];
    if (!contact) {
      return {
        status: "refused",
        field: "contactId",
        message: `contactId ${JSON.stringify(input.contactId)} is not a contact of this account.`,
      };
    }
  }
  if (input.campaignId !== null) {
    const refusal = await campaignRefusal(db, input.accountId, input.campaignId);
    if (refusal) return { status: "refused", field: "campaignId", message: refusal };
  }
  const checked = validateAnswers(createSurveyModel(version.model), input.data, { complete: true });
  if (!checked.ok) return { status: "invalid", errors: checked.errors };
  const values = derivePredictionValues(version.model, checked.data);

  // The app's clock, like a response's completedAt, so "answered after it was sealed"
  // compares two times from the same clock.
  const now = new Date();
  const created = await db.transaction(async (tx) => {
    const [prediction] = await tx
      .insert(predictions)
      .values({
        accountId: input.accountId,
        authorId: input.authorId,
        contactId: input.contactId,
        campaignId: input.campaignId,
        surveyVersionId: version.id,
        data: checked.data,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    if (values.length > 0) {
      await tx.insert(predictionValues).values(values.map((v) => ({ predictionId: prediction!.id, ...v })));
    }
    return { status: "created" as const, prediction: prediction! };
  });
  // after the commit: the team view of the rollups (docs/health-model.md, "Rollups")
  await queueHealthRefresh(created.prediction.accountId);
  return created;
}

/**
 * Why a campaign cannot be predicted, or null if it can: it must exist and still be to
 * come, and its answers from this account must not have arrived yet (a prediction made
 * after seeing them would not be sealed).
 */
async function campaignRefusal(db: Database, accountId: string, campaignId: string): Promise<string | null> {
  const [campaign] = isId(campaignId)
    ? await db
        .select({ status: campaigns.status, name: campaigns.name })
        .from(campaigns)
        .where(eq(campaigns.id, campaignId))
    : [];
  if (!campaign || (FINISHED_CAMPAIGN_STATUSES as readonly string[]).includes(campaign.status)) {
    return `campaignId ${JSON.stringify(campaignId)} is not a campaign that is still to come.`;
  }
  const facts = await customerAnswersFor(db, accountId);
  if (facts.some((f) => f.campaignId === campaignId)) {
    return `The customer has already answered “${campaign.name}”; predict it before the answers arrive, or predict the next answer instead.`;
  }
  return null;
}

export type UpdatePredictionOutcome =
  | { status: "updated"; prediction: Prediction }
  | { status: "not_found" }
  | { status: "forbidden"; message: string }
  | { status: "locked"; message: string }
  | { status: "invalid"; errors: AnswerErrors };

/**
 * The author changes their answers while the prediction is still sealed (the customer has
 * not answered what it predicts). Replaces the raw answers and the derived values and
 * stamps updatedAt; the sealed-at time stays.
 */
export async function updatePrediction(
  db: Database,
  actor: Actor,
  predictionId: string,
  data: unknown,
): Promise<UpdatePredictionOutcome> {
  if (!isId(predictionId)) return { status: "not_found" };
  const outcome = await db.transaction(async (tx): Promise<UpdatePredictionOutcome> => {
    // The row lock makes two edits of one prediction take turns.
    const [prediction] = await tx
      .select({
        id: predictions.id,
        accountId: predictions.accountId,
        accountOwnerId: accounts.ownerId,
        authorId: predictions.authorId,
        campaignId: predictions.campaignId,
        createdAt: predictions.createdAt,
        surveyVersionId: predictions.surveyVersionId,
      })
      .from(predictions)
      .innerJoin(accounts, eq(accounts.id, predictions.accountId))
      .where(eq(predictions.id, predictionId))
      .for("update", { of: predictions });
    if (!prediction || !(await mayAccess(tx, actor, prediction, "view")))
      return { status: "not_found" as const };
    const facts = await customerAnswersFor(tx, prediction.accountId);
    // Someone who may not see it learns nothing, not even that it exists.
    if (!isPredictionVisibleTo(prediction, actor.id, facts)) return { status: "not_found" as const };
    if (prediction.authorId !== actor.id) {
      return { status: "forbidden" as const, message: "Only the author of a prediction can change it." };
    }
    if (!(await mayAccess(tx, actor, prediction, "edit"))) {
      return {
        status: "forbidden" as const,
        message: "You are no longer on this account's team, so you cannot change its predictions.",
      };
    }
    if (isPredictionLocked(prediction, facts)) return { status: "locked" as const, message: LOCKED_MESSAGE };

    const [version] = prediction.surveyVersionId
      ? await tx
          .select({ model: surveyVersions.model })
          .from(surveyVersions)
          .where(eq(surveyVersions.id, prediction.surveyVersionId))
      : [];
    if (!version) {
      return {
        status: "forbidden" as const,
        message: "This prediction was not made with a mirror survey, so it cannot be edited here.",
      };
    }
    const checked = validateAnswers(createSurveyModel(version.model), data, { complete: true });
    if (!checked.ok) return { status: "invalid" as const, errors: checked.errors };
    const values = derivePredictionValues(version.model, checked.data);

    const [updated] = await tx
      .update(predictions)
      .set({ data: checked.data, updatedAt: new Date() })
      .where(eq(predictions.id, prediction.id))
      .returning();
    await tx.delete(predictionValues).where(eq(predictionValues.predictionId, prediction.id));
    if (values.length > 0) {
      await tx.insert(predictionValues).values(values.map((v) => ({ predictionId: prediction.id, ...v })));
    }
    return { status: "updated" as const, prediction: updated! };
  });
  if (outcome.status === "updated") await queueHealthRefresh(outcome.prediction.accountId);
  return outcome;
}

// ─── Reading for the API (app/lib/api/predictions.server.ts) ──────────────────

/** customerAnswersFor, for several accounts in one query: every account asked has an entry. */
async function customerAnswersByAccount(db: Executor, accountIds: string[]) {
  const byAccount = new Map<string, CustomerAnswerFacts[]>(accountIds.map((id) => [id, []]));
  if (accountIds.length === 0) return byAccount;
  const rows = await db
    .select({
      accountId: responses.accountId,
      completedAt: responses.completedAt,
      campaignId: invitations.campaignId,
    })
    .from(responses)
    .leftJoin(invitations, eq(invitations.id, responses.invitationId))
    .where(
      and(
        inArray(responses.accountId, accountIds),
        eq(responses.isComplete, true),
        isNotNull(responses.completedAt),
      ),
    );
  for (const row of rows) {
    byAccount
      .get(row.accountId!)
      ?.push({ completedAt: row.completedAt!, campaignId: row.campaignId ?? null });
  }
  return byAccount;
}

/** customerScoresSince, for several accounts in one query: every account asked has an entry. */
async function customerScoresByAccount(db: Executor, accountIds: string[], since: Date) {
  const byAccount = new Map<string, CustomerScore[]>(accountIds.map((id) => [id, []]));
  if (accountIds.length === 0) return byAccount;
  const rows = await db
    .select({
      accountId: responses.accountId,
      responseId: responses.id,
      contactId: responses.contactId,
      campaignId: invitations.campaignId,
      completedAt: responses.completedAt,
      dimension: answers.dimension,
      value: answers.value,
    })
    .from(answers)
    .innerJoin(responses, eq(responses.id, answers.responseId))
    .leftJoin(invitations, eq(invitations.id, responses.invitationId))
    .where(
      and(
        inArray(responses.accountId, accountIds),
        eq(responses.isComplete, true),
        gt(responses.completedAt, since),
      ),
    );
  for (const { accountId, ...row } of rows) {
    byAccount
      .get(accountId!)
      ?.push({ ...row, campaignId: row.campaignId ?? null, completedAt: row.completedAt! });
  }
  return byAccount;
}

/** The rows `viewerId` may see (isPredictionVisibleTo), presented as the account page presents them. */
async function presentVisible(db: Executor, rows: PredictionRow[], viewerId: string | null) {
  const viewer = viewerId ?? "";
  const accountIds = [...new Set(rows.map((r) => r.accountId))];
  const facts = await customerAnswersByAccount(db, accountIds);
  const visible = rows.filter((row) => isPredictionVisibleTo(row, viewer, facts.get(row.accountId) ?? []));
  const locked = visible.filter((row) => isPredictionLocked(row, facts.get(row.accountId) ?? []));
  const scores =
    locked.length === 0
      ? new Map<string, CustomerScore[]>()
      : await customerScoresByAccount(
          db,
          [...new Set(locked.map((r) => r.accountId))],
          new Date(Math.min(...locked.map((r) => r.createdAt.getTime()))),
        );
  return visible.map((row) => ({
    ...present(row, viewer, facts.get(row.accountId) ?? [], scores.get(row.accountId) ?? []),
    authorEmail: row.authorEmail,
    updatedAtText: row.updatedAtText,
  }));
}

export type ChangeOrderPredictionView = Awaited<ReturnType<typeof presentVisible>>[number];

/**
 * A page of the predictions `viewerId` may see (their own, and everyone's once the customer
 * has answered what it predicts: isPredictionVisibleTo), in the order they last changed
 * (updatedAt, then id), optionally of one account. A null viewer sees only locked ones.
 * Access to the accounts is the caller's to check. Hidden predictions are skipped without
 * shortening the page: the scan goes on past them until the page is full.
 */
export async function listPredictionsVisibleTo(
  db: Executor,
  viewerId: string | null,
  options: ChangePageOptions & { accountId?: string },
) {
  // cheap superset of visibility in SQL (the viewer's own, or a completed answer since);
  // the exact rule (the campaign it names) runs in presentVisible
  const mayBeVisible = or(
    viewerId ? eq(predictions.authorId, viewerId) : undefined,
    exists(
      db
        .select({ one: sql`1` })
        .from(responses)
        .where(
          and(
            eq(responses.accountId, predictions.accountId),
            eq(responses.isComplete, true),
            gt(responses.completedAt, predictions.createdAt),
          ),
        ),
    ),
  );
  const batch = Math.min(Math.max(options.limit + 1, 50), 500);
  const shown: ChangeOrderPredictionView[] = [];
  let cursor = options.cursor;
  for (;;) {
    const rows = await selectPredictions(
      db,
      and(
        options.accountId ? eq(predictions.accountId, options.accountId) : undefined,
        mayBeVisible,
        changedAfter(predictions.updatedAt, predictions.id, { ...options, cursor }),
      ),
      { order: "changed", limit: batch },
    );
    shown.push(...(await presentVisible(db, rows, viewerId)));
    const last = rows.at(-1);
    if (shown.length > options.limit || rows.length < batch || !last) break;
    cursor = { updatedAt: last.updatedAtText, id: last.id };
  }
  return pageOf(shown.slice(0, options.limit + 1), options.limit);
}

/** One prediction as listPredictionsVisibleTo shows it, or null when `viewerId` may not see it (or there is none). */
export async function getPredictionVisibleTo(db: Executor, viewerId: string | null, predictionId: string) {
  if (!isId(predictionId)) return null;
  const rows = await selectPredictions(db, eq(predictions.id, predictionId), { limit: 1 });
  const [view] = await presentVisible(db, rows, viewerId);
  return view ?? null;
}
