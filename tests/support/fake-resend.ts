import { createHash, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A stand-in for the Resend API (https://resend.com/docs/api-reference) on 127.0.0.1, for
 * tests that point `RESEND_BASE_URL` at it. It answers `POST /emails` and
 * `POST /emails/batch` with the shapes the `resend` SDK parses (`{ id }` and
 * `{ data: [{ id }] }`, errors as `{ statusCode, name, message }`), honours
 * `Idempotency-Key` like the real API (same key and body: the first answer again and no new
 * email; same key, other body: 409) and can be told to fail the next requests.
 */
export interface ReceivedEmail {
  id: string;
  from: string;
  to: string[];
  subject: string;
  html?: string;
  text?: string;
  replyTo?: string[];
  /** The email's own headers from the payload, e.g. `List-Unsubscribe`. */
  headers: Record<string, string>;
  /** The `Idempotency-Key` of the request that sent it, if any. */
  idempotencyKey: string | null;
  path: "/emails" | "/emails/batch";
}

export interface FakeRequest {
  method: string;
  path: string;
  status: number;
  idempotencyKey: string | null;
}

export interface FakeResend {
  /** Base URL for `RESEND_BASE_URL`, e.g. http://127.0.0.1:40123 */
  url: string;
  /** Every email accepted, in order (an idempotent replay adds none). */
  received: ReceivedEmail[];
  /** Every request answered, in order, with its status. */
  requests: FakeRequest[];
  /** Answers the next `n` requests with `status` (429 carries `retry-after: 1`). Queues after earlier calls. */
  failNext(status: number, n?: number): void;
  close(): Promise<void>;
}

const BATCH_LIMIT = 100;

const errorNames: Record<number, string> = {
  400: "validation_error",
  401: "missing_api_key",
  403: "invalid_api_key",
  404: "not_found",
  409: "invalid_idempotent_request",
  422: "validation_error",
  429: "rate_limit_exceeded",
  500: "internal_server_error",
};

interface Stored {
  bodyHash: string;
  status: number;
  body: unknown;
}

export async function startFakeResend(): Promise<FakeResend> {
  const received: ReceivedEmail[] = [];
  const requests: FakeRequest[] = [];
  const failures: number[] = [];
  const idempotent = new Map<string, Stored>();

  function reply(
    res: ServerResponse,
    request: Omit<FakeRequest, "status">,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) {
    requests.push({ ...request, status });
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  }

  function error(status: number, message: string) {
    return { statusCode: status, name: errorNames[status] ?? "application_error", message };
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const path = new URL(req.url ?? "/", "http://fake").pathname;
    const idempotencyKey = headerValue(req, "idempotency-key");
    const request = { method: req.method ?? "GET", path, idempotencyKey };
    const raw = await readBody(req);

    const injected = failures.shift();
    if (injected !== undefined) {
      const message =
        injected === 429
          ? "Too many requests. You can only make 2 requests per second."
          : injected >= 500
            ? "An unexpected error occurred."
            : `The request was rejected (injected ${injected}).`;
      return reply(
        res,
        request,
        injected,
        error(injected, message),
        injected === 429 ? { "retry-after": "1" } : {},
      );
    }

    if (req.method !== "POST" || (path !== "/emails" && path !== "/emails/batch")) {
      return reply(res, request, 404, error(404, "The requested endpoint does not exist."));
    }
    const authorization = headerValue(req, "authorization");
    if (!authorization?.startsWith("Bearer ")) {
      return reply(res, request, 401, error(401, "Missing API key in the authorization header."));
    }
    if (!authorization.slice("Bearer ".length).startsWith("re_")) {
      return reply(res, request, 403, error(403, "API key is invalid."));
    }

    let payload: unknown;
    try {
      payload = JSON.parse(raw);
    } catch {
      return reply(res, request, 400, error(400, "The request body is not valid JSON."));
    }

    const bodyHash = createHash("sha256").update(raw).digest("hex");
    if (idempotencyKey !== null) {
      const stored = idempotent.get(`${path} ${idempotencyKey}`);
      if (stored) {
        if (stored.bodyHash !== bodyHash) {
          return reply(
            res,
            request,
            409,
            error(
              409,
              "Same idempotency key used with a different request payload. Change your idempotency key or payload.",
            ),
          );
        }
        return reply(res, request, stored.status, stored.body);
      }
    }

    const emails = path === "/emails/batch" ? payload : [payload];
    if (!Array.isArray(emails) || emails.length === 0) {
      return reply(res, request, 422, error(422, "The batch must be a non-empty array of emails."));
    }
    if (emails.length > BATCH_LIMIT) {
      return reply(res, request, 422, error(422, `The batch must contain at most ${BATCH_LIMIT} emails.`));
    }
    const parsed: ReceivedEmail[] = [];
    for (const [index, email] of emails.entries()) {
      const problem = validate(email);
      if (problem) {
        const where = path === "/emails/batch" ? `emails[${index}]: ` : "";
        return reply(res, request, 422, error(422, `${where}${problem}`));
      }
      const e = email as Record<string, unknown>;
      parsed.push({
        id: randomUUID(),
        from: e.from as string,
        to: list(e.to),
        subject: e.subject as string,
        html: e.html as string | undefined,
        text: e.text as string | undefined,
        replyTo: e.reply_to === undefined ? undefined : list(e.reply_to),
        headers: (e.headers as Record<string, string> | undefined) ?? {},
        idempotencyKey,
        path: path as ReceivedEmail["path"],
      });
    }

    received.push(...parsed);
    const body =
      path === "/emails/batch" ? { data: parsed.map((p) => ({ id: p.id })) } : { id: parsed[0]!.id };
    if (idempotencyKey !== null) idempotent.set(`${path} ${idempotencyKey}`, { bodyHash, status: 200, body });
    return reply(res, request, 200, body);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((thrown: unknown) => {
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify(error(500, String(thrown))));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    received,
    requests,
    failNext(status, n = 1) {
      for (let i = 0; i < n; i++) failures.push(status);
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
    },
  };
}

function validate(email: unknown): string | null {
  if (typeof email !== "object" || email === null) return "each email must be an object";
  const e = email as Record<string, unknown>;
  if (typeof e.from !== "string" || !e.from.includes("@"))
    return "The `from` field must be a valid email address.";
  const to = list(e.to);
  if (to.length === 0 || to.length > 50 || to.some((a) => !a.includes("@"))) {
    return "The `to` field must be 1 to 50 valid email addresses.";
  }
  if (typeof e.subject !== "string" || e.subject === "") return "The `subject` field is required.";
  if (typeof e.html !== "string" && typeof e.text !== "string") return "Either `html` or `text` is required.";
  if (e.headers !== undefined && (typeof e.headers !== "object" || e.headers === null)) {
    return "The `headers` field must be an object of strings.";
  }
  return null;
}

function list(value: unknown): string[] {
  if (typeof value === "string") return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

function headerValue(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
