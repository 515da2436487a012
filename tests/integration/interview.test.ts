import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { insertAccount, insertContact, insertSurveyVersionFromFile, insertUser } from "../../db/factories";
import { answers, responses } from "../../db/schema";
import { getDb } from "~/lib/db.server";
import { action, loader } from "~/routes/_app.contacts.$contactId_.interview/route";
import { cookieFor, makeRequest, settle } from "../support/requests";

/** Every required question of surveys/interview-guide.json answered, plus some notes. */
const completeAnswers = {
  contact_role: "Runs inbound logistics; works with our support team weekly.",
  interviewer_notes_opening: "Open and relaxed; their deputy joined halfway.",
  trust: 4,
  responsiveness: 3,
  understanding: 5,
  communication: 2,
  value: 4,
  relationship: 1,
  advocacy: 7,
  renewal: 5,
  important_dimensions: ["trust", "communication"],
  one_change: "Tell us about outages before our customers do.",
};

/** What each dimension question above scores on 0–100. */
const expectedScores = [
  { question: "advocacy", dimension: "advocacy", value: 70 },
  { question: "communication", dimension: "communication", value: 25 },
  { question: "relationship", dimension: "relationship", value: 0 },
  { question: "renewal", dimension: "renewal", value: 100 },
  { question: "responsiveness", dimension: "responsiveness", value: 50 },
  { question: "trust", dimension: "trust", value: 75 },
  { question: "understanding", dimension: "understanding", value: 100 },
  { question: "value", dimension: "value", value: 75 },
];

async function world() {
  const db = getDb();
  const owner = await insertUser(db, { role: "manager" });
  const outsider = await insertUser(db, { role: "manager" });
  const leader = await insertUser(db, { role: "leader" });
  const account = await insertAccount(db, { ownerId: owner.id, name: "Acme Logistics" });
  const contact = await insertContact(db, { accountId: account.id, name: "Dana Whitfield" });
  const guide = await insertSurveyVersionFromFile(db, "interview-guide");
  return { owner, outsider, leader, account, contact, guide };
}

/** A JSON post as the interview page's fetch sends it. */
function jsonRequest(path: string, body: unknown, cookie: string): Request {
  return new Request(`http://localhost${path}`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      Cookie: cookie,
      "x-rapport-client-ip": "203.0.113.7",
    },
    body: JSON.stringify(body),
  });
}

async function postInterview(contactId: string, userId: string, body: unknown) {
  const path = `/contacts/${contactId}/interview`;
  const request = jsonRequest(path, body, await cookieFor(userId));
  return settle(() => action({ request, params: { contactId }, context: {} }));
}

async function storedResponses() {
  return getDb().select().from(responses);
}

describe("recording an interview", () => {
  it("stores the account owner's interview as a complete response with scored answers", async () => {
    const w = await world();
    const result = await postInterview(w.contact.id, w.owner.id, {
      surveyVersionId: w.guide.id,
      data: completeAnswers,
    });
    expect(result.status).toBe(200);
    const { responseId } = (await result.json()) as { responseId: string };

    const stored = await storedResponses();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      id: responseId,
      source: "interview",
      interviewerId: w.owner.id,
      isComplete: true,
      contactId: w.contact.id,
      accountId: w.account.id,
      surveyVersionId: w.guide.id,
      invitationId: null,
      data: completeAnswers,
    });
    expect(stored[0]!.completedAt).toBeInstanceOf(Date);

    const scored = await getDb()
      .select({ question: answers.question, dimension: answers.dimension, value: answers.value })
      .from(answers)
      .where(eq(answers.responseId, responseId))
      .orderBy(answers.question);
    expect(scored).toEqual(expectedScores);
  });

  it("rejects an interview whose required answers are missing with 422, naming them, and stores nothing", async () => {
    const w = await world();
    const { trust: _trust, renewal: _renewal, important_dimensions: _chosen, ...partial } = completeAnswers;
    const result = await postInterview(w.contact.id, w.owner.id, {
      surveyVersionId: w.guide.id,
      data: partial,
    });
    expect(result.status).toBe(422);
    const body = (await result.json()) as { error: string; errors: Record<string, string[]> };
    expect(body.error).toMatch(/another look/);
    expect(Object.keys(body.errors).sort()).toEqual(["important_dimensions", "renewal", "trust"]);
    expect(await storedResponses()).toHaveLength(0);
  });

  it("rejects an answer to a question the guide does not have with 422", async () => {
    const w = await world();
    const result = await postInterview(w.contact.id, w.owner.id, {
      surveyVersionId: w.guide.id,
      data: { ...completeAnswers, favourite_colour: "teal" },
    });
    expect(result.status).toBe(422);
    const body = (await result.json()) as { errors: Record<string, string[]> };
    expect(body.errors).toEqual({ favourite_colour: ["is not a question in this survey."] });
    expect(await storedResponses()).toHaveLength(0);
  });

  it("rejects a relationship survey posted as an interview with 400", async () => {
    const w = await world();
    const relationship = await insertSurveyVersionFromFile(getDb(), "relationship-health");
    const result = await postInterview(w.contact.id, w.owner.id, {
      surveyVersionId: relationship.id,
      data: completeAnswers,
    });
    expect(result.status).toBe(400);
    expect(((await result.json()) as { error: string }).error).toMatch(/not an interview guide/);
    expect(await storedResponses()).toHaveLength(0);
  });

  it("rejects a malformed or unknown guide id with 400", async () => {
    const w = await world();
    for (const surveyVersionId of ["not-a-uuid", "00000000-0000-4000-8000-000000000000", 42]) {
      const result = await postInterview(w.contact.id, w.owner.id, {
        surveyVersionId,
        data: completeAnswers,
      });
      expect(result.status).toBe(400);
    }
    expect(await storedResponses()).toHaveLength(0);
  });

  it("rejects a body that is not JSON with 415", async () => {
    const w = await world();
    const path = `/contacts/${w.contact.id}/interview`;
    const request = makeRequest(path, {
      form: { surveyVersionId: w.guide.id },
      cookie: await cookieFor(w.owner.id),
    });
    const result = await settle(() => action({ request, params: { contactId: w.contact.id }, context: {} }));
    expect(result.status).toBe(415);
  });

  it("refuses a manager who is not on the account with 403 and stores nothing", async () => {
    const w = await world();
    const result = await postInterview(w.contact.id, w.outsider.id, {
      surveyVersionId: w.guide.id,
      data: completeAnswers,
    });
    expect(result.status).toBe(403);
    expect(await storedResponses()).toHaveLength(0);
  });

  it("refuses a leader, who can view but not edit accounts, with 403", async () => {
    const w = await world();
    const result = await postInterview(w.contact.id, w.leader.id, {
      surveyVersionId: w.guide.id,
      data: completeAnswers,
    });
    expect(result.status).toBe(403);
    expect(await storedResponses()).toHaveLength(0);
  });

  it("answers 404 for an unknown or malformed contact id", async () => {
    const w = await world();
    for (const contactId of ["00000000-0000-4000-8000-000000000000", "not-a-uuid"]) {
      const result = await postInterview(contactId, w.owner.id, {
        surveyVersionId: w.guide.id,
        data: completeAnswers,
      });
      expect(result.status).toBe(404);
    }
  });
});

describe("the interview page", () => {
  async function open(contactId: string, userId: string, search = "") {
    const request = makeRequest(`/contacts/${contactId}/interview${search}`, {
      cookie: await cookieFor(userId),
    });
    return settle(() => loader({ request, params: { contactId }, context: {} }));
  }

  it("shows the owner the contact, their account and the interview guide", async () => {
    const w = await world();
    const result = await open(w.contact.id, w.owner.id);
    expect(result.status).toBe(200);
    const body = await result.json();
    expect(body.contact).toMatchObject({
      name: "Dana Whitfield",
      firstName: "Dana",
      accountName: "Acme Logistics",
    });
    expect(body.guides.map((g: { versionId: string }) => g.versionId)).toEqual([w.guide.id]);
    expect(body.guide).toMatchObject({ versionId: w.guide.id, title: "Relationship interview" });
  });

  it("opens the guide named in ?guide= and answers 404 for a survey that is not an interview guide", async () => {
    const w = await world();
    const relationship = await insertSurveyVersionFromFile(getDb(), "relationship-health");
    const chosen = await open(w.contact.id, w.owner.id, `?guide=${w.guide.id}`);
    expect((await chosen.json()).guide.versionId).toBe(w.guide.id);
    expect((await open(w.contact.id, w.owner.id, `?guide=${relationship.id}`)).status).toBe(404);
    expect((await open(w.contact.id, w.owner.id, "?guide=nonsense")).status).toBe(404);
  });

  it("refuses a leader and a manager not on the account with 403", async () => {
    const w = await world();
    expect((await open(w.contact.id, w.leader.id)).status).toBe(403);
    expect((await open(w.contact.id, w.outsider.id)).status).toBe(403);
  });

  it("answers 404 for an unknown or malformed contact id", async () => {
    const w = await world();
    expect((await open("00000000-0000-4000-8000-000000000000", w.owner.id)).status).toBe(404);
    expect((await open("not-a-uuid", w.owner.id)).status).toBe(404);
  });
});
