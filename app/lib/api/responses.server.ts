import { and, asc, eq, isNotNull, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { accounts, responses, surveyDefinitions, surveyVersions } from "../../../db/schema";
import { changedAfter, pageOf, updatedAtMicros, type ChangeCursor } from "../../domain/account-sync.server";
import { scoresByDimension } from "../../domain/cases";
import { HEALTH_DIMENSIONS } from "../../domain/dimensions";
import { scoredAnswersOf } from "../../domain/scored-answers.server";
import type { Database } from "../db.server";
import { defineOperation } from "./operation.server";
import { decodeCursor, encodeCursor, listQuerySchema, pageSchema } from "./pagination.server";

// ─── Schemas ──────────────────────────────────────────────────────────────────────────

const dimension = z.enum(HEALTH_DIMENSIONS);

export const responseSchema = z
  .object({
    id: z.string().uuid(),
    survey_id: z.string().uuid(),
    survey_slug: z.string(),
    survey_version_id: z.string().uuid(),
    survey_version: z.number().int(),
    account_id: z.string().uuid().nullable(),
    contact_id: z.string().uuid().nullable(),
    invitation_id: z.string().uuid().nullable(),
    opportunity_id: z.string().uuid().nullable(),
    source: z.enum(["email", "link", "interview"]),
    completed_at: z.string().datetime(),
    answers: z
      .record(z.unknown())
      .describe("Everything the customer submitted, verbatim, by SurveyJS question name."),
    scores: z
      .array(z.object({ question: z.string(), dimension, value: z.number().int() }).strict())
      .describe("Each scored question, 0–100."),
    dimension_scores: z
      .record(dimension, z.number())
      .describe("Per dimension answered: the mean of its scored questions, 0–100."),
  })
  .strict();

/** The filters GET /responses and GET /responses.csv share. */
export const responseFilterShape = {
  survey_id: z.string().uuid().optional().describe("Only answers to this survey (any version)."),
  account_id: z.string().uuid().optional().describe("Only this account's responses."),
  completed_since: z
    .string()
    .datetime({ offset: true })
    .optional()
    .describe("Only responses completed at or after this instant (RFC 3339)."),
};

export type ResponseFilters = z.output<z.ZodObject<typeof responseFilterShape>>;

const listQuery = listQuerySchema.pick({ limit: true, cursor: true }).extend(responseFilterShape).strict();

// ─── Queries (shared with responses-csv.server.ts) ────────────────────────────────────

/** Completed responses matching `filters`, after `after` in (completed_at, id) order. */
export function completedResponsesWhere(filters: ResponseFilters, after?: ChangeCursor): SQL | undefined {
  const where: (SQL | undefined)[] = [eq(responses.isComplete, true), isNotNull(responses.completedAt)];
  if (filters.survey_id) where.push(eq(surveyVersions.definitionId, filters.survey_id));
  if (filters.account_id) where.push(eq(responses.accountId, filters.account_id));
  // implied by the cursor's condition, but a range the (completed_at, id) index can start from
  if (after) where.push(sql`${responses.completedAt} >= ${after.updatedAt}::timestamptz`);
  where.push(
    changedAfter(responses.completedAt, responses.id, {
      limit: 0,
      cursor: after,
      updatedSince: filters.completed_since ? new Date(filters.completed_since) : undefined,
    }),
  );
  return and(...where);
}

/**
 * Up to `limit` completed responses matching `filters`, oldest completed first (completed_at,
 * then id), after `after`; `completedAtText` (to the microsecond) is the next cursor.
 */
export function selectCompletedResponses(
  db: Database,
  filters: ResponseFilters,
  options: { after?: ChangeCursor; limit: number },
) {
  return db
    .select({
      response: responses,
      surveySlug: surveyDefinitions.slug,
      surveyId: surveyVersions.definitionId,
      surveyVersion: surveyVersions.version,
      accountExternalId: accounts.externalId,
      completedAtText: updatedAtMicros(responses.completedAt),
    })
    .from(responses)
    .innerJoin(surveyVersions, eq(surveyVersions.id, responses.surveyVersionId))
    .innerJoin(surveyDefinitions, eq(surveyDefinitions.id, surveyVersions.definitionId))
    .leftJoin(accounts, eq(accounts.id, responses.accountId))
    .where(completedResponsesWhere(filters, options.after))
    .orderBy(asc(responses.completedAt), asc(responses.id))
    .limit(options.limit);
}

const exampleResponse: z.input<typeof responseSchema> = {
  id: "1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b",
  survey_id: "6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d",
  survey_slug: "relationship-health",
  survey_version_id: "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
  survey_version: 2,
  account_id: "5b0c7a4e-3f1d-4a52-9a0e-0c8f0b6c2d11",
  contact_id: "8d2f1c3a-6b7e-4f90-a1b2-c3d4e5f60718",
  invitation_id: "2b3c4d5e-6f70-4819-a2b3-c4d5e6f70819",
  opportunity_id: null,
  source: "email",
  completed_at: "2025-03-04T09:00:00.000Z",
  answers: { trust: 4, advocacy: 9, advocacy_why: "They call back the same day." },
  scores: [
    { question: "trust", dimension: "trust", value: 75 },
    { question: "advocacy", dimension: "advocacy", value: 90 },
  ],
  dimension_scores: { trust: 75, advocacy: 90 },
};

// ─── Operations ───────────────────────────────────────────────────────────────────────

export const responseOperations = [
  defineOperation({
    operationId: "listResponses",
    method: "GET",
    path: "/responses",
    scope: "read",
    tag: "Responses",
    summary: "List completed responses with their answers and scores, in completion order",
    description:
      "Oldest completed first (completed_at, then id). Partly answered surveys are not listed. A sync remembers the last completed_at it saw and asks with completed_since.",
    query: listQuery,
    responses: {
      200: {
        description: "A page of responses.",
        schema: pageSchema(responseSchema),
        example: { data: [exampleResponse], next_cursor: null },
      },
    },
    async handle({ db, query }) {
      const rows = await selectCompletedResponses(db, query, {
        after: query.cursor ? decodeCursor(query.cursor) : undefined,
        limit: query.limit + 1,
      });
      const page = pageOf(
        rows.map((row) => ({ ...row, id: row.response.id, updatedAtText: row.completedAtText })),
        query.limit,
      );
      const scoresOf = await scoredAnswersOf(
        db,
        page.rows.map((row) => row.id),
      );
      return {
        status: 200,
        body: {
          data: page.rows.map(({ response, surveyId, surveySlug, surveyVersion }) => {
            const own = scoresOf.get(response.id) ?? [];
            return {
              id: response.id,
              survey_id: surveyId,
              survey_slug: surveySlug,
              survey_version_id: response.surveyVersionId,
              survey_version: surveyVersion,
              account_id: response.accountId,
              contact_id: response.contactId,
              invitation_id: response.invitationId,
              opportunity_id: response.opportunityId,
              source: response.source,
              completed_at: response.completedAt!.toISOString(),
              answers: (response.data ?? {}) as Record<string, unknown>,
              scores: own.map(({ question, dimension, value }) => ({ question, dimension, value })),
              dimension_scores: scoresByDimension(own),
            } satisfies z.input<typeof responseSchema>;
          }),
          next_cursor: page.next ? encodeCursor(page.next) : null,
        },
      };
    },
  }),
];
