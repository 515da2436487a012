import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { campaigns, invitations, outbox } from "../../db/schema";
import {
  insertAccount,
  insertCampaign,
  insertContact,
  insertSurveyVersionFromFile,
  insertUser,
} from "../../db/factories";
import { getDb } from "~/lib/db.server";
import { loader as listLoader } from "~/routes/_app.campaigns._index";
import { action as newAction, loader as newLoader } from "~/routes/_app.campaigns.new";
import { action as pageAction, loader as pageLoader } from "~/routes/_app.campaigns.$campaignId/route";
import { action as editAction, loader as editLoader } from "~/routes/_app.campaigns.$campaignId_.edit";
import { cookieFor, makeRequest, settle } from "../support/requests";

async function world() {
  const db = getDb();
  const admin = await insertUser(db, { role: "admin" });
  const leader = await insertUser(db, { role: "leader" });
  const manager = await insertUser(db, { role: "manager" });
  const account = await insertAccount(db, { ownerId: manager.id, segment: "smb", name: "Bluewater" });
  await insertContact(db, { accountId: account.id, name: "Tanya Mitchell", email: "tanya@bluewater.test" });
  await insertContact(db, { accountId: account.id, name: "No Mail", email: null });
  const version = await insertSurveyVersionFromFile(db, "relationship-health");
  return { admin, leader, manager, account, version };
}

const validForm = (surveyVersionId: string, extra: Record<string, string> = {}) => ({
  name: "SMB pulse",
  surveyVersionId,
  expiresAfterDays: "21",
  reminders: "3, 7",
  frequencyWindowDays: "90",
  askBudgetPerQuarter: "3",
  senderName: "",
  replyTo: "",
  emailList: "",
  segments: "smb",
  ...extra,
});

async function act(userId: string, campaignId: string, form: Record<string, string>) {
  return settle(async () =>
    pageAction({
      request: makeRequest(`/campaigns/${campaignId}`, { cookie: await cookieFor(userId), form }),
      params: { campaignId },
      context: {},
    }),
  );
}

async function page(userId: string, campaignId: string) {
  return settle(async () =>
    pageLoader({
      request: makeRequest(`/campaigns/${campaignId}`, { cookie: await cookieFor(userId) }),
      params: { campaignId },
      context: {},
    }),
  );
}

describe("campaign pages", () => {
  it("are for admins and leaders; a manager is refused", async () => {
    const w = await world();
    const campaign = await insertCampaign(getDb(), { surveyVersionId: w.version.id });
    const list = async (userId: string) =>
      settle(async () =>
        listLoader({
          request: makeRequest("/campaigns", { cookie: await cookieFor(userId) }),
          params: {},
          context: {},
        }),
      );
    expect((await list(w.manager.id)).status).toBe(403);
    expect((await page(w.manager.id, campaign.id)).status).toBe(403);
    const read = await list(w.leader.id);
    expect(read.status).toBe(200);
    expect((await read.json()).canCreate).toBe(false);
    // a leader reads the campaign but cannot act on it
    const seen = await (await page(w.leader.id, campaign.id)).json();
    expect(Object.values(seen.can).every((allowed) => allowed === false)).toBe(true);
    expect((await act(w.leader.id, campaign.id, { intent: "launch" })).status).toBe(403);
    const newPage = await settle(async () =>
      newLoader({
        request: makeRequest("/campaigns/new", { cookie: await cookieFor(w.leader.id) }),
        params: {},
        context: {},
      }),
    );
    expect(newPage.status).toBe(403);
  });

  it("names every bad field of the form and saves nothing", async () => {
    const w = await world();
    const response = await settle(async () =>
      newAction({
        request: makeRequest("/campaigns/new", {
          cookie: await cookieFor(w.admin.id),
          form: validForm(w.version.id, {
            name: "  ",
            reminders: "7, 3",
            expiresAfterDays: "0",
            replyTo: "not-an-address",
            emailList: "ana@acme.test, bogus",
          }),
        }),
        params: {},
        context: {},
      }),
    );
    expect(response.status).toBe(400);
    const { fieldErrors } = await response.json();
    expect(fieldErrors).toMatchObject({
      name: "Give the campaign a name.",
      expiresAfterDays: "Expiry must be at least 1.",
      replyTo: "Reply-to must be an email address, or empty.",
      emailList: "“bogus” is not an email address.",
    });
    expect(await getDb().select().from(campaigns)).toHaveLength(0);
  });

  it("refuses reminders out of order and an audience of nobody", async () => {
    const w = await world();
    const post = async (form: Record<string, string>) =>
      settle(async () =>
        newAction({
          request: makeRequest("/campaigns/new", { cookie: await cookieFor(w.admin.id), form }),
          params: {},
          context: {},
        }),
      );
    const disorder = await (await post(validForm(w.version.id, { reminders: "7, 3" }))).json();
    expect(disorder.fieldErrors.reminders).toBe("Reminders must come in order; day 3 follows day 7.");
    const nobody = await post(validForm(w.version.id, { segments: "" }));
    expect(nobody.status).toBe(400);
    expect((await nobody.json()).fieldErrors.audience).toMatch(/^Choose who the campaign is for/);
    const mirror = await insertSurveyVersionFromFile(getDb(), "mirror");
    expect((await (await post(validForm(mirror.id))).json()).fieldErrors.surveyVersionId).toMatch(
      /mirror survey is not sent to customers/,
    );
  });

  it("creates a draft, previews who is asked, launches once, and locks editing after launch", async () => {
    const w = await world();
    const created = await settle(async () =>
      newAction({
        request: makeRequest("/campaigns/new", {
          cookie: await cookieFor(w.admin.id),
          form: validForm(w.version.id),
        }),
        params: {},
        context: {},
      }),
    );
    expect(created.status).toBe(302);
    const campaignId = created.headers.get("Location")!.split("/").pop()!;

    const draft = await (await page(w.admin.id, campaignId)).json();
    expect(draft.recipients).toMatchObject({
      preview: true,
      invitedCount: 1,
      excludedCount: 1,
      byReason: { no_email: 1 },
    });
    expect(draft.can).toMatchObject({ launch: true, edit: true, pause: false, remind: false });
    expect((await act(w.admin.id, campaignId, { intent: "remind" })).status).toBe(409);

    const launched = await act(w.admin.id, campaignId, { intent: "launch" });
    expect(launched.status).toBe(200);
    expect((await launched.json()).notice).toBe("Launched: invitations are on their way.");
    // no job queue in tests: the invitations were written in the request
    expect(await getDb().select().from(invitations)).toHaveLength(1);
    expect(await getDb().select().from(outbox)).toHaveLength(1);

    const again = await act(w.admin.id, campaignId, { intent: "launch" });
    expect(again.status).toBe(409);
    expect((await again.json()).error).toMatch(/^The campaign is live, so that is no longer possible/);

    const live = await (await page(w.admin.id, campaignId)).json();
    expect(live.recipients.preview).toBe(false);
    expect(live.results.funnel).toMatchObject({ recipients: 1, invited: 1, sent: 0 });
    expect(live.results.mail).toMatchObject({ pending: 1 });
    expect(live.can).toMatchObject({ launch: false, edit: false, pause: true, cancel: true, remind: true });

    const edit = await settle(async () =>
      editLoader({
        request: makeRequest(`/campaigns/${campaignId}/edit`, { cookie: await cookieFor(w.admin.id) }),
        params: { campaignId },
        context: {},
      }),
    );
    expect(edit.status).toBe(409);
    const editPost = await settle(async () =>
      editAction({
        request: makeRequest(`/campaigns/${campaignId}/edit`, {
          cookie: await cookieFor(w.admin.id),
          form: validForm(w.version.id, { name: "Renamed" }),
        }),
        params: { campaignId },
        context: {},
      }),
    );
    expect(editPost.status).toBe(409);
  });

  it("pauses, resumes and cancels, and refuses what the status does not allow", async () => {
    const w = await world();
    const campaign = await insertCampaign(getDb(), {
      surveyVersionId: w.version.id,
      audience: { segments: ["smb"] },
    });
    expect((await act(w.admin.id, campaign.id, { intent: "pause" })).status).toBe(409);
    expect((await act(w.admin.id, campaign.id, { intent: "launch" })).status).toBe(200);
    expect((await act(w.admin.id, campaign.id, { intent: "pause" })).status).toBe(200);
    expect((await act(w.admin.id, campaign.id, { intent: "resume" })).status).toBe(200);
    expect((await act(w.admin.id, campaign.id, { intent: "cancel" })).status).toBe(200);
    const [row] = await getDb().select().from(campaigns).where(eq(campaigns.id, campaign.id));
    expect(row!.status).toBe("cancelled");
    expect((await act(w.admin.id, campaign.id, { intent: "resume" })).status).toBe(409);
  });

  it("schedules only in the future, reading the time in the browser's zone", async () => {
    const w = await world();
    const campaign = await insertCampaign(getDb(), {
      surveyVersionId: w.version.id,
      audience: { segments: ["smb"] },
    });
    const past = await act(w.admin.id, campaign.id, {
      intent: "schedule",
      at: "2020-01-01T09:00",
      tzOffset: "0",
    });
    expect(past.status).toBe(400);
    expect((await past.json()).error).toBe("Choose a time in the future.");
    const garbage = await act(w.admin.id, campaign.id, { intent: "schedule", at: "tomorrow" });
    expect((await garbage.json()).error).toBe("Choose a date and time to send.");
    const year = new Date().getUTCFullYear() + 1;
    // 09:00 in UTC-5 (offset +300 minutes) is 14:00 UTC
    expect(
      (await act(w.admin.id, campaign.id, { intent: "schedule", at: `${year}-03-02T09:00`, tzOffset: "300" }))
        .status,
    ).toBe(200);
    const [row] = await getDb().select().from(campaigns).where(eq(campaigns.id, campaign.id));
    expect(row).toMatchObject({ status: "scheduled", scheduledAt: new Date(`${year}-03-02T14:00:00Z`) });
  });

  it("answers 404 for an unknown or malformed campaign and 400 for an unknown action", async () => {
    const w = await world();
    expect((await page(w.admin.id, "not-a-uuid")).status).toBe(404);
    expect((await page(w.admin.id, "5d0f6f53-8f0e-4d39-9a57-1d8b3c1f2a10")).status).toBe(404);
    expect((await act(w.admin.id, "5d0f6f53-8f0e-4d39-9a57-1d8b3c1f2a10", { intent: "launch" })).status).toBe(
      404,
    );
    const campaign = await insertCampaign(getDb(), { surveyVersionId: w.version.id });
    expect((await act(w.admin.id, campaign.id, { intent: "explode" })).status).toBe(400);
  });
});
