import { useRevalidator } from "@remix-run/react";
import { useEffect, useRef } from "react";

/**
 * Reloads the page's data every `ms` while `active` (a job is running on the server), and
 * never stacks a reload on one still in flight.
 */
export function useRevalidateEvery(ms: number, active: boolean) {
  const { revalidate, state } = useRevalidator();
  const idle = useRef(true);
  idle.current = state === "idle";
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      if (idle.current) revalidate();
    }, ms);
    return () => clearInterval(timer);
  }, [active, ms, revalidate]);
}
