import { createHash, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A stand-in for the Resend API (https://resend.com/docs/api-reference) on 127.0.0.1, for
 * tests that point `RESEND_BASE_URL` at it. It answers `POST /emails` and
 * `POST /emails/batch` with the shapes the `resend` SDK parses (`{ id }` and
 * `{ data: [{ id }] }`, errors as `{ statusCode, name, message }`), honours
 * `Idempotency-Key` like the real API (same key and body: the first answer again and no new
 * email; same key, other body: 409) and can be told to fail the next requests, or to be down
 * until told otherwise (`goDown`). Like a Resend
 * team it can keep to a request rate limit (`requestsPerSecond`), and it can withhold its
 * answers (`holdResponses`) to stand for a worker that dies after Resend accepted a batch
 * but before the answer reached it. `GET /_inspect/emails` lists what it accepted, for a test
 * in another process than the fake.
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
  /** When the fake accepted it. */
  receivedAt: Date;
}

export interface FakeRequest {
  method: string;
  path: string;
  status: number;
  idempotencyKey: string | null;
  /** When the request arrived. */
  at: Date;
}

export interface FakeResendOptions {
  /**
   * The team's rate limit, as Resend enforces it: a request beyond this many in any rolling
   * second is answered 429 `rate_limit_exceeded` with `retry-after` (whole seconds) and
   * accepts nothing. Only the requests let through count towards the limit. Unset: no limit.
   */
  requestsPerSecond?: number;
  /** Listen on this port of 127.0.0.1 (e.g. one another process knows in advance). Default: any free port. */
  port?: number;
}

export interface FakeResend {
  /** Base URL for `RESEND_BASE_URL`, e.g. http://127.0.0.1:40123 */
  url: string;
  /** Every email accepted, in order (an idempotent replay adds none). */
  received: ReceivedEmail[];
  /** Every request handled, in order, with its status (listed even while its answer is held). */
  requests: FakeRequest[];
  /** Answers the next `n` requests with `status` (429 carries `retry-after: 1`). Queues after earlier calls. */
  failNext(status: number, n?: number): void;
  /**
   * An outage: from now on every request is answered `status` (default 503) and accepts
   * nothing, until `comeBack()`. Takes precedence over `failNext`.
   */
  goDown(status?: number): void;
  /** Ends the outage: requests are handled again. */
  comeBack(): void;
  /**
   * From now on requests are handled in full (emails recorded, idempotency keys stored) but
   * no answer is sent until `releaseResponses()`: the provider did the work, the client never
   * heard. An answer whose client has gone by then is dropped.
   */
  holdResponses(): void;
  /** Sends every held answer, in order, and answers at once again. */
  releaseResponses(): void;
  /** Closes every connection (held answers are dropped) and stops the server. */
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
  503: "service_unavailable",
};

interface Stored {
  bodyHash: string;
  status: number;
  body: unknown;
}

const RATE_WINDOW_MS = 1000;
/** `GET` here answers every email accepted so far (`received`), oldest first, as JSON. */
export const INSPECT_PATH = "/_inspect/emails";

export async function startFakeResend(options: FakeResendOptions = {}): Promise<FakeResend> {
  const { requestsPerSecond } = options;
  if (requestsPerSecond !== undefined && !(Number.isInteger(requestsPerSecond) && requestsPerSecond > 0)) {
    throw new RangeError(
      `startFakeResend: requestsPerSecond must be a whole number above 0, got ${requestsPerSecond}`,
    );
  }
  const received: ReceivedEmail[] = [];
  const requests: FakeRequest[] = [];
  const failures: number[] = [];
  const idempotent = new Map<string, Stored>();
  /** Arrival times (performance.now) of the requests let through in the last rolling second. */
  const admitted: number[] = [];
  let holding = false;
  let downWith: number | null = null;
  const held: (() => void)[] = [];

  function reply(
    res: ServerResponse,
    request: Omit<FakeRequest, "status">,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) {
    requests.push({ ...request, status });
    const answer = () => {
      // The client gave up or died while the answer was held: nobody is left to hear it.
      if (res.destroyed) return;
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify(body));
    };
    if (holding) held.push(answer);
    else answer();
  }

  /**
   * Lets a request through, or says how long until the rolling second has room again. Decided
   * on arrival, before the body is read, as a rate limiter in front of the API would.
   */
  function admit(arrivedAt: number): { ok: true } | { ok: false; retryAfterMs: number } {
    if (requestsPerSecond === undefined) return { ok: true };
    while (admitted.length > 0 && admitted[0]! <= arrivedAt - RATE_WINDOW_MS) admitted.shift();
    if (admitted.length >= requestsPerSecond) {
      return { ok: false, retryAfterMs: admitted[0]! + RATE_WINDOW_MS - arrivedAt };
    }
    admitted.push(arrivedAt);
    return { ok: true };
  }

  function error(status: number, message: string) {
    return { statusCode: status, name: errorNames[status] ?? "application_error", message };
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const path = new URL(req.url ?? "/", "http://fake").pathname;
    if (req.method === "GET" && path === INSPECT_PATH) {
      // Not part of Resend's API: lets another process read what was accepted. It is not
      // listed in `requests`, not rate limited, never failed or held.
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(received));
      return;
    }
    const idempotencyKey = headerValue(req, "idempotency-key");
    const request = { method: req.method ?? "GET", path, idempotencyKey, at: new Date() };
    const admission = admit(performance.now());
    const raw = await readBody(req);

    if (!admission.ok) {
      // Resend sends whole seconds; a client that waits that long finds room again.
      const retryAfterSeconds = Math.max(1, Math.ceil(admission.retryAfterMs / 1000));
      return reply(
        res,
        request,
        429,
        error(429, `Too many requests. You can only make ${requestsPerSecond} requests per second.`),
        {
          "retry-after": String(retryAfterSeconds),
          "ratelimit-limit": String(requestsPerSecond),
          "ratelimit-remaining": "0",
          "ratelimit-reset": String(retryAfterSeconds),
        },
      );
    }

    const injected = downWith ?? failures.shift();
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
        receivedAt: new Date(),
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
  await new Promise<void>((resolve, reject) => {
    // A fixed port may be taken: fail with that rather than crash on an unhandled "error".
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    received,
    requests,
    failNext(status, n = 1) {
      for (let i = 0; i < n; i++) failures.push(status);
    },
    goDown(status = 503) {
      downWith = status;
    },
    comeBack() {
      downWith = null;
    },
    holdResponses() {
      holding = true;
    },
    releaseResponses() {
      holding = false;
      for (const answer of held.splice(0)) answer();
    },
    close() {
      holding = false;
      held.length = 0;
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
