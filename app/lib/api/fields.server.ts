import { z } from "zod";
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
