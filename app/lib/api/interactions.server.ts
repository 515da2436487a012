import { z } from "zod";
import {
  getInteractionRecord,
  getInteractionRecordByExternalId,
  listInteractionsByChange,
  resolveParticipants,
  saveSyncedInteraction,
  storedValues,
  type InteractionRecord,
  type SyncedInteraction,
} from "../../domain/interaction-sync.server";
import {
  interactionFieldErrors,
  interactionFormSchema,
  interactionRuleErrors,
  SUMMARY_MAX_LENGTH,
  type InteractionFieldErrors,
} from "../../domain/interactions.server";
import { INTERACTION_KINDS, isTwoWay, LOGGABLE_KINDS, TWO_WAY_KINDS } from "../../domain/ledger";
import type { Database } from "../db.server";
import { defineOperation } from "./operation.server";
import {
  accountRefFields,
  domainFieldProblem,
  emailField,
  externalIdField,
  externalIdParams,
  externalIdTaken,
  idParams,
  isUniqueViolation,
  notFoundProblem,
  upsertResult,
  accountNamedBy,
  accountOfUpsert,
  upsertResponses,
} from "./fields.server";
import { changePage, listQuerySchema, pageBody, pageSchema } from "./pagination.server";
import { ApiProblem, validationProblem } from "./problem.server";

// ─── Schemas ──────────────────────────────────────────────────────────────────────────

const externalId = externalIdField("interaction");
const equityEffects = ["deposit", "neutral", "withdrawal"] as const;
const commitmentStatuses = ["open", "kept", "broken"] as const;
const MAX_PARTICIPANTS = 200;

export const interactionSchema = z
  .object({
    id: z.string().uuid(),
    external_id: externalId.nullable(),
    account_id: z.string().uuid(),
    account_external_id: z.string().nullable(),
    kind: z.enum(INTERACTION_KINDS).describe("customer_alert entries are Rapport's own (Customer 9-1-1)."),
    occurred_at: z.string().datetime(),
    summary: z.string(),
    engagement_quality: z.number().int().nullable(),
    equity_effect: z.enum(equityEffects),
    equity_weight: z.number().int(),
    due_on: z.string().nullable(),
    commitment_status: z.enum(commitmentStatuses).nullable(),
    commitment_resolved_at: z.string().datetime().nullable(),
    contact_ids: z.array(z.string().uuid()),
    user_emails: z.array(z.string()),
    created_at: z.string().datetime(),
    updated_at: z.string().datetime(),
  })
  .strict();

const writableFields = {
  kind: z.enum(LOGGABLE_KINDS).describe("What people log; customer_alert is Rapport's own and refused."),
  occurred_at: z
    .string()
    .datetime({ offset: true })
    .describe("When it happened (RFC 3339); at most a day ahead."),
  summary: z
    .string()
    .optional()
    .describe(
      `At most ${SUMMARY_MAX_LENGTH} characters; required for a mistake, escalation, favour or commitment.`,
    ),
  engagement_quality: z
    .number()
    .int()
    .nullable()
    .optional()
    .describe(`1–5, for two-way kinds only (${TWO_WAY_KINDS.join(", ")}).`),
  equity_effect: z
    .enum(equityEffects)
    .optional()
    .describe("Default the kind's (a favour deposits, a mistake withdraws); not for a commitment."),
  equity_weight: z.number().int().optional().describe("1–3; not for a commitment."),
  due_on: z.string().optional().describe("YYYY-MM-DD; required for a commitment, refused otherwise."),
  commitment_status: z
    .enum(commitmentStatuses)
    .optional()
    .describe("A commitment's: default open, or the stored one on update; a kept or broken one stays so."),
  contact_ids: z
    .array(z.string().uuid())
    .max(MAX_PARTICIPANTS)
    .optional()
    .describe("Contacts of the account who took part, by Rapport id…"),
  contact_external_ids: z
    .array(z.string().trim().min(1).max(200))
    .max(MAX_PARTICIPANTS)
    .optional()
    .describe("…or by your CRM's id."),
  user_emails: z
    .array(emailField)
    .max(MAX_PARTICIPANTS)
    .optional()
    .describe("Colleagues who took part: active users on the account team."),
};

export const interactionCreateSchema = z
  .object({ external_id: externalId.optional(), ...accountRefFields, ...writableFields })
  .strict();
export const interactionUpsertSchema = z.object({ ...accountRefFields, ...writableFields }).strict();
/** Replacing one by id: it stays on its account (and keeps its external id). */
const interactionReplaceSchema = z.object(writableFields).strict();

const listQuery = listQuerySchema
  .extend({ account_id: z.string().uuid().optional().describe("Only this account's interactions.") })
  .strict();

const one = z.object({ data: interactionSchema }).strict();
const upserted = z.object({ data: interactionSchema, result: upsertResult }).strict();

const exampleInteraction: z.input<typeof interactionSchema> = {
  id: "3e7a9c10-2b4d-4f6e-8a1c-5d9e0f1a2b3c",
  external_id: "sf-act-7781",
  account_id: "5b0c7a4e-3f1d-4a52-9a0e-0c8f0b6c2d11",
  account_external_id: "sf-001234",
  kind: "meeting",
  occurred_at: "2025-03-04T14:30:00.000Z",
  summary: "Quarterly roadmap review with the operations team.",
  engagement_quality: 4,
  equity_effect: "neutral",
  equity_weight: 1,
  due_on: null,
  commitment_status: null,
  commitment_resolved_at: null,
  contact_ids: ["8d2f1c3a-6b7e-4f90-a1b2-c3d4e5f60718"],
  user_emails: ["dana@rapport.example"],
  created_at: "2025-03-04T15:02:00.000Z",
  updated_at: "2025-03-04T15:02:00.000Z",
};
const exampleWrite = {
  kind: "meeting" as const,
  occurred_at: "2025-03-04T14:30:00Z",
  summary: "Quarterly roadmap review with the operations team.",
  engagement_quality: 4,
  contact_external_ids: ["sf-c-0042"],
  user_emails: ["dana@rapport.example"],
};

// ─── Mapping ──────────────────────────────────────────────────────────────────────────

export function toApiInteraction(record: InteractionRecord): z.infer<typeof interactionSchema> {
  return {
    id: record.id,
    external_id: record.externalId,
    account_id: record.accountId,
    account_external_id: record.accountExternalId,
    kind: record.kind,
    occurred_at: record.occurredAt.toISOString(),
    summary: record.summary,
    engagement_quality: record.engagementQuality,
    equity_effect: record.equityEffect,
    equity_weight: record.equityWeight,
    due_on: record.dueOn,
    commitment_status: record.commitmentStatus,
    commitment_resolved_at: record.commitmentResolvedAt?.toISOString() ?? null,
    contact_ids: record.contactIds,
    user_emails: record.userEmails,
    created_at: record.createdAt.toISOString(),
    updated_at: record.updatedAt.toISOString(),
  };
}

const apiFieldOf: Record<string, string> = {
  accountId: "account_id",
  kind: "kind",
  occurredAt: "occurred_at",
  participants: "contact_ids",
  summary: "summary",
  engagementQuality: "engagement_quality",
  equityEffect: "equity_effect",
  equityWeight: "equity_weight",
  dueOn: "due_on",
  commitmentStatus: "commitment_status",
};

type Writable = z.output<typeof interactionUpsertSchema>;
type SyncedFieldErrors = InteractionFieldErrors & { commitmentStatus?: string };

/** What the API takes that the form never sends: refused rather than silently dropped. */
function apiOnlyErrors(fields: Writable): SyncedFieldErrors {
  const errors: SyncedFieldErrors = {};
  const commitment = fields.kind === "commitment";
  if (fields.engagement_quality != null && !isTwoWay(fields.kind)) {
    errors.engagementQuality = `Engagement quality describes two-way contact (${TWO_WAY_KINDS.join(", ")}); ${/^[aeiou]/.test(fields.kind) ? "an" : "a"} ${fields.kind} has none.`;
  }
  if (!commitment && fields.due_on !== undefined) errors.dueOn = "Only a commitment has a due date.";
  if (!commitment && fields.commitment_status !== undefined) {
    errors.commitmentStatus = "Only a commitment has a status.";
  }
  if (commitment && (fields.equity_effect !== undefined || fields.equity_weight !== undefined)) {
    errors[fields.equity_effect !== undefined ? "equityEffect" : "equityWeight"] =
      "A commitment's equity follows its status: nothing while open, a deposit when kept, a withdrawal when broken.";
  }
  return errors;
}

/** The API fields as the log form would post them, checked by the form's schema and rules. */
function toDomainInput(
  fields: Writable,
  accountId: string,
  participants: { contactIds: string[]; userIds: string[] },
  current: InteractionRecord | null,
  now: Date,
): SyncedInteraction {
  const errors: SyncedFieldErrors = apiOnlyErrors(fields);
  const parsed = interactionFormSchema.safeParse({
    accountId,
    kind: fields.kind,
    // the form takes wall-clock UTC without a zone
    occurredAt: new Date(fields.occurred_at).toISOString().slice(0, 23),
    contactIds: participants.contactIds,
    userIds: participants.userIds,
    summary: fields.summary ?? "",
    engagementQuality: fields.engagement_quality?.toString(),
    equityEffect: fields.equity_effect,
    equityWeight: fields.equity_weight?.toString(),
    dueOn: fields.due_on,
  });
  const shapeOrRules = parsed.success
    ? interactionRuleErrors(parsed.data, now)
    : interactionFieldErrors(parsed.error);
  const all = { ...shapeOrRules, ...errors };
  if (!parsed.success || Object.keys(all).length > 0) throw domainFieldProblem(all, apiFieldOf);
  const stored = current?.kind === "commitment" ? current.commitmentStatus : null;
  const commitmentStatus = fields.commitment_status ?? stored ?? "open";
  if (fields.kind === "commitment" && stored && stored !== "open" && commitmentStatus !== stored) {
    throw new ApiProblem("conflict", `This commitment was ${stored}; a resolved commitment stays so.`, [
      { field: "commitment_status", message: `Already ${stored}.` },
    ]);
  }
  return { ...parsed.data, commitmentStatus: fields.kind === "commitment" ? commitmentStatus : null };
}

const sorted = (values: readonly string[]) => [...values].sort();
const sameList = (a: readonly string[], b: readonly string[]) =>
  JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));

function unchanged(current: InteractionRecord, input: SyncedInteraction, userEmails: string[]): boolean {
  const next = storedValues(input);
  return (
    current.accountId === next.accountId &&
    current.kind === next.kind &&
    current.occurredAt.getTime() === next.occurredAt.getTime() &&
    current.summary === next.summary &&
    current.engagementQuality === next.engagementQuality &&
    current.equityEffect === next.equityEffect &&
    current.equityWeight === next.equityWeight &&
    current.dueOn === next.dueOn &&
    current.commitmentStatus === next.commitmentStatus &&
    sameList(current.contactIds, input.contactIds) &&
    sameList(current.userEmails, [...new Set(userEmails.map((email) => email.toLowerCase()))])
  );
}

const notFound = (detail: string) => notFoundProblem("interaction", detail);

async function reload(db: Database, interactionId: string): Promise<InteractionRecord> {
  const record = await getInteractionRecord(db, interactionId);
  if (!record) throw notFound(`id ${interactionId}`);
  return record;
}

const participantField = {
  contactIds: "contact_ids",
  contactExternalIds: "contact_external_ids",
  userEmails: "user_emails",
} as const;

/** The write's participants as ids; 400 naming the list when one of them is not of this account. */
async function participantsOf(db: Database, accountId: string, fields: Writable) {
  const resolution = await resolveParticipants(db, accountId, {
    contactIds: fields.contact_ids ?? [],
    contactExternalIds: fields.contact_external_ids ?? [],
    userEmails: fields.user_emails ?? [],
  });
  if (resolution.status === "unknown") {
    const message =
      resolution.field === "userEmails"
        ? `${resolution.value} is not an active user on this account's team.`
        : `${resolution.value} is not a contact of this account.`;
    throw validationProblem([{ field: participantField[resolution.field], message }]);
  }
  return resolution;
}

async function save(
  db: Database,
  current: InteractionRecord | null,
  input: SyncedInteraction,
  externalIdValue: string | null,
): Promise<InteractionRecord> {
  try {
    return reload(db, await saveSyncedInteraction(db, current, input, externalIdValue));
  } catch (error) {
    if (isUniqueViolation(error, "interactions_external_id_key")) {
      throw externalIdTaken("interaction", externalIdValue ?? "");
    }
    throw error;
  }
}

// ─── Operations ───────────────────────────────────────────────────────────────────────

const tag = "Interactions";

export const interactionOperations = [
  defineOperation({
    operationId: "listInteractions",
    method: "GET",
    path: "/interactions",
    scope: "read",
    tag,
    summary: "List ledger entries in the order they last changed",
    query: listQuery,
    responses: {
      200: {
        description: "A page of interactions.",
        schema: pageSchema(interactionSchema),
        example: { data: [exampleInteraction], next_cursor: null },
      },
    },
    async handle({ db, query }) {
      const page = await listInteractionsByChange(db, { ...changePage(query), accountId: query.account_id });
      return { status: 200, body: pageBody(page, toApiInteraction) };
    },
  }),
  defineOperation({
    operationId: "createInteraction",
    method: "POST",
    path: "/interactions",
    scope: "write",
    tag,
    summary: "Log an interaction on an account",
    description: "The log form's rules apply; the account's health refresh is queued.",
    body: interactionCreateSchema,
    requestExample: { ...exampleWrite, external_id: "sf-act-7781", account_external_id: "sf-001234" },
    responses: {
      201: {
        description: "The interaction, logged.",
        schema: one,
        example: { data: exampleInteraction },
      },
    },
    async handle({ db, body }) {
      const accountId = await accountNamedBy(db, body);
      const participants = await participantsOf(db, accountId, body);
      const input = toDomainInput(body, accountId, participants, null, new Date());
      if (body.external_id && (await getInteractionRecordByExternalId(db, body.external_id))) {
        throw externalIdTaken("interaction", body.external_id);
      }
      const record = await save(db, null, input, body.external_id ?? null);
      return {
        status: 201,
        body: { data: toApiInteraction(record) },
        headers: { Location: `/api/v1/interactions/${record.id}` },
      };
    },
  }),
  defineOperation({
    operationId: "getInteraction",
    method: "GET",
    path: "/interactions/{id}",
    scope: "read",
    tag,
    summary: "Get an interaction",
    params: idParams,
    responses: {
      200: { description: "The interaction.", schema: one, example: { data: exampleInteraction } },
    },
    async handle({ db, params }) {
      return { status: 200, body: { data: toApiInteraction(await reload(db, params.id)) } };
    },
  }),
  defineOperation({
    operationId: "replaceInteraction",
    method: "PUT",
    path: "/interactions/{id}",
    scope: "write",
    tag,
    summary: "Replace an interaction",
    description:
      "The body is the whole interaction, as for the upsert by external id (omitted fields take their defaults; an omitted commitment_status keeps the stored one); it stays on its account. The same body twice changes nothing the second time.",
    params: idParams,
    body: interactionReplaceSchema,
    requestExample: exampleWrite,
    responses: { 200: upsertResponses("interaction", upserted, exampleInteraction)[200] },
    async handle({ db, params, body }) {
      const current = await reload(db, params.id);
      const fields = { ...body, account_id: current.accountId };
      const participants = await participantsOf(db, current.accountId, fields);
      const input = toDomainInput(fields, current.accountId, participants, current, new Date());
      if (unchanged(current, input, body.user_emails ?? [])) {
        return { status: 200, body: { data: toApiInteraction(current), result: "unchanged" } };
      }
      const record = await save(db, current, input, current.externalId);
      return { status: 200, body: { data: toApiInteraction(record), result: "updated" } };
    },
  }),
  defineOperation({
    operationId: "upsertInteractionByExternalId",
    method: "PUT",
    path: "/interactions/external/{external_id}",
    scope: "write",
    tag,
    summary: "Create or replace the interaction with this external id",
    description:
      "The body is the whole interaction (omitted fields take their defaults; an omitted commitment_status keeps the stored one). The account is required to create; on update it must be the interaction's account (409 otherwise). The same body twice changes nothing the second time.",
    params: externalIdParams("interaction"),
    body: interactionUpsertSchema,
    requestExample: { ...exampleWrite, account_external_id: "sf-001234" },
    responses: upsertResponses("interaction", upserted, exampleInteraction),
    async handle({ db, params, body }) {
      for (let attempt = 0; ; attempt++) {
        const current = await getInteractionRecordByExternalId(db, params.external_id);
        const accountId = await accountOfUpsert(db, body, current, "an interaction");
        const participants = await participantsOf(db, accountId, body);
        const input = toDomainInput(body, accountId, participants, current, new Date());
        if (current && unchanged(current, input, body.user_emails ?? [])) {
          return { status: 200, body: { data: toApiInteraction(current), result: "unchanged" } };
        }
        try {
          const record = await save(db, current, input, params.external_id);
          return {
            status: current ? 200 : 201,
            body: { data: toApiInteraction(record), result: current ? "updated" : "created" },
          };
        } catch (error) {
          // two PUTs raced to create it: the loser replaces what the winner made
          if (!current && attempt === 0 && error instanceof ApiProblem && error.problemType === "conflict")
            continue;
          throw error;
        }
      }
    },
  }),
];
