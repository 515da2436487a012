import { z } from "zod";
import { buyingRole } from "../../../db/schema";
import {
  getContactRecord,
  getContactRecordByExternalId,
  listContactsByChange,
  type ContactRecord,
} from "../../domain/contact-sync.server";
import {
  contactFieldErrors,
  contactInputSchema,
  createContact,
  updateContact,
  type ContactInput,
} from "../../domain/contacts.server";
import type { Database } from "../db.server";
import { defineOperation } from "./operation.server";
import {
  accountRefFields,
  domainFieldProblem,
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
import { ApiProblem } from "./problem.server";

// ─── Schemas ──────────────────────────────────────────────────────────────────────────

const externalId = externalIdField("contact");

export const contactSchema = z
  .object({
    id: z.string().uuid(),
    external_id: externalId.nullable(),
    account_id: z.string().uuid(),
    account_external_id: z.string().nullable(),
    name: z.string(),
    email: z.string().nullable(),
    title: z.string().nullable(),
    buying_role: z.enum(buyingRole.enumValues),
    language: z.string(),
    opted_out: z.boolean(),
    opted_out_at: z.string().datetime().nullable(),
    created_at: z.string().datetime(),
    updated_at: z.string().datetime(),
  })
  .strict();

const writableFields = {
  name: z.string().describe("1–200 characters."),
  email: z.string().nullable().optional().describe("Once per account, in any case; null clears it."),
  title: z.string().nullable().optional().describe("At most 200 characters; null clears it."),
  buying_role: z.enum(buyingRole.enumValues).optional().describe("Default user."),
  language: z.string().optional().describe("A language tag such as en or pt-BR; default en."),
  opted_out: z
    .boolean()
    .optional()
    .describe("true records an opt-out; an opt-out on file is never cleared through the API."),
};

export const contactCreateSchema = z
  .object({ external_id: externalId.optional(), ...accountRefFields, ...writableFields })
  .strict();
export const contactUpsertSchema = z.object({ ...accountRefFields, ...writableFields }).strict();
export const contactPatchSchema = z
  .object({ external_id: externalId.nullable(), ...writableFields })
  .partial()
  .strict();

const listQuery = listQuerySchema
  .extend({ account_id: z.string().uuid().optional().describe("Only this account's contacts.") })
  .strict();

const one = z.object({ data: contactSchema }).strict();
const upserted = z.object({ data: contactSchema, result: upsertResult }).strict();

const exampleContact: z.input<typeof contactSchema> = {
  id: "8d2f1c3a-6b7e-4f90-a1b2-c3d4e5f60718",
  external_id: "sf-c-0042",
  account_id: "5b0c7a4e-3f1d-4a52-9a0e-0c8f0b6c2d11",
  account_external_id: "sf-001234",
  name: "Priya Raman",
  email: "priya@northwind.example",
  title: "VP Operations",
  buying_role: "decision_maker",
  language: "en",
  opted_out: false,
  opted_out_at: null,
  created_at: "2025-01-15T09:30:00.000Z",
  updated_at: "2025-03-02T14:05:12.123Z",
};
const exampleWrite = {
  name: "Priya Raman",
  email: "priya@northwind.example",
  title: "VP Operations",
  buying_role: "decision_maker" as const,
};

// ─── Mapping ──────────────────────────────────────────────────────────────────────────

export function toApiContact(record: ContactRecord): z.infer<typeof contactSchema> {
  return {
    id: record.id,
    external_id: record.externalId,
    account_id: record.accountId,
    account_external_id: record.accountExternalId,
    name: record.name,
    email: record.email,
    title: record.title,
    buying_role: record.buyingRole,
    language: record.language,
    opted_out: record.optedOutAt !== null,
    opted_out_at: record.optedOutAt?.toISOString() ?? null,
    created_at: record.createdAt.toISOString(),
    updated_at: record.updatedAt.toISOString(),
  };
}

const apiFieldOf: Record<string, string> = {
  name: "name",
  email: "email",
  title: "title",
  buyingRole: "buying_role",
  language: "language",
  optedOut: "opted_out",
};

type Writable = Partial<z.output<typeof contactUpsertSchema>>;

/** The API fields merged over the current contact, checked by the contact form's schema. */
function toDomainInput(fields: Writable, current: ContactRecord | null): ContactInput {
  const pick = <T>(sent: T | undefined, stored: T) => (sent === undefined ? stored : sent);
  const parsed = contactInputSchema.safeParse({
    name: fields.name ?? current?.name,
    email: pick(fields.email, current?.email ?? null) ?? "",
    title: pick(fields.title, current?.title ?? null) ?? "",
    buyingRole: fields.buying_role ?? current?.buyingRole ?? "user",
    language: fields.language ?? current?.language ?? "en",
    // an opt-out is the person's wish: a sync never clears it (only the contact form can)
    optedOut: fields.opted_out === true || Boolean(current?.optedOutAt) ? "on" : undefined,
  });
  if (!parsed.success) throw domainFieldProblem(contactFieldErrors(parsed.error), apiFieldOf);
  return parsed.data;
}

function unchanged(current: ContactRecord, input: ContactInput): boolean {
  return (
    current.name === input.name &&
    current.email === input.email &&
    current.title === input.title &&
    current.buyingRole === input.buyingRole &&
    current.language === input.language &&
    (current.optedOutAt !== null) === input.optedOut
  );
}

const notFound = (detail: string) => notFoundProblem("contact", detail);

async function reload(db: Database, contactId: string): Promise<ContactRecord> {
  const record = await getContactRecord(db, contactId);
  if (!record) throw notFound(`id ${contactId}`);
  return record;
}

async function save(
  db: Database,
  target: { accountId: string } | { current: ContactRecord },
  input: ContactInput,
  externalIdValue: string | null | undefined,
): Promise<ContactRecord> {
  try {
    const options = { externalId: externalIdValue };
    const outcome =
      "current" in target
        ? await updateContact(db, target.current.id, input, new Date(), options)
        : await createContact(db, target.accountId, input, new Date(), options);
    if (outcome.status === "not_found") throw notFound("that id");
    if (outcome.status === "duplicate_email") {
      throw new ApiProblem("conflict", `Another contact of this account has the email ${outcome.email}.`, [
        { field: "email", message: "Already used by another contact of this account." },
      ]);
    }
    return reload(db, outcome.contact.id);
  } catch (error) {
    if (isUniqueViolation(error, "contacts_external_id_key")) {
      throw externalIdTaken("contact", externalIdValue ?? "");
    }
    throw error;
  }
}

// ─── Operations ───────────────────────────────────────────────────────────────────────

const tag = "Contacts";

export const contactOperations = [
  defineOperation({
    operationId: "listContacts",
    method: "GET",
    path: "/contacts",
    scope: "read",
    tag,
    summary: "List contacts in the order they last changed",
    query: listQuery,
    responses: {
      200: {
        description: "A page of contacts.",
        schema: pageSchema(contactSchema),
        example: { data: [exampleContact], next_cursor: null },
      },
    },
    async handle({ db, query }) {
      const page = await listContactsByChange(db, { ...changePage(query), accountId: query.account_id });
      return { status: 200, body: pageBody(page, toApiContact) };
    },
  }),
  defineOperation({
    operationId: "createContact",
    method: "POST",
    path: "/contacts",
    scope: "write",
    tag,
    summary: "Add a contact to an account's buying group",
    body: contactCreateSchema,
    requestExample: { ...exampleWrite, external_id: "sf-c-0042", account_external_id: "sf-001234" },
    responses: {
      201: { description: "The contact, created.", schema: one, example: { data: exampleContact } },
    },
    async handle({ db, body }) {
      const accountId = await accountNamedBy(db, body);
      if (body.external_id && (await getContactRecordByExternalId(db, body.external_id))) {
        throw externalIdTaken("contact", body.external_id);
      }
      const record = await save(db, { accountId }, toDomainInput(body, null), body.external_id ?? null);
      return {
        status: 201,
        body: { data: toApiContact(record) },
        headers: { Location: `/api/v1/contacts/${record.id}` },
      };
    },
  }),
  defineOperation({
    operationId: "getContact",
    method: "GET",
    path: "/contacts/{id}",
    scope: "read",
    tag,
    summary: "Get a contact",
    params: idParams,
    responses: { 200: { description: "The contact.", schema: one, example: { data: exampleContact } } },
    async handle({ db, params }) {
      return { status: 200, body: { data: toApiContact(await reload(db, params.id)) } };
    },
  }),
  defineOperation({
    operationId: "updateContact",
    method: "PATCH",
    path: "/contacts/{id}",
    scope: "write",
    tag,
    summary: "Change some of a contact's fields",
    description: "Fields left out keep their value. A contact stays with its account.",
    params: idParams,
    body: contactPatchSchema,
    requestExample: { title: "COO", buying_role: "champion" },
    responses: {
      200: { description: "The contact, saved.", schema: one, example: { data: exampleContact } },
    },
    async handle({ db, params, body }) {
      const current = await reload(db, params.id);
      const { external_id, ...fields } = body;
      const input = toDomainInput(fields, current);
      if (unchanged(current, input) && (external_id === undefined || external_id === current.externalId)) {
        return { status: 200, body: { data: toApiContact(current) } };
      }
      return { status: 200, body: { data: toApiContact(await save(db, { current }, input, external_id)) } };
    },
  }),
  defineOperation({
    operationId: "upsertContactByExternalId",
    method: "PUT",
    path: "/contacts/external/{external_id}",
    scope: "write",
    tag,
    summary: "Create or update the contact with this external id",
    description:
      "The account is required to create; on update it must be the contact's account (409 otherwise). The same body twice changes nothing the second time.",
    params: externalIdParams("contact"),
    body: contactUpsertSchema,
    requestExample: { ...exampleWrite, account_external_id: "sf-001234" },
    responses: upsertResponses("contact", upserted, exampleContact),
    async handle({ db, params, body }) {
      for (let attempt = 0; ; attempt++) {
        const current = await getContactRecordByExternalId(db, params.external_id);
        const sentAccount = await accountOfUpsert(db, body, current, "a contact");
        const input = toDomainInput(body, current);
        if (current && unchanged(current, input)) {
          return { status: 200, body: { data: toApiContact(current), result: "unchanged" } };
        }
        try {
          const record = await save(
            db,
            current ? { current } : { accountId: sentAccount },
            input,
            params.external_id,
          );
          return {
            status: current ? 200 : 201,
            body: { data: toApiContact(record), result: current ? "updated" : "created" },
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
