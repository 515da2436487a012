/**
 * How the server holds up under customers storing their answers, the way the survey page
 * sends them: 2,000 autosaves of the first page, then 2,000 final submits, 50 at a time, each
 * invitation once. Every submit must come back 200 and be stored as a completed response.
 *
 * The baseline, in the same run: the SQL those routes run, replayed straight through
 * postgres.js on a pool the size of the app's (10, app/start.server.ts → connectDb), with the
 * same statements sent the same way (one after another, or together where the app pipelines
 * them), 50 at a time on invitations of their own. The statements are
 * the ones postgres.js's `debug` hook shows for `resolveSurveyToken` + `saveProgress` /
 * `submitAnswers` (app/lib/survey-access.server.ts, app/domain/responses.server.ts). Not
 * replayed: the submit's two pg-boss jobs queued after the commit (health refresh, webhook
 * delivery), which go through pg-boss's own pool — leaving them out only makes the baseline faster.
 */
import { and, count, eq, inArray } from "drizzle-orm";
import postgres from "postgres";
import { responses } from "../../db/schema";
import { CUSTOMER_HEALTH_DIMENSIONS } from "../../app/domain/cases";
import { hashSurveyToken } from "../../app/domain/survey-links.server";
import { createSurveyModel, scoreAnswers } from "../../app/domain/survey-model";
import { latestSurveyVersion } from "../../app/domain/surveys.server";
import { INVALID_SURVEY_TOKEN_LIMIT } from "../../app/lib/rate-limit.server";
import type { Benchmark } from "./benchmark";
import type { BenchContext } from "./context";
import { timingFigure, type Figure } from "./figures";
import { describeFailures, postJson, timeRequests, type TimedResult } from "./measure";
import { cpuFigure, throughput } from "./survey-page-time";
import { ALL_AGREE, ALL_AGREE_FIRST_PAGE } from "../support/answers";

const INVITATIONS = 2000;
const CONCURRENCY = 50;
const WARM_UP = 50;
/** The web process's pool (connectDb's default, which app/start.server.ts keeps). */
const APP_POOL_SIZE = 10;

type Invitation = { token: string; invitationId: string };

export const surveyAnswersTime: Benchmark = {
  name: "survey answers server time",
  async run(context) {
    const save = ({ token }: Invitation, index: number) =>
      postJson(`${context.baseUrl}/s/${token}/save`, {
        data: ALL_AGREE_FIRST_PAGE,
        currentPage: 0,
        sequence: index + 1,
      });
    const submit = ({ token }: Invitation) =>
      postJson(`${context.baseUrl}/s/${token}/submit`, { data: ALL_AGREE });

    const warmUp = await context.createInvitations(WARM_UP);
    await timeRequests(warmUp, CONCURRENCY, save);
    await timeRequests(warmUp, CONCURRENCY, submit);

    const raw = await rawSql(context);
    try {
      const rawWarmUp = await context.createInvitations(WARM_UP);
      await timeRequests(rawWarmUp, CONCURRENCY, raw.save);
      await timeRequests(rawWarmUp, CONCURRENCY, raw.submit);

      const invitations = await context.createInvitations(INVITATIONS);
      const rawInvitations = await context.createInvitations(INVITATIONS);
      const rawSaves = await throughput(context, () => timeRequests(rawInvitations, CONCURRENCY, raw.save));
      const saves = await throughput(context, () => timeRequests(invitations, CONCURRENCY, save));
      const rawSubmits = await throughput(context, () =>
        timeRequests(rawInvitations, CONCURRENCY, raw.submit),
      );
      const submits = await throughput(context, () => timeRequests(invitations, CONCURRENCY, submit));
      for (const failure of [
        describeFailures("POST /s/:token/save", saves.results),
        describeFailures("POST /s/:token/submit", submits.results),
        describeFailures("raw SQL of the save", rawSaves.results),
        describeFailures("raw SQL of the submit", rawSubmits.results),
      ]) {
        if (failure) context.problem(failure);
      }

      const [stored] = await context.db
        .select({ n: count() })
        .from(responses)
        .where(
          and(
            inArray(
              responses.invitationId,
              invitations.map((i) => i.invitationId),
            ),
            eq(responses.isComplete, true),
          ),
        );
      const completed = stored?.n ?? 0;
      if (completed !== INVITATIONS) {
        context.problem(`only ${completed} of ${INVITATIONS} submits are stored as completed responses`);
      }

      return [
        ...figures(`POST /s/:token/save, autosave, ${CONCURRENCY} concurrent`, saves, rawSaves),
        ...figures(`POST /s/:token/submit, ${CONCURRENCY} concurrent`, submits, rawSubmits),
        { name: `Submits stored as completed responses`, unit: `of ${INVITATIONS}`, value: completed },
      ];
    } finally {
      await raw.close();
    }
  },
};

type Measured = { results: TimedResult[]; perSecond: number; cpuMsPerRequest: number };

function figures(name: string, ours: Measured, raw: Measured): Figure[] {
  return [
    timingFigure(
      `${name} (n=${ours.results.length})`,
      ours.results.map((r) => r.ms),
      { budget: 100 },
    ),
    timingFigure(
      `  its SQL replayed raw (n=${raw.results.length})`,
      raw.results.map((r) => r.ms),
    ),
    {
      name: `  throughput vs its raw SQL`,
      unit: "req/s",
      value: ours.perSecond,
      baseline: raw.perSecond,
      ratio: ours.perSecond / raw.perSecond,
      ratioAtLeast: 0.3,
    },
    cpuFigure(`  web process CPU per request`, ours),
  ];
}

/** The statements of a save and of a submit, as `timeRequests` requests (200 when all ran). */
async function rawSql(context: BenchContext) {
  const sql = postgres(context.databaseUrl, { max: APP_POOL_SIZE, onnotice: () => {} });
  const version = await latestSurveyVersion(context.db, "relationship-health");
  const model = createSurveyModel(version!.model);
  const firstPageScores = scoreAnswers(model, ALL_AGREE_FIRST_PAGE);
  const completeScores = scoreAnswers(model, ALL_AGREE);
  const ok = () => ({ status: 200, headers: {}, body: "" });
  const rateLimit = INVALID_SURVEY_TOKEN_LIMIT;
  const address = "unknown";

  /** resolveSurveyToken: the address's invalid tokens, then the invitation behind the token. */
  const resolve = async (token: string) => {
    await sql`select count(*) from rate_limit_hits
      where bucket = ${rateLimit.bucket} and key = ${address}
        and created_at > ${new Date(Date.now() - rateLimit.windowMs)}`;
    const [found] = await sql`select i.*, c.name as contact_name, c.language, a.id as account_id,
        a.name as account_name, u.name as owner_name, u.email, d.title, d.kind, v.model
      from invitation_tokens t
      join invitations i on i.id = t.invitation_id
      join contacts c on c.id = i.contact_id
      join accounts a on a.id = c.account_id
      join users u on u.id = a.owner_id
      join survey_versions v on v.id = i.survey_version_id
      join survey_definitions d on d.id = v.definition_id
      where t.token_hash = ${hashSurveyToken(token)} limit 1`;
    if (!found) throw new Error("raw SQL: the token opens nothing");
    return found;
  };
  const writeAnswers = async (
    tx: postgres.TransactionSql,
    responseId: string,
    scores: typeof completeScores,
  ) => {
    await tx`delete from answers where response_id = ${responseId}`;
    await tx`insert into answers ${tx(scores.map((s) => ({ response_id: responseId, ...s })))}`;
  };

  return {
    close: () => sql.end({ timeout: 5 }),
    async save({ token }: Invitation, index: number) {
      const found = await resolve(token);
      await sql.begin(async (tx) => {
        const now = new Date();
        const [saved] = await tx`insert into responses
            (invitation_id, survey_version_id, contact_id, account_id, opportunity_id, source,
             data, current_page, save_sequence)
          values (${found.id}, ${found.survey_version_id}, ${found.contact_id}, ${found.account_id},
            ${found.opportunity_id}, 'link', ${tx.json(ALL_AGREE_FIRST_PAGE)}, 0, ${index + 1})
          on conflict (invitation_id) do update set data = ${tx.json(ALL_AGREE_FIRST_PAGE)}, current_page = 0,
            save_sequence = ${index + 1}, updated_at = ${now}
            where responses.save_sequence < ${index + 1} and responses.is_complete = false
          returning *`;
        // sent together, as saveProgress sends them
        await Promise.all([
          writeAnswers(tx, saved!.id as string, firstPageScores),
          tx`update invitations set status = 'started', started_at = ${now}
            where id = ${found.id} and status in ('queued', 'sent', 'delivered', 'opened')`,
        ]);
      });
      return ok();
    },
    async submit({ token }: Invitation) {
      const found = await resolve(token);
      await sql.begin(async (tx) => {
        const now = new Date();
        await tx`select status from invitations where id = ${found.id} for update`;
        const [response] = await tx`insert into responses
            (invitation_id, survey_version_id, contact_id, account_id, opportunity_id, source,
             data, is_complete, completed_at)
          values (${found.id}, ${found.survey_version_id}, ${found.contact_id}, ${found.account_id},
            ${found.opportunity_id}, 'link', ${tx.json(ALL_AGREE)}, true, ${now})
          on conflict (invitation_id) do update set data = ${tx.json(ALL_AGREE)}, is_complete = true,
            updated_at = ${now}, completed_at = ${now}
          returning *`;
        const responseId = response!.id as string;
        // three strands sent together, as submitAnswers sends them
        await Promise.all([
          (async () => {
            // openCaseForCompletedResponse: the contact's previous response's answers
            const [previous] = await tx`select id from responses r
              where contact_id = ${found.contact_id} and is_complete = true and id <> ${responseId}
                and completed_at <= ${now}
                and exists (select id from answers where response_id = r.id
                  and dimension in ${tx([...CUSTOMER_HEALTH_DIMENSIONS])})
              order by completed_at desc, id desc limit 1`;
            if (previous) await tx`select dimension, value from answers where response_id = ${previous.id}`;
            // emitResponseCompleted: the endpoints that want the event
            await tx`select id from webhook_endpoints where enabled = true
              and events @> ${tx.array(["response.completed"])}`;
          })(),
          writeAnswers(tx, responseId, completeScores),
          tx`update invitations set status = 'completed', completed_at = ${now},
              started_at = coalesce(started_at, now())
            where id = ${found.id}`,
        ]);
      });
      return ok();
    },
  };
}
