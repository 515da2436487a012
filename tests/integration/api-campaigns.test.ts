import { count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { campaigns, invitationTokens, invitations } from "../../db/schema";
import {
  insertAccount,
  insertCampaign,
  insertContact,
  insertSurveyVersionFromFile,
  insertUser,
} from "../../db/factories";
import { findInvitationByToken } from "~/domain/survey-links.server";
import { campaignDetailSchema, campaignSchema, invitationSchema } from "~/lib/api/campaigns.server";
import { getDb } from "~/lib/db.server";
import { callApi, makeApiKey } from "../support/api";

const MISSING = "00000000-0000-4000-8000-000000000000";

async function world() {
  const db = getDb();
  const admin = await insertUser(db, { role: "admin", email: "ada@vendor.test" });
  const acme = await insertAccount(db, { name: "Acme", ownerId: admin.id, segment: "mid_market" });
  const initech = await insertAccount(db, { name: "Initech", ownerId: admin.id, segment: "enterprise" });
  const ana = await insertContact(db, { accountId: acme.id, name: "Ana Souza", email: "ana@acme.test" });
  const bo = await insertContact(db, { accountId: acme.id, name: "Bo Li", email: "bo@acme.test" });
  await insertContact(db, {
    accountId: acme.id,
    name: "Dee Opted",
    email: "dee@acme.test",
    optedOutAt: new Date(),
  });
  await insertContact(db, { accountId: initech.id, name: "Hal Initech", email: "hal@initech.test" });
  const version = await insertSurveyVersionFromFile(db, "relationship-health");
  const { key: writeKey } = await makeApiKey("write", admin.id);
  const { key: readKey } = await makeApiKey("read", admin.id);
  return { admin, acme, ana, bo, version, writeKey, readKey };
}

const validBody = (surveyVersionId: string, extra: Record<string, unknown> = {}) => ({
  name: "Mid-market pulse",
  survey_version_id: surveyVersionId,
  audience: { segments: ["mid_market"] },
  ...extra,
});

const campaignCount = async () => (await getDb().select({ n: count() }).from(campaigns))[0]!.n;
const tokenCount = async () => (await getDb().select({ n: count() }).from(invitationTokens))[0]!.n;
const fieldsOf = async (response: Response) =>
  ((await response.json()).errors as { field: string }[]).map((e) => e.field).sort();

async function createCampaign(key: string, body: unknown) {
  const response = await callApi("/campaigns", { key, body });
  expect(response.status).toBe(201);
  return (await response.json()).data as { id: string };
}

describe("POST /api/v1/campaigns", () => {
  it("creates a draft from snake_case fields, authored by the key's creator", async () => {
    const w = await world();
    const response = await callApi("/campaigns", {
      key: w.writeKey,
      body: validBody(w.version.id, {
        audience: { segments: ["mid_market"], owner_emails: ["ADA@vendor.test"], emails: ["ana@acme.test"] },
        expires_after_days: 14,
        reminder_offsets_days: [2, 5],
        reply_to: "cs@vendor.test",
      }),
    });
    expect(response.status).toBe(201);
    const { data } = await response.json();
    expect(campaignDetailSchema.parse(data)).toEqual(data);
    expect(response.headers.get("Location")).toBe(`/api/v1/campaigns/${data.id}`);
    expect(data).toMatchObject({
      name: "Mid-market pulse",
      status: "draft",
      survey_version_id: w.version.id,
      audience: { segments: ["mid_market"], owner_emails: ["ada@vendor.test"], emails: ["ana@acme.test"] },
      expires_after_days: 14,
      reminder_offsets_days: [2, 5],
      frequency_window_days: 90,
      ask_budget_per_quarter: 3,
      sender_name: null,
      reply_to: "cs@vendor.test",
      created_by_email: "ada@vendor.test",
      funnel: { recipients: 0, invited: 0, response_rate: null },
    });
    const [stored] = await getDb().select().from(campaigns).where(eq(campaigns.id, data.id));
    expect(stored).toMatchObject({
      createdById: w.admin.id,
      expiresAfterDays: 14,
      replyTo: "cs@vendor.test",
    });

    const list = await callApi("/campaigns", { key: w.readKey });
    expect(list.status).toBe(200);
    const page = await list.json();
    expect(page.data.map((c: { id: string }) => c.id)).toEqual([data.id]);
    expect(campaignSchema.parse(page.data[0])).toEqual(page.data[0]);
  });

  it("refuses invalid fields with the form's rules, naming them, and stores nothing", async () => {
    const w = await world();
    const invalid = await callApi("/campaigns", {
      key: w.writeKey,
      body: validBody(w.version.id, { name: " ", expires_after_days: 500, reply_to: "not an address" }),
    });
    expect(invalid.status).toBe(400);
    expect(await fieldsOf(invalid)).toEqual(["expires_after_days", "name", "reply_to"]);

    const reminders = await callApi("/campaigns", {
      key: w.writeKey,
      body: validBody(w.version.id, { reminder_offsets_days: [7, 3] }),
    });
    expect(reminders.status).toBe(400);
    expect((await reminders.json()).errors).toEqual([
      { field: "reminder_offsets_days", message: "Reminders must come in order; day 3 follows day 7." },
    ]);

    const references = await callApi("/campaigns", {
      key: w.writeKey,
      body: validBody(MISSING, { audience: {} }),
    });
    expect(references.status).toBe(400);
    expect(await fieldsOf(references)).toEqual(["audience", "survey_version_id"]);

    const owner = await callApi("/campaigns", {
      key: w.writeKey,
      body: validBody(w.version.id, {
        audience: { owner_emails: ["ada@vendor.test", "nobody@vendor.test"] },
      }),
    });
    expect(owner.status).toBe(400);
    expect(await fieldsOf(owner)).toEqual(["audience.owner_emails.1"]);

    const unknownField = await callApi("/campaigns", {
      key: w.writeKey,
      body: validBody(w.version.id, { colour: "blue", audience: { segments: ["galactic"] } }),
    });
    expect(unknownField.status).toBe(400);
    expect(await fieldsOf(unknownField)).toEqual(["audience.segments.0", "colour"]);
    expect(await campaignCount()).toBe(0);
  });

  it("refuses a key without a creator, since a campaign needs an author", async () => {
    const w = await world();
    const { key } = await makeApiKey("write", null);
    const response = await callApi("/campaigns", { key, body: validBody(w.version.id) });
    expect(response.status).toBe(400);
    const problem = await response.json();
    expect(problem.type).toBe("https://rapport.dev/problems/validation");
    expect(problem.detail).toMatch(/this key has no creator/);
    expect(await campaignCount()).toBe(0);
    expect((await callApi("/campaigns", { key: w.readKey, body: validBody(w.version.id) })).status).toBe(403);
  });
});

describe("launching a campaign through the API", () => {
  it("launches once, writes the invitations, and lists them with a stable survey URL for write keys", async () => {
    const w = await world();
    const { id } = await createCampaign(w.writeKey, validBody(w.version.id));

    const launched = await callApi(`/campaigns/${id}/launch`, { key: w.writeKey, method: "POST" });
    expect(launched.status).toBe(200);
    const body = await launched.json();
    expect(body.notice).toBe("Launched: invitations are on their way.");
    expect(body.data).toMatchObject({ status: "sending", funnel: { recipients: 2, invited: 2 } });
    expect(body.data.launched_at).not.toBeNull();

    // the send ran (no worker in tests, so right away, as the campaign page does)
    const written = await getDb().select().from(invitations).where(eq(invitations.campaignId, id));
    expect(written.map((i) => i.contactId).sort()).toEqual([w.ana.id, w.bo.id].sort());

    const again = await callApi(`/campaigns/${id}/launch`, { key: w.writeKey, method: "POST" });
    expect(again.status).toBe(409);
    const conflict = await again.json();
    expect(conflict.type).toBe("https://rapport.dev/problems/conflict");
    expect(conflict.detail).toMatch(/is sending \(live\)/);
    expect(conflict.errors).toEqual([{ field: "status", message: conflict.detail }]);

    const tokensBefore = await tokenCount();
    const first = await callApi(`/campaigns/${id}/invitations`, { key: w.writeKey });
    expect(first.status).toBe(200);
    const page = await first.json();
    expect(page.next_cursor).toBeNull();
    expect(page.data).toHaveLength(2);
    for (const invitation of page.data) expect(invitationSchema.parse(invitation)).toEqual(invitation);
    const ana = page.data.find((i: { contact_id: string }) => i.contact_id === w.ana.id);
    expect(ana).toMatchObject({
      account_id: w.acme.id,
      name: "Ana Souza",
      email: "ana@acme.test",
      status: "queued",
      completed_at: null,
    });
    const match = /^http:\/\/localhost:\d+\/s\/([A-Za-z0-9_-]{32})$/.exec(ana.survey_url);
    expect(match).not.toBeNull();
    const found = await findInvitationByToken(getDb(), match![1]!);
    expect(found?.invitation.id).toBe(ana.id);
    expect(await tokenCount()).toBe(tokensBefore + 2);

    // read again: the same URLs, no more tokens
    const second = await (await callApi(`/campaigns/${id}/invitations`, { key: w.writeKey })).json();
    expect(second.data.map((i: { survey_url: string }) => i.survey_url)).toEqual(
      page.data.map((i: { survey_url: string }) => i.survey_url),
    );
    expect(await tokenCount()).toBe(tokensBefore + 2);

    const read = await callApi(`/campaigns/${id}/invitations`, { key: w.readKey });
    expect(read.status).toBe(200);
    const readPage = await read.json();
    expect(readPage.data.map((i: { id: string }) => i.id)).toEqual(
      page.data.map((i: { id: string }) => i.id),
    );
    expect(readPage.data.every((i: { survey_url: string | null }) => i.survey_url === null)).toBe(true);

    // paged one at a time, in the same order
    const one = await (await callApi(`/campaigns/${id}/invitations?limit=1`, { key: w.readKey })).json();
    expect(one.data.map((i: { id: string }) => i.id)).toEqual([page.data[0].id]);
    const rest = await (
      await callApi(`/campaigns/${id}/invitations?limit=1&cursor=${one.next_cursor}`, { key: w.readKey })
    ).json();
    expect(rest.data.map((i: { id: string }) => i.id)).toEqual([page.data[1].id]);
    expect(rest.next_cursor).toBeNull();
  });

  it("answers the funnel counts in GET /campaigns/{id}", async () => {
    const w = await world();
    const { id } = await createCampaign(w.writeKey, validBody(w.version.id));
    expect((await callApi(`/campaigns/${id}/launch`, { key: w.writeKey, method: "POST" })).status).toBe(200);
    const now = new Date();
    await getDb()
      .update(invitations)
      .set({ status: "sent", sentAt: now })
      .where(eq(invitations.campaignId, id));
    await getDb()
      .update(invitations)
      .set({ status: "completed", openedAt: now, startedAt: now, completedAt: now })
      .where(eq(invitations.contactId, w.ana.id));

    const response = await callApi(`/campaigns/${id}`, { key: w.readKey });
    expect(response.status).toBe(200);
    const { data } = await response.json();
    expect(campaignDetailSchema.parse(data)).toEqual(data);
    expect(data.funnel).toEqual({
      recipients: 2,
      invited: 2,
      sent: 2,
      delivered: 1,
      opened: 1,
      started: 1,
      completed: 1,
      bounced: 0,
      opted_out: 0,
      expired: 0,
      failed: 0,
      response_rate: 50,
    });
    expect((await callApi(`/campaigns/${MISSING}`, { key: w.readKey })).status).toBe(404);
  });

  it("pauses and resumes, refusing each from the wrong status", async () => {
    const w = await world();
    const { id } = await createCampaign(w.writeKey, validBody(w.version.id));
    const post = (action: string, key = w.writeKey) =>
      callApi(`/campaigns/${id}/${action}`, { key, method: "POST" });

    const early = await post("pause");
    expect(early.status).toBe(409);
    expect((await early.json()).detail).toMatch(/is draft/);
    expect((await post("resume")).status).toBe(409);

    expect((await post("launch")).status).toBe(200);
    expect((await post("pause", w.readKey)).status).toBe(403);
    const paused = await post("pause");
    expect(paused.status).toBe(200);
    expect((await paused.json()).data).toMatchObject({ status: "paused" });
    expect((await post("pause")).status).toBe(409);
    expect((await post("launch")).status).toBe(409);

    const resumed = await post("resume");
    expect(resumed.status).toBe(200);
    expect((await resumed.json()).data).toMatchObject({ status: "sending", paused_at: null });
    const again = await post("resume");
    expect(again.status).toBe(409);
    expect((await again.json()).detail).toMatch(/is sending/);
  });

  it("refuses to launch when nobody in the audience can be invited, and 404s an unknown campaign", async () => {
    const w = await world();
    const campaign = await insertCampaign(getDb(), {
      createdById: w.admin.id,
      surveyVersionId: w.version.id,
      audience: { emails: ["dee@acme.test"] },
    });
    const response = await callApi(`/campaigns/${campaign.id}/launch`, { key: w.writeKey, method: "POST" });
    expect(response.status).toBe(409);
    const problem = await response.json();
    expect(problem.detail).toMatch(/^Nobody to invite: all 1 contacts/);
    expect(problem.errors[0].field).toBe("audience");
    const [stored] = await getDb().select().from(campaigns).where(eq(campaigns.id, campaign.id));
    expect(stored!.status).toBe("draft");

    for (const action of ["launch", "pause", "resume"]) {
      expect(
        (await callApi(`/campaigns/${MISSING}/${action}`, { key: w.writeKey, method: "POST" })).status,
      ).toBe(404);
    }
    expect((await callApi(`/campaigns/${MISSING}/invitations`, { key: w.readKey })).status).toBe(404);
  });
});
