/**
 * Every write that changes what a health refresh reads queues one for the account(s) it
 * touched (docs/health-model.md, "Keeping them current"). Each test runs the real
 * `health.refresh-account` job and waits for the rollup row to show the write.
 */
import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { accountHealth, cases, outbox, type User } from "../../db/schema";
import {
  insertAccount,
  insertCampaign,
  insertContact,
  insertInteraction,
  insertSurveyVersionFromFile,
  insertUser,
} from "../../db/factories";
import { fakeResendForEachTest } from "../support/fake-resend-per-test";
import { accountInputSchema, createAccount, updateAccount } from "~/domain/accounts.server";
import { expireCampaigns, sendCampaignInvitations, startCampaign } from "~/domain/campaign-send.server";
import { contactInputSchema, createContact, updateContact } from "~/domain/contacts.server";
import { getCsvImport, importCsv, submitApply, type CsvKind } from "~/domain/csv-import.server";
import { recordEmailEvent } from "~/domain/email-events.server";
import { HEALTH_REFRESH_JOB } from "~/domain/health-rollups";
import { refreshAccountHealth } from "~/domain/health-rollups.server";
import { deliverPendingEmails } from "~/domain/outbox.server";
import { requestHelp, submitAnswers } from "~/domain/responses.server";
import { createSurveyLink, findInvitationByToken } from "~/domain/survey-links.server";
import { optOutByToken } from "~/domain/unsubscribe.server";
import { getDb } from "~/lib/db.server";
import { jobDefinitions, startJobs, type JobRunner } from "~/lib/jobs.server";

const resend = fakeResendForEachTest();

/** The account's 12-month rollup row, or undefined while it has none. */
async function healthOf(accountId: string) {
  const [row] = await getDb()
    .select()
    .from(accountHealth)
    .where(and(eq(accountHealth.accountId, accountId), eq(accountHealth.windowMonths, 12)));
  return row;
}

/** Waits for the worker to store what `read` expects of the account's row. */
async function eventually<T>(
  accountId: string,
  read: (row: typeof accountHealth.$inferSelect) => T,
  expected: T,
) {
  await expect
    .poll(
      async () => {
        const row = await healthOf(accountId);
        return row ? read(row) : undefined;
      },
      { timeout: 15_000 },
    )
    .toEqual(expected);
}

/** A refresh the test makes itself (no job): the row the next write must visibly change. */
async function baseline(accountId: string) {
  expect(await refreshAccountHealth(getDb(), accountId)).toBe(true);
  return (await healthOf(accountId))!;
}

/** Every question of relationship-health.json answered well: no case opens on its own. */
const healthy = {
  trust: 4,
  responsiveness: 4,
  understanding: 4,
  value: 4,
  communication: 4,
  relationship: 4,
  advocacy: 9,
  renewal: 5,
};

const noQueue = async () => false;

async function importAndApply(user: User, kind: CsvKind, content: string) {
  const checked = await importCsv(getDb(), user, { kind, content });
  expect(checked.status, JSON.stringify(checked.report)).toBe("checked");
  expect(await submitApply(getDb(), user, checked.id, noQueue)).toBe("started");
  expect((await getCsvImport(getDb(), user, checked.id))?.status).toBe("applied");
}

const contactInput = (overrides: Record<string, unknown> = {}) =>
  contactInputSchema.parse({
    name: "Dana Lee",
    email: "dana@northwind.test",
    buyingRole: "user",
    ...overrides,
  });

const accountInput = (overrides: Record<string, unknown> = {}) =>
  accountInputSchema.parse({
    name: "Northwind Logistics",
    segment: "mid_market",
    region: "EMEA",
    tier: "core",
    lifecycleStage: "adopting",
    annualValue: "120000",
    targetCadenceDays: "45",
    ...overrides,
  });

describe("writes queue a health refresh of the accounts they touch", () => {
  let jobs: JobRunner;
  beforeAll(async () => {
    const definition = jobDefinitions.find((d) => d.name === HEALTH_REFRESH_JOB)!;
    jobs = await startJobs(inject("databaseUrl"), { work: true, definitions: [definition] });
  });
  afterAll(async () => {
    await jobs?.stop();
  });

  it("puts the withdrawal of an “I need help now” case on the account's ledger", async () => {
    const db = getDb();
    const owner = await insertUser(db, { role: "manager" });
    const account = await insertAccount(db, { ownerId: owner.id });
    const contact = await insertContact(db, { accountId: account.id, buyingRole: "champion" });
    const version = await insertSurveyVersionFromFile(db, "relationship-health");
    const { invitation, token } = await createSurveyLink(db, {
      contactId: contact.id,
      surveyVersionId: version.id,
      createdById: owner.id,
    });
    const submitted = await submitAnswers(db, (await findInvitationByToken(db, token))!, { data: healthy });
    expect(submitted).toMatchObject({ status: "completed", openedCaseId: null });
    // the submit's own refresh: the answers are in, the ledger is still empty
    await eventually(account.id, (r) => [r.customerHealth, r.ledgerInteractions], [75, 0]);

    const help = await requestHelp(db, invitation.id);
    expect(help?.openedCaseId).toEqual(expect.any(String));
    expect(await db.select({ id: cases.id }).from(cases)).toHaveLength(1);
    await eventually(account.id, (r) => [r.ledgerInteractions, r.equityBalance < 0], [1, true]);
  });

  it("gives a new account its rollup rows, and refreshes them when it is edited", async () => {
    const db = getDb();
    const admin = await insertUser(db, { role: "admin" });
    const created = await createAccount(db, admin, accountInput({ ownerId: admin.id }));
    expect(created.status).toBe("saved");
    const accountId = created.status === "saved" ? created.accountId : "";
    await eventually(accountId, (r) => r.keyContacts, 0);

    const before = (await healthOf(accountId))!.computedAt;
    expect(
      (await updateAccount(db, admin, accountId, accountInput({ targetCadenceDays: "30" }))).status,
    ).toBe("saved");
    await eventually(accountId, (r) => r.computedAt > before, true);
  });

  it("counts a contact added or made a champion among the key contacts", async () => {
    const db = getDb();
    const account = await insertAccount(db);
    expect((await baseline(account.id)).keyContacts).toBe(0);

    const added = await createContact(db, account.id, contactInput({ buyingRole: "decision_maker" }));
    expect(added.status).toBe("saved");
    await eventually(account.id, (r) => r.keyContacts, 1);

    const bo = await insertContact(db, { accountId: account.id, buyingRole: "user" });
    const edited = await updateContact(
      db,
      bo.id,
      contactInput({ name: bo.name, email: bo.email, buyingRole: "champion" }),
    );
    expect(edited.status).toBe("saved");
    await eventually(account.id, (r) => r.keyContacts, 2);

    const optedOut = await updateContact(
      db,
      bo.id,
      contactInput({ name: bo.name, email: bo.email, buyingRole: "champion", optedOut: "on" }),
    );
    expect(optedOut.status).toBe("saved");
    await eventually(account.id, (r) => r.keyContacts, 1);
  });

  it("drops a contact who unsubscribes from the key contacts", async () => {
    const db = getDb();
    const owner = await insertUser(db, { role: "manager" });
    const account = await insertAccount(db, { ownerId: owner.id });
    const dana = await insertContact(db, { accountId: account.id, buyingRole: "decision_maker" });
    const version = await insertSurveyVersionFromFile(db, "relationship-health");
    // the hand-made link is a sent invitation, and queues a refresh of its own
    const { token } = await createSurveyLink(db, {
      contactId: dana.id,
      surveyVersionId: version.id,
      createdById: owner.id,
    });
    await eventually(account.id, (r) => [r.keyContacts, r.invitationsSent], [1, 1]);

    expect(await optOutByToken(db, token)).toMatchObject({ closedInvitations: 1 });
    await eventually(account.id, (r) => r.keyContacts, 0);
  });

  it("refreshes the accounts a contact import writes to, and the one a contact moves from", async () => {
    const db = getDb();
    const owner = await insertUser(db, { role: "manager", email: "owner@rapport.test" });
    const acme = await insertAccount(db, { name: "Acme", externalId: "ACC-1", ownerId: owner.id });
    const globex = await insertAccount(db, { name: "Globex", externalId: "ACC-2", ownerId: owner.id });
    await insertContact(db, {
      accountId: acme.id,
      externalId: "CON-1",
      name: "Eli Moss",
      email: "eli@acme.test",
      buyingRole: "champion",
    });
    expect((await baseline(acme.id)).keyContacts).toBe(1);
    expect((await baseline(globex.id)).keyContacts).toBe(0);

    await importAndApply(
      owner,
      "contacts",
      [
        "external_id,account_external_id,name,email,buying_role",
        "CON-1,ACC-2,Eli Moss,eli@globex.test,champion",
        "CON-2,ACC-2,Fay Wu,fay@globex.test,decision_maker",
        "",
      ].join("\n"),
    );
    await eventually(globex.id, (r) => r.keyContacts, 2);
    await eventually(acme.id, (r) => r.keyContacts, 0);
  });

  it("refreshes the accounts an interaction import writes to, and the one an interaction moves from", async () => {
    const db = getDb();
    const owner = await insertUser(db, { role: "manager", email: "owner@rapport.test" });
    const acme = await insertAccount(db, { name: "Acme", externalId: "ACC-1", ownerId: owner.id });
    const globex = await insertAccount(db, { name: "Globex", externalId: "ACC-2", ownerId: owner.id });
    const occurredAt = new Date(Date.now() - 3 * 86_400_000);
    await insertInteraction(db, { accountId: acme.id, externalId: "INT-1", kind: "call", occurredAt });
    expect((await baseline(acme.id)).ledgerInteractions).toBe(1);
    expect((await baseline(globex.id)).ledgerInteractions).toBe(0);

    await importAndApply(
      owner,
      "interactions",
      [
        "external_id,account_external_id,kind,occurred_at",
        `INT-1,ACC-2,call,${occurredAt.toISOString()}`,
        `INT-2,ACC-2,meeting,${occurredAt.toISOString()}`,
        "",
      ].join("\n"),
    );
    await eventually(globex.id, (r) => r.ledgerInteractions, 2);
    await eventually(acme.id, (r) => r.ledgerInteractions, 0);
  });

  it("counts a campaign's invitations once the outbox sends them, and takes a bounced one back", async () => {
    const db = getDb();
    const owner = await insertUser(db, { role: "manager" });
    const acme = await insertAccount(db, { ownerId: owner.id, segment: "mid_market" });
    const globex = await insertAccount(db, { ownerId: owner.id, segment: "mid_market" });
    await insertContact(db, { accountId: acme.id, email: "ana@acme.test", buyingRole: "decision_maker" });
    await insertContact(db, { accountId: acme.id, email: "bo@acme.test" });
    await insertContact(db, { accountId: globex.id, email: "cy@globex.test", buyingRole: "champion" });
    const campaign = await insertCampaign(db, {
      createdById: owner.id,
      audience: { segments: ["mid_market"] },
    });
    for (const id of [acme.id, globex.id]) expect((await baseline(id)).invitationsSent).toBe(0);

    expect((await startCampaign(db, campaign.id)).status).toBe("done");
    expect(await sendCampaignInvitations(db, campaign.id)).toEqual({ written: 3 });
    expect(await deliverPendingEmails(db)).toMatchObject({ mode: "resend", sent: 3 });
    expect(resend.fake.received).toHaveLength(3);
    await eventually(acme.id, (r) => [r.invitationsSent, r.keyContactsAsked], [2, 1]);
    await eventually(globex.id, (r) => [r.invitationsSent, r.keyContactsAsked], [1, 1]);

    const [toCy] = await db.select().from(outbox).where(eq(outbox.toAddress, "cy@globex.test"));
    const bounced = await recordEmailEvent(db, {
      id: `msg_${randomUUID()}`,
      payload: {
        type: "email.bounced",
        created_at: new Date().toISOString(),
        data: {
          created_at: new Date().toISOString(),
          email_id: toCy!.providerMessageId!,
          from: toCy!.fromAddress,
          to: ["cy@globex.test"],
          subject: toCy!.subject,
          bounce: { type: "Permanent", subType: "General", message: "550 5.1.1 user unknown" },
        },
      },
    });
    expect(bounced).toMatchObject({ outcome: "recorded", contactBounced: true });
    await eventually(globex.id, (r) => [r.invitationsSent, r.keyContactsAsked], [0, 0]);
  });

  it("refreshes an account whose invitations expire", async () => {
    const db = getDb();
    const owner = await insertUser(db, { role: "manager" });
    const account = await insertAccount(db, { ownerId: owner.id });
    const dana = await insertContact(db, { accountId: account.id, buyingRole: "decision_maker" });
    const version = await insertSurveyVersionFromFile(db, "relationship-health");
    await createSurveyLink(db, {
      contactId: dana.id,
      surveyVersionId: version.id,
      createdById: owner.id,
      expiresInDays: 7,
    });
    await eventually(account.id, (r) => r.invitationsSent, 1);
    const before = (await healthOf(account.id))!.computedAt;

    expect(await expireCampaigns(db, new Date(Date.now() + 8 * 86_400_000))).toMatchObject({
      expiredInvitations: 1,
    });
    await eventually(account.id, (r) => r.computedAt > before, true);
  });
});
