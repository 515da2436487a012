import { and, asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { campaignRecipients, campaigns, contacts, invitations, outbox, type Campaign } from "../../db/schema";
import {
  insertAccount,
  insertCampaign,
  insertContact,
  insertInvitation,
  insertUser,
} from "../../db/factories";
import { fakeResendForEachTest } from "../support/fake-resend-per-test";
import { campaignFunnel, campaignOutboxState } from "~/domain/campaign-report.server";
import {
  cancelCampaign,
  expireCampaigns,
  pauseCampaign,
  resumeCampaign,
  runCampaignTick,
  scheduleCampaign,
  sendCampaignInvitations,
  sendReminders,
  startCampaign,
} from "~/domain/campaign-send.server";
import { campaignRecipientsView } from "~/domain/campaigns.server";
import { deliverPendingEmails } from "~/domain/outbox.server";
import { findInvitationByToken } from "~/domain/survey-links.server";
import { optOutByToken } from "~/domain/unsubscribe.server";
import { getDb } from "~/lib/db.server";

const DAY = 24 * 60 * 60 * 1000;
const LAUNCH = new Date("2026-05-04T09:00:00Z");
const at = (days: number) => new Date(LAUNCH.getTime() + days * DAY);

const resend = fakeResendForEachTest({ env: { PUBLIC_URL: undefined } });

/** Two mid-market accounts and one enterprise account, with contacts the rules treat differently. */
async function world() {
  const db = getDb();
  const owner = await insertUser(db, { name: "Maya Chen", email: "maya@vendor.test" });
  const acme = await insertAccount(db, { name: "Acme", ownerId: owner.id, segment: "mid_market" });
  const globex = await insertAccount(db, { name: "Globex", ownerId: owner.id, segment: "mid_market" });
  const initech = await insertAccount(db, { name: "Initech", ownerId: owner.id, segment: "enterprise" });
  const c = {
    ana: await insertContact(db, {
      accountId: acme.id,
      name: "Ana Souza",
      email: "ana@acme.test",
      buyingRole: "decision_maker",
    }),
    bo: await insertContact(db, { accountId: acme.id, name: "Bo Li", email: "bo@acme.test" }),
    cy: await insertContact(db, {
      accountId: globex.id,
      name: "Cy Park",
      email: "cy@globex.test",
      buyingRole: "champion",
    }),
    optedOut: await insertContact(db, {
      accountId: globex.id,
      name: "Dee Opted",
      email: "dee@globex.test",
      optedOutAt: at(-30),
    }),
    bounced: await insertContact(db, {
      accountId: globex.id,
      name: "Eve Bounced",
      email: "eve@globex.test",
      bouncedAt: at(-40),
    }),
    noEmail: await insertContact(db, { accountId: globex.id, name: "Fay Phone", email: null }),
    recent: await insertContact(db, { accountId: acme.id, name: "Gus Recent", email: "gus@acme.test" }),
    enterprise: await insertContact(db, {
      accountId: initech.id,
      name: "Hal Initech",
      email: "hal@initech.test",
    }),
  };
  // Gus answered a link survey three weeks ago: inside the 90-day window.
  await insertInvitation(db, { contactId: c.recent.id, status: "completed", createdAt: at(-21) });
  const campaign = await insertCampaign(db, {
    createdById: owner.id,
    audience: { segments: ["mid_market"] },
  });
  return { owner, acme, globex, initech, c, campaign };
}

async function launched(campaign: Campaign) {
  const started = await startCampaign(getDb(), campaign.id, LAUNCH);
  expect(started.status).toBe("done");
  await sendCampaignInvitations(getDb(), campaign.id, { now: LAUNCH });
}

async function campaignOutbox(campaignId: string) {
  return getDb()
    .select()
    .from(outbox)
    .where(eq(outbox.campaignId, campaignId))
    .orderBy(asc(outbox.toAddress), asc(outbox.createdAt));
}

const tokenIn = (html: string) => /\/s\/([A-Za-z0-9_-]{32})/.exec(html)![1]!;

describe("who a campaign asks", () => {
  it("previews the audience with every exclusion and its reason before launch", async () => {
    const { campaign } = await world();
    const view = await campaignRecipientsView(getDb(), campaign, LAUNCH);
    expect(view.preview).toBe(true);
    expect(view.invited.map((r) => r.contactName).sort()).toEqual(["Ana Souza", "Bo Li", "Cy Park"]);
    expect(Object.fromEntries(view.excluded.map((r) => [r.contactName, r.excludedReason]))).toEqual({
      "Dee Opted": "opted_out",
      "Eve Bounced": "bounced",
      "Fay Phone": "no_email",
      "Gus Recent": "recently_surveyed",
    });
    expect(view.excluded.find((r) => r.contactName === "Gus Recent")?.excludedDetail).toBe(
      "asked on 2026-04-13, within 90 days",
    );
    expect(view.byReason).toEqual({ opted_out: 1, bounced: 1, no_email: 1, recently_surveyed: 1 });
  });

  it("keeps to the account's ask budget, decision-makers first, counting this quarter's other asks", async () => {
    const { acme, campaign } = await world();
    await getDb()
      .update(campaigns)
      .set({ askBudgetPerQuarter: 3, frequencyWindowDays: 0 })
      .where(eq(campaigns.id, campaign.id));
    // Another contact at Acme was asked this quarter (April) by a link.
    const other = await insertContact(getDb(), {
      accountId: acme.id,
      name: "Ivy Other",
      email: "ivy@acme.test",
    });
    await insertInvitation(getDb(), { contactId: other.id, status: "sent", createdAt: at(-10) });
    const [updated] = await getDb().select().from(campaigns).where(eq(campaigns.id, campaign.id));
    const view = await campaignRecipientsView(getDb(), updated!, LAUNCH);
    const acmeRows = [...view.invited, ...view.excluded].filter((r) => r.accountName === "Acme");
    // Gus (April's link) and Ivy use two of Acme's three asks; Ana (decision-maker) gets the last.
    expect(acmeRows.filter((r) => !r.excludedReason).map((r) => r.contactName)).toEqual(["Ana Souza"]);
    expect(
      acmeRows
        .filter((r) => r.excludedReason === "over_ask_budget")
        .map((r) => r.contactName)
        .sort(),
    ).toEqual(["Bo Li", "Gus Recent", "Ivy Other"]);
  });

  it("refuses to launch when nobody is left to ask, and stays a draft", async () => {
    const { campaign } = await world();
    await getDb()
      .update(campaigns)
      .set({ audience: { emails: ["dee@globex.test"] } })
      .where(eq(campaigns.id, campaign.id));
    expect(await startCampaign(getDb(), campaign.id, LAUNCH)).toEqual({ status: "empty", excluded: 1 });
    const [row] = await getDb().select().from(campaigns).where(eq(campaigns.id, campaign.id));
    expect(row!.status).toBe("draft");
    expect(await getDb().select().from(campaignRecipients)).toHaveLength(0);
  });
});

describe("sending a campaign", () => {
  it("writes one invitation, token and outbox message per recipient, with unsubscribe headers, once", async () => {
    process.env.PUBLIC_URL = "https://feedback.vendor.test";
    const { campaign } = await world();
    await launched(campaign);
    // a second run (a retried job) writes nothing more
    expect(await sendCampaignInvitations(getDb(), campaign.id, { now: LAUNCH })).toEqual({ written: 0 });

    const rows = await getDb().select().from(invitations).where(eq(invitations.campaignId, campaign.id));
    expect(rows).toHaveLength(3);
    expect(rows.every((r) => r.status === "queued" && r.expiresAt?.getTime() === at(21).getTime())).toBe(
      true,
    );
    const mail = await campaignOutbox(campaign.id);
    expect(mail.map((m) => m.toAddress)).toEqual(["ana@acme.test", "bo@acme.test", "cy@globex.test"]);
    const ana = mail[0]!;
    expect(ana).toMatchObject({
      kind: "invitation",
      status: "pending",
      fromAddress: '"Maya Chen via Rapport" <surveys@rapport.test>',
      replyTo: "maya@vendor.test",
      subject: "Maya Chen would like to hear how working with Rapport is going",
    });
    const token = tokenIn(ana.html);
    expect(ana.headers).toEqual({
      "List-Unsubscribe": `<https://feedback.vendor.test/u/${token}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    });
    expect(ana.html).toContain(`https://feedback.vendor.test/s/${token}/scale/9`);
    expect(ana.text).toContain("Hi Ana,");
    const found = await findInvitationByToken(getDb(), token);
    expect(found?.contactName).toBe("Ana Souza");
    // every recipient row points at its invitation
    const recipients = await getDb()
      .select()
      .from(campaignRecipients)
      .where(eq(campaignRecipients.campaignId, campaign.id));
    expect(recipients.filter((r) => !r.excludedReason).every((r) => r.invitationId)).toBe(true);
  });

  it("delivers through Resend and marks the invitations sent", async () => {
    const { campaign } = await world();
    await launched(campaign);
    expect(await deliverPendingEmails(getDb())).toEqual({ mode: "resend", sent: 3, failed: 0 });
    expect(resend.fake.received.map((e) => e.to[0]).sort()).toEqual([
      "ana@acme.test",
      "bo@acme.test",
      "cy@globex.test",
    ]);
    expect(resend.fake.received[0]!.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    const rows = await getDb().select().from(invitations).where(eq(invitations.campaignId, campaign.id));
    expect(rows.map((r) => r.status)).toEqual(["sent", "sent", "sent"]);
    expect(await campaignFunnel(getDb(), campaign.id)).toMatchObject({
      recipients: 3,
      invited: 3,
      sent: 3,
      completed: 0,
    });
  });

  it("leaves out a contact who opted out between launch and the send", async () => {
    const { campaign, c } = await world();
    await startCampaign(getDb(), campaign.id, LAUNCH);
    await getDb().update(contacts).set({ optedOutAt: LAUNCH }).where(eq(contacts.id, c.bo.id));
    await sendCampaignInvitations(getDb(), campaign.id, { now: LAUNCH });
    expect((await campaignOutbox(campaign.id)).map((m) => m.toAddress)).toEqual([
      "ana@acme.test",
      "cy@globex.test",
    ]);
    const [bo] = await getDb()
      .select()
      .from(campaignRecipients)
      .where(and(eq(campaignRecipients.campaignId, campaign.id), eq(campaignRecipients.contactId, c.bo.id)));
    expect(bo).toMatchObject({ excludedReason: "opted_out", invitationId: null });
  });
});

describe("reminders, pause, cancel and expiry", () => {
  async function sentCampaign() {
    const w = await world();
    await launched(w.campaign);
    await deliverPendingEmails(getDb());
    resend.fake.received.length = 0;
    return w;
  }

  it("reminds only those who have not answered, once per planned reminder, each with a link of its own", async () => {
    const { campaign, c } = await sentCampaign();
    await getDb()
      .update(invitations)
      .set({ status: "completed", completedAt: at(1) })
      .where(and(eq(invitations.campaignId, campaign.id), eq(invitations.contactId, c.ana.id)));

    expect((await runCampaignTick(getDb(), at(2))).written).toBe(0);
    expect((await runCampaignTick(getDb(), at(3))).written).toBe(2);
    expect((await runCampaignTick(getDb(), at(3.5))).written).toBe(0);
    const reminders = (await campaignOutbox(campaign.id)).filter((m) => m.kind === "reminder");
    expect(reminders.map((m) => m.toAddress)).toEqual(["bo@acme.test", "cy@globex.test"]);
    expect(reminders[0]!.subject).toBe("A gentle reminder: your view of working with Rapport");
    const reminderToken = tokenIn(reminders[0]!.html);
    const found = await findInvitationByToken(getDb(), reminderToken);
    expect(found?.contactName).toBe("Bo Li");
    // the first email's link still works too
    const first = (await campaignOutbox(campaign.id)).find(
      (m) => m.kind === "invitation" && m.toAddress === "bo@acme.test",
    )!;
    expect(tokenIn(first.html)).not.toBe(reminderToken);
    expect((await findInvitationByToken(getDb(), tokenIn(first.html)))?.invitation.id).toBe(
      found?.invitation.id,
    );

    // the second planned reminder on day 7, then nothing more
    expect((await runCampaignTick(getDb(), at(7))).written).toBe(2);
    expect((await runCampaignTick(getDb(), at(12))).written).toBe(0);
  });

  it("sends a reminder now on request, but not twice within a day", async () => {
    const { campaign } = await sentCampaign();
    expect(await sendReminders(getDb(), campaign.id, { now: at(1), manual: true })).toEqual({ written: 3 });
    expect(await sendReminders(getDb(), campaign.id, { now: at(1.5), manual: true })).toEqual({ written: 0 });
    // it counted as the first planned reminder: day 3 sends nothing, day 7 the second
    expect((await runCampaignTick(getDb(), at(3))).written).toBe(0);
    expect((await runCampaignTick(getDb(), at(7))).written).toBe(3);
  });

  it("never emails a contact again once they unsubscribe from the email's link", async () => {
    const { campaign } = await sentCampaign();
    const cy = (await campaignOutbox(campaign.id)).find((m) => m.toAddress === "cy@globex.test")!;
    await optOutByToken(getDb(), tokenIn(cy.html));
    await runCampaignTick(getDb(), at(3));
    await deliverPendingEmails(getDb());
    expect(resend.fake.received.map((e) => e.to[0]).sort()).toEqual(["ana@acme.test", "bo@acme.test"]);
  });

  it("holds a paused campaign's mail and sends it after resuming", async () => {
    const { campaign } = await world();
    await launched(campaign);
    expect((await pauseCampaign(getDb(), campaign.id)).status).toBe("done");
    expect(await deliverPendingEmails(getDb())).toEqual({ mode: "resend", sent: 0, failed: 0 });
    expect((await runCampaignTick(getDb(), at(3))).written).toBe(0);
    expect((await resumeCampaign(getDb(), campaign.id)).status).toBe("done");
    expect(await deliverPendingEmails(getDb())).toMatchObject({ sent: 3 });
  });

  it("sends nothing more once cancelled", async () => {
    const { campaign } = await world();
    await launched(campaign);
    expect((await cancelCampaign(getDb(), campaign.id)).status).toBe("done");
    expect(await deliverPendingEmails(getDb())).toEqual({ mode: "resend", sent: 0, failed: 0 });
    await runCampaignTick(getDb(), at(3));
    expect(resend.fake.received).toHaveLength(0);
    expect(await campaignOutboxState(getDb(), campaign.id)).toMatchObject({ cancelled: 3, pending: 0 });
    const rows = await getDb().select().from(invitations).where(eq(invitations.campaignId, campaign.id));
    expect(rows.map((r) => r.status)).toEqual(["revoked", "revoked", "revoked"]);
    expect(await pauseCampaign(getDb(), campaign.id)).toEqual({
      status: "not_allowed",
      current: "cancelled",
    });
  });

  it("expires unanswered invitations and completes the campaign when its links run out", async () => {
    const { campaign, c } = await sentCampaign();
    await getDb()
      .update(invitations)
      .set({ status: "completed" })
      .where(and(eq(invitations.campaignId, campaign.id), eq(invitations.contactId, c.cy.id)));
    expect(await expireCampaigns(getDb(), at(20))).toEqual({ expiredInvitations: 0, completedCampaigns: 0 });
    expect(await expireCampaigns(getDb(), at(21))).toEqual({ expiredInvitations: 2, completedCampaigns: 1 });
    expect(await campaignFunnel(getDb(), campaign.id)).toMatchObject({ sent: 3, completed: 1, expired: 2 });
    const [row] = await getDb().select().from(campaigns).where(eq(campaigns.id, campaign.id));
    expect(row).toMatchObject({ status: "completed" });
  });

  it("launches a scheduled campaign when its time comes", async () => {
    const { campaign } = await world();
    expect(await scheduleCampaign(getDb(), campaign.id, at(-1), LAUNCH)).toMatchObject({ status: "invalid" });
    expect((await scheduleCampaign(getDb(), campaign.id, at(1), LAUNCH)).status).toBe("done");
    expect((await runCampaignTick(getDb(), at(0.5))).launched).toBe(0);
    const tick = await runCampaignTick(getDb(), at(1));
    expect(tick).toMatchObject({ launched: 1, written: 3 });
    const [row] = await getDb().select().from(campaigns).where(eq(campaigns.id, campaign.id));
    expect(row).toMatchObject({ status: "sending" });
    expect(row!.launchedAt?.getTime()).toBe(at(1).getTime());
  });
});
