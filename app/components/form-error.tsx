import type { ReactNode } from "react";

/** A refusal that concerns the whole form, announced when it appears. */
export function FormError({ message }: { message?: ReactNode }) {
  return message ? (
    <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800">
      {message}
    </p>
  ) : null;
}
