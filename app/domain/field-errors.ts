import { z } from "zod";

/** The first message for each field, for a form to show beside it. */
export function firstErrorPerField<Field extends string>(error: z.ZodError): Partial<Record<Field, string>> {
  const errors: Partial<Record<Field, string>> = {};
  for (const issue of error.issues) {
    const field = issue.path[0] as Field | undefined;
    if (field && !errors[field]) errors[field] = issue.message;
  }
  return errors;
}

/** An HTML checkbox: it posts "on" when ticked and nothing when not. Parses to a boolean. */
export function checkboxField(label: string) {
  return z
    .enum(["on", "true"], { message: `${label} is a checkbox: tick it or leave it empty.` })
    .optional()
    .transform((value) => value !== undefined);
}
