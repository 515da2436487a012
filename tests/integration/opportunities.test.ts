import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import {
  insertAccount,
  insertAccountMember,
  insertContact,
  insertOpportunity,
  insertResponse,
  insertSurveyVersionFromFile,
  insertUser,
} from "../../db/factories";
import { opportunities } from "../../db/schema";
import { SEALED_MESSAGE } from "~/domain/opportunities.server";
import { getDb } from "~/lib/db.server";
import {
  action as createAction,
  loader as newLoader,
} from "~/routes/_app.accounts.$accountId_.opportunities.new";
import { action as dealAction, loader as dealLoader } from "~/routes/_app.opportunities.$opportunityId/route";
import { cookieFor, makeRequest, settle } from "../support/requests";

async function world() {
  const db = getDb();
  const owner = await insertUser(db, { role: "manager", name: "Olive Owner" });
  const teammate = await insertUser(db, { role: "manager", name: "Tom Teammate" });
  const outsider = await insertUser(db, { role: "manager" });
  const leader = await insertUser(db, { role: "leader" });
  const admin = await insertUser(db, { role: "admin" });
  const account = await insertAccount(db, { ownerId: owner.id, name: "Globex" });
  await insertAccountMember(db, { accountId: account.id, userId: teammate.id });
  return { owner, teammate, outsider, leader, admin, account };
}

/** A form post as the browser sends it; entries may repeat a name (the secondary-reason checkboxes). */
function post(path: string, cookie: string, entries: [string, string][]): Request {
  return new Request(`http://localhost${path}`, {
    method: "POST",
    headers: {
      Cookie: cookie,
      "Content-Type": "application/x-www-form-urlencoded",
      "x-rapport-client-ip": "203.0.113.7",
    },
    body: new URLSearchParams(entries),
  });
}

async function create(accountId: string, userId: string, entries: [string, string][]) {
  const cookie = await cookieFor(userId);
  return settle(() =>
    createAction({
      request: post(`/accounts/${accountId}/opportunities/new`, cookie, entries),
      params: { accountId },
      context: {},
    }),
  );
}

async function act(opportunityId: string, userId: string, entries: [string, string][]) {
  const cookie = await cookieFor(userId);
  return settle(() =>
    dealAction({
      request: post(`/opportunities/${opportunityId}`, cookie, entries),
      params: { opportunityId },
      context: {},
    }),
  );
}

async function view(opportunityId: string, userId: string) {
  const cookie = await cookieFor(userId);
  return settle(() =>
    dealLoader({
      request: makeRequest(`/opportunities/${opportunityId}`, { cookie }),
      params: { opportunityId },
      context: {},
    }),
  );
}

async function readDeal(id: string) {
  const [row] = await getDb().select().from(opportunities).where(eq(opportunities.id, id));
  return row!;
}

const closeAsLost: [string, string][] = [
  ["intent", "close"],
  ["outcome", "lost"],
  ["closeDate", "2025-03-04"],
  ["amount", "40000"],
  ["competitor", "Initech"],
  ["primaryReason", "price"],
  ["secondaryReasons", "product_fit"],
  ["secondaryReasons", "competitor_strength"],
  ["reasonNote", "Initech came in 30% cheaper and we could not match it."],
];

describe("creating an opportunity", () => {
  it("lets a team member create one, selling it themselves by default, and opens its page", async () => {
    const w = await world();
    const response = await create(w.account.id, w.teammate.id, [
      ["name", "  2026 renewal  "],
      ["amount", "25,000"],
      ["closeDate", "2026-06-30"],
      ["competitor", "Initech"],
      ["sellerId", ""],
    ]);
    expect(response.status).toBe(302);
    const rows = await getDb().select().from(opportunities);
    expect(rows).toHaveLength(1);
    const deal = rows[0]!;
    expect(response.headers.get("Location")).toBe(`/opportunities/${deal.id}`);
    expect(deal).toMatchObject({
      accountId: w.account.id,
      name: "2026 renewal",
      amountCents: 2_500_000,
      closeDate: "2026-06-30",
      competitor: "Initech",
      sellerId: w.teammate.id,
      outcome: "open",
      sellerPrimaryReason: null,
      sellerReasonsAt: null,
      closedAt: null,
    });
  });

  it("stores the amount in cents from whole units with decimals (1234.5 → 123450)", async () => {
    const w = await world();
    const response = await create(w.account.id, w.owner.id, [
      ["name", "Pilot"],
      ["amount", "1234.5"],
      ["sellerId", w.teammate.id],
    ]);
    expect(response.status).toBe(302);
    const [deal] = await getDb().select().from(opportunities);
    expect(deal!.amountCents).toBe(123_450);
    expect(deal!.sellerId).toBe(w.teammate.id);
    expect(deal!.closeDate).toBeNull();
    expect(deal!.competitor).toBeNull();
  });

  it("refuses a leader and a manager off the team with 403, and saves nothing", async () => {
    const w = await world();
    const entries: [string, string][] = [
      ["name", "Sneaky"],
      ["amount", "10"],
    ];
    expect((await create(w.account.id, w.leader.id, entries)).status).toBe(403);
    expect((await create(w.account.id, w.outsider.id, entries)).status).toBe(403);
    const cookie = await cookieFor(w.outsider.id);
    const page = await settle(() =>
      newLoader({
        request: makeRequest(`/accounts/${w.account.id}/opportunities/new`, { cookie }),
        params: { accountId: w.account.id },
        context: {},
      }),
    );
    expect(page.status).toBe(403);
    expect(await getDb().select().from(opportunities)).toHaveLength(0);
  });

  it("names each bad field and its value: blank name, negative amount, bad date, seller off the team", async () => {
    const w = await world();
    const bad = await create(w.account.id, w.owner.id, [
      ["name", "   "],
      ["amount", "-5"],
      ["closeDate", "2025-02-30"],
    ]);
    expect(bad.status).toBe(400);
    const { fieldErrors } = await bad.json();
    expect(fieldErrors.name).toMatch(/^Name is required/);
    expect(fieldErrors.amount).toBe('Amount "-5" is negative; enter zero or more.');
    expect(fieldErrors.closeDate).toContain('"2025-02-30" is not a date');

    const offTeam = await create(w.account.id, w.owner.id, [
      ["name", "Deal"],
      ["amount", "10"],
      ["sellerId", w.outsider.id],
    ]);
    expect(offTeam.status).toBe(400);
    expect((await offTeam.json()).fieldErrors.sellerId).toContain(w.outsider.id);

    const tooLong = await create(w.account.id, w.owner.id, [
      ["name", "x".repeat(201)],
      ["amount", "10.005"],
    ]);
    const tooLongErrors = (await tooLong.json()).fieldErrors;
    expect(tooLongErrors.name).toBe("Name is 201 characters long; keep it to 200 or fewer.");
    expect(tooLongErrors.amount).toBe('Amount "10.005" has more than two decimal places.');
    expect(await getDb().select().from(opportunities)).toHaveLength(0);
  });
});

describe("editing an open opportunity", () => {
  it("replaces its facts for a team member", async () => {
    const w = await world();
    const deal = await insertOpportunity(getDb(), { accountId: w.account.id, name: "Old name" });
    const response = await act(deal.id, w.teammate.id, [
      ["intent", "update"],
      ["name", "Expansion"],
      ["amount", "99.99"],
      ["closeDate", ""],
      ["competitor", ""],
      ["sellerId", w.teammate.id],
    ]);
    expect(response.status).toBe(302);
    expect(await readDeal(deal.id)).toMatchObject({
      name: "Expansion",
      amountCents: 9_999,
      closeDate: null,
      competitor: null,
      sellerId: w.teammate.id,
      outcome: "open",
    });
  });

  it("refuses a leader and a manager off the team with 403", async () => {
    const w = await world();
    const deal = await insertOpportunity(getDb(), { accountId: w.account.id, name: "Keep" });
    const entries: [string, string][] = [
      ["intent", "update"],
      ["name", "Changed"],
      ["amount", "1"],
    ];
    expect((await act(deal.id, w.leader.id, entries)).status).toBe(403);
    expect((await act(deal.id, w.outsider.id, entries)).status).toBe(403);
    expect((await act(deal.id, w.outsider.id, closeAsLost)).status).toBe(403);
    expect(await readDeal(deal.id)).toEqual(deal);
  });
});

describe("closing an opportunity", () => {
  it("closes as lost with the reason price and stores every sealed field", async () => {
    const w = await world();
    const deal = await insertOpportunity(getDb(), { accountId: w.account.id, amountCents: 50_000_00 });
    const before = new Date();
    const response = await act(deal.id, w.owner.id, closeAsLost);
    const after = new Date();
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(`/opportunities/${deal.id}?saved=closed`);
    const closed = await readDeal(deal.id);
    expect(closed).toMatchObject({
      outcome: "lost",
      closeDate: "2025-03-04",
      amountCents: 4_000_000,
      competitor: "Initech",
      sellerPrimaryReason: "price",
      sellerSecondaryReasons: ["product_fit", "competitor_strength"],
      sellerReasonNote: "Initech came in 30% cheaper and we could not match it.",
    });
    expect(closed.sellerReasonsAt).not.toBeNull();
    expect(closed.sellerReasonsAt!.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1000);
    expect(closed.sellerReasonsAt!.getTime()).toBeLessThanOrEqual(after.getTime() + 1000);
    expect(closed.closedAt).toEqual(closed.sellerReasonsAt);

    const page = await (await view(deal.id, w.leader.id)).json();
    expect(page.opportunity.sellerPrimaryReason).toBe("price");
    expect(page.canEdit).toBe(false);
  });

  it("defaults the close date to today and keeps amount and competitor when they are not sent", async () => {
    const w = await world();
    const deal = await insertOpportunity(getDb(), {
      accountId: w.account.id,
      amountCents: 12_300,
      competitor: "Hooli",
    });
    const response = await act(deal.id, w.teammate.id, [
      ["intent", "close"],
      ["outcome", "won"],
      ["primaryReason", "relationship"],
    ]);
    expect(response.status).toBe(302);
    const closed = await readDeal(deal.id);
    expect(closed.closeDate).toBe(new Date().toISOString().slice(0, 10));
    expect(closed).toMatchObject({
      outcome: "won",
      amountCents: 12_300,
      competitor: "Hooli",
      sellerSecondaryReasons: [],
      sellerReasonNote: null,
    });
  });

  it("names the bad field: unknown reason, the primary among the secondaries, more than three, no outcome", async () => {
    const w = await world();
    const deal = await insertOpportunity(getDb(), { accountId: w.account.id });
    const attempt = async (entries: [string, string][]) => {
      const response = await act(deal.id, w.owner.id, [["intent", "close"], ...entries]);
      expect(response.status).toBe(400);
      return (await response.json()).fieldErrors;
    };
    expect(
      (
        await attempt([
          ["outcome", "lost"],
          ["primaryReason", "astrology"],
        ])
      ).primaryReason,
    ).toContain('Primary reason "astrology" is not in the reason list');
    expect(
      (
        await attempt([
          ["outcome", "lost"],
          ["primaryReason", "price"],
          ["secondaryReasons", "astrology"],
        ])
      ).secondaryReasons,
    ).toContain('Secondary reason "astrology" is not in the reason list');
    expect(
      (
        await attempt([
          ["outcome", "lost"],
          ["primaryReason", "price"],
          ["secondaryReasons", "product_fit"],
          ["secondaryReasons", "price"],
        ])
      ).secondaryReasons,
    ).toBe("“Price” is already the primary reason; choose other secondary reasons.");
    expect(
      (
        await attempt([
          ["outcome", "lost"],
          ["primaryReason", "price"],
          ["secondaryReasons", "product_fit"],
          ["secondaryReasons", "relationship"],
          ["secondaryReasons", "responsiveness"],
          ["secondaryReasons", "sales_experience"],
        ])
      ).secondaryReasons,
    ).toBe("Choose at most 3 secondary reasons (4 chosen).");
    const missing = await attempt([["reasonNote", "x".repeat(501)]]);
    expect(missing.outcome).toBe("Choose how the deal ended: won, lost or no decision.");
    expect(missing.primaryReason).toBe("Choose the primary reason.");
    expect(missing.reasonNote).toBe("Note is 501 characters long; keep it to 500 or fewer.");
    expect(
      (
        await attempt([
          ["outcome", "open"],
          ["primaryReason", "price"],
        ])
      ).outcome,
    ).toBe('Outcome "open" is not one of won, lost or no decision.');
    expect(
      (
        await attempt([
          ["outcome", "won"],
          ["primaryReason", "price"],
          ["closeDate", "2999-01-01"],
        ])
      ).closeDate,
    ).toContain("in the future");
    expect(await readDeal(deal.id)).toEqual(deal);
  });

  it("answers a second close with 409 sealed and changes nothing", async () => {
    const w = await world();
    const deal = await insertOpportunity(getDb(), { accountId: w.account.id });
    expect((await act(deal.id, w.owner.id, closeAsLost)).status).toBe(302);
    const sealed = await readDeal(deal.id);

    const again = await act(deal.id, w.teammate.id, [
      ["intent", "close"],
      ["outcome", "won"],
      ["primaryReason", "relationship"],
      ["reasonNote", "Actually we won it."],
    ]);
    expect(again.status).toBe(409);
    expect((await again.json()).formError).toBe(SEALED_MESSAGE);
    // even a malformed attempt on a sealed deal is told it is sealed, not how to fix the form
    const malformed = await act(deal.id, w.owner.id, [
      ["intent", "close"],
      ["primaryReason", "astrology"],
    ]);
    expect(malformed.status).toBe(409);
    expect(await readDeal(deal.id)).toEqual(sealed);
  });

  it("refuses to edit a closed deal's facts with 409 and changes nothing", async () => {
    const w = await world();
    const deal = await insertOpportunity(getDb(), { accountId: w.account.id });
    expect((await act(deal.id, w.owner.id, closeAsLost)).status).toBe(302);
    const sealed = await readDeal(deal.id);
    const edit = await act(deal.id, w.admin.id, [
      ["intent", "update"],
      ["name", "Rewritten"],
      ["amount", "1"],
    ]);
    expect(edit.status).toBe(409);
    expect((await edit.json()).formError).toBe(
      "This deal closed as lost on 2025-03-04, so its facts can no longer be edited.",
    );
    expect(await readDeal(deal.id)).toEqual(sealed);
  });
});

describe("the opportunity page", () => {
  it("shows the buyer's side empty until a response is linked to the deal, then lists it", async () => {
    const w = await world();
    const deal = await insertOpportunity(getDb(), { accountId: w.account.id });
    const empty = await (await view(deal.id, w.owner.id)).json();
    expect(empty.buyerResponses).toEqual([]);
    expect(empty.canEdit).toBe(true);
    expect(empty.team.map((m: { name: string }) => m.name)).toEqual(["Olive Owner", "Tom Teammate"]);

    const contact = await insertContact(getDb(), { accountId: w.account.id, name: "Bea Buyer" });
    const version = await insertSurveyVersionFromFile(getDb(), "relationship-health");
    const completedAt = new Date("2025-03-10T09:00:00Z");
    await insertResponse(getDb(), {
      contactId: contact.id,
      surveyVersionId: version.id,
      opportunityId: deal.id,
      completedAt,
    });
    await insertResponse(getDb(), { contactId: contact.id, surveyVersionId: version.id }); // another deal's
    const listed = await (await view(deal.id, w.owner.id)).json();
    expect(listed.buyerResponses).toHaveLength(1);
    expect(listed.buyerResponses[0]).toMatchObject({
      contactName: "Bea Buyer",
      completedAt: completedAt.toISOString(),
    });
    expect(typeof listed.buyerResponses[0].surveyTitle).toBe("string");
  });

  it("answers 404 for an unknown or malformed id and 403 for a manager off the team", async () => {
    const w = await world();
    for (const id of ["00000000-0000-4000-8000-000000000000", "nope"]) {
      expect((await view(id, w.owner.id)).status).toBe(404);
    }
    const deal = await insertOpportunity(getDb(), { accountId: w.account.id });
    expect((await view(deal.id, w.outsider.id)).status).toBe(403);
    expect((await view(deal.id, w.leader.id)).status).toBe(200);
  });
});
