import { useMatches, useNavigate } from "@remix-run/react";
import { useCallback } from "react";
import type { SubmitResult } from "~/components/survey-runner";

/**
 * Posts the mirror survey's answers to this route's action as JSON (`body(data)`) and,
 * when the action redirects (the prediction is stored), follows the redirect. Failures
 * come back as a SubmitResult so SurveyJS keeps the answers on the page and shows what
 * to fix. Used by the predict page and by the prediction page's edit mode.
 */
export function usePostMirror(body: (data: Record<string, unknown>) => unknown) {
  const navigate = useNavigate();
  // `?_data=<route id>` asks Remix for the action's own response rather than a re-rendered
  // page; a redirect then arrives as 204 with X-Remix-Redirect (Remix v2 data requests).
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
          body: JSON.stringify(body(data)),
        });
      } catch {
        return {
          ok: false,
          message: "No connection. Your answers are still on this page; try again in a moment.",
        };
      }
      const location = response.headers.get("X-Remix-Redirect");
      if (location) {
        // The guard sends a signed-out session to sign-in; anything else is the action's success.
        if (location.startsWith("/login")) {
          return {
            ok: false,
            message: "Your session has ended. Sign in again in another tab, then submit again.",
          };
        }
        navigate(location);
        return { ok: true };
      }
      if (response.ok) return { ok: true };
      const error = await readError(response);
      return {
        ok: false,
        errors: error.errors,
        message: error.error ?? "The prediction could not be saved.",
      };
    },
    [body, routeId, navigate],
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
