/**
 * Keeps the health rollups (docs/health-model.md, "Rollups") current: reads one account's raw
 * rows, lets the pure model compute its rows (health-rollups.ts) and replaces what is stored.
 * Writes queue `health.refresh-account` through `queueHealthRefresh`; the nightly run and
 * `npm run health:rebuild` refresh every account.
 */
import { and, asc, eq, gt, inArray, isNotNull, isNull, notExists, sql } from "drizzle-orm";
import { z } from "zod";
import {
  accountDimensionHealth,
  accountHealth,
  accounts,
  answers,
  contacts,
  healthMonthly,
  interactionContacts,
  interactions,
  invitations,
  predictions,
  predictionValues,
  responses,
  responseVerbatims,
  surveyDefinitions,
  surveyVersions,
} from "../../db/schema";
import type { Database, Executor } from "../lib/db.server";
import { getRunningBoss } from "../lib/jobs.server";
import { log } from "../lib/log.server";
import { computeAccountRollup, HEALTH_REFRESH_JOB, type AccountRollupInput } from "./health-rollups";
import { verbatimQuestions } from "./survey-verbatims";

export { HEALTH_REFRESH_JOB };

/** The raw rows the rollups of one account are computed from, or null when there is no such account. */
export async function loadAccountRollupInput(
  db: Executor,
  accountId: string,
  now: Date,
): Promise<AccountRollupInput | null> {
  const [account] = await db
    .select({ id: accounts.id, targetCadenceDays: accounts.targetCadenceDays })
    .from(accounts)
    .where(eq(accounts.id, accountId));
  if (!account) return null;
  const complete = and(
    eq(responses.accountId, accountId),
    eq(responses.isComplete, true),
    isNotNull(responses.completedAt),
  );
  // a fixed order, so sums over them come out identical on every refresh and rebuild
  const [answerRows, responseRows, predictionRows, interactionRows, keyContacts, invitationRows] =
    await Promise.all([
      db
        .select({
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
        .where(complete)
        .orderBy(asc(answers.id)),
      db
        .select({
          id: responses.id,
          contactId: responses.contactId,
          completedAt: responses.completedAt,
          campaignId: invitations.campaignId,
        })
        .from(responses)
        .leftJoin(invitations, eq(invitations.id, responses.invitationId))
        .where(complete)
        .orderBy(asc(responses.id)),
      db
        .select({
          authorId: predictions.authorId,
          contactId: predictions.contactId,
          madeAt: predictions.createdAt,
          campaignId: predictions.campaignId,
          dimension: predictionValues.dimension,
          value: predictionValues.value,
        })
        .from(predictionValues)
        .innerJoin(predictions, eq(predictions.id, predictionValues.predictionId))
        .where(eq(predictions.accountId, accountId))
        .orderBy(asc(predictions.id), asc(predictionValues.dimension)),
      db
        .select({
          kind: interactions.kind,
          occurredAt: interactions.occurredAt,
          engagementQuality: interactions.engagementQuality,
          equityEffect: interactions.equityEffect,
          equityWeight: interactions.equityWeight,
          commitmentStatus: interactions.commitmentStatus,
          commitmentResolvedAt: interactions.commitmentResolvedAt,
          contactIds: sql<string[]>`coalesce((
            select array_agg(${interactionContacts.contactId}::text order by ${interactionContacts.contactId})
            from ${interactionContacts} where ${interactionContacts.interactionId} = ${interactions.id}
          ), '{}')`,
        })
        .from(interactions)
        .where(eq(interactions.accountId, accountId))
        .orderBy(asc(interactions.occurredAt), asc(interactions.id)),
      db
        .select({ id: contacts.id })
        .from(contacts)
        .where(
          and(
            eq(contacts.accountId, accountId),
            inArray(contacts.buyingRole, ["decision_maker", "champion"]),
            isNull(contacts.optedOutAt),
          ),
        )
        .orderBy(asc(contacts.id)),
      db
        .select({ contactId: invitations.contactId, sentAt: invitations.sentAt, status: invitations.status })
        .from(invitations)
        .innerJoin(contacts, eq(contacts.id, invitations.contactId))
        .where(eq(contacts.accountId, accountId))
        .orderBy(asc(invitations.id)),
    ]);
  return {
    accountId,
    now,
    answers: answerRows.map((row) => ({ ...row, completedAt: row.completedAt!, buyingRole: row.buyingRole })),
    responses: responseRows.map((row) => ({ ...row, completedAt: row.completedAt! })),
    predictions: predictionRows,
    interactions: interactionRows,
    targetCadenceDays: account.targetCadenceDays,
    keyContactIds: keyContacts.map((c) => c.id),
    invitations: invitationRows,
  };
}

/**
 * Recomputes one account's rollups from its raw rows as of `now` and replaces the stored
 * ones, in one transaction. Refreshes of one account take turns (an advisory lock), and each
 * reads the rows only once it holds the lock, so the last to finish saw the latest writes.
 * Idempotent: the same rows at the same `now` store the same rows. False when the account is gone.
 */
export async function refreshAccountHealth(
  db: Database,
  accountId: string,
  now: Date = new Date(),
): Promise<boolean> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`health-rollup:${accountId}`}, 0))`);
    const input = await loadAccountRollupInput(tx, accountId, now);
    // rows of a deleted account went with it (on delete cascade)
    if (!input) return false;
    const rollup = computeAccountRollup(input);
    await tx.delete(accountHealth).where(eq(accountHealth.accountId, accountId));
    await tx.delete(accountDimensionHealth).where(eq(accountDimensionHealth.accountId, accountId));
    await tx.delete(healthMonthly).where(eq(healthMonthly.accountId, accountId));
    await tx.insert(accountHealth).values(rollup.account);
    if (rollup.dimensions.length > 0) await tx.insert(accountDimensionHealth).values(rollup.dimensions);
    if (rollup.monthly.length > 0) await tx.insert(healthMonthly).values(rollup.monthly);
    await replaceVerbatims(tx, accountId);
    return true;
  });
}

/**
 * Per survey version, the answer keys that can hold the customer's own words (none for the
 * mirror: that is the team speaking). Versions never change once published, so each is read once.
 */
const verbatimKeysByVersion = new Map<string, readonly string[]>();

async function verbatimKeys(db: Executor, accountId: string): Promise<Record<string, readonly string[]>> {
  const used = await db
    .selectDistinct({ id: responses.surveyVersionId })
    .from(responses)
    .where(eq(responses.accountId, accountId));
  const unread = used.map((u) => u.id).filter((id) => !verbatimKeysByVersion.has(id));
  if (unread.length > 0) {
    const versions = await db
      .select({ id: surveyVersions.id, model: surveyVersions.model, kind: surveyDefinitions.kind })
      .from(surveyVersions)
      .innerJoin(surveyDefinitions, eq(surveyDefinitions.id, surveyVersions.definitionId))
      .where(inArray(surveyVersions.id, unread));
    for (const v of versions)
      verbatimKeysByVersion.set(v.id, v.kind === "mirror" ? [] : Object.keys(verbatimQuestions(v.model)));
  }
  return Object.fromEntries(used.map((u) => [u.id, verbatimKeysByVersion.get(u.id) ?? []]));
}

/** Rewrites the account's `response_verbatims` from its completed responses' answers, set-based. */
async function replaceVerbatims(tx: Executor, accountId: string) {
  await tx.delete(responseVerbatims).where(eq(responseVerbatims.accountId, accountId));
  const keys = await verbatimKeys(tx, accountId);
  if (!Object.values(keys).some((names) => names.length > 0)) return;
  const trimmed = sql`btrim(verbatim.text, E' \\t\\r\\n')`;
  await tx.execute(sql`
    insert into ${responseVerbatims} (response_id, question, account_id, survey_version_id, completed_at, text)
    select ${responses.id}, verbatim.question, ${responses.accountId}, ${responses.surveyVersionId},
      ${responses.completedAt}, ${trimmed}
    from ${responses}
    cross join lateral jsonb_each_text(${responses.data}) as verbatim(question, text)
    where ${responses.accountId} = ${accountId}
      and ${responses.isComplete}
      and ${responses.completedAt} is not null
      and jsonb_exists(${JSON.stringify(keys)}::jsonb -> ${responses.surveyVersionId}::text, verbatim.question)
      and ${trimmed} <> ''`);
}

export interface RebuildResult {
  accounts: number;
  ms: number;
}

/**
 * Recomputes every account's rollups from the raw rows (`npm run health:rebuild`, the nightly
 * job, and start-up when some are missing), one account per transaction, at one `now`.
 * `concurrency` accounts are refreshed side by side (a refresh is half database, half
 * JavaScript, so a few at once keep both busy); give the pool at least that many connections.
 */
export async function rebuildHealthRollups(
  db: Database,
  now: Date = new Date(),
  { batchSize = 200, concurrency = 1 }: { batchSize?: number; concurrency?: number } = {},
): Promise<RebuildResult> {
  const started = Date.now();
  let after: string | undefined;
  let count = 0;
  for (;;) {
    const batch = await db
      .select({ id: accounts.id })
      .from(accounts)
      .where(after ? gt(accounts.id, after) : undefined)
      .orderBy(asc(accounts.id))
      .limit(batchSize);
    let next = 0;
    const refreshNext = async () => {
      while (next < batch.length) {
        const { id } = batch[next++]!;
        if (await refreshAccountHealth(db, id, now)) count += 1;
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, concurrency) }, refreshNext));
    if (batch.length < batchSize) break;
    after = batch.at(-1)!.id;
  }
  return { accounts: count, ms: Date.now() - started };
}

/** Builds the rollups when some account has none yet (the first start, or the first after upgrading). */
export async function ensureHealthRollups(
  db: Database,
  now: Date = new Date(),
): Promise<RebuildResult | null> {
  const [missing] = await db
    .select({ id: accounts.id })
    .from(accounts)
    .where(
      notExists(
        db
          .select({ one: sql`1` })
          .from(accountHealth)
          .where(eq(accountHealth.accountId, accounts.id)),
      ),
    )
    .limit(1);
  return missing ? rebuildHealthRollups(db, now, { concurrency: 2 }) : null;
}

/**
 * Asks the worker to refresh an account's rollups soon. One queued refresh per account at a
 * time (singletonKey + the queue's "stately" policy), so a burst of writes costs one refresh.
 * Does nothing when no pg-boss runs in this process (tests, scripts): then rollups are built
 * by `npm run health:rebuild` or an explicit `refreshAccountHealth`. Call it after the write's
 * transaction has committed. A failure to queue is logged, not thrown: the write is saved and
 * the nightly refresh catches up.
 */
export async function queueHealthRefresh(accountId: string | null | undefined): Promise<boolean> {
  const boss = getRunningBoss();
  if (!boss || !accountId) return false;
  try {
    await boss.send(HEALTH_REFRESH_JOB, { accountId }, { singletonKey: accountId });
    return true;
  } catch (error) {
    log.warn("health.refresh_not_queued", { accountId, error });
    return false;
  }
}

/** `queueHealthRefresh` for every distinct account of a batch write (imports, campaign sends). */
export async function queueHealthRefreshes(accountIds: Iterable<string | null | undefined>): Promise<number> {
  let queued = 0;
  for (const accountId of new Set(accountIds)) if (await queueHealthRefresh(accountId)) queued += 1;
  return queued;
}

const jobData = z.object({ accountId: z.string().uuid().optional() });

/** The job: `{ accountId }` refreshes that account; the nightly schedule's `{}` refreshes all. */
export async function runHealthRefreshJob(db: Database, data: object): Promise<void> {
  const parsed = jobData.safeParse(data);
  if (!parsed.success) {
    log.warn("health.refresh_bad_job", { data });
    return;
  }
  if (parsed.data.accountId) {
    await refreshAccountHealth(db, parsed.data.accountId);
    return;
  }
  // two at a time: the worker's pool also serves the other jobs
  const result = await rebuildHealthRollups(db, new Date(), { concurrency: 2 });
  log.info("health.rebuilt", { ...result });
}
