import { useParams } from "@remix-run/react";
import { useCallback, useRef, useState } from "react";
import type { SubmitResult } from "~/components/survey-runner";

type Status = "idle" | "saving" | "saved" | "error";

/**
 * Saves unfinished answers to /s/:token/save, numbering each save so a slow, older one
 * can never overwrite a newer one; retries a failed save after a pause; and submits.
 */
export function useAutosave(storedSequence: number) {
  const { token } = useParams();
  const [status, setStatus] = useState<Status>("idle");
  const sequence = useRef(storedSequence);
  const retry = useRef<ReturnType<typeof setTimeout>>();

  const save = useCallback(
    (data: Record<string, unknown>, currentPage: number) => {
      clearTimeout(retry.current);
      sequence.current += 1;
      const body = JSON.stringify({ data, currentPage, sequence: sequence.current });
      setStatus("saving");
      const attempt = async () => {
        try {
          const response = await fetch(`/s/${token}/save`, {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body,
            keepalive: body.length < 60_000,
          });
          // 4xx (invalid or closed) will not get better by retrying; the submit says why.
          if (response.ok || response.status < 500) setStatus(response.ok ? "saved" : "idle");
          else throw new Error(`save failed with ${response.status}`);
        } catch {
          setStatus("error");
          retry.current = setTimeout(attempt, 5000);
        }
      };
      void attempt();
    },
    [token],
  );

  const submit = useCallback(
    async (data: Record<string, unknown>): Promise<SubmitResult> => {
      clearTimeout(retry.current);
      try {
        const response = await fetch(`/s/${token}/submit`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ data }),
        });
        // 409: an earlier submit (a retry after a lost connection, another tab) already got through.
        if (response.ok || response.status === 409) return { ok: true };
        const body = (await response.json().catch(() => ({}))) as {
          error?: string;
          errors?: Record<string, string[]>;
        };
        return { ok: false, errors: body.errors, message: body.error ?? "Your answers could not be sent." };
      } catch {
        return { ok: false, message: "No connection. Your answers are kept on this page; please try again." };
      }
    },
    [token],
  );

  return { status, save, submit };
}
