import type { InputHTMLAttributes } from "react";
import { FieldError } from "~/components/field-error";

/** A labelled input with its error message wired up for screen readers. */
export function FormField({
  label,
  error,
  id,
  ...input
}: { label: string; error?: string; id: string } & InputHTMLAttributes<HTMLInputElement>) {
  const errorId = `${id}-error`;
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      <input
        id={id}
        className="input mt-1"
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        {...input}
      />
      <FieldError id={errorId} message={error} />
    </div>
  );
}
