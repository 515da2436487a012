/**
 * Property-based tests of POST /webhooks/resend: correctly signed events with one hostile
 * change (Svix signs whatever Resend, or whoever holds the secret, sends), raw bodies no JSON
 * encoder writes, and hostile signature headers. Never a 5xx; a refusal is a 4xx that says
 * what is wrong and stores nothing; an accepted event is stored verbatim. Regression tests for
 * what the properties found are at the bottom.
 */
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { emailEvents } from "../../db/schema";
import { getDb } from "~/lib/db.server";
import { action } from "~/routes/webhooks.resend";
import {
  PROTOTYPE_KEYS,
  contentTypes,
  databaseDigest,
  expectExplainedRefusal,
  fuzzOptions,
  hasUnstorableText,
  hostileString,
  hostileValue,
  mutateJsonText,
  readAnswer,
  tainted,
} from "../support/fuzz";
import { settle } from "../support/requests";
import { sentInvitationEmail, signedWebhookRequest, withWebhookSecret } from "../support/resend-webhook";

const SECRET = withWebhookSecret();

/** What an event can write: itself, the invitation and contact it is about, the rollups. */
const TOUCHED = [
  "email_events",
  "invitations",
  "contacts",
  "outbox",
  "account_health",
  "account_dimension_health",
  "rate_limit_hits",
];
const digest = () => databaseDigest({ only: TOUCHED });

/** A contact with an invitation sent through Resend: the outbox row carries Resend's email id. */
const sentInvitation = () => sentInvitationEmail({ contact: { email: "ana.ruiz@acme.test" } });

const TYPES = [
  "email.sent",
  "email.delivered",
  "email.delivery_delayed",
  "email.bounced",
  "email.complained",
  "email.opened",
  "email.clicked",
  "email.failed",
  "email.suppressed",
  "email.scheduled",
  "contact.created",
] as const;

/** A well-formed event of any type, about our message or another one. */
function eventOf(emailId: string) {
  return fc
    .record({
      type: fc.constantFrom(...TYPES),
      ours: fc.boolean(),
      minutesAgo: fc.integer({ min: 0, max: 60 * 24 * 30 }),
      bounceType: fc.constantFrom("Permanent", "Transient", "Undetermined", "hard"),
      message: fc.string({ unit: "binary", maxLength: 60 }),
    })
    .map(({ type, ours, minutesAgo, bounceType, message }) => ({
      type,
      created_at: new Date(Date.now() - minutesAgo * 60_000).toISOString(),
      data: {
        created_at: "2026-06-01T09:00:00.000000+00:00",
        email_id: ours ? emailId : randomUUID(),
        from: "Rapport <surveys@rapport.test>",
        to: ["ana.ruiz@acme.test"],
        subject: "How is our relationship with you?",
        ...(type === "email.bounced" ? { bounce: { type: bounceType, message } } : {}),
        ...(type === "email.failed" ? { failed: { reason: message } } : {}),
        ...(type === "email.suppressed" ? { suppressed: { message } } : {}),
      },
    }));
}

type Event = Record<string, unknown> & { data: Record<string, unknown> };

/** Defines `key` as an own property, whatever it is called (`__proto__` included). */
function withKey<T extends Record<string, unknown>>(object: T, key: string, value: unknown): T {
  const copy = { ...object };
  Object.defineProperty(copy, key, { value, enumerable: true, configurable: true, writable: true });
  return copy;
}

const HOSTILE_TIMES = [
  "2026-02-30T10:00:00Z",
  "2026-13-01T00:00:00Z",
  "+275760-09-13T00:00:00Z",
  "0000-01-01T00:00:00Z",
  "9999-12-31T23:59:59.999999999+14:00",
  "1969-12-31T23:59:59Z",
  "2026-06-01T09:00:00+25:00",
  "2026-06-01",
  "",
];

/** One hostile change to an event, with the dotted field it touched (the refusal names it). */
function changed(event: Event): fc.Arbitrary<{ event: Event; field: string | null }> {
  const dataKeys = Object.keys(event.data);
  const texts = dataKeys.filter((k) => typeof event.data[k] === "string");
  return fc.oneof(
    fc.constant({ event, field: null }),
    fc
      .record({ key: fc.constantFrom("type", "created_at", "data"), value: hostileValue })
      .map(({ key, value }) => ({ event: withKey(event, key, value), field: key })),
    fc
      .constantFrom(...HOSTILE_TIMES)
      .map((value) => ({ event: { ...event, created_at: value }, field: "created_at" })),
    fc.record({ key: fc.constantFrom(...dataKeys), value: hostileValue }).map(({ key, value }) => ({
      event: { ...event, data: withKey(event.data, key, value) },
      field: `data.${key}`,
    })),
    fc.constantFrom(...texts).chain((key) =>
      tainted(event.data[key] as string).map((value) => ({
        event: { ...event, data: { ...event.data, [key]: value } },
        field: `data.${key}`,
      })),
    ),
    fc
      .record({ key: fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS), hostileString), value: hostileValue })
      .map(({ key, value }) => ({
        event: { ...event, data: withKey(event.data, key, value) },
        field: `data.${key}`,
      })),
    fc.tuple(hostileString).map(([type]) => ({ event: { ...event, type }, field: "type" })),
  );
}

/** Signed with this file's secret, as Svix signs whatever it is given; `headers` replace the signature's. */
const signed = (text: string, options: { id?: string; headers?: Record<string, string> } = {}) =>
  signedWebhookRequest(text, { secret: SECRET, ...options });

async function post(request: Request) {
  const response = await settle(() => action({ request, params: {}, context: {} }));
  return { status: response.status, ...(await readAnswer(response)) };
}

async function storedEvent(id: string) {
  const [row] = await getDb().select().from(emailEvents).where(eq(emailEvents.id, id));
  return row;
}

describe("the Resend webhook under fuzzing", () => {
  it("answers signed events with one hostile change: never 5xx, refusals name the field, stored verbatim when accepted", async () => {
    const { emailId } = await sentInvitation();
    await fc.assert(
      fc.asyncProperty(
        eventOf(emailId).chain((event) => changed(event)),
        async ({ event, field }) => {
          const text = JSON.stringify(event);
          const id = `msg_${randomUUID()}`;
          const context = `${field ?? "unchanged"}: ${text.slice(0, 300)}`;
          const before = await digest();
          const answer = await post(signed(text, { id }));
          expect(answer.status, context).toBeLessThan(500);
          if (answer.status === 200) {
            expect(hasUnstorableText(event), `${context}: text Postgres cannot store`).toBe(false);
            const row = await storedEvent(id);
            expect(row?.payload, context).toEqual(JSON.parse(text));
            return;
          }
          expectExplainedRefusal(
            answer.status,
            answer.json,
            context,
            field && answer.status === 400 ? [field.split(".").pop()!] : [],
          );
          expect(await digest(), `${context}: nothing written`).toEqual(before);
        },
      ),
      fuzzOptions(625, 20261221),
    );
  }, 180_000);

  it("answers raw signed bodies, hostile headers and content types: never 5xx, nothing written when refused", async () => {
    const { emailId } = await sentInvitation();
    const valid = JSON.stringify(fc.sample(eventOf(emailId), { numRuns: 1, seed: 1 })[0]);
    const headerValue = fc.oneof(
      hostileString.filter((value) => /^[\x20-\x7e]*$/.test(value)),
      fc.constantFrom("", "v1,", "v1,AAAA", "v2,abc", "-1", "99999999999", "1e3", " 1 "),
      fc.integer({ min: 201, max: 400 }).map((n) => "x".repeat(n)),
    );
    await fc.assert(
      fc.asyncProperty(
        mutateJsonText(valid),
        fc.option(fc.tuple(fc.constantFrom("svix-id", "svix-timestamp", "svix-signature"), headerValue), {
          nil: undefined,
        }),
        contentTypes,
        async (text, header, contentType) => {
          const id = `msg_${randomUUID()}`;
          const headers: Record<string, string> = { "Content-Type": contentType };
          if (header) headers[header[0]] = header[1];
          const context = `${JSON.stringify(header)} ${contentType} ${JSON.stringify(text).slice(0, 300)}`;
          const before = await digest();
          const answer = await post(signed(text, { id, headers }));
          expect(answer.status, context).toBeLessThan(500);
          if (answer.status === 200) {
            const row = await storedEvent(header?.[0] === "svix-id" ? header[1] : id);
            expect(row?.payload, context).toEqual(JSON.parse(text));
            return;
          }
          expectExplainedRefusal(answer.status, answer.json, context);
          expect(await digest(), `${context}: nothing written`).toEqual(before);
        },
      ),
      fuzzOptions(500, 20261222),
    );
  }, 180_000);
});

describe("the Resend webhook: regressions the fuzzing found", () => {
  const event = (
    emailId: string,
    overrides: Record<string, unknown> = {},
    data: Record<string, unknown> = {},
  ) => ({
    type: "email.delivered",
    created_at: new Date().toISOString(),
    data: { email_id: emailId, to: ["ana.ruiz@acme.test"], ...data },
    ...overrides,
  });

  it("refuses a created_at in year 0000 with 400 naming it, rather than failing the insert with 500", async () => {
    const { emailId } = await sentInvitation();
    const before = await digest();
    const answer = await post(signed(JSON.stringify(event(emailId, { created_at: "0000-01-01T00:00:00Z" }))));
    expect(answer).toMatchObject({
      status: 400,
      json: { error: "The body is not a Resend event: created_at must be an ISO 8601 time after 1970." },
    });
    expect(await digest()).toEqual(before);
  });

  it("refuses a created_at with a +25:00 offset, which no Date reads, with 400 naming it", async () => {
    const { emailId } = await sentInvitation();
    const before = await digest();
    const answer = await post(
      signed(JSON.stringify(event(emailId, { created_at: "2026-06-01T09:00:00+25:00" }))),
    );
    expect(answer).toMatchObject({
      status: 400,
      json: { error: "The body is not a Resend event: created_at must be an ISO 8601 time." },
    });
    expect(await digest()).toEqual(before);
  });

  it("refuses a __proto__ key, which would vanish from the stored payload, with 400 naming it", async () => {
    const { emailId } = await sentInvitation();
    const before = await digest();
    const text = JSON.stringify(event(emailId)).replace(
      '"data":{',
      '"data":{"__proto__":{"failed":{"reason":7}},',
    );
    const answer = await post(signed(text));
    expect(answer).toMatchObject({
      status: 400,
      json: {
        error: "The body is not a Resend event: data.__proto__ is a key that cannot be used (__proto__).",
      },
    });
    expect(await digest()).toEqual(before);
  });

  it("refuses nesting deeper than any event with 400 rather than overflowing the stack with 500", async () => {
    const { emailId } = await sentInvitation();
    const before = await digest();
    const text = JSON.stringify(event(emailId)).replace(
      '"data":{',
      `"data":{"deep":${"[".repeat(20_000)}${"]".repeat(20_000)},`,
    );
    const answer = await post(signed(text));
    expect(answer.status).toBe(400);
    expect((answer.json as { error: string }).error).toMatch(
      /^The body is not a Resend event: data\.deep(\.0)+ is nested too deeply/,
    );
    expect(await digest()).toEqual(before);
  });

  it("refuses a NUL or half a surrogate pair in the payload with 400 naming the field", async () => {
    const { emailId } = await sentInvitation();
    for (const subject of ["a\u0000b", "\ud800"]) {
      const before = await digest();
      const answer = await post(signed(JSON.stringify(event(emailId, {}, { subject }))));
      expect(answer).toMatchObject({
        status: 400,
        json: {
          error:
            "The body is not a Resend event: data.subject contains a character that cannot be stored (a NUL or half of a surrogate pair).",
        },
      });
      expect(await digest()).toEqual(before);
    }
  });
});
