import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { recordEmailScaleAnswer } from "~/domain/responses.server";
import { getDb } from "~/lib/db.server";
import { resolveSurveyToken, surveyHeaders } from "~/lib/survey-access.server";

/** The question the invitation email's 0–10 scale answers (relationship-health.json). */
const EMAIL_SCALE_QUESTION = "advocacy";

/**
 * GET /s/:token/scale/:score — a link in the invitation email, so it works without
 * JavaScript: the score is recorded on the server, then the survey opens with it filled in.
 * A score the survey does not accept is simply not recorded; the survey still opens.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const token = params.token ?? "";
  const found = await resolveSurveyToken(request, token);
  const score = Number(params.score);
  if (found && /^(10|[0-9])$/.test(params.score ?? "")) {
    const outcome = await recordEmailScaleAnswer(getDb(), found, {
      question: EMAIL_SCALE_QUESTION,
      value: score,
    });
    // the page then confirms it in its server markup, for a mail client's browser without scripts
    if (outcome.status === "saved") {
      return redirect(`/s/${token}?answered=${score}`, { headers: surveyHeaders });
    }
  }
  return redirect(`/s/${token}`, { headers: surveyHeaders });
}
