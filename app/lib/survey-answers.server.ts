import type { AnswerOutcome } from "../domain/responses.server";
import { isDatabaseConnectionError } from "./db.server";
import { jsonError } from "./json-body.server";
import { surveyHeaders } from "./survey-access.server";

/** The HTTP answer to a save or submit: 200, 422 with per-question messages, or 409/410. */
export function answerOutcomeResponse(outcome: AnswerOutcome): Response {
  switch (outcome.status) {
    case "saved":
      return Response.json({ saved: true }, { headers: surveyHeaders });
    case "completed":
      return Response.json({ completed: true }, { headers: surveyHeaders });
    case "invalid":
      return jsonError(422, "Some answers need another look.", { errors: outcome.errors });
    case "closed":
      return outcome.reason === "completed"
        ? jsonError(409, "These answers were already sent; nothing was changed.")
        : jsonError(410, "This survey link has expired.");
  }
}

/**
 * Runs a save or submit; while Postgres is unreachable (restarting, failing over) the answer is
 * a 503 the page retries, not Remix's bare 500: nothing was stored, and the customer's answers
 * are still on their page (docs/security.md, "Faults").
 */
export async function answeringWhileDatabaseDown(run: () => Promise<Response>): Promise<Response> {
  try {
    return await run();
  } catch (error) {
    if (!isDatabaseConnectionError(error)) throw error;
    const answer = jsonError(
      503,
      "We could not save your answers just now. They are still on this page; please try again in a moment.",
    );
    answer.headers.set("Retry-After", "5");
    return answer;
  }
}
