import { Form, useNavigation } from "@remix-run/react";
import { useState, type FormEvent } from "react";
import { FieldError } from "~/components/field-error";
import { FormError } from "~/components/form-error";
import { DECISION_REASONS } from "~/domain/dimensions";
import { humanize } from "~/lib/format";
import type { OpportunityFieldErrors } from "~/domain/opportunities.server";

const describedBy = (...ids: (string | false | undefined)[]) => ids.filter(Boolean).join(" ") || undefined;

/**
 * The seller's reasons for a deal that closed without them (by CSV import or the API),
 * posted as `primaryReason`, repeated `secondaryReasons` and `reasonNote` — the same fields
 * the close form posts, checked by the same rules (recordSellerReasons). Sealed once saved,
 * so it asks first.
 */
export function SellerReasonsForm({
  dealName,
  maxSecondaryReasons,
  formError,
  fieldErrors = {},
}: {
  dealName: string;
  maxSecondaryReasons: number;
  formError?: string | null;
  fieldErrors?: OpportunityFieldErrors;
}) {
  const navigation = useNavigation();
  const pending = navigation.state === "submitting";
  const choice = useReasonChoice();
  function confirmSeal(event: FormEvent<HTMLFormElement>) {
    // without a main reason the server answers with what is missing; nothing is sealed
    if (!choice.primary) return;
    if (!window.confirm(`Seal your reasons for “${dealName}”? Once saved, nobody can change them.`)) {
      event.preventDefault();
    }
  }

  return (
    <Form method="post" noValidate className="space-y-4" aria-busy={pending} onSubmit={confirmSeal}>
      <FormError message={formError} />
      <SellerReasonFields
        idPrefix="reasons"
        primaryLabel="The main reason, in your view"
        choice={choice}
        errors={fieldErrors}
        maxSecondaryReasons={maxSecondaryReasons}
      />
      <button type="submit" className="btn-primary" disabled={pending}>
        {pending ? "Sealing…" : "Seal my reasons"}
      </button>
    </Form>
  );
}

export const DECISION_REASON_OPTIONS = DECISION_REASONS.map((value) => ({ value, label: humanize(value) }));

export interface ReasonChoice {
  primary: string;
  secondary: string[];
  choosePrimary(value: string): void;
  toggleSecondary(value: string, checked: boolean): void;
}

/** The reasons as they are being chosen: the main one is never also ticked as another. */
export function useReasonChoice(): ReasonChoice {
  const [primary, setPrimary] = useState("");
  const [secondary, setSecondary] = useState<string[]>([]);
  return {
    primary,
    secondary,
    choosePrimary(value) {
      setPrimary(value);
      setSecondary((current) => current.filter((reason) => reason !== value));
    },
    toggleSecondary(value, checked) {
      setSecondary((current) =>
        checked ? [...current, value] : current.filter((reason) => reason !== value),
      );
    },
  };
}

/**
 * The seller's reasons — the main one, up to `maxSecondaryReasons` others, a sentence — as the
 * close form and the reasons form both ask them (`primaryReason`, repeated `secondaryReasons`,
 * `reasonNote`).
 */
export function SellerReasonFields({
  idPrefix,
  primaryLabel,
  choice,
  errors,
  maxSecondaryReasons,
}: {
  idPrefix: string;
  primaryLabel: string;
  choice: ReasonChoice;
  errors: OpportunityFieldErrors;
  maxSecondaryReasons: number;
}) {
  const { primary, secondary, choosePrimary, toggleSecondary } = choice;
  return (
    <>
      <div>
        <label htmlFor={`${idPrefix}-primaryReason`} className="block text-sm font-medium">
          {primaryLabel}
        </label>
        <select
          id={`${idPrefix}-primaryReason`}
          name="primaryReason"
          className="input mt-1"
          value={primary}
          onChange={(event) => choosePrimary(event.target.value)}
          aria-invalid={errors.primaryReason ? true : undefined}
          aria-describedby={describedBy(errors.primaryReason && `${idPrefix}-primaryReason-error`)}
        >
          <option value="">Choose a reason…</option>
          {DECISION_REASON_OPTIONS.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
        <FieldError id={`${idPrefix}-primaryReason-error`} message={errors.primaryReason} />
      </div>
      <fieldset
        aria-describedby={describedBy(
          `${idPrefix}-secondaryReasons-help`,
          errors.secondaryReasons && `${idPrefix}-secondaryReasons-error`,
        )}
      >
        <legend className="text-sm font-medium">Other reasons that mattered</legend>
        <p id={`${idPrefix}-secondaryReasons-help`} className="text-xs text-slate-500">
          Up to {maxSecondaryReasons}, not the main one.
        </p>
        <div className="mt-2 grid gap-2 sm:grid-cols-2">
          {DECISION_REASON_OPTIONS.map((option) => {
            const checked = secondary.includes(option.value);
            const isPrimary = option.value === primary;
            return (
              <label key={option.value} className="flex items-center gap-2 text-sm">
                <input
                  type="checkbox"
                  name="secondaryReasons"
                  value={option.value}
                  checked={checked}
                  disabled={isPrimary || (!checked && secondary.length >= maxSecondaryReasons)}
                  onChange={(event) => toggleSecondary(option.value, event.target.checked)}
                />
                {option.label}
                {isPrimary ? <span className="text-xs text-slate-500">(the main reason)</span> : null}
              </label>
            );
          })}
        </div>
        <FieldError id={`${idPrefix}-secondaryReasons-error`} message={errors.secondaryReasons} />
      </fieldset>
      <div>
        <label htmlFor={`${idPrefix}-reasonNote`} className="block text-sm font-medium">
          In one sentence, why did it end this way?
        </label>
        <textarea
          id={`${idPrefix}-reasonNote`}
          name="reasonNote"
          rows={2}
          maxLength={500}
          className="input mt-1"
          aria-invalid={errors.reasonNote ? true : undefined}
          aria-describedby={describedBy(errors.reasonNote && `${idPrefix}-reasonNote-error`)}
        />
        <FieldError id={`${idPrefix}-reasonNote-error`} message={errors.reasonNote} />
      </div>
    </>
  );
}
