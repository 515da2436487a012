import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { answers, cases, invitations, responses } from "../../db/schema";
import {
  addDays,
  insertContact,
  insertInvitation,
  insertSurveyVersionFromFile,
  insertUser,
} from "../../db/factories";
import { createSurveyLink, DEFAULT_LINK_EXPIRY_DAYS } from "~/domain/survey-links.server";
import { getDb } from "~/lib/db.server";
import { loader as surveyLoader } from "~/routes/s.$token/route";
import { action as saveAction } from "~/routes/s.$token.save";
import { action as submitAction } from "~/routes/s.$token.submit";
import { loader as scaleLoader } from "~/routes/s.$token.scale.$score";
import { RELATIONSHIP_RATINGS } from "../support/answers";
import { makeRequest, settle } from "../support/requests";

const complete = { ...RELATIONSHIP_RATINGS, advocacy: 2, one_change: "Answer my emails." };

function post(path: string, body: unknown) {
  return new Request(`http://localhost${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "x-rapport-client-ip": "198.51.100.30" },
    body: JSON.stringify(body),
  });
}

const view = (token: string) =>
  settle(() => surveyLoader({ request: makeRequest(`/s/${token}`), params: { token }, context: {} }));
const save = (token: string, body: unknown) =>
  settle(() => saveAction({ request: post(`/s/${token}/save`, body), params: { token }, context: {} }));
const submit = (token: string, body: unknown) =>
  settle(() => submitAction({ request: post(`/s/${token}/submit`, body), params: { token }, context: {} }));
const clickScale = (token: string, score: string) =>
  settle(() =>
    scaleLoader({
      request: makeRequest(`/s/${token}/scale/${score}`),
      params: { token, score },
      context: {},
    }),
  );

/** A link answered halfway (one autosave stored), which then runs out. */
async function halfAnsweredLink() {
  const db = getDb();
  const user = await insertUser(db, { role: "manager" });
  const contact = await insertContact(db, {});
  const version = await insertSurveyVersionFromFile(db, "relationship-health");
  const link = await createSurveyLink(db, {
    contactId: contact.id,
    surveyVersionId: version.id,
    createdById: user.id,
  });
  expect((await save(link.token, { data: { trust: 4 }, currentPage: 0, sequence: 1 })).status).toBe(200);
  return link;
}

async function storedFor(invitationId: string) {
  const db = getDb();
  const [invitation] = await db.select().from(invitations).where(eq(invitations.id, invitationId));
  const rows = await db.select().from(responses).where(eq(responses.invitationId, invitationId));
  const scored = rows.length
    ? await db.select().from(answers).where(eq(answers.responseId, rows[0]!.id))
    : [];
  return { invitation, responses: rows, answers: scored, cases: await db.select().from(cases) };
}

/** Every way in through the link, after it closed: each refuses, and nothing is stored. */
async function expectClosed(token: string, invitationId: string) {
  const before = await storedFor(invitationId);

  const page = await view(token);
  expect(page.status).toBe(404);
  expect(page.headers.get("Cache-Control")).toBe("no-store");
  const shown = await page.json();
  expect(shown.state).toBe("unavailable");
  // the survey, its questions and the answers so far are not sent
  expect(JSON.stringify(shown)).not.toContain("trust");

  const saved = await save(token, { data: { trust: 1 }, currentPage: 0, sequence: 99 });
  expect(saved.status).toBe(410);
  expect(await saved.json()).toEqual({ error: "This survey link has expired." });

  const submitted = await submit(token, { data: complete });
  expect(submitted.status).toBe(410);
  expect(await submitted.json()).toEqual({ error: "This survey link has expired." });

  const clicked = await clickScale(token, "2");
  expect(clicked.status).toBe(302);
  expect(clicked.headers.get("Location")).toBe(`/s/${token}`);

  expect(await storedFor(invitationId)).toEqual(before);
}

describe("survey tokens expire", () => {
  it("a link answers before its expiry (so the refusals below are the expiry's doing)", async () => {
    const link = await halfAnsweredLink();
    expect((await view(link.token)).status).toBe(200);
    expect((await clickScale(link.token, "7")).headers.get("Location")).toBe(`/s/${link.token}?answered=7`);
    expect((await submit(link.token, { data: complete })).status).toBe(200);
  });

  it("once its expiry has passed, the page, autosave, submit and one-click score all refuse and store nothing", async () => {
    const link = await halfAnsweredLink();
    await getDb()
      .update(invitations)
      .set({ expiresAt: new Date(Date.now() - 60_000) })
      .where(eq(invitations.id, link.invitation.id));
    await expectClosed(link.token, link.invitation.id);
    const { responses: rows } = await storedFor(link.invitation.id);
    expect(rows[0]).toMatchObject({ data: { trust: 4 }, isComplete: false, saveSequence: 1 });
  });

  it("refuses a link the campaign job marked expired, whatever its date says", async () => {
    const link = await halfAnsweredLink();
    await getDb()
      .update(invitations)
      .set({ status: "expired" })
      .where(eq(invitations.id, link.invitation.id));
    await expectClosed(link.token, link.invitation.id);
  });

  it("gives an invitation stored without an expiry the default lifetime from when it was made", async () => {
    const db = getDb();
    const old = await insertInvitation(db, {
      status: "sent",
      expiresAt: null,
      createdAt: addDays(new Date(), -(DEFAULT_LINK_EXPIRY_DAYS + 1)),
    });
    await expectClosed(old.token, old.id);
    const recent = await insertInvitation(db, {
      status: "sent",
      expiresAt: null,
      createdAt: addDays(new Date(), -(DEFAULT_LINK_EXPIRY_DAYS - 1)),
    });
    expect((await submit(recent.token, { data: complete })).status).toBe(200);
  });

  it("does not reopen an answered link after expiry: the thank-you stays, a resubmit changes nothing", async () => {
    const link = await halfAnsweredLink();
    expect((await submit(link.token, { data: complete })).status).toBe(200);
    await getDb()
      .update(invitations)
      .set({ expiresAt: new Date(Date.now() - 60_000) })
      .where(eq(invitations.id, link.invitation.id));
    const before = await storedFor(link.invitation.id);
    expect((await view(link.token)).status).toBe(200);
    expect((await submit(link.token, { data: { ...complete, advocacy: 10 } })).status).toBe(409);
    expect((await save(link.token, { data: { trust: 1 }, currentPage: 0, sequence: 5 })).status).toBe(409);
    expect(await storedFor(link.invitation.id)).toEqual(before);
  });
});
