/**
 * The worked example of docs/health-model.md ("Northwind on 30 June 2026"), written to the
 * database with the factories, so the queries behind the account page and the calibration
 * page can be checked against the numbers the document works out by hand.
 */
import {
  insertAccount,
  insertContact,
  insertInteraction,
  insertInvitation,
  insertPrediction,
  insertResponse,
  insertSurveyVersionFromFile,
  insertUser,
} from "../../db/factories";
import type { Database } from "~/lib/db.server";

export const EXAMPLE_NOW = new Date("2026-06-30T00:00:00Z");
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

export async function insertNorthwindExample(db: Database) {
  const ana = await insertUser(db, { name: "Ana Example" });
  const ben = await insertUser(db, { name: "Ben Example" });
  const account = await insertAccount(db, { name: "Northwind", ownerId: ana.id, targetCadenceDays: 30 });
  const contact = (name: string, buyingRole: "decision_maker" | "champion" | "influencer" | "user") =>
    insertContact(db, { accountId: account.id, name, buyingRole });
  const dana = await contact("Dana", "decision_maker");
  const chris = await contact("Chris", "champion");
  const uma = await contact("Uma", "user");
  const ian = await contact("Ian", "influencer");
  const version = await insertSurveyVersionFromFile(db, "relationship-health");

  const respond = (
    contactId: string,
    completedAt: string,
    scores: Partial<Record<"trust" | "communication" | "advocacy", number>>,
    data: Record<string, unknown> = {},
  ) =>
    insertResponse(db, {
      contactId,
      surveyVersionId: version.id,
      completedAt: day(completedAt),
      data,
      answers: Object.entries(scores).map(([dimension, value]) => ({
        question: dimension,
        dimension: dimension as "trust" | "communication" | "advocacy",
        value: value!,
      })),
    });
  const r0 = await respond(ian.id, "2025-05-01", { trust: 0, advocacy: 0 });
  const r1 = await respond(dana.id, "2026-01-15", { trust: 75 });
  const r2 = await respond(
    dana.id,
    "2026-06-01",
    { trust: 25, communication: 50, advocacy: 60 },
    { one_change: "  Tell us about outages before our customers do.  ", trust_why: "" },
  );
  const r3 = await respond(chris.id, "2026-06-05", { trust: 50, communication: 75, advocacy: 90 });
  const r4 = await respond(uma.id, "2026-06-10", { trust: 100, communication: 100, advocacy: 100 });

  for (const [who, status] of [
    [dana, "completed"],
    [chris, "completed"],
    [uma, "completed"],
    [ian, "sent"],
  ] as const) {
    await insertInvitation(db, {
      contactId: who.id,
      surveyVersionId: version.id,
      status,
      sentAt: day("2026-05-25"),
    });
  }

  const anaPrediction = await insertPrediction(db, {
    accountId: account.id,
    authorId: ana.id,
    createdAt: day("2026-05-20"),
    values: { trust: 80, communication: 70 },
  });
  const benEarly = await insertPrediction(db, {
    accountId: account.id,
    authorId: ben.id,
    createdAt: day("2026-03-01"),
    values: { trust: 60 },
  });
  const benLate = await insertPrediction(db, {
    accountId: account.id,
    authorId: ben.id,
    createdAt: day("2026-05-25"),
    values: { trust: 80, communication: 90 },
  });

  const log = (values: Parameters<typeof insertInteraction>[1]) =>
    insertInteraction(db, { accountId: account.id, engagementQuality: null, ...values });
  const meeting = await log({
    kind: "meeting",
    occurredAt: day("2026-06-20"),
    contactIds: [dana.id],
    engagementQuality: 4,
  });
  await log({ kind: "email", occurredAt: day("2026-06-25"), contactIds: [chris.id] });
  await log({ kind: "call", occurredAt: day("2026-05-10"), contactIds: [chris.id], engagementQuality: 2 });
  await log({
    kind: "qbr",
    occurredAt: day("2026-01-20"),
    contactIds: [dana.id, chris.id],
    engagementQuality: 5,
  });
  await log({ kind: "favour", occurredAt: day("2026-04-01"), equityEffect: "deposit", equityWeight: 3 });
  await log({ kind: "mistake", occurredAt: day("2026-01-01"), equityEffect: "withdrawal", equityWeight: 2 });
  await log({
    kind: "commitment",
    occurredAt: day("2026-03-01"),
    commitmentStatus: "kept",
    commitmentResolvedAt: day("2026-04-01"),
    equityEffect: "deposit",
    equityWeight: 2,
  });
  await log({
    kind: "commitment",
    occurredAt: day("2025-09-15"),
    commitmentStatus: "broken",
    commitmentResolvedAt: day("2025-10-03"),
    equityEffect: "withdrawal",
    equityWeight: 2,
  });

  return {
    ana,
    ben,
    account,
    contacts: { dana, chris, uma, ian },
    responses: { r0, r1, r2, r3, r4 },
    predictions: { ana: anaPrediction, benEarly, benLate },
    meeting,
  };
}
