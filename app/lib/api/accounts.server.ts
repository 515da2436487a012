import { z } from "zod";
import { upsertResponses } from "./fields.server";
import { lifecycleStage, segment, tier } from "../../../db/schema";
import {
  getAccountRecord,
  getAccountRecordByExternalId,
  listAccountsByChange,
  usersByEmail,
  deleteAccount,
  type AccountRecord,
} from "../../domain/account-sync.server";
import {
  accountInputSchema,
  createAccount,
  updateAccount,
  type AccountFieldErrors,
  type AccountInput,
  type Viewer,
} from "../../domain/accounts.server";
import { DEFAULT_TARGET_CADENCE_DAYS } from "../../domain/ledger";
import type { Database } from "../db.server";
import type { ApiKeyPrincipal } from "../../domain/api-keys.server";
import { defineOperation } from "./operation.server";
import { changePage, listQuerySchema, pageBody, pageSchema } from "./pagination.server";
import { ApiProblem, validationProblem, type FieldProblem } from "./problem.server";

// ─── Schemas (they validate requests and describe responses in /api/v1/openapi.json) ────

const externalId = z.string().trim().min(1).max(200).describe("The account's id in your CRM; unique.");
const email = z.string().trim().email().max(320);

export const accountSchema = z
  .object({
    id: z.string().uuid(),
    external_id: externalId.nullable(),
    name: z.string(),
    segment: z.enum(segment.enumValues),
    region: z.string(),
    tier: z.enum(tier.enumValues),
    lifecycle_stage: z.enum(lifecycleStage.enumValues),
    annual_value: z.number().int().describe("Whole currency units (rounded from annual_value_cents)."),
    annual_value_cents: z.number().int(),
    target_cadence_days: z.number().int(),
    owner_email: z.string(),
    team_emails: z.array(z.string()),
    created_at: z.string().datetime(),
    updated_at: z.string().datetime(),
  })
  .strict();

const writableFields = {
  name: z.string().describe("1–200 characters."),
  segment: z.enum(segment.enumValues),
  region: z.string().describe("1–100 characters, such as EMEA."),
  tier: z.enum(tier.enumValues),
  lifecycle_stage: z.enum(lifecycleStage.enumValues).optional().describe("Default adopting."),
  annual_value: z.number().int().min(0).optional().describe("Whole currency units; default 0."),
  target_cadence_days: z
    .number()
    .int()
    .min(1)
    .max(365)
    .optional()
    .describe(`Default ${DEFAULT_TARGET_CADENCE_DAYS}.`),
  owner_email: email.describe("An active manager or admin."),
  team_emails: z.array(email).max(200).optional().describe("Replaces the team; omitted keeps it."),
};

export const accountCreateSchema = z
  .object({ external_id: externalId.optional(), ...writableFields })
  .strict();
export const accountUpsertSchema = z.object(writableFields).strict();
export const accountPatchSchema = z
  .object({ external_id: externalId.nullable(), ...writableFields })
  .partial()
  .strict();

const idParams = z.object({ id: z.string().uuid() }).strict();
const externalIdParams = z.object({ external_id: externalId }).strict();

const one = z.object({ data: accountSchema }).strict();
const upserted = z
  .object({
    data: accountSchema,
    result: z
      .enum(["created", "updated", "unchanged"])
      .describe("What the PUT did; unchanged writes nothing."),
  })
  .strict();

// ─── Mapping between the API's snake_case and the domain ──────────────────────────────

const exampleAccount: z.input<typeof accountSchema> = {
  id: "5b0c7a4e-3f1d-4a52-9a0e-0c8f0b6c2d11",
  external_id: "sf-001234",
  name: "Northwind Traders",
  segment: "enterprise",
  region: "EMEA",
  tier: "strategic",
  lifecycle_stage: "expanding",
  annual_value: 250000,
  annual_value_cents: 25000000,
  target_cadence_days: 30,
  owner_email: "dana@example.com",
  team_emails: ["omar@example.com"],
  created_at: "2025-01-15T09:30:00.000Z",
  updated_at: "2025-03-02T14:05:12.123Z",
};
const exampleCreate: z.input<typeof accountCreateSchema> = {
  external_id: "sf-001234",
  name: "Northwind Traders",
  segment: "enterprise",
  region: "EMEA",
  tier: "strategic",
  lifecycle_stage: "expanding",
  annual_value: 250000,
  owner_email: "dana@example.com",
  team_emails: ["omar@example.com"],
};

export function toApiAccount(record: AccountRecord): z.infer<typeof accountSchema> {
  return {
    id: record.id,
    external_id: record.externalId,
    name: record.name,
    segment: record.segment,
    region: record.region,
    tier: record.tier,
    lifecycle_stage: record.lifecycleStage,
    annual_value: Math.round(record.annualValueCents / 100),
    annual_value_cents: record.annualValueCents,
    target_cadence_days: record.targetCadenceDays,
    owner_email: record.ownerEmail,
    team_emails: record.team.map((m) => m.email),
    created_at: record.createdAt.toISOString(),
    updated_at: record.updatedAt.toISOString(),
  };
}

const apiFieldOf: Record<keyof AccountFieldErrors, string> = {
  name: "name",
  segment: "segment",
  region: "region",
  tier: "tier",
  lifecycleStage: "lifecycle_stage",
  annualValue: "annual_value",
  targetCadenceDays: "target_cadence_days",
  ownerId: "owner_email",
  memberIds: "team_emails",
};

function domainProblem(fieldErrors: AccountFieldErrors): ApiProblem {
  const errors: FieldProblem[] = Object.entries(fieldErrors).map(([field, message]) => ({
    field: apiFieldOf[field as keyof AccountFieldErrors] ?? field,
    message: String(message),
  }));
  return validationProblem(errors);
}

type Writable = Partial<z.output<typeof accountUpsertSchema>>;

/**
 * The API fields, merged over the current account when there is one, as the domain's
 * account input: the same rules as the account form (accounts.server.ts) then apply.
 */
async function toDomainInput(
  db: Database,
  fields: Writable,
  current: AccountRecord | null,
): Promise<AccountInput> {
  const emails = [...(fields.owner_email ? [fields.owner_email] : []), ...(fields.team_emails ?? [])];
  const people = await usersByEmail(db, emails);
  const problems: FieldProblem[] = [];
  const idOf = (address: string, field: string) => {
    const user = people.get(address.trim().toLowerCase());
    if (!user) problems.push({ field, message: `No Rapport user has the email ${address}.` });
    return user?.id ?? "";
  };
  const ownerId =
    fields.owner_email !== undefined ? idOf(fields.owner_email, "owner_email") : current?.ownerId;
  const memberIds =
    fields.team_emails !== undefined
      ? fields.team_emails.map((address, i) => idOf(address, `team_emails.${i}`))
      : (current?.team.map((m) => m.id) ?? []);
  if (problems.length > 0) throw validationProblem(problems);
  const annualValue = fields.annual_value ?? (current ? Math.round(current.annualValueCents / 100) : 0);
  const parsed = accountInputSchema.safeParse({
    name: fields.name ?? current?.name,
    segment: fields.segment ?? current?.segment,
    region: fields.region ?? current?.region,
    tier: fields.tier ?? current?.tier,
    lifecycleStage: fields.lifecycle_stage ?? current?.lifecycleStage ?? "adopting",
    annualValue: String(annualValue),
    targetCadenceDays: String(fields.target_cadence_days ?? current?.targetCadenceDays ?? ""),
    ownerId,
    memberIds,
  });
  if (!parsed.success) {
    const byField: AccountFieldErrors = {};
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] as keyof AccountFieldErrors;
      byField[field] ??= issue.message;
    }
    throw domainProblem(byField);
  }
  return parsed.data;
}

/** A key acts for the whole workspace, as an admin would, bounded by its scope (docs/api.md). */
function actorFor(key: ApiKeyPrincipal): Viewer {
  return { id: key.createdById ?? "00000000-0000-0000-0000-000000000000", role: "admin" };
}

const isExternalIdTaken = (error: unknown) =>
  typeof error === "object" &&
  error !== null &&
  (error as { code?: string }).code === "23505" &&
  (error as { constraint_name?: string }).constraint_name === "accounts_external_id_key";

const externalIdConflict = (value: string) =>
  new ApiProblem("conflict", `Another account already has external_id ${value}.`, [
    { field: "external_id", message: "Already used by another account." },
  ]);

const notFound = (what: string) => new ApiProblem("not-found", `No account has ${what}.`);

async function reload(db: Database, accountId: string): Promise<AccountRecord> {
  const record = await getAccountRecord(db, accountId);
  if (!record) throw notFound(`id ${accountId}`);
  return record;
}

/** True when saving `input` would leave the account exactly as it is. */
function unchanged(current: AccountRecord, input: AccountInput): boolean {
  const team = (ids: string[]) =>
    [...new Set(ids)]
      .filter((id) => id !== current.ownerId)
      .sort()
      .join(",");
  return (
    current.name === input.name &&
    current.segment === input.segment &&
    current.region === input.region &&
    current.tier === input.tier &&
    current.lifecycleStage === input.lifecycleStage &&
    Math.round(current.annualValueCents / 100) === input.annualValue &&
    current.targetCadenceDays === input.targetCadenceDays &&
    (input.ownerId ?? current.ownerId) === current.ownerId &&
    team(current.team.map((m) => m.id)) === team(input.memberIds)
  );
}

async function save(
  db: Database,
  key: ApiKeyPrincipal,
  current: AccountRecord | null,
  input: AccountInput,
  externalIdValue: string | null | undefined,
): Promise<AccountRecord> {
  try {
    const result = current
      ? await updateAccount(db, actorFor(key), current.id, input, { externalId: externalIdValue })
      : await createAccount(db, actorFor(key), input, { externalId: externalIdValue });
    if (result.status === "not_found") throw notFound(`id ${current?.id}`);
    if (result.status === "invalid") throw domainProblem(result.fieldErrors);
    return reload(db, result.accountId);
  } catch (error) {
    if (isExternalIdTaken(error)) throw externalIdConflict(externalIdValue ?? "");
    throw error;
  }
}

// ─── Operations ───────────────────────────────────────────────────────────────────────

const tag = "Accounts";

export const accountOperations = [
  defineOperation({
    operationId: "listAccounts",
    method: "GET",
    path: "/accounts",
    scope: "read",
    tag,
    summary: "List accounts in the order they last changed",
    description:
      "Oldest change first, so a sync can page with `cursor` and come back later with `updated_since`.",
    query: listQuerySchema,
    responses: {
      200: {
        description: "A page of accounts.",
        schema: pageSchema(accountSchema),
        example: { data: [exampleAccount], next_cursor: null },
      },
    },
    async handle({ db, query }) {
      const page = await listAccountsByChange(db, changePage(query));
      return { status: 200, body: pageBody(page, toApiAccount) };
    },
  }),
  defineOperation({
    operationId: "createAccount",
    method: "POST",
    path: "/accounts",
    scope: "write",
    tag,
    summary: "Create an account",
    body: accountCreateSchema,
    requestExample: exampleCreate,
    responses: {
      201: { description: "The account, created.", schema: one, example: { data: exampleAccount } },
    },
    async handle({ db, key, body }) {
      if (body.external_id && (await getAccountRecordByExternalId(db, body.external_id))) {
        throw externalIdConflict(body.external_id);
      }
      const input = await toDomainInput(db, body, null);
      const record = await save(db, key, null, input, body.external_id ?? null);
      return {
        status: 201,
        body: { data: toApiAccount(record) },
        headers: { Location: `/api/v1/accounts/${record.id}` },
      };
    },
  }),
  defineOperation({
    operationId: "getAccount",
    method: "GET",
    path: "/accounts/{id}",
    scope: "read",
    tag,
    summary: "Get an account",
    params: idParams,
    responses: { 200: { description: "The account.", schema: one, example: { data: exampleAccount } } },
    async handle({ db, params }) {
      return { status: 200, body: { data: toApiAccount(await reload(db, params.id)) } };
    },
  }),
  defineOperation({
    operationId: "updateAccount",
    method: "PATCH",
    path: "/accounts/{id}",
    scope: "write",
    tag,
    summary: "Change some of an account's fields",
    description: "Fields left out keep their value; `team_emails` replaces the whole team.",
    params: idParams,
    body: accountPatchSchema,
    requestExample: { lifecycle_stage: "renewing", annual_value: 300000 },
    responses: {
      200: { description: "The account, saved.", schema: one, example: { data: exampleAccount } },
    },
    async handle({ db, key, params, body }) {
      const current = await reload(db, params.id);
      const { external_id, ...fields } = body;
      const input = await toDomainInput(db, fields, current);
      if (unchanged(current, input) && (external_id === undefined || external_id === current.externalId)) {
        return { status: 200, body: { data: toApiAccount(current) } };
      }
      return { status: 200, body: { data: toApiAccount(await save(db, key, current, input, external_id)) } };
    },
  }),
  defineOperation({
    operationId: "upsertAccountByExternalId",
    method: "PUT",
    path: "/accounts/external/{external_id}",
    scope: "write",
    tag,
    summary: "Create or update the account with this external id",
    description:
      "Sending the same body twice changes nothing the second time (`result: unchanged`, no write, `updated_at` kept).",
    params: externalIdParams,
    body: accountUpsertSchema,
    requestExample: {
      name: "Northwind Traders",
      segment: "enterprise",
      region: "EMEA",
      tier: "strategic",
      owner_email: "dana@example.com",
    },
    responses: upsertResponses("account", upserted, exampleAccount),
    async handle({ db, key, params, body }) {
      for (let attempt = 0; ; attempt++) {
        const current = await getAccountRecordByExternalId(db, params.external_id);
        const input = await toDomainInput(db, body, current);
        if (current && unchanged(current, input)) {
          return { status: 200, body: { data: toApiAccount(current), result: "unchanged" } };
        }
        try {
          const record = await save(db, key, current, input, params.external_id);
          return {
            status: current ? 200 : 201,
            body: { data: toApiAccount(record), result: current ? "updated" : "created" },
          };
        } catch (error) {
          // two PUTs raced to create it: the loser updates what the winner made
          if (!current && attempt === 0 && error instanceof ApiProblem && error.problemType === "conflict")
            continue;
          throw error;
        }
      }
    },
  }),
  defineOperation({
    operationId: "deleteAccount",
    method: "DELETE",
    path: "/accounts/{id}",
    scope: "write",
    tag,
    summary: "Delete an account with its contacts, ledger and cases",
    description:
      "Refused (409) once customers have answered a survey for the account: set `lifecycle_stage` to churned instead.",
    params: idParams,
    responses: { 204: { description: "Deleted." } },
    async handle({ db, params }) {
      const outcome = await deleteAccount(db, params.id);
      if (outcome === "not_found") throw notFound(`id ${params.id}`);
      if (outcome === "has_responses") {
        throw new ApiProblem(
          "conflict",
          "Customers have answered surveys for this account, and their answers are kept; set lifecycle_stage to churned instead.",
        );
      }
      return { status: 204 };
    },
  }),
];
