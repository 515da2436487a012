/** The pieces My week's lists are built of: a titled list with its empty state, rows, badges, commitment buttons. */
import { Form, useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";

export function Section({
  id,
  title,
  count,
  empty,
  children,
}: {
  id: string;
  title: string;
  count: number;
  empty: string;
  children: ReactNode;
}) {
  return (
    <section aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`} className="mb-3 text-lg font-semibold">
        {title} <span className="text-slate-500">({count})</span>
      </h2>
      {count === 0 ? (
        <p className="card border-dashed p-4 text-sm text-slate-600">{empty}</p>
      ) : (
        <ul className="card divide-y divide-slate-100">{children}</ul>
      )}
    </section>
  );
}

export function Row({ children }: { children: ReactNode }) {
  return <li className="flex flex-wrap items-center justify-between gap-2 px-4 py-3">{children}</li>;
}

const tones = {
  green: "bg-emerald-100 text-emerald-800",
  amber: "bg-amber-100 text-amber-800",
  red: "bg-red-100 text-red-800",
  slate: "bg-slate-100 text-slate-700",
};
export function Badge({ tone, children }: { tone: keyof typeof tones; children: ReactNode }) {
  return <span className={`rounded-full px-2 py-1 text-xs font-medium ${tones[tone]}`}>{children}</span>;
}

/**
 * The same two forms the ledger uses (POST /interactions/:id/commitment). Breaking a
 * promise logs a withdrawal on the account's ledger, so it asks first.
 */
export function CommitmentActions({ interactionId, summary }: { interactionId: string; summary: string }) {
  const navigation = useNavigation();
  const action = `/interactions/${interactionId}/commitment`;
  const pending =
    navigation.state === "submitting" && navigation.formAction === action
      ? navigation.formData?.get("status")
      : null;
  const what = summary || "this commitment";
  return (
    <div className="flex gap-2">
      {(["kept", "broken"] as const).map((status) => (
        <Form
          key={status}
          method="post"
          action={action}
          onSubmit={(event) => {
            if (
              status === "broken" &&
              !window.confirm(`Mark “${what}” as broken? It counts as a withdrawal on the ledger.`)
            ) {
              event.preventDefault();
            }
          }}
        >
          <input type="hidden" name="status" value={status} />
          <input type="hidden" name="returnTo" value="/week" />
          <button type="submit" className="btn-secondary" disabled={Boolean(pending)}>
            {pending === status ? "Saving…" : status === "kept" ? "Mark kept" : "Mark broken"}
            <span className="sr-only">: {what}</span>
          </button>
        </Form>
      ))}
    </div>
  );
}
