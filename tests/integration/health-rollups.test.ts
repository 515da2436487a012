import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { asc, eq } from "drizzle-orm";
import { describe, expect, inject, it } from "vitest";
import {
  accountDimensionHealth,
  accountHealth,
  healthMonthly,
  predictions,
  responseVerbatims,
} from "../../db/schema";
import {
  addDays,
  insertAccount,
  insertCampaign,
  insertContact,
  insertInteraction,
  insertInvitation,
  insertPrediction,
  insertResponse,
  insertSurveyVersionFromFile,
  insertUser,
} from "../../db/factories";
import { HEALTH_REFRESH_JOB } from "~/domain/health-rollups";
import {
  ensureHealthRollups,
  queueHealthRefresh,
  rebuildHealthRollups,
  refreshAccountHealth,
} from "~/domain/health-rollups.server";
import { logInteraction } from "~/domain/interactions.server";
import { submitAnswers } from "~/domain/responses.server";
import { createSurveyLink, findInvitationByToken } from "~/domain/survey-links.server";
import { getDb } from "~/lib/db.server";
import { jobDefinitions, startJobs } from "~/lib/jobs.server";

const now = new Date("2026-06-30T00:00:00Z");

/** Every stored rollup row, in key order: what a refresh or a rebuild leaves behind. */
async function snapshot() {
  const db = getDb();
  return {
    account: await db
      .select()
      .from(accountHealth)
      .orderBy(asc(accountHealth.accountId), asc(accountHealth.windowMonths)),
    dimensions: await db
      .select()
      .from(accountDimensionHealth)
      .orderBy(
        asc(accountDimensionHealth.accountId),
        asc(accountDimensionHealth.windowMonths),
        asc(accountDimensionHealth.dimension),
      ),
    monthly: await db
      .select()
      .from(healthMonthly)
      .orderBy(asc(healthMonthly.accountId), asc(healthMonthly.month)),
    verbatims: await db
      .select()
      .from(responseVerbatims)
      .orderBy(asc(responseVerbatims.responseId), asc(responseVerbatims.question)),
  };
}

async function clearRollups() {
  const db = getDb();
  await db.delete(accountHealth);
  await db.delete(accountDimensionHealth);
  await db.delete(healthMonthly);
  await db.delete(responseVerbatims);
}

async function rowsOf(accountId: string, windowMonths = 12) {
  const db = getDb();
  const [account] = await db
    .select()
    .from(accountHealth)
    .where(eq(accountHealth.accountId, accountId))
    .orderBy(asc(accountHealth.windowMonths))
    .then((rows) => rows.filter((r) => r.windowMonths === windowMonths));
  const dimensions = (
    await db.select().from(accountDimensionHealth).where(eq(accountDimensionHealth.accountId, accountId))
  ).filter((r) => r.windowMonths === windowMonths);
  return { account, dimensions };
}

describe("refreshing an account's health rollups", () => {
  it("turns a team prediction of 80 on trust and a customer's 40 into a blind spot of +40, the same after a rebuild", async () => {
    const db = getDb();
    const account = await insertAccount(db);
    const dana = await insertContact(db, { accountId: account.id, buyingRole: "decision_maker" });
    await insertPrediction(db, {
      accountId: account.id,
      values: { trust: 80 },
      createdAt: addDays(now, -20),
    });
    await insertResponse(db, {
      contactId: dana.id,
      completedAt: addDays(now, -5),
      answers: [{ question: "trust", dimension: "trust", value: 40 }],
    });

    expect(await refreshAccountHealth(db, account.id, now)).toBe(true);

    const { account: row, dimensions } = await rowsOf(account.id);
    expect(dimensions).toHaveLength(1);
    expect(dimensions[0]).toMatchObject({
      dimension: "trust",
      teamValue: 80,
      customerValue: 40,
      gap: 40,
      misaligned: true,
      quadrant: "blind_spot",
      weightedGap: 40,
      customerRespondents: 1,
      teamAuthors: 1,
      // one respondent and one author: low on both sides
      gapConfidence: "low",
    });
    expect(row).toMatchObject({
      customerHealth: 40,
      teamHealth: 80,
      healthGap: 40,
      healthQuadrant: "blind_spot",
      customerRespondents: 1,
      lastCustomerVoiceAt: addDays(now, -5),
      keyContacts: 1,
      keyContactsHeard: 1,
      computedAt: now,
    });

    const kept = await snapshot();
    await clearRollups();
    expect(await rebuildHealthRollups(db, now)).toMatchObject({ accounts: 1 });
    expect(await snapshot()).toEqual(kept);
  });

  it("computes every window: an answer five months old counts in 6, 12 and 24 months but not in 3", async () => {
    const db = getDb();
    const account = await insertAccount(db);
    const contact = await insertContact(db, { accountId: account.id });
    await insertResponse(db, {
      contactId: contact.id,
      completedAt: addDays(now, -150),
      answers: [
        { question: "trust", dimension: "trust", value: 75 },
        { question: "advocacy", dimension: "advocacy", value: 90 },
      ],
    });
    await refreshAccountHealth(db, account.id, now);
    const rows = await db
      .select()
      .from(accountHealth)
      .where(eq(accountHealth.accountId, account.id))
      .orderBy(asc(accountHealth.windowMonths));
    expect(rows.map((r) => [r.windowMonths, r.customerHealth, r.nps, r.promoters])).toEqual([
      [3, null, null, 0],
      [6, 75, 100, 1],
      [12, 75, 100, 1],
      [24, 75, 100, 1],
    ]);
    // it spoke 150 days ago, within the 180 that make an account silent, in every window
    expect(rows.map((r) => r.flags)).toEqual([[], [], [], []]);
  });

  it("counts each month's respondents once, by their latest answer that month", async () => {
    const db = getDb();
    const account = await insertAccount(db);
    const ana = await insertContact(db, { accountId: account.id });
    const ben = await insertContact(db, { accountId: account.id });
    const may = (day: number) => new Date(`2026-05-${String(day).padStart(2, "0")}T10:00:00Z`);
    // Ana answers twice in May: only the later one counts (advocacy 6 → detractor, health 50)
    await insertResponse(db, {
      contactId: ana.id,
      completedAt: may(3),
      answers: [
        { question: "advocacy", dimension: "advocacy", value: 100 },
        { question: "trust", dimension: "trust", value: 100 },
      ],
    });
    await insertResponse(db, {
      contactId: ana.id,
      completedAt: may(20),
      answers: [
        { question: "advocacy", dimension: "advocacy", value: 60 },
        { question: "trust", dimension: "trust", value: 25 },
        { question: "value", dimension: "value", value: 75 },
      ],
    });
    // Ben in May (promoter, health 100) and again in June (passive, no relationship answers)
    await insertResponse(db, {
      contactId: ben.id,
      completedAt: may(25),
      answers: [
        { question: "advocacy", dimension: "advocacy", value: 90 },
        { question: "trust", dimension: "trust", value: 100 },
      ],
    });
    await insertResponse(db, {
      contactId: ben.id,
      completedAt: new Date("2026-06-02T08:00:00Z"),
      answers: [{ question: "advocacy", dimension: "advocacy", value: 80 }],
    });
    await refreshAccountHealth(db, account.id, now);
    const months = await db
      .select()
      .from(healthMonthly)
      .where(eq(healthMonthly.accountId, account.id))
      .orderBy(asc(healthMonthly.month));
    expect(
      months.map((m) => ({
        month: m.month,
        responses: m.responses,
        promoters: m.promoters,
        passives: m.passives,
        detractors: m.detractors,
        npsRespondents: m.npsRespondents,
        healthSum: m.healthSum,
        healthCount: m.healthCount,
      })),
    ).toEqual([
      // Ana (25 + 75) / 2 = 50, Ben 100
      {
        month: "2026-05-01",
        responses: 3,
        promoters: 1,
        passives: 0,
        detractors: 1,
        npsRespondents: 2,
        healthSum: 150,
        healthCount: 2,
      },
      {
        month: "2026-06-01",
        responses: 1,
        promoters: 0,
        passives: 1,
        detractors: 0,
        npsRespondents: 1,
        healthSum: 0,
        healthCount: 0,
      },
    ]);
  });

  it("keeps, refresh by refresh, exactly the rows a full rebuild computes", async () => {
    const db = getDb();
    const owner = await insertUser(db, { role: "manager" });
    const northwind = await insertAccount(db, { ownerId: owner.id, targetCadenceDays: 30 });
    const contoso = await insertAccount(db, { ownerId: owner.id });
    const quiet = await insertAccount(db, { ownerId: owner.id });
    const dana = await insertContact(db, { accountId: northwind.id, buyingRole: "decision_maker" });
    const chris = await insertContact(db, { accountId: northwind.id, buyingRole: "champion" });
    const uma = await insertContact(db, { accountId: contoso.id, buyingRole: "user" });
    const silentBoss = await insertContact(db, { accountId: quiet.id, buyingRole: "decision_maker" });

    // Each change is followed by a refresh of the account it touched, as the job would do.
    const changes: [string, () => Promise<unknown>][] = [
      [
        northwind.id,
        () =>
          insertResponse(db, {
            contactId: dana.id,
            completedAt: addDays(now, -400),
            answers: [{ question: "trust", dimension: "trust", value: 75 }],
          }),
      ],
      [
        northwind.id,
        () =>
          insertResponse(db, {
            contactId: dana.id,
            completedAt: addDays(now, -29),
            answers: [
              { question: "trust", dimension: "trust", value: 25 },
              { question: "communication", dimension: "communication", value: 50 },
              { question: "advocacy", dimension: "advocacy", value: 60 },
            ],
          }),
      ],
      [
        northwind.id,
        () =>
          insertResponse(db, {
            contactId: chris.id,
            completedAt: addDays(now, -25),
            answers: [
              { question: "trust", dimension: "trust", value: 50 },
              { question: "advocacy", dimension: "advocacy", value: 90 },
            ],
          }),
      ],
      [
        northwind.id,
        () =>
          insertPrediction(db, {
            accountId: northwind.id,
            values: { trust: 80, communication: 70 },
            createdAt: addDays(now, -41),
          }),
      ],
      [
        northwind.id,
        () =>
          insertInteraction(db, {
            accountId: northwind.id,
            kind: "meeting",
            occurredAt: addDays(now, -10),
            engagementQuality: 4,
            contactIds: [dana.id],
          }),
      ],
      [
        northwind.id,
        () =>
          insertInteraction(db, {
            accountId: northwind.id,
            kind: "favour",
            occurredAt: addDays(now, -90),
            equityWeight: 3,
          }),
      ],
      [
        contoso.id,
        () =>
          insertResponse(db, {
            contactId: uma.id,
            completedAt: addDays(now, -3),
            // a comment in a free-text question, one in an "other" box, and an empty one
            data: { value_why: "  Worth every penny\n", "trust-Comment": "They call back", trust_why: "   " },
            answers: [
              { question: "value", dimension: "value", value: 100 },
              { question: "advocacy", dimension: "advocacy", value: 100 },
            ],
          }),
      ],
      [
        contoso.id,
        () =>
          insertInteraction(db, {
            accountId: contoso.id,
            kind: "mistake",
            occurredAt: addDays(now, -2),
            summary: "Missed the go-live call",
          }),
      ],
      [
        quiet.id,
        () =>
          insertInvitation(db, { contactId: silentBoss.id, status: "expired", sentAt: addDays(now, -120) }),
      ],
      [
        quiet.id,
        () => insertInvitation(db, { contactId: silentBoss.id, status: "sent", sentAt: addDays(now, -60) }),
      ],
      [
        northwind.id,
        () => insertInvitation(db, { contactId: chris.id, status: "completed", sentAt: addDays(now, -26) }),
      ],
      // a change that takes something away: the refresh must drop the rows it leaves without data
      [
        northwind.id,
        async () => {
          const ids = await db
            .select({ id: predictions.id })
            .from(predictions)
            .where(eq(predictions.accountId, northwind.id));
          await insertPrediction(db, {
            accountId: northwind.id,
            values: { value: 90 },
            createdAt: addDays(now, -1),
          });
          for (const { id } of ids) await db.delete(predictions).where(eq(predictions.id, id));
        },
      ],
      // the new prediction counts once the customer answers after it
      [
        northwind.id,
        () =>
          insertResponse(db, {
            contactId: chris.id,
            completedAt: new Date(now.getTime() - 3_600_000),
            answers: [{ question: "value", dimension: "value", value: 50 }],
          }),
      ],
    ];
    for (const [accountId, change] of changes) {
      await change();
      await refreshAccountHealth(db, accountId, now);
    }
    // accounts nothing happened to still get their row, once, when refreshed
    await refreshAccountHealth(db, quiet.id, now);
    await refreshAccountHealth(db, quiet.id, now);

    const kept = await snapshot();
    expect(kept.account).toHaveLength(3 * 4);
    const quietRow = kept.account.find((r) => r.accountId === quiet.id && r.windowMonths === 12)!;
    expect((quietRow.flags as { flag: string }[]).map((f) => f.flag)).toContain("silent");
    expect(quietRow).toMatchObject({ invitationsSent: 2, invitationsCompleted: 0, keyContactsAsked: 1 });
    const northwindTrust = kept.dimensions.find(
      (r) => r.accountId === northwind.id && r.windowMonths === 12 && r.dimension === "trust",
    );
    // the trust prediction was replaced by one on value only
    expect(northwindTrust).toMatchObject({ teamValue: null, gap: null, quadrant: null });
    expect(
      kept.dimensions.find(
        (r) => r.accountId === northwind.id && r.windowMonths === 12 && r.dimension === "value",
      ),
    ).toMatchObject({ teamValue: 90, customerValue: 50, gap: 40, quadrant: "blind_spot" });

    // the customer's own words, trimmed; blank answers and scores are not verbatims
    expect(kept.verbatims.map(({ accountId, question, text }) => ({ accountId, question, text }))).toEqual(
      expect.arrayContaining([
        { accountId: contoso.id, question: "value_why", text: "Worth every penny" },
        { accountId: contoso.id, question: "trust-Comment", text: "They call back" },
      ]),
    );
    expect(kept.verbatims).toHaveLength(2);
    expect(kept.account.find((r) => r.accountId === northwind.id && r.windowMonths === 12)).toMatchObject({
      gapDimensions: 1,
    });

    await clearRollups();
    await rebuildHealthRollups(db, now, { concurrency: 3 });
    expect(await snapshot()).toEqual(kept);
  });

  it("counts every account it rebuilt when batches run side by side, and keeps to an id range", async () => {
    const db = getDb();
    const made = [];
    for (let i = 0; i < 12; i++) made.push(await insertAccount(db));
    const ids = made.map((a) => a.id).sort();
    expect(await rebuildHealthRollups(db, now, { concurrency: 3, batchSize: 2 })).toMatchObject({
      accounts: 12,
    });
    await clearRollups();
    // the share after the 4th id through the 9th: five accounts, and only they get rows
    const share = await rebuildHealthRollups(db, now, {
      concurrency: 2,
      batchSize: 2,
      after: ids[3],
      through: ids[8],
    });
    expect(share).toMatchObject({ accounts: 5 });
    const built = new Set((await snapshot()).account.map((r) => r.accountId));
    expect([...built].sort()).toEqual(ids.slice(4, 9));
  });

  it("leaves a colleague's sealed prediction out until the customer has answered what it predicts", async () => {
    const db = getDb();
    const account = await insertAccount(db);
    const dana = await insertContact(db, { accountId: account.id, buyingRole: "decision_maker" });
    await insertResponse(db, {
      contactId: dana.id,
      completedAt: addDays(now, -30),
      answers: [{ question: "trust", dimension: "trust", value: 40 }],
    });
    await insertPrediction(db, { accountId: account.id, values: { trust: 80 }, createdAt: addDays(now, -5) });
    // a prediction of a campaign waits for that campaign's answers, whatever else comes in
    const spring = await insertCampaign(db, { status: "sending" });
    await insertPrediction(db, {
      accountId: account.id,
      values: { value: 90 },
      campaignId: spring.id,
      createdAt: addDays(now, -5),
    });
    await refreshAccountHealth(db, account.id, now);
    expect((await rowsOf(account.id)).account).toMatchObject({
      customerHealth: 40,
      teamHealth: null,
      healthGap: null,
    });

    // Dana answers a hand-made link: the account-level prediction is answered, the campaign's is not
    await insertResponse(db, {
      contactId: dana.id,
      completedAt: addDays(now, -1),
      answers: [{ question: "trust", dimension: "trust", value: 50 }],
    });
    await refreshAccountHealth(db, account.id, now);
    const afterLink = await rowsOf(account.id);
    expect(afterLink.account).toMatchObject({ teamHealth: 80, healthGap: 30 });
    expect(afterLink.dimensions.map((d) => d.dimension)).toEqual(["trust"]);

    // then the campaign's invitation is answered too
    const invitation = await insertInvitation(db, {
      contactId: dana.id,
      campaignId: spring.id,
      status: "completed",
      sentAt: addDays(now, -2),
    });
    await insertResponse(db, {
      invitationId: invitation.id,
      completedAt: new Date(now.getTime() - 3_600_000),
      answers: [{ question: "value", dimension: "value", value: 60 }],
    });
    await refreshAccountHealth(db, account.id, now);
    expect((await rowsOf(account.id)).dimensions.find((d) => d.dimension === "value")).toMatchObject({
      teamValue: 90,
      customerValue: 60,
      gap: 30,
    });
  });

  it("builds the rollups at start-up only when some account has none", async () => {
    const db = getDb();
    expect(await ensureHealthRollups(db, now)).toBeNull();
    const account = await insertAccount(db);
    expect(await ensureHealthRollups(db, now)).toMatchObject({ accounts: 1 });
    expect((await rowsOf(account.id)).account).toBeDefined();
    expect(await ensureHealthRollups(db, now)).toBeNull();
  });

  it("queues nothing when no job queue runs here (tests and scripts)", async () => {
    const account = await insertAccount(getDb());
    expect(await queueHealthRefresh(account.id)).toBe(false);
    expect(await queueHealthRefresh(null)).toBe(false);
  });
});

describe("the health.refresh-account job", () => {
  it("refreshes the account after a survey is submitted and after an interaction is logged", async () => {
    const db = getDb();
    const definition = jobDefinitions.find((d) => d.name === HEALTH_REFRESH_JOB)!;
    expect(definition.cron).toBeDefined();
    const jobs = await startJobs(inject("databaseUrl"), { work: true, definitions: [definition] });
    try {
      const schedules = await jobs.boss.getSchedules();
      expect(schedules.map((s) => s.name)).toContain(HEALTH_REFRESH_JOB);

      const owner = await insertUser(db, { role: "manager" });
      const account = await insertAccount(db, { ownerId: owner.id });
      const contact = await insertContact(db, { accountId: account.id, buyingRole: "champion" });
      const version = await insertSurveyVersionFromFile(db, "relationship-health");
      const { token } = await createSurveyLink(db, {
        contactId: contact.id,
        surveyVersionId: version.id,
        createdById: owner.id,
      });
      const found = (await findInvitationByToken(db, token))!;
      const outcome = await submitAnswers(db, found, {
        data: {
          trust: 2,
          responsiveness: 4,
          understanding: 3,
          value: 4,
          communication: 3,
          relationship: 5,
          advocacy: 8,
          renewal: 4,
        },
      });
      expect(outcome.status).toBe("completed");
      // 1–5 ratings are stored as 0/25/50/75/100: (25 + 75 + 50 + 75 + 50 + 100) / 6 = 62.5
      await expect
        .poll(async () => (await rowsOf(account.id)).account?.customerHealth, { timeout: 15_000 })
        .toBe(62.5);
      expect((await rowsOf(account.id)).account).toMatchObject({ nps: 0, passives: 1, npsRespondents: 1 });

      const logged = await logInteraction(
        db,
        { id: owner.id, role: "manager" },
        {
          accountId: account.id,
          kind: "call",
          occurredAt: new Date(),
          contactIds: [contact.id],
          userIds: [],
          summary: "Talked through the renewal",
          engagementQuality: 5,
        },
      );
      expect(logged.status).toBe("logged");
      await expect
        .poll(async () => (await rowsOf(account.id)).account?.ledgerInteractions, { timeout: 15_000 })
        .toBe(1);
    } finally {
      await jobs.stop();
    }
  });
});

const run = promisify(execFile);

describe("npm run health:rebuild", () => {
  it("recomputes every account's rollups and says how many", async () => {
    const db = getDb();
    await insertAccount(db);
    await insertAccount(db);
    const { stdout } = await run(process.execPath, ["--import", "tsx", "app/cli/health-rebuild.ts"], {
      env: { ...process.env, DATABASE_URL: inject("databaseUrl"), LOG_LEVEL: "warn" },
    });
    expect(stdout).toMatch(/Rebuilt the health rollups of 2 accounts/);
    expect(await db.select().from(accountHealth)).toHaveLength(2 * 4);
  });
});
