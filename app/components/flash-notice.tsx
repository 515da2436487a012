import { useSearchParams } from "@remix-run/react";

/**
 * A one-line confirmation after a redirect (`?logged=1`, `?predicted=1` …): the action
 * says what happened through the URL, so it survives without JavaScript and a reload
 * shows it again rather than losing it.
 */
export function FlashNotice({ messages }: { messages: Record<string, string> }) {
  const [searchParams] = useSearchParams();
  const shown = Object.entries(messages).filter(([flag]) => searchParams.has(flag));
  if (shown.length === 0) return null;
  return (
    <div role="status" className="mb-4 space-y-1 rounded-md bg-emerald-50 p-3 text-sm text-emerald-900">
      {shown.map(([flag, message]) => (
        <p key={flag}>{message}</p>
      ))}
    </div>
  );
}
