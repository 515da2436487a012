import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { z } from "zod";
import { submitAnswers } from "~/domain/responses.server";
import { getDb } from "~/lib/db.server";
import { deliverSoon } from "~/lib/deliver-soon.server";
import { jsonError, readJsonBody } from "~/lib/json-body.server";
import { answerOutcomeResponse, answeringWhileDatabaseDown } from "~/lib/survey-answers.server";
import { resolveSurveyToken, surveyHeaders } from "~/lib/survey-access.server";

const submitSchema = z.object({ data: z.unknown() });

// The final submit (POST JSON): validated on the server against the exact version.
export async function action(args: ActionFunctionArgs) {
  return answeringWhileDatabaseDown(() => answer(args));
}

async function answer({ request, params }: ActionFunctionArgs) {
  if (request.method !== "POST") return jsonError(405, "Use POST.");
  const found = await resolveSurveyToken(request, params.token ?? "");
  if (!found) return jsonError(404, "This link does not open a survey.");
  const parsed = submitSchema.safeParse(await readJsonBody(request));
  if (!parsed.success) return jsonError(400, 'The submit is malformed: send { "data": { … } }.');
  const outcome = await submitAnswers(getDb(), found, parsed.data);
  // A Customer 9-1-1 alert is waiting in the outbox: send it now rather than at the next minute.
  if (outcome.status === "completed" && outcome.openedCaseId) await deliverSoon("case_alert");
  return answerOutcomeResponse(outcome);
}

export async function loader() {
  return json({ error: "Use POST." }, { status: 405, headers: surveyHeaders });
}
