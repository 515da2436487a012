import { createSession } from "~/lib/session.server";

/** Builds a Request as the HTTP layer would hand it to a route (client address header included). */
export function makeRequest(
  path: string,
  options: { method?: string; form?: Record<string, string>; cookie?: string; ip?: string } = {},
): Request {
  const headers = new Headers({ "x-rapport-client-ip": options.ip ?? "203.0.113.7" });
  if (options.cookie) headers.set("Cookie", options.cookie);
  let body: URLSearchParams | undefined;
  if (options.form) {
    body = new URLSearchParams(options.form);
    headers.set("Content-Type", "application/x-www-form-urlencoded");
  }
  return new Request(`http://localhost${path}`, {
    method: options.method ?? (options.form ? "POST" : "GET"),
    headers,
    body,
  });
}

/** The `name=value` part of a Set-Cookie header, ready to send back as Cookie. */
export function cookieFrom(response: Response): string {
  const setCookie = response.headers.get("Set-Cookie");
  if (!setCookie) throw new Error("the response set no cookie");
  return setCookie.split(";")[0]!;
}

/** Runs a loader or action and returns what it returned or threw as a Response. */
export async function settle(run: () => Promise<unknown>): Promise<Response> {
  try {
    const result = await run();
    if (result instanceof Response) return result;
    throw new Error(`expected a Response, got ${typeof result}`);
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

/** A signed-in session's cookie for a user (or user id), ready to send as Cookie. */
export async function cookieFor(user: string | { id: string }): Promise<string> {
  const userId = typeof user === "string" ? user : user.id;
  return (await createSession(makeRequest("/login"), userId)).setCookie.split(";")[0]!;
}
