import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { accountMembers, accounts, users } from "../../../db/schema";
import { canAccessAccount } from "../../domain/access";
import type { ApiKeyPrincipal } from "../../domain/api-keys.server";
import { HEALTH_DIMENSIONS, isHealthDimension, type HealthDimension } from "../../domain/dimensions";
import {
  createPrediction,
  getPredictionVisibleTo,
  listPredictionsVisibleTo,
  type ChangeOrderPredictionView,
} from "../../domain/predictions.server";
import { createSurveyModel } from "../../domain/survey-model";
import { getSurveyVersion, latestVersionsOfKind } from "../../domain/surveys.server";
import type { Database } from "../db.server";
import { emailField, idParams, notFoundProblem } from "./fields.server";
import { defineOperation } from "./operation.server";
import { changePage, listQuerySchema, pageBody, pageSchema } from "./pagination.server";
import { ApiProblem, validationProblem, type FieldProblem } from "./problem.server";

// ─── Schemas ──────────────────────────────────────────────────────────────────────────

const dimension = z.enum(HEALTH_DIMENSIONS);
const CONFIDENCE_BASIS = "confidence_basis";

export const predictionCreateSchema = z
  .object({
    author_email: emailField
      .optional()
      .describe(
        "Who made the prediction: a user who may edit the account (its owner, its team, an admin). Default: the key's creator.",
      ),
    contact_id: z
      .string()
      .uuid()
      .nullable()
      .optional()
      .describe("A contact of the account whose answers it predicts; null or omitted: the account's."),
    campaign_id: z
      .string()
      .uuid()
      .nullable()
      .optional()
      .describe(
        "A campaign still to come whose answers it predicts; null or omitted: the account's next answer.",
      ),
    dimensions: z
      .record(z.string(), z.number())
      .describe(
        "The predicted answer per dimension, on the mirror survey's own scale (1–5; advocacy 0–10). Every dimension the mirror asks is required.",
      ),
    confidence_basis: z.string().optional().describe("What makes the author confident (optional, ≤ 2000)."),
  })
  .strict();

export const predictionSchema = z
  .object({
    id: z.string().uuid(),
    account_id: z.string().uuid(),
    author_email: z.string(),
    contact_id: z.string().uuid().nullable(),
    campaign_id: z.string().uuid().nullable(),
    sealed_at: z.string().datetime().describe("When it was made; customer answers after this count."),
    updated_at: z.string().datetime(),
    locked: z.boolean().describe("The customer has answered what it predicts; it can no longer change."),
    dimensions: z.record(dimension, z.number().int().min(0).max(100)).describe("Derived values, 0–100."),
    customer: z
      .object({
        answered_at: z.string().datetime(),
        compared_with: z
          .enum(["contact", "account"])
          .nullable()
          .describe("Whose answers: the predicted contact's when they answered, else the account's."),
        dimensions: z.record(
          dimension,
          z
            .object({
              value: z.number().int().nullable().describe("The customer's latest answer since, 0–100."),
              gap: z.number().int().nullable().describe("predicted − customer"),
            })
            .strict(),
        ),
      })
      .strict()
      .nullable()
      .describe("What the customer said, for a locked prediction; null while it is sealed."),
  })
  .strict();

const flatListQuery = listQuerySchema
  .extend({ account_id: z.string().uuid().optional().describe("Only this account's predictions.") })
  .strict();

const one = z.object({ data: predictionSchema }).strict();

const examplePrediction: z.input<typeof predictionSchema> = {
  id: "9e1d2c3b-4a5f-4e6d-8c7b-6a5f4e3d2c1b",
  account_id: "5b0c7a4e-3f1d-4a52-9a0e-0c8f0b6c2d11",
  author_email: "dana@rapport.example",
  contact_id: "8d2f1c3a-6b7e-4f90-a1b2-c3d4e5f60718",
  campaign_id: null,
  sealed_at: "2025-03-01T09:00:00.000Z",
  updated_at: "2025-03-01T09:00:00.000Z",
  locked: false,
  dimensions: {
    trust: 75,
    responsiveness: 50,
    understanding: 100,
    value: 25,
    communication: 50,
    relationship: 75,
    advocacy: 80,
    renewal: 100,
  },
  customer: null,
};
const exampleLocked: z.input<typeof predictionSchema> = {
  ...examplePrediction,
  locked: true,
  dimensions: { trust: 75, advocacy: 80 },
  customer: {
    answered_at: "2025-03-04T16:20:00.000Z",
    compared_with: "contact",
    dimensions: { trust: { value: 50, gap: 25 }, advocacy: { value: 90, gap: -10 } },
  },
};

const LIST_DESCRIPTION =
  "Sealed predictions never leak: only predictions the customer has since answered (locked) are listed, plus the key's creator's own sealed ones — as the account page shows them to that person. Others do not appear until the customer answers.";

// ─── Reading ──────────────────────────────────────────────────────────────────────────

export function toApiPrediction(view: ChangeOrderPredictionView): z.infer<typeof predictionSchema> {
  const byDimension = <T>(pick: (d: (typeof view.dimensions)[number]) => T) =>
    Object.fromEntries(view.dimensions.map((d) => [d.dimension, pick(d)])) as Partial<
      Record<HealthDimension, T>
    >;
  return {
    id: view.id,
    account_id: view.accountId,
    author_email: view.authorEmail,
    contact_id: view.contact?.id ?? null,
    campaign_id: view.campaign?.id ?? null,
    sealed_at: view.sealedAt.toISOString(),
    updated_at: view.updatedAt.toISOString(),
    locked: view.locked,
    dimensions: byDimension((d) => d.predicted),
    customer:
      view.locked && view.customerAnsweredAt
        ? {
            answered_at: view.customerAnsweredAt.toISOString(),
            compared_with: view.comparedWith,
            dimensions: byDimension((d) => ({ value: d.customer, gap: d.gap })),
          }
        : null,
  };
}

async function accountOrNotFound(db: Database, accountId: string) {
  const [account] = await db
    .select({ id: accounts.id, ownerId: accounts.ownerId })
    .from(accounts)
    .where(eq(accounts.id, accountId));
  if (!account) throw notFoundProblem("account", `id ${accountId}`);
  return account;
}

async function listPage(
  db: Database,
  key: ApiKeyPrincipal,
  query: z.output<typeof flatListQuery>,
  accountId: string | undefined,
) {
  const page = await listPredictionsVisibleTo(db, key.createdById, { ...changePage(query), accountId });
  return { status: 200, body: pageBody(page, toApiPrediction) };
}

// ─── Writing ──────────────────────────────────────────────────────────────────────────

/**
 * The author: the user named by `author_email`, or else the key's creator; active and able
 * to edit the account, as the predict page requires. 400 on author_email otherwise.
 */
async function authorOf(
  db: Database,
  key: ApiKeyPrincipal,
  account: { id: string; ownerId: string },
  authorEmail: string | undefined,
): Promise<string> {
  const refuse = (message: string) => validationProblem([{ field: "author_email", message }]);
  const [user] =
    authorEmail !== undefined
      ? await db
          .select({ id: users.id, role: users.role, deactivatedAt: users.deactivatedAt })
          .from(users)
          .where(eq(sql`lower(${users.email})`, authorEmail.toLowerCase()))
      : key.createdById
        ? await db
            .select({ id: users.id, role: users.role, deactivatedAt: users.deactivatedAt })
            .from(users)
            .where(eq(users.id, key.createdById))
        : [];
  if (!user || user.deactivatedAt) {
    throw refuse(
      authorEmail !== undefined
        ? "No active user has this email."
        : "Send author_email: this key has no active creator to make the prediction.",
    );
  }
  const [member] = await db
    .select({ userId: accountMembers.userId })
    .from(accountMembers)
    .where(and(eq(accountMembers.accountId, account.id), eq(accountMembers.userId, user.id)));
  if (!canAccessAccount(user, { ownerId: account.ownerId, isMember: Boolean(member) }, "edit")) {
    throw refuse(
      `${authorEmail !== undefined ? "This user" : "The key's creator"} may not edit this account; predictions are made by its owner, its team or an admin.`,
    );
  }
  return user.id;
}

/** The latest mirror survey version, and which of its questions ask each dimension. */
async function latestMirror(db: Database) {
  const [latest] = await latestVersionsOfKind(db, ["mirror"]);
  const version = latest ? await getSurveyVersion(db, latest.versionId) : null;
  if (!version) {
    throw new ApiProblem(
      "conflict",
      "There is no mirror survey yet; an admin adds one as a survey of kind mirror.",
    );
  }
  const questionsOf = new Map<HealthDimension, string[]>();
  const dimensionOf = new Map<string, HealthDimension>();
  const names = new Set<string>();
  for (const question of createSurveyModel(version.model).getAllQuestions(false, true, true)) {
    names.add(question.name);
    const asked = (question as unknown as { dimension?: unknown }).dimension;
    if (!isHealthDimension(asked)) continue;
    questionsOf.set(asked, [...(questionsOf.get(asked) ?? []), question.name]);
    dimensionOf.set(question.name, asked);
  }
  return { version, questionsOf, dimensionOf, hasConfidenceBasis: names.has(CONFIDENCE_BASIS) };
}

/** The body as the mirror's answers (question name → answer), or 400 naming what it cannot ask. */
function mirrorAnswers(
  mirror: Awaited<ReturnType<typeof latestMirror>>,
  body: z.output<typeof predictionCreateSchema>,
) {
  const data: Record<string, unknown> = {};
  const errors: FieldProblem[] = [];
  const asked = [...mirror.questionsOf.keys()].join(", ");
  for (const [name, value] of Object.entries(body.dimensions)) {
    const questions = isHealthDimension(name) ? mirror.questionsOf.get(name) : undefined;
    if (!questions) {
      errors.push({
        field: `dimensions.${name}`,
        message: `Not a dimension the mirror survey asks about; it asks ${asked}.`,
      });
      continue;
    }
    for (const question of questions) data[question] = value;
  }
  if (body.confidence_basis !== undefined) {
    if (mirror.hasConfidenceBasis) data[CONFIDENCE_BASIS] = body.confidence_basis;
    else errors.push({ field: CONFIDENCE_BASIS, message: "The mirror survey does not ask this." });
  }
  if (errors.length > 0) throw validationProblem(errors);
  return data;
}

// ─── Operations ───────────────────────────────────────────────────────────────────────

const tag = "Predictions";

export const predictionOperations = [
  defineOperation({
    operationId: "createAccountPrediction",
    method: "POST",
    path: "/accounts/{id}/predictions",
    scope: "write",
    tag,
    summary: "Seal a prediction of what the account's customer will say",
    description:
      "Answers the latest mirror survey for the author, as the predict page does: the values are derived by the same scoring and the prediction is sealed (hidden from everyone else) until the customer answers. 400 naming dimensions.<name> for a dimension the mirror does not ask, a value off its scale or a missing one; naming contact_id / campaign_id for a contact not on the account or a campaign finished or already answered; naming author_email when there is no author who may edit the account.",
    params: idParams,
    body: predictionCreateSchema,
    requestExample: {
      author_email: "dana@rapport.example",
      contact_id: "8d2f1c3a-6b7e-4f90-a1b2-c3d4e5f60718",
      dimensions: {
        trust: 4,
        responsiveness: 3,
        understanding: 5,
        value: 2,
        communication: 3,
        relationship: 4,
        advocacy: 8,
        renewal: 5,
      },
      confidence_basis: "Weekly calls with their COO; the renewal is in their budget.",
    },
    responses: {
      201: { description: "The prediction, sealed.", schema: one, example: { data: examplePrediction } },
    },
    async handle({ db, key, params, body }) {
      const account = await accountOrNotFound(db, params.id);
      const authorId = await authorOf(db, key, account, body.author_email);
      const mirror = await latestMirror(db);
      const outcome = await createPrediction(db, {
        accountId: account.id,
        authorId,
        surveyVersionId: mirror.version.id,
        contactId: body.contact_id ?? null,
        campaignId: body.campaign_id ?? null,
        data: mirrorAnswers(mirror, body),
      });
      switch (outcome.status) {
        case "refused": {
          const field =
            { contactId: "contact_id", campaignId: "campaign_id" }[outcome.field] ?? outcome.field;
          throw validationProblem([{ field, message: outcome.message }]);
        }
        case "invalid":
          throw validationProblem(
            Object.entries(outcome.errors).map(([question, messages]) => {
              const asked = mirror.dimensionOf.get(question);
              return {
                field: asked ? `dimensions.${asked}` : question,
                message: messages.join(" "),
              };
            }),
          );
        case "created": {
          const view = await getPredictionVisibleTo(db, authorId, outcome.prediction.id);
          return {
            status: 201,
            body: { data: toApiPrediction(view!) },
            headers: { Location: `/api/v1/predictions/${outcome.prediction.id}` },
          };
        }
      }
    },
  }),
  defineOperation({
    operationId: "listAccountPredictions",
    method: "GET",
    path: "/accounts/{id}/predictions",
    scope: "read",
    tag,
    summary: "List an account's predictions the key may see, in the order they last changed",
    description: LIST_DESCRIPTION,
    params: idParams,
    query: listQuerySchema,
    responses: {
      200: {
        description: "A page of the account's predictions.",
        schema: pageSchema(predictionSchema),
        example: { data: [exampleLocked], next_cursor: null },
      },
    },
    async handle({ db, key, params, query }) {
      const account = await accountOrNotFound(db, params.id);
      return listPage(db, key, query, account.id);
    },
  }),
  defineOperation({
    operationId: "listPredictions",
    method: "GET",
    path: "/predictions",
    scope: "read",
    tag,
    summary: "List the predictions the key may see, in the order they last changed",
    description: LIST_DESCRIPTION,
    query: flatListQuery,
    responses: {
      200: {
        description: "A page of predictions.",
        schema: pageSchema(predictionSchema),
        example: { data: [exampleLocked], next_cursor: null },
      },
    },
    async handle({ db, key, query }) {
      return listPage(db, key, query, query.account_id);
    },
  }),
  defineOperation({
    operationId: "getPrediction",
    method: "GET",
    path: "/predictions/{id}",
    scope: "read",
    tag,
    summary: "Get a prediction",
    description:
      "A sealed prediction of anyone but the key's creator is a 404, as if it did not exist, until the customer answers.",
    params: idParams,
    responses: { 200: { description: "The prediction.", schema: one, example: { data: exampleLocked } } },
    async handle({ db, key, params }) {
      const view = await getPredictionVisibleTo(db, key.createdById, params.id);
      if (!view) throw notFoundProblem("prediction", `id ${params.id}`);
      return { status: 200, body: { data: toApiPrediction(view) } };
    },
  }),
];
