import type { ReactNode } from "react";

/** An honest "nothing here yet" panel: what will appear, and what to do to get it. */
export function EmptyState({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="card border-dashed p-8 text-center">
      <h2 className="text-base font-semibold text-slate-900">{title}</h2>
      <div className="mx-auto mt-2 max-w-prose text-sm text-slate-600">{children}</div>
    </div>
  );
}
