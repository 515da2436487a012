import type { ApiKeyScope } from "../../db/schema";
import { createApiKey } from "~/domain/api-keys.server";
import { getDb } from "~/lib/db.server";
import { action as accountsAction, loader as accountsLoader } from "~/routes/api.v1.accounts";
import { action as accountAction, loader as accountLoader } from "~/routes/api.v1.accounts.$id";
import {
  action as externalAction,
  loader as externalLoader,
} from "~/routes/api.v1.accounts.external.$externalId";

export async function makeApiKey(scope: ApiKeyScope = "write", createdById: string | null = null) {
  return createApiKey(getDb(), { name: `test ${scope} key`, scope }, createdById);
}

export interface ApiCall {
  method?: string;
  key?: string;
  body?: unknown;
  rawBody?: BodyInit;
  headers?: Record<string, string>;
}

export function apiRequest(path: string, call: ApiCall = {}): Request {
  const headers = new Headers(call.headers);
  if (call.key) headers.set("Authorization", `Bearer ${call.key}`);
  let body: BodyInit | undefined = call.rawBody;
  if (call.body !== undefined) body = JSON.stringify(call.body);
  if (body !== undefined && !headers.has("Content-Type")) headers.set("Content-Type", "application/json");
  return new Request(`http://localhost/api/v1${path}`, {
    method: call.method ?? (body !== undefined ? "POST" : "GET"),
    headers,
    body,
    // a streamed body needs this in Node's fetch
    ...(body instanceof ReadableStream ? { duplex: "half" } : {}),
  } as RequestInit);
}

type Handler = (args: {
  request: Request;
  params: Record<string, string>;
  context: object;
}) => Promise<Response>;

/** Routes a request to the Remix route module that serves it, as the app's router would. */
export async function callApi(path: string, call: ApiCall = {}): Promise<Response> {
  const request = apiRequest(path, call);
  const method = request.method;
  const pick = (loader: unknown, action: unknown) => (method === "GET" ? loader : action) as Handler;
  const [pathname] = path.split("?");
  let handler: Handler;
  let params: Record<string, string> = {};
  const external = /^\/accounts\/external\/([^/]+)$/.exec(pathname!);
  const one = /^\/accounts\/([^/]+)$/.exec(pathname!);
  if (pathname === "/accounts") handler = pick(accountsLoader, accountsAction);
  else if (external) {
    handler = pick(externalLoader, externalAction);
    params = { externalId: decodeURIComponent(external[1]!) };
  } else if (one) {
    handler = pick(accountLoader, accountAction);
    params = { id: decodeURIComponent(one[1]!) };
  } else throw new Error(`no API route for ${path} in tests/support/api.ts`);
  return handler({ request, params, context: {} });
}
