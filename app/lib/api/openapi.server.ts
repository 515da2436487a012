import type { ZodTypeAny } from "zod";
import { z } from "zod";
import { zodToJsonSchema } from "zod-to-json-schema";
import { MAX_API_BODY_BYTES } from "./body.server";
import type { ApiOperation } from "./operation.server";
import { PROBLEM_BASE_URI, PROBLEM_TYPES } from "./problem.server";
import { apiOperations } from "./registry.server";

/** JSON Schema (2020-12 compatible, as OpenAPI 3.1 uses) for one zod schema, inlined. */
export function jsonSchemaOf(schema: ZodTypeAny): Record<string, unknown> {
  const { $schema: _drop, ...rest } = zodToJsonSchema(schema, {
    target: "jsonSchema7",
    $refStrategy: "none",
  }) as Record<string, unknown>;
  return rest;
}

export const problemSchema = z
  .object({
    type: z.string().url(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z.array(z.object({ field: z.string(), message: z.string() }).strict()).optional(),
  })
  .strict();

const problemRef = { $ref: "#/components/schemas/Problem" };
const problemResponse = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: problemRef } },
});

function parameters(op: ApiOperation) {
  const list: Record<string, unknown>[] = [];
  for (const [location, schema] of [
    ["path", op.params],
    ["query", op.query],
  ] as const) {
    if (!schema) continue;
    const shape = (schema as unknown as z.AnyZodObject).shape as Record<string, ZodTypeAny>;
    for (const [name, field] of Object.entries(shape)) {
      const fieldSchema = jsonSchemaOf(field);
      list.push({
        name,
        in: location,
        required: location === "path" || !field.isOptional(),
        ...(field.description ? { description: field.description } : {}),
        schema: fieldSchema,
      });
    }
  }
  if (op.method === "POST") {
    list.push({
      name: "Idempotency-Key",
      in: "header",
      required: false,
      description: "Repeat it with the same request to get the first answer back (24 hours).",
      schema: { type: "string", maxLength: 255 },
    });
  }
  return list;
}

function operationObject(op: ApiOperation) {
  const responses: Record<string, unknown> = {};
  for (const [status, spec] of Object.entries(op.responses)) {
    responses[status] = {
      description: spec.description,
      ...(spec.schema
        ? {
            content: {
              [spec.contentType ?? "application/json"]: {
                schema: jsonSchemaOf(spec.schema),
                ...(spec.example !== undefined ? { example: spec.example } : {}),
              },
            },
          }
        : {}),
    };
  }
  responses["401"] = problemResponse("Missing, unknown or revoked API key.");
  responses["429"] = problemResponse("Rate limit reached; see the RateLimit-* and Retry-After headers.");
  if (op.scope === "write") responses["403"] = problemResponse("The key's scope is read.");
  if (op.params) responses["404"] = problemResponse("No such resource.");
  if (op.query || op.body)
    responses["400"] = problemResponse("Malformed JSON or a field that did not validate.");
  if (op.body) {
    responses["413"] = problemResponse(`The body is over ${MAX_API_BODY_BYTES} bytes.`);
    responses["415"] = problemResponse("The body is not application/json.");
  }
  if (op.method === "POST")
    responses["409"] ??= problemResponse("Idempotency-Key reused with another request.");
  return {
    operationId: op.operationId,
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    tags: [op.tag],
    "x-rapport-scope": op.scope,
    parameters: parameters(op),
    ...(op.body
      ? {
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: jsonSchemaOf(op.body),
                ...(op.requestExample !== undefined ? { example: op.requestExample } : {}),
              },
            },
          },
        }
      : {}),
    responses,
  };
}

/** The OpenAPI 3.1 document for /api/v1, built from the operation registry. */
export function buildOpenApiDocument(operations: ApiOperation[] = apiOperations) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    paths[op.path] ??= {};
    paths[op.path]![op.method.toLowerCase()] = operationObject(op);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Rapport API",
      version: "1",
      description:
        "Keep Rapport in sync with your CRM. Authenticate with `Authorization: Bearer rk_…` (Settings → API keys). Errors are RFC 9457 problem+json; see docs/api.md.",
    },
    servers: [{ url: "/api/v1" }],
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "An API key, rk_…" } },
      schemas: {
        Problem: {
          ...jsonSchemaOf(problemSchema),
          description: `RFC 9457 problem details; \`type\` is one of ${Object.keys(PROBLEM_TYPES)
            .map((t) => PROBLEM_BASE_URI + t)
            .join(", ")}.`,
        },
      },
    },
  };
}
