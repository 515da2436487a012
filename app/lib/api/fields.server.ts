import { z } from "zod";
import { findAccountId } from "../../domain/contact-sync.server";
import type { Database } from "../db.server";
import { ApiProblem, validationProblem, type FieldProblem } from "./problem.server";

/** Schemas and refusals that every synced resource (contacts, opportunities, interactions) shares. */

export const externalIdField = (what: string) =>
  z.string().trim().min(1).max(200).describe(`The ${what}'s id in your CRM; unique.`);
export const emailField = z.string().trim().email().max(320);

export const idParams = z.object({ id: z.string().uuid() }).strict();
export const externalIdParams = (what: string) => z.object({ external_id: externalIdField(what) }).strict();

export const accountRefFields = {
  account_id: z.string().uuid().optional().describe("The account, by Rapport id…"),
  account_external_id: z.string().trim().min(1).max(200).optional().describe("…or by your CRM's id."),
};

export const upsertResult = z
  .enum(["created", "updated", "unchanged"])
  .describe("What the PUT did; unchanged writes nothing.");

/** A unique index refused the write (Postgres 23505 on that constraint). */
export const isUniqueViolation = (error: unknown, constraint: string) =>
  typeof error === "object" &&
  error !== null &&
  (error as { code?: string }).code === "23505" &&
  (error as { constraint_name?: string }).constraint_name === constraint;

export const externalIdTaken = (what: string, value: string) =>
  new ApiProblem("conflict", `Another ${what} already has external_id ${value}.`, [
    { field: "external_id", message: `Already used by another ${what}.` },
  ]);

export const notFoundProblem = (what: string, detail: string) =>
  new ApiProblem("not-found", `No ${what} has ${detail}.`);

/** A domain's first-message-per-field errors under the API's field names. */
export function domainFieldProblem(
  fieldErrors: Record<string, string | undefined>,
  apiFieldOf: Record<string, string>,
): ApiProblem {
  const errors: FieldProblem[] = Object.entries(fieldErrors)
    .filter(([, message]) => message !== undefined)
    .map(([field, message]) => ({ field: apiFieldOf[field] ?? field, message: String(message) }));
  return validationProblem(errors);
}

/** What a write may send to name its account. */
export interface AccountRef {
  account_id?: string;
  account_external_id?: string;
}

/** The account a write names (by id or external id); 400 naming the field when it names none. */
export async function accountNamedBy(db: Database, fields: AccountRef): Promise<string> {
  if (fields.account_id === undefined && fields.account_external_id === undefined) {
    throw validationProblem([{ field: "account_id", message: "Send account_id or account_external_id." }]);
  }
  if (fields.account_id !== undefined && fields.account_external_id !== undefined) {
    throw validationProblem([
      { field: "account_external_id", message: "Send account_id or account_external_id, not both." },
    ]);
  }
  const accountId = await findAccountId(db, {
    id: fields.account_id,
    externalId: fields.account_external_id,
  });
  if (!accountId) {
    const field = fields.account_id !== undefined ? "account_id" : "account_external_id";
    throw validationProblem([{ field, message: "No account has this id." }]);
  }
  return accountId;
}

/**
 * The account of an upsert by external id: the record's own when the PUT names none, else the
 * one named — which must be the record's (`what` stays with its account: 409 otherwise).
 */
export async function accountOfUpsert(
  db: Database,
  fields: AccountRef,
  current: { accountId: string } | null,
  what: string,
): Promise<string> {
  const named = fields.account_id !== undefined || fields.account_external_id !== undefined;
  const accountId = current && !named ? current.accountId : await accountNamedBy(db, fields);
  if (current && accountId !== current.accountId) {
    throw new ApiProblem(
      "conflict",
      `${capitalised(what)} stays with its account; this one belongs to another.`,
      [
        {
          field: fields.account_id !== undefined ? "account_id" : "account_external_id",
          message: `Not this ${what.replace(/^(a|an) /, "")}'s account.`,
        },
      ],
    );
  }
  return accountId;
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** The 200/201 answers of a PUT by external id, documented once for every resource. */
export function upsertResponses<T extends z.ZodTypeAny>(what: string, schema: T, example: unknown) {
  return {
    200: {
      description: `The ${what} existed: updated, or unchanged.`,
      schema,
      example: { data: example, result: "unchanged" },
    },
    201: {
      description: `The ${what} was created.`,
      schema,
      example: { data: example, result: "created" },
    },
  };
}
