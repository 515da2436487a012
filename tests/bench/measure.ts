import { DEMO_PASSWORD } from "../../db/seed";
export interface TimedResult {
  ms: number;
  status: number;
  body: string;
}

/**
 * Runs `request` once per item, `concurrency` at a time, and times each from just before
 * the request is sent until its whole body has been read (process.hrtime.bigint).
 */
export async function timeRequests<T>(
  items: readonly T[],
  concurrency: number,
  request: (item: T, index: number) => Promise<Response>,
): Promise<TimedResult[]> {
  const results: TimedResult[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      const started = process.hrtime.bigint();
      const response = await request(items[index]!, index);
      const body = await response.text();
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      results[index] = { ms, status: response.status, body };
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

export function postJson(url: string, body: unknown): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
}

/** Signs in as a demo user (db/seed.ts) and returns the session cookie, ready to send. */
export async function signInAs(baseUrl: string, email: string): Promise<string> {
  const response = await fetch(`${baseUrl}/login`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email, password: DEMO_PASSWORD }),
    redirect: "manual",
  });
  const cookie = response.headers.get("set-cookie")?.split(";")[0];
  if (!cookie) throw new Error(`signing in as ${email} answered ${response.status} without a cookie`);
  return cookie;
}
