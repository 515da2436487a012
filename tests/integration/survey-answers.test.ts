import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { answers, invitations, rateLimitHits, responses } from "../../db/schema";
import { insertContact, insertSurveyVersionFromFile, insertUser } from "../../db/factories";
import { createSurveyLink } from "~/domain/survey-links.server";
import { getDb } from "~/lib/db.server";
import { INVALID_SURVEY_TOKEN_LIMIT } from "~/lib/rate-limit.server";
import { loader as surveyLoader, action as surveyAction } from "~/routes/s.$token/route";
import { action as saveAction } from "~/routes/s.$token.save";
import { action as submitAction } from "~/routes/s.$token.submit";
import { loader as scaleLoader } from "~/routes/s.$token.scale.$score";
import { makeRequest, settle } from "../support/requests";
import { RELATIONSHIP_RATINGS } from "../support/answers";

const complete = {
  ...RELATIONSHIP_RATINGS,
  one_change: "More proactive roadmap updates.",
};

async function link(slug = "relationship-health", options: { expiresInDays?: number } = {}) {
  const db = getDb();
  const user = await insertUser(db, { role: "manager" });
  const contact = await insertContact(db, {});
  const version = await insertSurveyVersionFromFile(db, slug);
  return createSurveyLink(db, {
    contactId: contact.id,
    surveyVersionId: version.id,
    createdById: user.id,
    ...options,
  });
}

function post(
  path: string,
  body: unknown,
  options: { raw?: string | Uint8Array; contentType?: string; ip?: string } = {},
) {
  const headers = new Headers({
    "Content-Type": options.contentType ?? "application/json",
    "x-rapport-client-ip": options.ip ?? "198.51.100.20",
  });
  return new Request(`http://localhost${path}`, {
    method: "POST",
    headers,
    body: (options.raw ?? JSON.stringify(body)) as BodyInit,
  });
}

async function submit(token: string, body: unknown, options?: Parameters<typeof post>[2]) {
  return settle(() =>
    submitAction({ request: post(`/s/${token}/submit`, body, options), params: { token }, context: {} }),
  );
}

async function save(token: string, body: unknown, options?: Parameters<typeof post>[2]) {
  return settle(() =>
    saveAction({ request: post(`/s/${token}/save`, body, options), params: { token }, context: {} }),
  );
}

async function stored() {
  const db = getDb();
  return {
    responses: await db.select().from(responses).orderBy(responses.id),
    answers: await db.select().from(answers).orderBy(answers.id),
  };
}

describe("submitting answers", () => {
  it("stores a valid submit once, scores it, and marks the invitation completed", async () => {
    const { token, invitation } = await link();
    const response = await submit(token, { data: complete });
    expect(response.status).toBe(200);
    const { responses: rows, answers: scored } = await stored();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ isComplete: true, source: "link", data: complete });
    expect(Object.fromEntries(scored.map((a) => [a.dimension, a.value]))).toMatchObject({
      trust: 75,
      advocacy: 90,
    });
    const [after] = await getDb().select().from(invitations).where(eq(invitations.id, invitation.id));
    expect(after!.status).toBe("completed");
  });

  it("stores one response for concurrent submits and refuses a replay with 409, changing nothing", async () => {
    const { token } = await link();
    const results = await Promise.all([1, 2, 3, 4, 5].map(() => submit(token, { data: complete })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409]);
    const replay = await submit(token, { data: { ...complete, trust: 1 } });
    expect(replay.status).toBe(409);
    expect((await replay.json()).error).toBe("These answers were already sent; nothing was changed.");
    const { responses: rows } = await stored();
    expect(rows).toHaveLength(1);
    expect((rows[0]!.data as { trust: number }).trust).toBe(4);
  });

  it.each([
    ["a missing required answer", { ...complete, trust: undefined }, "trust", /required/i],
    ["an out-of-range rating", { ...complete, advocacy: 11 }, "advocacy", /must be one of 0, 1/],
    ["a negative rating", { ...complete, trust: -1 }, "trust", /must be one of/],
    ["a rating sent as text", { ...complete, trust: "4" }, "trust", /must be one of/],
    ["an unknown question", { ...complete, favourite_colour: "blue" }, "favourite_colour", /not a question/],
    ["a comment that is not text", { ...complete, one_change: ["a"] }, "one_change", /must be text/],
    ["a 1 MB comment", { ...complete, one_change: "x".repeat(200_000) }, "one_change", /at most/],
  ])("rejects %s with 422 naming the question, storing nothing", async (_label, data, question, message) => {
    const { token } = await link();
    const response = await submit(token, { data });
    expect(response.status).toBe(422);
    const body = await response.json();
    expect(body.errors[question].join(" ")).toMatch(message);
    expect((await stored()).responses).toHaveLength(0);
  });

  it("rejects a choice that does not exist (win/loss reason)", async () => {
    const { token } = await link("win-loss");
    const response = await submit(token, {
      data: { decision: "chose_another", primary_reason: "astrology" },
    });
    expect(response.status).toBe(422);
    expect((await response.json()).errors.primary_reason.join()).toMatch(
      /"astrology" is not one of the choices/,
    );
  });

  it.each([
    ["not JSON", { raw: "{trust: 4", contentType: "application/json" }, 400, /not valid JSON/],
    [
      "a form post",
      { raw: "trust=4", contentType: "application/x-www-form-urlencoded" },
      415,
      /application\/json/,
    ],
    [
      "a 1 MB body",
      { raw: JSON.stringify({ data: { one_change: "x".repeat(1_000_000) } }) },
      413,
      /too large/,
    ],
    ["invalid UTF-8", { raw: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]) }, 400, /not valid UTF-8/],
  ])("refuses %s with a clear message", async (_label, options, status, message) => {
    const { token } = await link();
    const response = await submit(token, null, options);
    expect(response.status).toBe(status);
    expect((await response.json()).error).toMatch(message);
    expect((await stored()).responses).toHaveLength(0);
  });

  it.each([
    ["an array", []],
    ["a string", "answers"],
    ["data missing", {}],
    ["data as an array", { data: [1, 2] }],
  ])("refuses a body that is %s", async (_label, body) => {
    const { token } = await link();
    const response = await submit(token, body);
    expect([400, 422]).toContain(response.status);
    expect((await stored()).responses).toHaveLength(0);
  });

  it("refuses an expired link with 410 and a token that opens nothing with 404", async () => {
    const expired = await link("relationship-health", { expiresInDays: -1 });
    expect((await submit(expired.token, { data: complete })).status).toBe(410);
    expect((await submit("A".repeat(32), { data: complete })).status).toBe(404);
    expect((await stored()).responses).toHaveLength(0);
  });

  it("validates against the survey the token belongs to, not another one", async () => {
    const winLoss = await link("win-loss");
    const response = await submit(winLoss.token, { data: complete });
    expect(response.status).toBe(422);
    expect(Object.keys((await response.json()).errors)).toEqual(
      expect.arrayContaining(["trust", "advocacy"]),
    );
  });
});

describe("autosave", () => {
  it("stores partial answers, scores them, and marks the invitation started", async () => {
    const { token, invitation } = await link();
    const response = await save(token, {
      data: { trust: 2, trust_why: "Late delivery" },
      currentPage: 0,
      sequence: 1,
    });
    expect(response.status).toBe(200);
    const { responses: rows, answers: scored } = await stored();
    expect(rows[0]).toMatchObject({
      isComplete: false,
      currentPage: 0,
      data: { trust: 2, trust_why: "Late delivery" },
    });
    expect(scored.map((a) => [a.dimension, a.value])).toEqual([["trust", 25]]);
    const [after] = await getDb().select().from(invitations).where(eq(invitations.id, invitation.id));
    expect(after!.status).toBe("started");
  });

  it("never lets an older save overwrite a newer one", async () => {
    const { token } = await link();
    await save(token, { data: { trust: 5, responsiveness: 4 }, currentPage: 1, sequence: 7 });
    const late = await save(token, { data: { trust: 1 }, currentPage: 0, sequence: 3 });
    expect(late.status).toBe(200);
    const { responses: rows } = await stored();
    expect(rows[0]).toMatchObject({ data: { trust: 5, responsiveness: 4 }, currentPage: 1, saveSequence: 7 });
  });

  it("keeps what is stored when a save is invalid", async () => {
    const { token } = await link();
    await save(token, { data: { trust: 4 }, currentPage: 0, sequence: 1 });
    const bad = await save(token, { data: { trust: 40, nonsense: true }, currentPage: 0, sequence: 2 });
    expect(bad.status).toBe(422);
    const body = await bad.json();
    expect(Object.keys(body.errors).sort()).toEqual(["nonsense", "trust"]);
    expect((await stored()).responses[0]!.data).toEqual({ trust: 4 });
  });

  it.each([
    ["no sequence", { data: {}, currentPage: 0 }],
    ["a negative page", { data: {}, currentPage: -1, sequence: 1 }],
    ["a sequence as text", { data: {}, currentPage: 0, sequence: "1" }],
  ])("refuses a malformed save (%s) with 400", async (_label, body) => {
    const { token } = await link();
    const response = await save(token, body);
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatch(/malformed/);
  });

  it("refuses saves after the submit with 409 and leaves the submitted answers alone", async () => {
    const { token } = await link();
    await submit(token, { data: complete });
    const response = await save(token, { data: { trust: 1 }, currentPage: 0, sequence: 99 });
    expect(response.status).toBe(409);
    expect((await stored()).responses[0]!.data).toEqual(complete);
  });
});

describe("the survey page", () => {
  it("resumes where the respondent stopped, with no-referrer and noindex headers", async () => {
    const { token } = await link();
    await save(token, { data: { trust: 3 }, currentPage: 1, sequence: 4 });
    const response = await settle(() =>
      surveyLoader({ request: makeRequest(`/s/${token}`), params: { token }, context: {} }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("Referrer-Policy")).toBe("no-referrer");
    expect(response.headers.get("X-Robots-Tag")).toMatch(/noindex/);
    const body = await response.json();
    expect(body).toMatchObject({ state: "open", data: { trust: 3 }, currentPage: 1, sequence: 4 });
  });

  it("shows the same page for unknown, expired and revoked links", async () => {
    const expired = await link("relationship-health", { expiresInDays: -1 });
    const revoked = await link();
    await getDb()
      .update(invitations)
      .set({ status: "revoked" })
      .where(eq(invitations.id, revoked.invitation.id));
    const bodies = [];
    for (const token of ["B".repeat(32), "short", expired.token, revoked.token]) {
      const response = await settle(() =>
        surveyLoader({ request: makeRequest(`/s/${token}`), params: { token }, context: {} }),
      );
      expect(response.status).toBe(404);
      bodies.push(await response.json());
    }
    expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1);
  });

  it("marks a link opened on its first view only, and never an expired or answered one", async () => {
    const statusOf = async (invitationId: string) =>
      (await getDb().select().from(invitations).where(eq(invitations.id, invitationId)))[0]!;
    const view = (token: string) =>
      settle(() => surveyLoader({ request: makeRequest(`/s/${token}`), params: { token }, context: {} }));

    const fresh = await link();
    expect((await view(fresh.token)).status).toBe(200);
    const opened = await statusOf(fresh.invitation.id);
    expect(opened.status).toBe("opened");
    await view(fresh.token);
    expect((await statusOf(fresh.invitation.id)).openedAt).toEqual(opened.openedAt);

    const expired = await link("relationship-health", { expiresInDays: -1 });
    expect((await view(expired.token)).status).toBe(404);
    expect((await statusOf(expired.invitation.id)).status).toBe(expired.invitation.status);

    const answered = await link();
    await submit(answered.token, { data: complete });
    expect((await (await view(answered.token)).json()).state).toBe("completed");
    expect((await statusOf(answered.invitation.id)).status).toBe("completed");
  });

  it("records 'I need help now' once, only after the answers are in", async () => {
    const { token } = await link();
    const help = () =>
      settle(() =>
        surveyAction({
          request: makeRequest(`/s/${token}`, { form: { intent: "help" } }),
          params: { token },
          context: {},
        }),
      );
    expect((await help()).status).toBe(409);
    await submit(token, { data: complete });
    expect((await help()).status).toBe(200);
    const first = (await stored()).responses[0]!.helpRequestedAt;
    expect(first).toBeInstanceOf(Date);
    expect((await help()).status).toBe(200);
    expect((await stored()).responses[0]!.helpRequestedAt).toEqual(first);
  });

  it("limits addresses that keep trying tokens that open nothing, without blocking others", async () => {
    const { token } = await link();
    for (let i = 0; i < INVALID_SURVEY_TOKEN_LIMIT.limit; i++) {
      await settle(() =>
        surveyLoader({
          request: makeRequest(`/s/x${i}`, { ip: "192.0.2.66" }),
          params: { token: `x${i}` },
          context: {},
        }),
      );
    }
    const blocked = await settle(() =>
      surveyLoader({
        request: makeRequest(`/s/${token}`, { ip: "192.0.2.66" }),
        params: { token },
        context: {},
      }),
    );
    expect(blocked.status).toBe(429);
    const other = await settle(() =>
      surveyLoader({
        request: makeRequest(`/s/${token}`, { ip: "192.0.2.67" }),
        params: { token },
        context: {},
      }),
    );
    expect(other.status).toBe(200);
    expect(await getDb().select().from(rateLimitHits)).toHaveLength(INVALID_SURVEY_TOKEN_LIMIT.limit);
  });
});

describe("the 0–10 scale in the invitation email", () => {
  it("records a click as the advocacy answer, keeps earlier answers, and opens the survey", async () => {
    const { token } = await link();
    await save(token, { data: { trust: 4 }, currentPage: 0, sequence: 2 });
    const response = await settle(() =>
      scaleLoader({
        request: makeRequest(`/s/${token}/scale/9`),
        params: { token, score: "9" },
        context: {},
      }),
    );
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(`/s/${token}?answered=9`);
    // the page the link lands on confirms the score in its server markup (no script needed)…
    const page = await settle(() =>
      surveyLoader({ request: makeRequest(`/s/${token}?answered=9`), params: { token }, context: {} }),
    );
    expect(await page.json()).toMatchObject({ state: "open", scaleAnswer: 9 });
    // …and only a score that is really stored
    const forged = await settle(() =>
      surveyLoader({ request: makeRequest(`/s/${token}?answered=3`), params: { token }, context: {} }),
    );
    expect(await forged.json()).toMatchObject({ state: "open", scaleAnswer: null });
    const { responses: rows, answers: scored } = await stored();
    expect(rows[0]).toMatchObject({ data: { trust: 4, advocacy: 9 }, saveSequence: 3, isComplete: false });
    expect(scored.find((a) => a.dimension === "advocacy")?.value).toBe(90);
  });

  it("ignores a score outside 0–10 and a link that opens nothing", async () => {
    const { token } = await link();
    for (const score of ["11", "-1", "x", "9.5"]) {
      const response = await settle(() =>
        scaleLoader({
          request: makeRequest(`/s/${token}/scale/${score}`),
          params: { token, score },
          context: {},
        }),
      );
      expect(response.status).toBe(302);
      expect(response.headers.get("Location")).toBe(`/s/${token}`);
    }
    expect((await stored()).responses).toHaveLength(0);
  });
});
