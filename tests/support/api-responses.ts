import {
  addDays,
  insertAccount,
  insertContact,
  insertResponse,
  insertSurveyVersionFromFile,
} from "../../db/factories";
import { getDb } from "~/lib/db.server";

/**
 * What the response-reading tests list: on one account, a scored response three days ago
 * (with `comment` as a free-text answer), one a day ago and one partly answered; on another
 * account, a recovery pulse two days ago.
 */
export async function responsesToList(
  options: { comment?: string; externalIds?: [string | null, string | null] } = {},
) {
  const db = getDb();
  const now = new Date();
  const [externalId, otherExternalId] = options.externalIds ?? [null, null];
  const account = await insertAccount(db, { externalId });
  const other = await insertAccount(db, { externalId: otherExternalId });
  const dana = await insertContact(db, { accountId: account.id });
  const lee = await insertContact(db, { accountId: other.id });
  const version = await insertSurveyVersionFromFile(db, "relationship-health");
  const first = await insertResponse(db, {
    contactId: dana.id,
    surveyVersionId: version.id,
    completedAt: addDays(now, -3),
    data: { trust: 4, advocacy_why: options.comment ?? "Quick to call back." },
    answers: [
      { question: "trust", dimension: "trust", value: 75 },
      { question: "trust_2", dimension: "trust", value: 25 },
      { question: "advocacy", dimension: "advocacy", value: 90 },
    ],
  });
  const second = await insertResponse(db, {
    contactId: dana.id,
    surveyVersionId: version.id,
    completedAt: addDays(now, -1),
  });
  await insertResponse(db, { contactId: dana.id, surveyVersionId: version.id, isComplete: false });
  const pulse = await insertSurveyVersionFromFile(db, "recovery-pulse");
  const third = await insertResponse(db, {
    contactId: lee.id,
    surveyVersionId: pulse.id,
    completedAt: addDays(now, -2),
  });
  return { now, account, other, dana, lee, version, pulse, first, second, third };
}
