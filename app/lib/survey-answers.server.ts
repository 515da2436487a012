import type { AnswerOutcome } from "../domain/responses.server";
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
