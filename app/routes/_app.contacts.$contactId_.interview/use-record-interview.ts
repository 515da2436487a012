import { useMatches, useNavigate } from "@remix-run/react";
import { useCallback } from "react";
import type { SubmitResult } from "~/components/survey-runner";

/**
 * Posts a finished interview to this route's action as JSON and, once it is stored,
 * goes back to the contact page (or, for a win/loss interview task, to the task). Failures come back as a SubmitResult so SurveyJS keeps
 * the interviewer's answers on the page and shows what to fix.
 */
export function useRecordInterview(contactId: string, surveyVersionId: string, taskId?: string) {
  const navigate = useNavigate();
  // `?_data=<route id>` asks Remix for the action's own response (JSON) rather than a
  // re-rendered HTML page, which is what a plain POST to a route with a component gets.
  // This is Remix v2's data-request protocol; with v3_singleFetch it would become `.data`.
  const matches = useMatches();
  const routeId = matches[matches.length - 1]?.id ?? "";

  return useCallback(
    async (data: Record<string, unknown>): Promise<SubmitResult> => {
      const url = `${window.location.pathname}?_data=${encodeURIComponent(routeId)}`;
      let response: Response;
      try {
        response = await fetch(url, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify(taskId ? { surveyVersionId, data, taskId } : { surveyVersionId, data }),
        });
      } catch {
        return {
          ok: false,
          message: "No connection. The answers are still on this page; save again in a moment.",
        };
      }
      // A signed-out session answers a data request with a redirect to sign-in.
      if (response.headers.has("X-Remix-Redirect")) {
        return {
          ok: false,
          message: "Your session has ended. Sign in again in another tab, then save the interview again.",
        };
      }
      if (response.ok) {
        navigate(
          taskId ? `/interviews/${taskId}?saved=recorded` : `/contacts/${contactId}?interview=recorded`,
        );
        return { ok: true };
      }
      const body = await readError(response);
      return { ok: false, errors: body.errors, message: body.error ?? "The interview could not be saved." };
    },
    [contactId, surveyVersionId, taskId, routeId, navigate],
  );
}

/** The action answers in JSON; the guard's 403/404 are plain text. */
async function readError(response: Response): Promise<{ error?: string; errors?: Record<string, string[]> }> {
  const text = await response.text().catch(() => "");
  try {
    return JSON.parse(text) as { error?: string; errors?: Record<string, string[]> };
  } catch {
    return text ? { error: text } : {};
  }
}
