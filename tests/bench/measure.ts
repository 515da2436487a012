import http from "node:http";
import { DEMO_PASSWORD } from "../../db/seed";

/** A whole HTTP answer: its status, headers and body, read to the end. */
export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface TimedResult extends HttpAnswer {
  ms: number;
}

/**
 * Keep-alive sockets for the load: as many as the highest concurrency a benchmark uses, so
 * no request waits for a socket and none is opened per request.
 */
const loadAgent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/**
 * One request over node:http, as lean a client as Node has. The load generator shares the
 * machine's two cores with the app and its Postgres: `fetch` (undici, WHATWG streams) spent
 * about as much CPU per request as the bare Remix route it was measuring, which made the
 * floor and everything compared with it a figure of the client.
 */
export function httpRequest(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const headers = { ...init.headers };
    if (init.body !== undefined) headers["Content-Length"] = String(Buffer.byteLength(init.body));
    const request = http.request(
      url,
      { method: init.method ?? "GET", headers, agent: loadAgent },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
        response.on("error", reject);
      },
    );
    request.on("error", reject);
    request.end(init.body);
  });
}

/**
 * Runs `request` once per item, `concurrency` at a time, and times each from just before
 * the request is sent until its whole body has been read (process.hrtime.bigint).
 * `request` is usually httpRequest.
 */
export async function timeRequests<T>(
  items: readonly T[],
  concurrency: number,
  request: (item: T, index: number) => Promise<HttpAnswer>,
): Promise<TimedResult[]> {
  const results: TimedResult[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      const started = process.hrtime.bigint();
      const answer = await request(items[index]!, index);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      results[index] = { ...answer, ms };
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

/** "3 of 200 returned something other than 200 (first: 422 {…})", or null when all were 200. */
export function describeFailures(what: string, results: readonly TimedResult[]): string | null {
  const failed = results.filter((r) => r.status !== 200);
  if (failed.length === 0) return null;
  const first = failed[0]!;
  return `${what}: ${failed.length} of ${results.length} returned something other than 200 (first: ${first.status} ${first.body.slice(0, 200)})`;
}

export function postJson(url: string, body: unknown): Promise<HttpAnswer> {
  return httpRequest(url, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
}

/** Signs in as a demo user (db/seed.ts) and returns the session cookie, ready to send. */
export async function signInAs(baseUrl: string, email: string): Promise<string> {
  const response = await fetch(`${baseUrl}/login`, {
    method: "POST",
    // a browser's form sends its Origin; the app refuses a cross-site or origin-less post
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: new URL(baseUrl).origin },
    body: new URLSearchParams({ email, password: DEMO_PASSWORD }),
    redirect: "manual",
  });
  const cookie = response.headers.get("set-cookie")?.split(";")[0];
  if (!cookie) throw new Error(`signing in as ${email} answered ${response.status} without a cookie`);
  return cookie;
}
