/**
 * Keeps the health rollups (docs/health-model.md, "Rollups") current: reads one account's raw
 * rows, lets the pure model compute its rows (health-rollups.ts) and replaces what is stored.
 * Writes queue `health.refresh-account` through `queueHealthRefresh`; the nightly run and
 * `npm run health:rebuild` refresh every account.
 */
import { and, asc, eq, gt, inArray, isNotNull, isNull, lte, notExists, sql } from "drizzle-orm";
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
  return (await loadAccountRollupInputs(db, [accountId], now)).get(accountId) ?? null;
}

/** Rows grouped by account, each group in the order the query returned them. */
function byAccount<T extends { accountId: string | null }>(rows: T[]): Map<string, Omit<T, "accountId">[]> {
  const grouped = new Map<string, Omit<T, "accountId">[]>();
  for (const { accountId, ...row } of rows) {
    if (accountId === null) continue;
    const group = grouped.get(accountId);
    if (group) group.push(row);
    else grouped.set(accountId, [row]);
  }
  return grouped;
}

/**
 * The raw rows of several accounts at once (one query per kind of row, not per account), by
 * account id; accounts that do not exist are missing from the map. Each account's rows come
 * in a fixed order, so sums over them come out identical on every refresh and rebuild.
 */
export async function loadAccountRollupInputs(
  db: Executor,
  accountIds: readonly string[],
  now: Date,
): Promise<Map<string, AccountRollupInput>> {
  const ids = [...accountIds];
  const found = await db
    .select({ id: accounts.id, targetCadenceDays: accounts.targetCadenceDays })
    .from(accounts)
    .where(inArray(accounts.id, ids));
  if (found.length === 0) return new Map();
  const complete = and(
    inArray(responses.accountId, ids),
    eq(responses.isComplete, true),
    isNotNull(responses.completedAt),
  );
  const [answerRows, responseRows, predictionRows, interactionRows, keyContacts, invitationRows] =
    await Promise.all([
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
        .where(complete)
        .orderBy(asc(answers.id)),
      db
        .select({
          accountId: responses.accountId,
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
          accountId: predictions.accountId,
          authorId: predictions.authorId,
          contactId: predictions.contactId,
          madeAt: predictions.createdAt,
          campaignId: predictions.campaignId,
          dimension: predictionValues.dimension,
          value: predictionValues.value,
        })
        .from(predictionValues)
        .innerJoin(predictions, eq(predictions.id, predictionValues.predictionId))
        .where(inArray(predictions.accountId, ids))
        .orderBy(asc(predictions.id), asc(predictionValues.dimension)),
      db
        .select({
          accountId: interactions.accountId,
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
        .where(inArray(interactions.accountId, ids))
        .orderBy(asc(interactions.occurredAt), asc(interactions.id)),
      db
        .select({ accountId: contacts.accountId, id: contacts.id })
        .from(contacts)
        .where(
          and(
            inArray(contacts.accountId, ids),
            inArray(contacts.buyingRole, ["decision_maker", "champion"]),
            isNull(contacts.optedOutAt),
          ),
        )
        .orderBy(asc(contacts.id)),
      db
        .select({
          accountId: contacts.accountId,
          contactId: invitations.contactId,
          sentAt: invitations.sentAt,
          status: invitations.status,
        })
        .from(invitations)
        .innerJoin(contacts, eq(contacts.id, invitations.contactId))
        .where(inArray(contacts.accountId, ids))
        .orderBy(asc(invitations.id)),
    ]);
  const answersOf = byAccount(answerRows);
  const responsesOf = byAccount(responseRows);
  const predictionsOf = byAccount(predictionRows);
  const interactionsOf = byAccount(interactionRows);
  const keyContactsOf = byAccount(keyContacts);
  const invitationsOf = byAccount(invitationRows);
  return new Map(
    found.map((account) => [
      account.id,
      {
        accountId: account.id,
        now,
        answers: (answersOf.get(account.id) ?? []).map((row) => ({ ...row, completedAt: row.completedAt! })),
        responses: (responsesOf.get(account.id) ?? []).map((row) => ({
          ...row,
          completedAt: row.completedAt!,
        })),
        predictions: predictionsOf.get(account.id) ?? [],
        interactions: interactionsOf.get(account.id) ?? [],
        targetCadenceDays: account.targetCadenceDays,
        keyContactIds: (keyContactsOf.get(account.id) ?? []).map((c) => c.id),
        invitations: invitationsOf.get(account.id) ?? [],
      },
    ]),
  );
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
  return (await refreshAccountsHealth(db, [accountId], now)) === 1;
}

/** Rows per insert statement: far below Postgres's 65,535 parameters for the widest table. */
const INSERT_CHUNK = 500;

async function insertChunked<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) await insert(rows.slice(i, i + INSERT_CHUNK));
}

/**
 * `refreshAccountHealth` for several accounts in one transaction (a rebuild's batch): the
 * locks are taken in id order, so two batches never wait on each other in a circle. Returns
 * how many of the accounts exist (and were refreshed).
 */
export async function refreshAccountsHealth(
  db: Database,
  accountIds: readonly string[],
  now: Date = new Date(),
): Promise<number> {
  const ids = [...new Set(accountIds)].sort();
  if (ids.length === 0) return 0;
  return db.transaction(async (tx) => {
    const idList = sql.join(
      ids.map((id) => sql`${id}`),
      sql`, `,
    );
    await tx.execute(sql`
      select pg_advisory_xact_lock(hashtextextended('health-rollup:' || id, 0))
      from unnest(array[${idList}]::text[]) as id order by id`);
    const inputs = await loadAccountRollupInputs(tx, ids, now);
    // rows of a deleted account went with it (on delete cascade)
    const present = [...inputs.keys()];
    if (present.length === 0) return 0;
    const rollups = [...inputs.values()].map(computeAccountRollup);
    await tx.delete(accountHealth).where(inArray(accountHealth.accountId, present));
    await tx.delete(accountDimensionHealth).where(inArray(accountDimensionHealth.accountId, present));
    await tx.delete(healthMonthly).where(inArray(healthMonthly.accountId, present));
    await insertChunked(
      rollups.flatMap((r) => r.account),
      (chunk) => tx.insert(accountHealth).values(chunk),
    );
    await insertChunked(
      rollups.flatMap((r) => r.dimensions),
      (chunk) => tx.insert(accountDimensionHealth).values(chunk),
    );
    await insertChunked(
      rollups.flatMap((r) => r.monthly),
      (chunk) => tx.insert(healthMonthly).values(chunk),
    );
    await replaceVerbatims(tx, present);
    return present.length;
  });
}

/**
 * Per survey version, the answer keys that can hold the customer's own words (none for the
 * mirror: that is the team speaking). Versions never change once published, so each is read once.
 */
const verbatimKeysByVersion = new Map<string, readonly string[]>();

async function verbatimKeys(
  db: Executor,
  accountIds: readonly string[],
): Promise<Record<string, readonly string[]>> {
  const used = await db
    .selectDistinct({ id: responses.surveyVersionId })
    .from(responses)
    .where(inArray(responses.accountId, [...accountIds]));
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

/** Rewrites the accounts' `response_verbatims` from their completed responses' answers, set-based. */
async function replaceVerbatims(tx: Executor, accountIds: readonly string[]) {
  await tx.delete(responseVerbatims).where(inArray(responseVerbatims.accountId, [...accountIds]));
  const keys = await verbatimKeys(tx, accountIds);
  if (!Object.values(keys).some((names) => names.length > 0)) return;
  const trimmed = sql`btrim(verbatim.text, E' \\t\\r\\n')`;
  await tx.execute(sql`
    insert into ${responseVerbatims} (response_id, question, account_id, survey_version_id, completed_at, text)
    select ${responses.id}, verbatim.question, ${responses.accountId}, ${responses.surveyVersionId},
      ${responses.completedAt}, ${trimmed}
    from ${responses}
    cross join lateral jsonb_each_text(${responses.data}) as verbatim(question, text)
    where ${inArray(responses.accountId, [...accountIds])}
      and ${responses.isComplete}
      and ${responses.completedAt} is not null
      and jsonb_exists(${JSON.stringify(keys)}::jsonb -> ${responses.surveyVersionId}::text, verbatim.question)
      and ${trimmed} <> ''`);
}

export interface RebuildResult {
  accounts: number;
  ms: number;
}

/** Accounts refreshed in one transaction by a rebuild: one query per kind of row for all of them. */
const REBUILD_BATCH = 25;

/**
 * Recomputes every account's rollups from the raw rows (`npm run health:rebuild`, the nightly
 * job, and start-up when some are missing) at one `now`, in transactions of
 * `REBUILD_BATCH` accounts. `concurrency` batches run side by side (a refresh is half
 * database, half JavaScript, so two keep both busy); give the pool that many connections.
 */
export async function rebuildHealthRollups(
  db: Database,
  now: Date = new Date(),
  {
    concurrency = 1,
    batchSize = REBUILD_BATCH,
    after: from,
    through,
  }: {
    concurrency?: number;
    batchSize?: number;
    /** Only accounts whose id sorts after this one (a share of a rebuild split across processes). */
    after?: string;
    /** Only accounts whose id sorts at or before this one. */
    through?: string;
  } = {},
): Promise<RebuildResult> {
  const started = Date.now();
  let after: string | undefined = from;
  let count = 0;
  for (;;) {
    const page = await db
      .select({ id: accounts.id })
      .from(accounts)
      .where(and(after ? gt(accounts.id, after) : undefined, through ? lte(accounts.id, through) : undefined))
      .orderBy(asc(accounts.id))
      .limit(batchSize * Math.max(1, concurrency) * 4);
    const batches: string[][] = [];
    for (let i = 0; i < page.length; i += batchSize)
      batches.push(page.slice(i, i + batchSize).map((a) => a.id));
    let next = 0;
    const refreshNext = async () => {
      while (next < batches.length) {
        // not `count += await …`: that reads `count` before the other batches add theirs
        const refreshed = await refreshAccountsHealth(db, batches[next++]!, now);
        count += refreshed;
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, concurrency) }, refreshNext));
    if (page.length < batchSize * Math.max(1, concurrency) * 4) break;
    after = page.at(-1)!.id;
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
