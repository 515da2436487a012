import type { LoaderFunctionArgs } from "@remix-run/node";
import { expect } from "vitest";
import { cookieFor, makeRequest, settle } from "./requests";

type Loader = (args: LoaderFunctionArgs) => Promise<unknown>;

/** A route loader's answer (returned or thrown) to a signed-in user's GET of `path`. */
export async function callLoader(
  loader: Loader,
  userId: string,
  path: string,
  params: Record<string, string> = {},
): Promise<Response> {
  return settle(async () =>
    loader({ request: makeRequest(path, { cookie: await cookieFor(userId) }), params, context: {} }),
  );
}

/** The data a page's loader gives a signed-in user at `path`; anything but a 200 fails the test. */
export async function loadRoute<T>(loader: Loader, userId: string, path: string): Promise<T> {
  const response = await callLoader(loader, userId, path);
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

/** The lines of a CSV download, after checking it is one (the tests' cells hold no line breaks). */
export async function csvLines(response: Response): Promise<string[]> {
  expect(response.status).toBe(200);
  expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
  const bytes = new Uint8Array(await response.arrayBuffer());
  // a UTF-8 byte-order mark first, so Excel reads accents right
  expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  return new TextDecoder().decode(bytes).trim().split(/\r?\n/);
}
