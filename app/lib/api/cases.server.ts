import { and, asc, eq, inArray, type SQL } from "drizzle-orm";
import { z } from "zod";
import { cases, users } from "../../../db/schema";
import { changedAfter, pageOf, updatedAtMicros } from "../../domain/account-sync.server";
import type { ApiKeyPrincipal } from "../../domain/api-keys.server";
import { acknowledgeCase, resolveCase, type CaseChange } from "../../domain/case-workflow.server";
import { CASE_NOTE_MAX_LENGTH } from "../../domain/cases";
import type { Actor } from "../../domain/interactions.server";
import type { Database } from "../db.server";
import { idParams, notFoundProblem } from "./fields.server";
import { defineOperation } from "./operation.server";
import { decodeCursor, encodeCursor, listQuerySchema, pageSchema } from "./pagination.server";
import { ApiProblem, validationProblem } from "./problem.server";

// ─── Schemas ──────────────────────────────────────────────────────────────────────────

const statuses = ["open", "acknowledged", "resolved"] as const;
const triggers = ["low_advocacy", "low_dimension", "health_drop", "help_requested", "manual"] as const;

export const caseSchema = z
  .object({
    id: z.string().uuid(),
    account_id: z.string().uuid(),
    contact_id: z.string().uuid().nullable(),
    response_id: z.string().uuid().nullable(),
    trigger: z.enum(triggers),
    severity: z.enum(["medium", "high", "critical"]),
    status: z.enum(statuses),
    owner_email: z.string(),
    summary: z.string(),
    sla_due_at: z.string().datetime(),
    resolution_note: z.string().nullable(),
    opened_at: z.string().datetime(),
    acknowledged_at: z.string().datetime().nullable(),
    resolved_at: z.string().datetime().nullable(),
    recovery_invitation_id: z.string().uuid().nullable(),
  })
  .strict();

const listQuery = listQuerySchema
  .pick({ limit: true, cursor: true })
  .extend({
    status: z
      .enum([...statuses, "unresolved"])
      .optional()
      .describe("Only cases in this status; unresolved is open or acknowledged."),
    account_id: z.string().uuid().optional().describe("Only this account's cases."),
  })
  .strict();

export const resolveSchema = z
  .object({
    resolution_note: z
      .string()
      .trim()
      .min(1, "Write what was done to resolve it.")
      .max(CASE_NOTE_MAX_LENGTH)
      .describe(`What was done to resolve it; at most ${CASE_NOTE_MAX_LENGTH} characters.`),
    send_recovery_pulse: z
      .boolean()
      .optional()
      .describe("Also send the contact the short recovery pulse survey (default false)."),
  })
  .strict();

const one = z.object({ data: caseSchema }).strict();
const changed = z
  .object({ data: caseSchema, notice: z.string().describe("What happened, as the case page says it.") })
  .strict();

const exampleCase: z.input<typeof caseSchema> = {
  id: "c4a1e2f3-5b6d-4e7f-8a9b-0c1d2e3f4a5b",
  account_id: "5b0c7a4e-3f1d-4a52-9a0e-0c8f0b6c2d11",
  contact_id: "8d2f1c3a-6b7e-4f90-a1b2-c3d4e5f60718",
  response_id: "1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b",
  trigger: "low_advocacy",
  severity: "critical",
  status: "open",
  owner_email: "dana@rapport.example",
  summary: "Priya Shah answered advocacy 3/10",
  sla_due_at: "2025-03-06T09:00:00.000Z",
  resolution_note: null,
  opened_at: "2025-03-04T09:00:00.000Z",
  acknowledged_at: null,
  resolved_at: null,
  recovery_invitation_id: null,
};
const exampleResolved: z.input<typeof caseSchema> = {
  ...exampleCase,
  status: "resolved",
  resolution_note: "Called Priya; the invoice fix ships Friday.",
  acknowledged_at: "2025-03-04T10:00:00.000Z",
  resolved_at: "2025-03-05T16:00:00.000Z",
};

// ─── Reading ──────────────────────────────────────────────────────────────────────────

const caseColumns = {
  case: cases,
  ownerEmail: users.email,
  // the cursor's position to the microsecond, so cases opened in one millisecond page cleanly
  openedAtText: updatedAtMicros(cases.openedAt),
};

type CaseRow = { case: typeof cases.$inferSelect; ownerEmail: string };

export function toApiCase({ case: row, ownerEmail }: CaseRow): z.infer<typeof caseSchema> {
  return {
    id: row.id,
    account_id: row.accountId,
    contact_id: row.contactId,
    response_id: row.responseId,
    trigger: row.trigger,
    severity: row.severity,
    status: row.status,
    owner_email: ownerEmail,
    summary: row.summary,
    sla_due_at: row.slaDueAt.toISOString(),
    resolution_note: row.resolutionNote,
    opened_at: row.openedAt.toISOString(),
    acknowledged_at: row.acknowledgedAt?.toISOString() ?? null,
    resolved_at: row.resolvedAt?.toISOString() ?? null,
    recovery_invitation_id: row.recoveryInvitationId,
  };
}

async function reload(db: Database, caseId: string): Promise<CaseRow> {
  const [row] = await db
    .select(caseColumns)
    .from(cases)
    .innerJoin(users, eq(users.id, cases.ownerId))
    .where(eq(cases.id, caseId));
  if (!row) throw notFoundProblem("case", `id ${caseId}`);
  return row;
}

/** The user a write acts as: the key's creator, who must still be active. */
async function actorOf(db: Database, key: ApiKeyPrincipal): Promise<Actor> {
  const [user] = key.createdById
    ? await db
        .select({ id: users.id, role: users.role, deactivatedAt: users.deactivatedAt })
        .from(users)
        .where(eq(users.id, key.createdById))
    : [];
  if (!user || user.deactivatedAt) {
    throw new ApiProblem(
      "forbidden",
      "Working a case acts as the key's creator; this key has no active creator. Create a key as a user who may edit the account.",
    );
  }
  return { id: user.id, role: user.role };
}

async function answer(db: Database, caseId: string, change: CaseChange) {
  switch (change.status) {
    case "done":
      return { status: 200, body: { data: toApiCase(await reload(db, caseId)), notice: change.notice } };
    case "not_found":
      throw notFoundProblem("case", `id ${caseId}`);
    case "forbidden":
      throw new ApiProblem("forbidden", "The key's creator may not edit this case's account.");
    case "conflict":
      throw new ApiProblem("conflict", change.message, [{ field: "status", message: change.message }]);
    case "invalid":
      throw validationProblem([
        {
          field: change.field === "resolutionNote" ? "resolution_note" : change.field,
          message: change.message,
        },
      ]);
  }
}

// ─── Operations ───────────────────────────────────────────────────────────────────────

const tag = "Cases";

export const caseOperations = [
  defineOperation({
    operationId: "listCases",
    method: "GET",
    path: "/cases",
    scope: "read",
    tag,
    summary: "List Customer 9-1-1 cases, oldest opened first",
    query: listQuery,
    responses: {
      200: {
        description: "A page of cases.",
        schema: pageSchema(caseSchema),
        example: { data: [exampleCase], next_cursor: null },
      },
    },
    async handle({ db, query }) {
      const where: SQL[] = [];
      if (query.status === "unresolved") where.push(inArray(cases.status, ["open", "acknowledged"]));
      else if (query.status) where.push(eq(cases.status, query.status));
      if (query.account_id) where.push(eq(cases.accountId, query.account_id));
      // the shared change-order filter, on opened_at: cases have no updated_at
      const after = changedAfter(cases.openedAt, cases.id, {
        limit: query.limit,
        cursor: query.cursor ? decodeCursor(query.cursor) : undefined,
      });
      if (after) where.push(after);
      const rows = await db
        .select(caseColumns)
        .from(cases)
        .innerJoin(users, eq(users.id, cases.ownerId))
        .where(and(...where))
        .orderBy(asc(cases.openedAt), asc(cases.id))
        .limit(query.limit + 1);
      const page = pageOf(
        rows.map((row) => ({ ...row, id: row.case.id, updatedAtText: row.openedAtText })),
        query.limit,
      );
      return {
        status: 200,
        body: { data: page.rows.map(toApiCase), next_cursor: page.next ? encodeCursor(page.next) : null },
      };
    },
  }),
  defineOperation({
    operationId: "getCase",
    method: "GET",
    path: "/cases/{id}",
    scope: "read",
    tag,
    summary: "Get a case",
    params: idParams,
    responses: { 200: { description: "The case.", schema: one, example: { data: exampleCase } } },
    async handle({ db, params }) {
      return { status: 200, body: { data: toApiCase(await reload(db, params.id)) } };
    },
  }),
  defineOperation({
    operationId: "acknowledgeCase",
    method: "POST",
    path: "/cases/{id}/acknowledge",
    scope: "write",
    tag,
    summary: "Acknowledge an open case",
    description:
      "Acts as the key's creator, who must be able to edit the account (403 otherwise). 409 unless the case is open.",
    params: idParams,
    responses: {
      200: {
        description: "The case, acknowledged.",
        schema: changed,
        example: {
          data: { ...exampleCase, status: "acknowledged", acknowledged_at: "2025-03-04T10:00:00.000Z" },
          notice: "Acknowledged. The SLA clock keeps running until it is resolved.",
        },
      },
    },
    async handle({ db, key, params }) {
      await reload(db, params.id);
      const actor = await actorOf(db, key);
      return answer(db, params.id, await acknowledgeCase(db, actor, params.id));
    },
  }),
  defineOperation({
    operationId: "resolveCase",
    method: "POST",
    path: "/cases/{id}/resolve",
    scope: "write",
    tag,
    summary: "Resolve a case, optionally sending the contact a recovery pulse",
    description:
      "Acts as the key's creator, who must be able to edit the account (403 otherwise). An open case counts as acknowledged at the same moment. 409 when it is already resolved.",
    params: idParams,
    body: resolveSchema,
    requestExample: {
      resolution_note: "Called Priya; the invoice fix ships Friday.",
      send_recovery_pulse: true,
    },
    responses: {
      200: {
        description: "The case, resolved.",
        schema: changed,
        example: { data: exampleResolved, notice: "Resolved." },
      },
    },
    async handle({ db, key, params, body }) {
      await reload(db, params.id);
      const actor = await actorOf(db, key);
      const change = await resolveCase(db, actor, params.id, {
        resolutionNote: body.resolution_note,
        sendRecoveryPulse: body.send_recovery_pulse ?? false,
      });
      return answer(db, params.id, change);
    },
  }),
];
