import type { z, ZodTypeAny } from "zod";
import type { ApiKeyPrincipal } from "../../domain/api-keys.server";
import type { ApiKeyScope } from "../../../db/schema";
import type { Database } from "../db.server";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface ApiResponseSpec {
  description: string;
  /** Omitted for an empty body (204). */
  schema?: ZodTypeAny;
  /** The body's media type; `application/json` when omitted. A `text/csv` example is a string. */
  contentType?: string;
  example?: unknown;
}

export interface ApiContext<P, Q, B> {
  db: Database;
  key: ApiKeyPrincipal;
  params: P;
  query: Q;
  body: B;
}

/** A JSON answer: `body` is serialised (none for a 204). */
export interface ApiJsonResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  stream?: undefined;
}

/**
 * A streamed answer (a CSV download): the handler passes `stream` through as the body with
 * `contentType`, adding the RateLimit headers. Only for GET operations: it is never stored
 * for an Idempotency-Key replay.
 */
export interface ApiStreamResult {
  status: number;
  stream: ReadableStream<Uint8Array>;
  contentType: string;
  headers?: Record<string, string>;
  body?: undefined;
}

export type ApiResult = ApiJsonResult | ApiStreamResult;

/**
 * One API operation: the router dispatches only through these, and the OpenAPI document
 * is built from the same list, so no route can be missing from it. `params`, `query` and
 * `body` validate the request; `responses` describe (and their examples are tested against) it.
 */
export interface ApiOperation<
  P extends ZodTypeAny = ZodTypeAny,
  Q extends ZodTypeAny = ZodTypeAny,
  B extends ZodTypeAny = ZodTypeAny,
> {
  operationId: string;
  method: HttpMethod;
  /** Below /api/v1, OpenAPI style: `/accounts/{id}`. */
  path: string;
  scope: ApiKeyScope;
  tag: string;
  summary: string;
  description?: string;
  params?: P;
  query?: Q;
  body?: B;
  requestExample?: z.input<B>;
  responses: Record<number, ApiResponseSpec>;
  handle(context: ApiContext<z.output<P>, z.output<Q>, z.output<B>>): Promise<ApiResult>;
}

/** Keeps each operation's handler typed by its own schemas while the registry holds them all. */
export function defineOperation<P extends ZodTypeAny, Q extends ZodTypeAny, B extends ZodTypeAny>(
  operation: ApiOperation<P, Q, B>,
): ApiOperation {
  return operation as unknown as ApiOperation;
}
