/** The scored answers of stored responses, as the API, its CSV and a contact's export read them. */
import { asc, inArray } from "drizzle-orm";
import { answers } from "../../db/schema";
import type { Executor } from "../lib/db.server";

export type StoredScore = Pick<typeof answers.$inferSelect, "question" | "dimension" | "value">;

/** The scored answers of each of these responses, in answer order. */
export async function scoredAnswersOf(
  db: Executor,
  responseIds: readonly string[],
): Promise<Map<string, StoredScore[]>> {
  const scoresOf = new Map<string, StoredScore[]>();
  if (responseIds.length === 0) return scoresOf;
  const scored = await db
    .select({
      responseId: answers.responseId,
      question: answers.question,
      dimension: answers.dimension,
      value: answers.value,
    })
    .from(answers)
    .where(inArray(answers.responseId, [...responseIds]))
    .orderBy(asc(answers.id));
  for (const { responseId, ...answer } of scored) {
    const own = scoresOf.get(responseId);
    if (own) own.push(answer);
    else scoresOf.set(responseId, [answer]);
  }
  return scoresOf;
}
