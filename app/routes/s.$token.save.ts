import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { z } from "zod";
import { saveProgress } from "~/domain/responses.server";
import { getDb } from "~/lib/db.server";
import { jsonError, readJsonBody } from "~/lib/json-body.server";
import { answerOutcomeResponse, answeringWhileDatabaseDown } from "~/lib/survey-answers.server";
import { resolveSurveyToken, surveyHeaders } from "~/lib/survey-access.server";

const saveSchema = z.object({
  data: z.unknown(),
  currentPage: z.number().int().min(0).max(1000),
  sequence: z.number().int().min(1).max(2_000_000_000),
});

// Autosave of unfinished answers (POST JSON). See domain/responses.server.ts.
export async function action(args: ActionFunctionArgs) {
  return answeringWhileDatabaseDown(() => answer(args));
}

async function answer({ request, params }: ActionFunctionArgs) {
  if (request.method !== "POST") return jsonError(405, "Use POST.");
  const found = await resolveSurveyToken(request, params.token ?? "");
  if (!found) return jsonError(404, "This link does not open a survey.");
  const parsed = saveSchema.safeParse(await readJsonBody(request));
  if (!parsed.success) {
    return jsonError(
      400,
      `The save is malformed: ${parsed.error.issues.map((i) => `${i.path.join(".") || "body"} ${i.message}`).join("; ")}.`,
    );
  }
  const outcome = await saveProgress(getDb(), found, parsed.data);
  return answerOutcomeResponse(outcome);
}

export async function loader() {
  return json({ error: "Use POST." }, { status: 405, headers: surveyHeaders });
}
