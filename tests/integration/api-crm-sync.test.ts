/**
 * A CRM keeping Rapport in sync through /api/v1 alone: it upserts its accounts and contacts
 * by its own ids (twice: the second run changes nothing), logs interactions, runs a survey
 * campaign, hands a customer their link, and reads the answer and the account's health back.
 * Only the customer's answer goes through the public survey page, as it would in life.
 */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { accounts, apiKeys, contacts, interactions } from "../../db/schema";
import { insertSurveyVersionFromFile, insertUser } from "../../db/factories";
import { getDb } from "~/lib/db.server";
import { action as submitAction } from "~/routes/s.$token.submit";
import { loader as surveyLoader } from "~/routes/s.$token/route";
import { callApi, makeApiKey } from "../support/api";
import { settle } from "../support/requests";

const ACCOUNTS = 100;
const CONTACTS_PER_ACCOUNT = 5;

const crmAccount = (i: number) => ({
  name: `Customer ${i}`,
  segment: i % 2 === 0 ? "enterprise" : "mid_market",
  region: i % 3 === 0 ? "EMEA" : "NA",
  tier: "core",
  owner_email: "dana@example.test",
  annual_value: 10_000 * (i + 1),
});

const crmContact = (i: number, j: number) => ({
  account_external_id: `acc-${i}`,
  name: `Contact ${i}.${j}`,
  email: `contact-${i}-${j}@customer-${i}.example`,
  title: j === 0 ? "VP Operations" : "Analyst",
  buying_role: j === 0 ? "decision_maker" : "user",
});

/** Every row the sync writes, to show that a repeated run writes nothing. */
async function syncedRows() {
  const db = getDb();
  return {
    accounts: await db.select().from(accounts).orderBy(accounts.externalId),
    contacts: await db.select().from(contacts).orderBy(contacts.externalId),
  };
}

async function json(response: Response, status: number, context: string) {
  const body = await response.text();
  expect(response.status, `${context}: ${body.slice(0, 300)}`).toBe(status);
  return JSON.parse(body);
}

/** One sync run, as a CRM connector would make it: every account, then every contact. */
async function syncEverything(key: string) {
  const results: Record<string, number> = {};
  const count = (result: string) => (results[result] = (results[result] ?? 0) + 1);
  for (let i = 0; i < ACCOUNTS; i++) {
    const response = await callApi(`/accounts/external/acc-${i}`, {
      key,
      method: "PUT",
      body: crmAccount(i),
    });
    count((await json(response, response.status === 201 ? 201 : 200, `account ${i}`)).result);
  }
  for (let i = 0; i < ACCOUNTS; i++) {
    for (let j = 0; j < CONTACTS_PER_ACCOUNT; j++) {
      const response = await callApi(`/contacts/external/con-${i}-${j}`, {
        key,
        method: "PUT",
        body: crmContact(i, j),
      });
      count((await json(response, response.status === 201 ? 201 : 200, `contact ${i}.${j}`)).result);
    }
  }
  return results;
}

describe("a CRM sync through the API only", () => {
  it("upserts, logs, runs a campaign, and reads the customer's answer and the health back", async () => {
    const db = getDb();
    await insertUser(db, { role: "manager", email: "dana@example.test" });
    const admin = await insertUser(db, { role: "admin", email: "it@example.test" });
    await insertSurveyVersionFromFile(db, "relationship-health");
    const { key, apiKey } = await makeApiKey("write", admin.id);
    // a bulk connector is given a larger budget than the default 600 a minute
    await db.update(apiKeys).set({ rateLimitPerMinute: 100_000 }).where(eq(apiKeys.id, apiKey.id));

    // 1. accounts and contacts, twice
    const total = ACCOUNTS * (1 + CONTACTS_PER_ACCOUNT);
    expect(await syncEverything(key)).toEqual({ created: total });
    const afterFirst = await syncedRows();
    expect(afterFirst.accounts).toHaveLength(ACCOUNTS);
    expect(afterFirst.contacts).toHaveLength(ACCOUNTS * CONTACTS_PER_ACCOUNT);
    expect(await syncEverything(key)).toEqual({ unchanged: total });
    expect(await syncedRows()).toEqual(afterFirst);

    // the CRM's ids lead to Rapport's
    const listed = await json(await callApi("/accounts?limit=200", { key }), 200, "list accounts");
    expect(listed.data).toHaveLength(ACCOUNTS);
    const acc7 = listed.data.find((a: { external_id: string }) => a.external_id === "acc-7");
    const decider = afterFirst.contacts.find((c) => c.externalId === "con-7-0")!;

    // 2. interactions, by the CRM's ids
    for (const [n, kind] of (["meeting", "call", "qbr"] as const).entries()) {
      const response = await callApi(`/interactions/external/act-7-${n}`, {
        key,
        method: "PUT",
        body: {
          account_external_id: "acc-7",
          kind,
          occurred_at: new Date(Date.now() - (n + 1) * 86_400_000).toISOString(),
          summary: `Touchpoint ${n}`,
          engagement_quality: 4,
          contact_external_ids: ["con-7-0"],
          user_emails: ["dana@example.test"],
        },
      });
      expect((await json(response, 201, `interaction ${n}`)).result).toBe("created");
    }
    expect(await db.select().from(interactions).where(eq(interactions.accountId, acc7.id))).toHaveLength(3);

    // 3. a campaign to the decision makers of one account
    const surveys = await json(await callApi("/surveys", { key }), 200, "list surveys");
    const relationship = surveys.data.find((s: { slug: string }) => s.slug === "relationship-health");
    const created = await json(
      await callApi("/campaigns", {
        key,
        body: {
          name: "Q4 relationship check",
          survey_version_id: relationship.latest_version_id,
          audience: { account_ids: [acc7.id], buying_roles: ["decision_maker"] },
        },
      }),
      201,
      "create campaign",
    );
    const campaignId = created.data.id;
    const launched = await json(
      await callApi(`/campaigns/${campaignId}/launch`, { key, method: "POST" }),
      200,
      "launch",
    );
    expect(launched.data.status).toBe("sending");

    // 4. the invitations, with the links the CRM can hand out
    const invited = await json(
      await callApi(`/campaigns/${campaignId}/invitations`, { key }),
      200,
      "invitations",
    );
    expect(invited.data).toHaveLength(1);
    const [invitation] = invited.data;
    expect(invitation).toMatchObject({ contact_id: decider.id, account_id: acc7.id });
    const surveyUrl = new URL(invitation.survey_url);
    const token = surveyUrl.pathname.split("/").at(-1)!;

    // 5. the customer answers on the public page
    const page = await settle(() =>
      surveyLoader({ request: new Request(surveyUrl), params: { token }, context: {} }),
    );
    expect(page.status).toBe(200);
    const answers = {
      trust: 2,
      responsiveness: 3,
      understanding: 2,
      value: 3,
      communication: 2,
      relationship: 3,
      advocacy: 5,
      renewal: 2,
      one_change: "Call us back when you say you will.",
    };
    const submitted = await settle(() =>
      submitAction({
        request: new Request(new URL(`/s/${token}/submit`, surveyUrl), {
          method: "POST",
          headers: { "Content-Type": "application/json", "x-rapport-client-ip": "198.51.100.7" },
          body: JSON.stringify({ data: answers }),
        }),
        params: { token },
        context: {},
      }),
    );
    expect(submitted.status).toBe(200);

    // 6. the answer and the account's health, read back
    const completed = await json(
      await callApi(`/responses?account_id=${acc7.id}`, { key }),
      200,
      "responses",
    );
    expect(completed.data).toHaveLength(1);
    expect(completed.data[0]).toMatchObject({
      account_id: acc7.id,
      contact_id: decider.id,
      invitation_id: invitation.id,
      answers: expect.objectContaining({ trust: 2, one_change: "Call us back when you say you will." }),
      dimension_scores: expect.objectContaining({ trust: 25, advocacy: 50 }),
    });
    const campaign = await json(await callApi(`/campaigns/${campaignId}`, { key }), 200, "campaign");
    expect(campaign.data.funnel).toMatchObject({ invited: 1, completed: 1 });

    const health = await json(await callApi(`/accounts/${acc7.id}/health`, { key }), 200, "health");
    expect(health.data.customer.respondents).toBe(1);
    expect(health.data.customer.health).toBeGreaterThan(0);
    expect(health.data.customer.health).toBeLessThan(50);
    // the three logged, and the withdrawal Customer 9-1-1 logged for the detractor's answer
    expect(health.data.ledger.interactions).toBe(4);
    const opened = await json(await callApi(`/cases?account_id=${acc7.id}`, { key }), 200, "cases");
    expect(opened.data).toEqual([expect.objectContaining({ account_id: acc7.id, status: "open" })]);
    expect(health.data.dimensions.find((d: { dimension: string }) => d.dimension === "trust")).toMatchObject({
      customer: { value: 25, respondents: 1 },
    });
  });
});
