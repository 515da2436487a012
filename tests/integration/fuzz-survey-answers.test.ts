/**
 * Property-based tests of the survey's autosave and submit (POST /s/:token/save and /submit):
 * mostly valid answers with one hostile mutation, and raw bodies no browser would send. Never
 * a 5xx; a refusal is a 4xx that says what is wrong and leaves the database as it was; an
 * accepted request stores exactly the answers it sent. Regression tests for what the
 * properties found are at the bottom.
 */
import { eq } from "drizzle-orm";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { responses } from "../../db/schema";
import { insertContact, insertSurveyVersionFromFile, insertUser } from "../../db/factories";
import { createSurveyLink } from "~/domain/survey-links.server";
import { getDb } from "~/lib/db.server";
import { action as saveAction } from "~/routes/s.$token.save";
import { action as submitAction } from "~/routes/s.$token.submit";
import { RELATIONSHIP_RATINGS } from "../support/answers";
import {
  PROTOTYPE_KEYS,
  contentTypes,
  databaseDigest,
  expectExplainedRefusal,
  fuzzOptions,
  hostileString,
  hostileValue,
  mutateJsonText,
  readAnswer,
} from "../support/fuzz";
import { settle } from "../support/requests";

/** The question names of surveys/relationship-health.json and their scales. */
const RATINGS: Record<string, [min: number, max: number]> = {
  trust: [1, 5],
  responsiveness: [1, 5],
  understanding: [1, 5],
  value: [1, 5],
  communication: [1, 5],
  relationship: [1, 5],
  advocacy: [0, 10],
  renewal: [1, 5],
};
const QUESTIONS = [...Object.keys(RATINGS), ...Object.keys(RATINGS).map((n) => `${n}_why`), "one_change"];

/**
 * What a save or submit can write: the response and its answers, the invitation, a Customer
 * 9-1-1 case and its alert, the webhook, the rollups.
 */
const TOUCHED = [
  "responses",
  "answers",
  "invitations",
  "cases",
  "case_notes",
  "outbox",
  "webhook_deliveries",
  "response_verbatims",
  "account_health",
  "account_dimension_health",
  "contacts",
  "rate_limit_hits",
];
const digest = () => databaseDigest({ only: TOUCHED });

/** A survey, a contact, and a fresh link per case (a submit closes its link). */
async function survey() {
  const db = getDb();
  const user = await insertUser(db, { role: "manager" });
  const contact = await insertContact(db, {});
  const version = await insertSurveyVersionFromFile(db, "relationship-health");
  return async () =>
    createSurveyLink(db, { contactId: contact.id, surveyVersionId: version.id, createdById: user.id });
}

type Endpoint = "save" | "submit";

function request(endpoint: Endpoint, token: string, body: string, contentType = "application/json") {
  const headers = new Headers({ "x-rapport-client-ip": "198.51.100.20" });
  if (contentType !== "") headers.set("Content-Type", contentType);
  return new Request(`http://localhost/s/${token}/${endpoint}`, { method: "POST", headers, body });
}

async function send(endpoint: Endpoint, token: string, body: string, contentType?: string) {
  const action = endpoint === "save" ? saveAction : submitAction;
  const response = await settle(() =>
    action({ request: request(endpoint, token, body, contentType), params: { token }, context: {} }),
  );
  return { status: response.status, ...(await readAnswer(response)) };
}

async function storedFor(invitationId: string) {
  return getDb().select().from(responses).where(eq(responses.invitationId, invitationId));
}

/** Complete, valid answers: every rating in range, some comments in any script. */
const validAnswers: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(
    fc.record(
      Object.fromEntries(
        Object.entries(RATINGS).map(([name, [min, max]]) => [name, fc.integer({ min, max })]),
      ) as Record<string, fc.Arbitrary<number>>,
    ),
    fc.dictionary(
      fc.constantFrom(...QUESTIONS.filter((n) => !(n in RATINGS))),
      fc.string({ unit: "binary", maxLength: 80 }),
      { maxKeys: 3 },
    ),
  )
  .map(([ratings, comments]) => ({ ...ratings, ...comments }));

/** Defines `key` as an own property, whatever it is called (`__proto__` included). */
function withKey(data: Record<string, unknown>, key: string, value: unknown) {
  const copy = { ...data };
  Object.defineProperty(copy, key, { value, enumerable: true, configurable: true, writable: true });
  return copy;
}

/** One hostile change to valid answers, and the key it touched (the refusal must name it). */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant("value" as const), key: fc.constantFrom(...QUESTIONS), value: hostileValue }),
  fc.record({ kind: fc.constant("text" as const), key: fc.constantFrom(...QUESTIONS), value: hostileString }),
  fc.record({
    kind: fc.constant("unknown-key" as const),
    key: fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS), hostileString, fc.constant("trust-Comment")),
    value: hostileValue,
  }),
  fc.record({ kind: fc.constant("drop" as const), key: fc.constantFrom(...Object.keys(RATINGS)) }),
  fc.constant({ kind: "none" as const }),
);

const envelope = fc.record({
  currentPage: fc.oneof(fc.integer({ min: 0, max: 3 }), hostileValue),
  sequence: fc.oneof(fc.integer({ min: 1, max: 1000 }), hostileValue),
});

describe("survey answers under fuzzing", () => {
  it("answers mostly valid saves and submits with one hostile value: never 5xx, refusals explained, nothing half-written", async () => {
    const newLink = await survey();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<Endpoint>("save", "submit"),
        validAnswers,
        mutation,
        envelope,
        fc.boolean(),
        async (endpoint, answers, change, { currentPage, sequence }, validEnvelope) => {
          const { token, invitation } = await newLink();
          let data: Record<string, unknown> = answers;
          if (change.kind === "drop") {
            data = { ...answers };
            delete data[change.key];
          } else if (change.kind !== "none") {
            data = withKey(answers, change.key, change.value);
          }
          const body =
            endpoint === "save"
              ? { data, currentPage: validEnvelope ? 0 : currentPage, sequence: validEnvelope ? 1 : sequence }
              : { data };
          const text = JSON.stringify(body);
          const before = await digest();
          const answer = await send(endpoint, token, text);
          const context = `${endpoint} ${text.slice(0, 300)}`;
          if (answer.status < 300) {
            expect(answer.status, context).toBe(200);
            const [row] = await storedFor(invitation.id);
            // exactly what was sent, as JSON carries it (a -0 arrives as 0)
            expect(row?.data, context).toEqual((JSON.parse(text) as { data: unknown }).data);
            expect(row?.isComplete, context).toBe(endpoint === "submit");
            return;
          }
          const touched = change.kind === "none" ? [] : [change.key];
          // a bad envelope or a value that made the whole body unreadable names its own part
          const names = answer.status === 422 && touched.length > 0 && validEnvelope ? touched : [];
          expectExplainedRefusal(answer.status, answer.json, context, names);
          expect(await digest(), `${context}: nothing written`).toEqual(before);
        },
      ),
      fuzzOptions(375, 20261201),
    );
  }, 180_000);

  it("answers raw bodies no browser sends (truncated, duplicated keys, NUL, wrong content type): never 5xx, nothing half-written", async () => {
    const newLink = await survey();
    const { token, invitation } = await newLink();
    const valid = JSON.stringify({ data: RELATIONSHIP_RATINGS, currentPage: 0, sequence: 1 });
    let sequence = 1;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<Endpoint>("save", "submit"),
        mutateJsonText(valid),
        contentTypes,
        async (endpoint, text, contentType) => {
          // a valid save must win over the last one to be stored, so each case counts up
          sequence += 1;
          const body = text.replace('"sequence":1', `"sequence":${sequence}`);
          const before = await digest();
          const answer = await send(endpoint, token, body, contentType);
          const context = `${endpoint} ${contentType} ${JSON.stringify(body).slice(0, 300)}`;
          expect(answer.status, context).toBeLessThan(500);
          if (answer.status >= 300) {
            expectExplainedRefusal(answer.status, answer.json, context);
            expect(await digest(), `${context}: nothing written`).toEqual(before);
            return;
          }
          const [row] = await storedFor(invitation.id);
          expect(row?.data, context).toEqual(
            (JSON.parse(body.replace(/^\uFEFF/, "")) as { data: unknown }).data,
          );
        },
      ),
      fuzzOptions(250, 20261202),
    );
  }, 180_000);
});

describe("survey answers: regressions the fuzzing found", () => {
  it("refuses an answer keyed __proto__ or constructor with 422 naming it, rather than failing with 500", async () => {
    const newLink = await survey();
    for (const key of ["__proto__", "constructor", "toString"]) {
      const { token } = await newLink();
      const data = withKey(RELATIONSHIP_RATINGS, key, 1);
      const before = await digest();
      const answer = await send("save", token, JSON.stringify({ data, currentPage: 0, sequence: 1 }));
      expect(answer.status, key).toBe(422);
      expect((answer.json as { errors: Record<string, string[]> }).errors[key], key).toEqual([
        "is not a question in this survey.",
      ]);
      expect(await digest()).toEqual(before);
    }
  });

  it("refuses a comment holding a NUL character or half a surrogate pair with 422 naming the question", async () => {
    const newLink = await survey();
    for (const text of ["a\u0000b", "\ud800", "x\udfffy"]) {
      for (const endpoint of ["save", "submit"] as const) {
        const { token } = await newLink();
        const data = { ...RELATIONSHIP_RATINGS, one_change: text };
        const body = endpoint === "save" ? { data, currentPage: 0, sequence: 1 } : { data };
        const before = await digest();
        const answer = await send(endpoint, token, JSON.stringify(body));
        expect(answer.status, `${endpoint} ${JSON.stringify(text)}`).toBe(422);
        expect((answer.json as { errors: Record<string, string[]> }).errors.one_change).toEqual([
          "contains a character that cannot be stored (a NUL or half of a surrogate pair).",
        ]);
        expect(await digest()).toEqual(before);
      }
    }
  });
});
