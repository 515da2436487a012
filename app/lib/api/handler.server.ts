import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { findActiveApiKey, type ApiKeyPrincipal } from "../../domain/api-keys.server";
import { getDb } from "../db.server";
import { log } from "../log.server";
import { isStorableText } from "../json-body.server";
import { readJsonBody, unstorableProblems } from "./body.server";
import {
  claimIdempotencyKey,
  recordIdempotentResult,
  releaseIdempotencyKey,
  requestHash,
} from "./idempotency.server";
import type { ApiOperation, ApiResult } from "./operation.server";
import { ApiProblem, fieldProblems, problemResponse, validationProblem } from "./problem.server";
import { rateLimitHeaders, takeRateLimitToken } from "./rate-limit.server";
import { apiOperations } from "./registry.server";

export const API_PREFIX = "/api/v1";

const camelCase = (name: string) => name.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

/** The bearer key of a request; 401 when it is missing, malformed, unknown or revoked. */
export async function authenticateApiRequest(request: Request): Promise<ApiKeyPrincipal> {
  const header = request.headers.get("Authorization") ?? "";
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  const challenge = { "WWW-Authenticate": 'Bearer realm="rapport"' };
  if (!match) {
    throw new ApiProblem(
      "unauthorized",
      "Send an API key as `Authorization: Bearer rk_…` (Settings → API keys).",
      undefined,
      challenge,
    );
  }
  const key = await findActiveApiKey(getDb(), match[1]!);
  if (!key) {
    throw new ApiProblem("unauthorized", "The API key is unknown or has been revoked.", undefined, challenge);
  }
  return key;
}

function json(result: ApiResult, headers: Record<string, string>): Response {
  const all = { "Cache-Control": "no-store", ...headers, ...result.headers };
  if (result.stream) {
    return new Response(result.stream, {
      status: result.status,
      headers: { "Content-Type": result.contentType, ...all },
    });
  }
  if (result.body === undefined) return new Response(null, { status: result.status, headers: all });
  return new Response(JSON.stringify(result.body), {
    status: result.status,
    headers: { "Content-Type": "application/json; charset=utf-8", ...all },
  });
}

async function run(
  operation: ApiOperation,
  request: Request,
  routeParams: Record<string, string | undefined>,
  key: ApiKeyPrincipal,
): Promise<ApiResult & { replayed?: boolean }> {
  const db = getDb();
  if (operation.scope === "write" && key.scope !== "write") {
    throw new ApiProblem(
      "forbidden",
      `This key has the ${key.scope} scope; ${operation.method} needs a write key.`,
    );
  }
  const names = [...operation.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  const rawParams = Object.fromEntries(names.map((n) => [n, routeParams[camelCase(n)] ?? routeParams[n]]));
  const params = operation.params ? operation.params.safeParse(rawParams) : { success: true, data: {} };
  // no row has an id Postgres could not even compare (a NUL fails the query with a 500)
  const storable = Object.values(rawParams).every((value) => value === undefined || isStorableText(value));
  if (!params.success || !storable) {
    throw new ApiProblem("not-found", `Nothing is at ${new URL(request.url).pathname}.`);
  }

  const url = new URL(request.url);
  const rawQuery: Record<string, string> = {};
  for (const [name, value] of url.searchParams) rawQuery[name] = value;
  const unstorableQuery = Object.entries(rawQuery)
    .filter(([name, value]) => !isStorableText(name) || !isStorableText(value))
    .map(([name]) => name);
  if (unstorableQuery.length > 0) throw validationProblem(unstorableProblems(unstorableQuery));
  const querySchema = operation.query;
  if (!querySchema && Object.keys(rawQuery).length > 0) {
    throw validationProblem(
      Object.keys(rawQuery).map((field) => ({ field, message: "Unknown query parameter." })),
    );
  }
  const query = querySchema ? querySchema.safeParse(rawQuery) : { success: true as const, data: {} };
  if (!query.success) throw validationProblem(fieldProblems(query.error));

  let body: unknown = undefined;
  let rawBody = "";
  if (operation.body) {
    const read = await readJsonBody(request);
    rawBody = read.text;
    const parsed = operation.body.safeParse(read.value);
    if (!parsed.success) throw validationProblem(fieldProblems(parsed.error));
    body = parsed.data;
  }

  const idempotencyKey = operation.method === "POST" ? request.headers.get("Idempotency-Key") : null;
  if (idempotencyKey === null) {
    return operation.handle({ db, key, params: params.data, query: query.data, body });
  }
  const claim = await claimIdempotencyKey(
    db,
    key.id,
    idempotencyKey,
    requestHash(operation.method, url.pathname, rawBody),
  );
  if (claim.kind === "replay") {
    return { status: claim.status, body: claim.body ?? undefined, replayed: true };
  }
  try {
    const result = await operation.handle({ db, key, params: params.data, query: query.data, body });
    if (result.stream) {
      await result.stream.cancel();
      throw new Error(`${operation.operationId} streams its answer, which an Idempotency-Key cannot replay`);
    }
    await recordIdempotentResult(db, key.id, idempotencyKey, result.status, toJson(result.body));
    return result;
  } catch (error) {
    // an expected refusal is the answer for this key; anything else may be retried with it
    if (error instanceof ApiProblem && error.status < 500) {
      await recordIdempotentResult(db, key.id, idempotencyKey, error.status, error.toBody());
    } else {
      await releaseIdempotencyKey(db, key.id, idempotencyKey);
    }
    throw error;
  }
}

const toJson = (value: unknown) => (value === undefined ? null : JSON.parse(JSON.stringify(value)));

/**
 * The API's request pipeline for one path: method → key (401) → rate limit (429) → scope
 * (403) → path params (404) → query and body (400/413/415) → idempotency → the operation.
 * Every failure is problem+json; every answer to a known key carries the RateLimit headers.
 */
export function apiHandler(path: string) {
  const operations = apiOperations.filter((op) => op.path === path);
  if (operations.length === 0) throw new Error(`No API operation is registered for ${path}`);
  return async ({ request, params }: LoaderFunctionArgs | ActionFunctionArgs): Promise<Response> => {
    let limitHeaders: Record<string, string> = {};
    try {
      const method = request.method === "HEAD" ? "GET" : request.method;
      const operation = operations.find((op) => op.method === method);
      if (!operation) {
        throw new ApiProblem(
          "method-not-allowed",
          `${request.method} is not allowed here; use ${operations.map((op) => op.method).join(", ")}.`,
          undefined,
          { Allow: operations.map((op) => op.method).join(", ") },
        );
      }
      const key = await authenticateApiRequest(request);
      const limit = await takeRateLimitToken(getDb(), key.id, key.rateLimitPerMinute);
      limitHeaders = rateLimitHeaders(limit);
      if (!limit.allowed) {
        throw new ApiProblem(
          "rate-limited",
          `This key may make ${limit.limit} requests a minute; retry in ${limit.resetSeconds} s.`,
          undefined,
          { "Retry-After": String(limit.resetSeconds) },
        );
      }
      const result = await run(operation, request, params, key);
      const isProblem = result.status >= 400;
      const response = json(result, {
        ...limitHeaders,
        ...(result.replayed ? { "Idempotent-Replayed": "true" } : {}),
      });
      if (isProblem) response.headers.set("Content-Type", "application/problem+json");
      return response;
    } catch (error) {
      if (error instanceof ApiProblem) return problemResponse(error, limitHeaders);
      if (error instanceof Response) throw error;
      log.error("api.unexpected_error", {
        method: request.method,
        path: new URL(request.url).pathname,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
      return problemResponse(
        new ApiProblem("internal", "Something went wrong on our side; the request may be retried."),
        limitHeaders,
      );
    }
  };
}

/** Any other path under /api/v1: a 404 problem rather than the app's HTML page. */
export function unknownApiPath(request: Request): Response {
  return problemResponse(
    new ApiProblem(
      "not-found",
      `There is no API endpoint at ${new URL(request.url).pathname}; see ${API_PREFIX}/openapi.json.`,
    ),
  );
}
