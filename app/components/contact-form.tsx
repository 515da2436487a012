import { Form, Link, useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";
import { FieldError } from "~/components/field-error";
import { FormError } from "~/components/form-error";
import { formText } from "~/lib/form-data";
import { humanize } from "~/lib/format";

/*
 * Shared by /accounts/:accountId/contacts/new and /contacts/:contactId/edit. It lives beside
 * the contact page because it has no server code; see the report on moving it to components/.
 */

/** The form's values as posted (and echoed back after a refusal). */
export interface ContactFormValues {
  name: string;
  email: string;
  title: string;
  buyingRole: string;
  language: string;
  optedOut: boolean;
}

export type ContactFormErrors = Partial<Record<keyof ContactFormValues, string>>;

export const BUYING_ROLES = ["decision_maker", "influencer", "user", "champion"] as const;

/** Common choices; any language code up to ten characters is accepted. */
const LANGUAGES = [
  ["en", "English"],
  ["de", "German"],
  ["fr", "French"],
  ["es", "Spanish"],
  ["it", "Italian"],
  ["nl", "Dutch"],
  ["pt", "Portuguese"],
  ["ja", "Japanese"],
] as const;

/** What was posted, as the form holds it. */
export function submittedContactValues(form: FormData): ContactFormValues {
  const get = (name: string) => formText(form, name);
  return {
    name: get("name"),
    email: get("email"),
    title: get("title"),
    buyingRole: get("buyingRole"),
    language: get("language"),
    optedOut: form.has("optedOut"),
  };
}

/** The same values in the shape the server's zod schema reads (an unticked box posts nothing). */
export function contactSchemaInput(values: ContactFormValues): Record<string, string> {
  const { optedOut, ...rest } = values;
  return optedOut ? { ...rest, optedOut: "on" } : rest;
}

function Field({
  id,
  label,
  help,
  error,
  children,
}: {
  id: string;
  label: string;
  help?: string;
  error?: string;
  children: (describedBy: string | undefined) => ReactNode;
}) {
  const describedBy = [help ? `${id}-help` : null, error ? `${id}-error` : null].filter(Boolean).join(" ");
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      {children(describedBy || undefined)}
      {help ? (
        <p id={`${id}-help`} className="mt-1 text-xs text-slate-500">
          {help}
        </p>
      ) : null}
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}

export function ContactForm({
  values,
  errors = {},
  submitLabel,
  pendingLabel,
  cancelTo,
}: {
  values: ContactFormValues;
  errors?: ContactFormErrors;
  submitLabel: string;
  pendingLabel: string;
  cancelTo: string;
}) {
  const navigation = useNavigation();
  const submitting = navigation.state === "submitting";
  const invalid = (field: keyof ContactFormValues) => (errors[field] ? true : undefined);
  return (
    <Form method="post" noValidate className="card max-w-xl space-y-4 p-6" aria-busy={submitting}>
      <FormError
        message={Object.keys(errors).length > 0 ? "Nothing was saved. Check the fields marked below." : null}
      />
      <Field id="contact-name" label="Name" error={errors.name}>
        {(describedBy) => (
          <input
            id="contact-name"
            name="name"
            className="input mt-1"
            required
            maxLength={200}
            autoComplete="off"
            defaultValue={values.name}
            aria-invalid={invalid("name")}
            aria-describedby={describedBy}
          />
        )}
      </Field>
      <Field
        id="contact-email"
        label="Email (optional)"
        help="Needed to send them surveys. One contact per address in an account."
        error={errors.email}
      >
        {(describedBy) => (
          <input
            id="contact-email"
            name="email"
            type="email"
            className="input mt-1"
            maxLength={320}
            autoComplete="off"
            defaultValue={values.email}
            aria-invalid={invalid("email")}
            aria-describedby={describedBy}
          />
        )}
      </Field>
      <Field id="contact-title" label="Title (optional)" error={errors.title}>
        {(describedBy) => (
          <input
            id="contact-title"
            name="title"
            className="input mt-1"
            maxLength={200}
            autoComplete="off"
            defaultValue={values.title}
            aria-invalid={invalid("title")}
            aria-describedby={describedBy}
          />
        )}
      </Field>
      <Field
        id="contact-role"
        label="Role in the buying group"
        help="The account's customer view weighs each answer by the contact's role."
        error={errors.buyingRole}
      >
        {(describedBy) => (
          <select
            id="contact-role"
            name="buyingRole"
            className="input mt-1"
            defaultValue={values.buyingRole}
            aria-invalid={invalid("buyingRole")}
            aria-describedby={describedBy}
          >
            {BUYING_ROLES.map((role) => (
              <option key={role} value={role}>
                {humanize(role)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field
        id="contact-language"
        label="Language"
        help="Pick one or type a language code such as pt-BR (at most 10 characters)."
        error={errors.language}
      >
        {(describedBy) => (
          <>
            <input
              id="contact-language"
              name="language"
              className="input mt-1 max-w-[12rem]"
              list="contact-language-options"
              maxLength={10}
              autoComplete="off"
              defaultValue={values.language}
              aria-invalid={invalid("language")}
              aria-describedby={describedBy}
            />
            <datalist id="contact-language-options">
              {LANGUAGES.map(([code, name]) => (
                <option key={code} value={code}>
                  {name}
                </option>
              ))}
            </datalist>
          </>
        )}
      </Field>
      <div>
        <div className="flex items-center gap-2">
          <input
            id="contact-opted-out"
            name="optedOut"
            type="checkbox"
            className="h-4 w-4 rounded border-slate-300"
            defaultChecked={values.optedOut}
            aria-describedby="contact-opted-out-help"
          />
          <label htmlFor="contact-opted-out" className="text-sm font-medium">
            Opted out of surveys
          </label>
        </div>
        <p id="contact-opted-out-help" className="mt-1 text-xs text-slate-500">
          An opted-out contact is never sent a survey. Untick it only if they asked to hear from us again.
        </p>
      </div>
      <div className="flex items-center gap-3">
        <button type="submit" className="btn-primary" disabled={submitting}>
          {submitting ? pendingLabel : submitLabel}
        </button>
        <Link to={cancelTo} className="text-sm text-slate-600 hover:underline">
          Cancel
        </Link>
      </div>
    </Form>
  );
}
