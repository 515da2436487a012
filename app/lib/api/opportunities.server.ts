import { z } from "zod";
import { opportunityOutcome } from "../../../db/schema";
import { usersByEmail } from "../../domain/account-sync.server";
import { DECISION_REASONS } from "../../domain/dimensions";
import {
  getOpportunityRecord,
  getOpportunityRecordByExternalId,
  listOpportunitiesByChange,
  type OpportunityRecord,
} from "../../domain/opportunity-sync.server";
import {
  checkSyncClose,
  closeOpportunityFromSync,
  createOpportunity,
  MAX_SECONDARY_REASONS,
  recordSellerReasons,
  SEALED_MESSAGE,
  STILL_OPEN_MESSAGE,
  updateOpportunity,
  type OpportunityWriteOutcome,
} from "../../domain/opportunities.server";
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

const externalId = externalIdField("opportunity");
const outcomes = opportunityOutcome.enumValues;

export const opportunitySchema = z
  .object({
    id: z.string().uuid(),
    external_id: externalId.nullable(),
    account_id: z.string().uuid(),
    account_external_id: z.string().nullable(),
    name: z.string(),
    amount: z.number().int().describe("Whole currency units (rounded from amount_cents)."),
    amount_cents: z.number().int(),
    close_date: z.string().nullable().describe("Expected while open, actual once closed (YYYY-MM-DD)."),
    outcome: z.enum(outcomes),
    competitor: z.string().nullable(),
    seller_email: z.string().nullable(),
    primary_reason: z.enum(DECISION_REASONS).nullable(),
    secondary_reasons: z.array(z.enum(DECISION_REASONS)),
    reason_note: z.string().nullable(),
    reasons_sealed_at: z
      .string()
      .datetime()
      .nullable()
      .describe("When the seller's reasons were recorded; they never change after."),
    closed_at: z.string().datetime().nullable(),
    created_at: z.string().datetime(),
    updated_at: z.string().datetime(),
  })
  .strict();

const writableFields = {
  name: z.string().describe("1–200 characters."),
  amount: z.number().int().min(0).optional().describe("Whole currency units; default 0."),
  close_date: z
    .string()
    .nullable()
    .optional()
    .describe("YYYY-MM-DD: expected while open; the day it closed (default today, not in the future)."),
  outcome: z
    .enum(outcomes)
    .optional()
    .describe(
      "Default open. From open to won, lost or no_decision closes the deal; a closed deal stays closed.",
    ),
  competitor: z.string().nullable().optional().describe("At most 200 characters; null clears it."),
  seller_email: emailField
    .optional()
    .describe("The seller: the account owner or a team member; default the owner."),
  primary_reason: z
    .enum(DECISION_REASONS)
    .optional()
    .describe("The seller's main reason, with a closing outcome or for a deal closed without one."),
  secondary_reasons: z.array(z.enum(DECISION_REASONS)).max(MAX_SECONDARY_REASONS).optional(),
  reason_note: z.string().optional().describe("At most 500 characters."),
};

export const opportunityCreateSchema = z
  .object({ external_id: externalId.optional(), ...accountRefFields, ...writableFields })
  .strict();
export const opportunityUpsertSchema = z.object({ ...accountRefFields, ...writableFields }).strict();
export const opportunityPatchSchema = z
  .object({ external_id: externalId.nullable(), ...writableFields })
  .partial()
  .strict();

const listQuery = listQuerySchema
  .extend({ account_id: z.string().uuid().optional().describe("Only this account's deals.") })
  .strict();

const one = z.object({ data: opportunitySchema }).strict();
const upserted = z.object({ data: opportunitySchema, result: upsertResult }).strict();

const exampleOpportunity: z.input<typeof opportunitySchema> = {
  id: "6a1d2e3f-4b5c-4d6e-8f70-8192a3b4c5d6",
  external_id: "sf-opp-311",
  account_id: "5b0c7a4e-3f1d-4a52-9a0e-0c8f0b6c2d11",
  account_external_id: "sf-001234",
  name: "2026 renewal",
  amount: 120000,
  amount_cents: 12000000,
  close_date: "2025-06-30",
  outcome: "open",
  competitor: "Acme Analytics",
  seller_email: "dana@example.com",
  primary_reason: null,
  secondary_reasons: [],
  reason_note: null,
  reasons_sealed_at: null,
  closed_at: null,
  created_at: "2025-01-15T09:30:00.000Z",
  updated_at: "2025-03-02T14:05:12.123Z",
};
const exampleWrite = {
  name: "2026 renewal",
  amount: 120000,
  close_date: "2025-06-30",
  competitor: "Acme Analytics",
  seller_email: "dana@example.com",
};

// ─── Mapping ──────────────────────────────────────────────────────────────────────────

export function toApiOpportunity(record: OpportunityRecord): z.infer<typeof opportunitySchema> {
  return {
    id: record.id,
    external_id: record.externalId,
    account_id: record.accountId,
    account_external_id: record.accountExternalId,
    name: record.name,
    amount: Math.round(record.amountCents / 100),
    amount_cents: record.amountCents,
    close_date: record.closeDate,
    outcome: record.outcome,
    competitor: record.competitor,
    seller_email: record.sellerEmail,
    primary_reason: record.sellerPrimaryReason,
    secondary_reasons: record.sellerSecondaryReasons ?? [],
    reason_note: record.sellerReasonNote,
    reasons_sealed_at: record.sellerReasonsAt?.toISOString() ?? null,
    closed_at: record.closedAt?.toISOString() ?? null,
    created_at: record.createdAt.toISOString(),
    updated_at: record.updatedAt.toISOString(),
  };
}

const apiFieldOf: Record<string, string> = {
  name: "name",
  amount: "amount",
  closeDate: "close_date",
  competitor: "competitor",
  sellerId: "seller_email",
  outcome: "outcome",
  primaryReason: "primary_reason",
  secondaryReasons: "secondary_reasons",
  reasonNote: "reason_note",
};

type Writable = Partial<z.output<typeof opportunityUpsertSchema>>;

const notFound = (detail: string) => notFoundProblem("opportunity", detail);

async function reload(db: Database, opportunityId: string): Promise<OpportunityRecord> {
  const record = await getOpportunityRecord(db, opportunityId);
  if (!record) throw notFound(`id ${opportunityId}`);
  return record;
}

/** The domain's answer as the API's: 404, 409 with the domain's message, or 400 naming API fields. */
function saved(outcome: OpportunityWriteOutcome): string {
  if (outcome.status === "not_found") throw notFound("that id");
  if (outcome.status === "conflict") throw new ApiProblem("conflict", outcome.message);
  if (outcome.status === "invalid") throw domainFieldProblem(outcome.fieldErrors, apiFieldOf);
  return outcome.opportunity.id;
}

/** The seller's user id by email (undefined when none was sent); 400 for an unknown email. */
async function sellerIdOf(db: Database, fields: Writable): Promise<string | undefined> {
  if (fields.seller_email === undefined) return undefined;
  const user = (await usersByEmail(db, [fields.seller_email])).get(fields.seller_email.toLowerCase());
  if (!user) {
    throw validationProblem([
      { field: "seller_email", message: `No Rapport user has the email ${fields.seller_email}.` },
    ]);
  }
  return user.id;
}

/** The deal's facts, the API fields merged over the current deal, as the deal form posts them. */
function factValues(fields: Writable, current: OpportunityRecord | null, sellerId: string | undefined) {
  const pick = <T>(sent: T | undefined, stored: T) => (sent === undefined ? stored : sent);
  return {
    name: fields.name ?? current?.name,
    amount:
      fields.amount !== undefined
        ? String(fields.amount)
        : current
          ? (current.amountCents / 100).toFixed(2)
          : "0",
    closeDate: pick(fields.close_date, current?.closeDate ?? null) ?? "",
    competitor: pick(fields.competitor, current?.competitor ?? null) ?? "",
    sellerId: sellerId ?? current?.sellerId ?? "",
  };
}

function factsChanged(current: OpportunityRecord, fields: Writable, sellerId: string | undefined): boolean {
  return (
    (fields.name !== undefined && fields.name.trim() !== current.name) ||
    (fields.amount !== undefined && fields.amount * 100 !== current.amountCents) ||
    (fields.close_date !== undefined && (fields.close_date?.trim() || null) !== current.closeDate) ||
    (fields.competitor !== undefined && (fields.competitor?.trim() || null) !== current.competitor) ||
    (sellerId !== undefined && sellerId !== current.sellerId)
  );
}

const reasonsSent = (fields: Writable) =>
  fields.primary_reason !== undefined ||
  fields.secondary_reasons !== undefined ||
  fields.reason_note !== undefined;

const reasonValues = (fields: Writable) => ({
  primaryReason: fields.primary_reason,
  secondaryReasons: fields.secondary_reasons ?? [],
  reasonNote: fields.reason_note,
});

/** The reasons sent are the ones on file (fields left out match anything). */
function sameReasons(current: OpportunityRecord, fields: Writable): boolean {
  const stored = current.sellerSecondaryReasons ?? [];
  return (
    (fields.primary_reason === undefined || fields.primary_reason === current.sellerPrimaryReason) &&
    (fields.secondary_reasons === undefined ||
      (fields.secondary_reasons.length === stored.length &&
        fields.secondary_reasons.every((reason) => stored.includes(reason)))) &&
    (fields.reason_note === undefined || (fields.reason_note.trim() || null) === current.sellerReasonNote)
  );
}

const closing = (fields: Writable) => fields.outcome !== undefined && fields.outcome !== "open";

function reasonsNeedClose(): ApiProblem {
  return validationProblem([
    {
      field: "primary_reason",
      message: `${STILL_OPEN_MESSAGE} Send the reasons with outcome won, lost or no_decision.`,
    },
  ]);
}

/**
 * What the write changes of a deal that has closed: nothing of its facts or outcome (409),
 * and its seller's reasons only while it has none (recordSellerReasons; sealed ones never change).
 */
async function writeClosed(
  db: Database,
  current: OpportunityRecord,
  fields: Writable,
  sellerId: string | undefined,
  externalIdValue: string | null | undefined,
): Promise<boolean> {
  if (fields.outcome !== undefined && fields.outcome !== current.outcome) {
    throw new ApiProblem(
      "conflict",
      fields.outcome === "open"
        ? `This deal closed as ${current.outcome}; a closed deal is not reopened through the API.`
        : `This deal closed as ${current.outcome}; its outcome can no longer change.`,
      [{ field: "outcome", message: "The deal has closed." }],
    );
  }
  if (
    factsChanged(current, fields, sellerId) ||
    (externalIdValue !== undefined && externalIdValue !== current.externalId)
  ) {
    throw new ApiProblem(
      "conflict",
      `This deal closed as ${current.outcome}, so its facts can no longer be edited.`,
    );
  }
  if (!reasonsSent(fields) || (current.sellerReasonsAt && sameReasons(current, fields))) return false;
  if (current.sellerReasonsAt) throw new ApiProblem("conflict", SEALED_MESSAGE);
  saved(await recordSellerReasons(db, current.id, reasonValues(fields)));
  return true;
}

/** Edits an open deal's facts, then closes it when the write names a closing outcome. */
async function writeOpen(
  db: Database,
  current: OpportunityRecord,
  fields: Writable,
  sellerId: string | undefined,
  externalIdValue: string | null | undefined,
): Promise<boolean> {
  const closes = closing(fields);
  if (reasonsSent(fields) && !closes) throw reasonsNeedClose();
  // a close carries its own date, amount and competitor; the rest is the deal form's edit
  const edit: Writable = closes ? { name: fields.name } : fields;
  const edited =
    factsChanged(current, edit, sellerId) ||
    (externalIdValue !== undefined && externalIdValue !== current.externalId);
  if (edited) {
    saved(
      await updateOpportunity(db, current.id, factValues(edit, current, sellerId), {
        externalId: externalIdValue,
      }),
    );
  }
  if (closes) {
    saved(
      await closeOpportunityFromSync(db, current.id, {
        outcome: fields.outcome,
        closeDate: fields.close_date ?? undefined,
        amount: fields.amount,
        competitor: fields.competitor === undefined ? undefined : (fields.competitor ?? ""),
        ...(fields.primary_reason !== undefined ? reasonValues(fields) : {}),
      }),
    );
  }
  return edited || closes;
}

/** Writes the fields; the saved deal, or null when nothing had to change. */
async function save(
  db: Database,
  target: { accountId: string } | { current: OpportunityRecord },
  fields: Writable,
  externalIdValue: string | null | undefined,
): Promise<OpportunityRecord | null> {
  try {
    const sellerId = await sellerIdOf(db, fields);
    if ("current" in target) {
      const { current } = target;
      const changed =
        current.outcome === "open"
          ? await writeOpen(db, current, fields, sellerId, externalIdValue)
          : await writeClosed(db, current, fields, sellerId, externalIdValue);
      return changed ? reload(db, current.id) : null;
    }
    const closes = closing(fields);
    if (reasonsSent(fields) && !closes) throw reasonsNeedClose();
    const close = closes
      ? {
          outcome: fields.outcome,
          closeDate: fields.close_date ?? undefined,
          ...(fields.primary_reason !== undefined ? reasonValues(fields) : {}),
        }
      : null;
    // a deal that arrives closed is created, then closed: the close is checked first, so a
    // bad one leaves no open deal behind
    const checked = close ? checkSyncClose(close) : null;
    if (checked && !checked.ok) throw domainFieldProblem(checked.fieldErrors, apiFieldOf);
    const createFields: Writable = closes ? { ...fields, close_date: undefined } : fields;
    const id = saved(
      await createOpportunity(db, target.accountId, factValues(createFields, null, sellerId), "", {
        externalId: externalIdValue ?? null,
      }),
    );
    if (close) saved(await closeOpportunityFromSync(db, id, close));
    return reload(db, id);
  } catch (error) {
    if (isUniqueViolation(error, "opportunities_external_id_key")) {
      throw externalIdTaken("opportunity", externalIdValue ?? "");
    }
    throw error;
  }
}

// ─── Operations ───────────────────────────────────────────────────────────────────────

const tag = "Opportunities";

export const opportunityOperations = [
  defineOperation({
    operationId: "listOpportunities",
    method: "GET",
    path: "/opportunities",
    scope: "read",
    tag,
    summary: "List opportunities in the order they last changed",
    query: listQuery,
    responses: {
      200: {
        description: "A page of opportunities.",
        schema: pageSchema(opportunitySchema),
        example: { data: [exampleOpportunity], next_cursor: null },
      },
    },
    async handle({ db, query }) {
      const page = await listOpportunitiesByChange(db, { ...changePage(query), accountId: query.account_id });
      return { status: 200, body: pageBody(page, toApiOpportunity) };
    },
  }),
  defineOperation({
    operationId: "createOpportunity",
    method: "POST",
    path: "/opportunities",
    scope: "write",
    tag,
    summary: "Add a deal to an account",
    description:
      "A closing outcome closes it at once: with primary_reason the seller's reasons are sealed, without them its win/loss follow-up waits for the seller.",
    body: opportunityCreateSchema,
    requestExample: { ...exampleWrite, external_id: "sf-opp-311", account_external_id: "sf-001234" },
    responses: {
      201: {
        description: "The opportunity, created.",
        schema: one,
        example: { data: exampleOpportunity },
      },
    },
    async handle({ db, body }) {
      const accountId = await accountNamedBy(db, body);
      if (body.external_id && (await getOpportunityRecordByExternalId(db, body.external_id))) {
        throw externalIdTaken("opportunity", body.external_id);
      }
      const record = (await save(db, { accountId }, body, body.external_id ?? null))!;
      return {
        status: 201,
        body: { data: toApiOpportunity(record) },
        headers: { Location: `/api/v1/opportunities/${record.id}` },
      };
    },
  }),
  defineOperation({
    operationId: "getOpportunity",
    method: "GET",
    path: "/opportunities/{id}",
    scope: "read",
    tag,
    summary: "Get an opportunity",
    params: idParams,
    responses: {
      200: { description: "The opportunity.", schema: one, example: { data: exampleOpportunity } },
    },
    async handle({ db, params }) {
      return { status: 200, body: { data: toApiOpportunity(await reload(db, params.id)) } };
    },
  }),
  defineOperation({
    operationId: "updateOpportunity",
    method: "PATCH",
    path: "/opportunities/{id}",
    scope: "write",
    tag,
    summary: "Change some of an opportunity's fields, close it, or record the seller's reasons",
    description:
      "Fields left out keep their value. An open deal's facts may change; a closing outcome closes it. A closed deal's facts and outcome never change (409); reasons may be sent once for a deal closed without them, and sealed reasons never change (409).",
    params: idParams,
    body: opportunityPatchSchema,
    requestExample: { outcome: "won", close_date: "2025-03-01", primary_reason: "product_fit" },
    responses: {
      200: {
        description: "The opportunity, saved.",
        schema: one,
        example: { data: exampleOpportunity },
      },
    },
    async handle({ db, params, body }) {
      const current = await reload(db, params.id);
      const { external_id, ...fields } = body;
      const record = await save(db, { current }, fields, external_id);
      return { status: 200, body: { data: toApiOpportunity(record ?? current) } };
    },
  }),
  defineOperation({
    operationId: "upsertOpportunityByExternalId",
    method: "PUT",
    path: "/opportunities/external/{external_id}",
    scope: "write",
    tag,
    summary: "Create or update the opportunity with this external id",
    description:
      "The account is required to create; on update it must be the deal's account (409 otherwise). The rules of PATCH apply. The same body twice changes nothing the second time.",
    params: externalIdParams("opportunity"),
    body: opportunityUpsertSchema,
    requestExample: { ...exampleWrite, account_external_id: "sf-001234" },
    responses: upsertResponses("opportunity", upserted, exampleOpportunity),
    async handle({ db, params, body }) {
      for (let attempt = 0; ; attempt++) {
        const current = await getOpportunityRecordByExternalId(db, params.external_id);
        const sentAccount = await accountOfUpsert(db, body, current, "a deal");
        try {
          const record = await save(
            db,
            current ? { current } : { accountId: sentAccount },
            body,
            current ? undefined : params.external_id,
          );
          if (current && !record) {
            return { status: 200, body: { data: toApiOpportunity(current), result: "unchanged" } };
          }
          return {
            status: current ? 200 : 201,
            body: { data: toApiOpportunity(record!), result: current ? "updated" : "created" },
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
];
