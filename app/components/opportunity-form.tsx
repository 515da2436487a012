import { Form, useNavigation } from "@remix-run/react";
import { useState, type FormEvent } from "react";
import { FieldError } from "~/components/field-error";
import { FormError } from "~/components/form-error";
import { FormField } from "~/components/form-field";
import { SellerReasonFields, useReasonChoice } from "~/components/seller-reasons-form";
import type { OpportunityFieldErrors } from "~/domain/opportunities.server";

/** The reason taxonomy with the labels people read ("product_fit" → "Product fit"). */

export const CLOSED_OUTCOME_OPTIONS = [
  { value: "won", label: "Won" },
  { value: "lost", label: "Lost" },
  { value: "no_decision", label: "No decision" },
] as const;

/**
 * What these forms post, as the domain's schemas read it: one value per field, except the
 * secondary reasons, which are repeated checkboxes.
 */
export function formValues(formData: FormData): Record<string, unknown> {
  return { ...Object.fromEntries(formData), secondaryReasons: formData.getAll("secondaryReasons") };
}

/** 123450 → "1234.50", 5000000 → "50000": the amount as the person would type it. */
export function centsToUnits(cents: number): string {
  const whole = Math.floor(cents / 100);
  const fraction = cents % 100;
  return fraction === 0 ? String(whole) : `${whole}.${String(fraction).padStart(2, "0")}`;
}

export interface FormResult {
  intent?: string;
  formError?: string | null;
  fieldErrors?: OpportunityFieldErrors;
}

function usePending(intent: string) {
  const navigation = useNavigation();
  return navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
}

const describedBy = (...ids: (string | false | undefined)[]) => ids.filter(Boolean).join(" ") || undefined;

export interface OpportunityDefaults {
  name: string;
  amount: string;
  closeDate: string;
  competitor: string;
  sellerId: string;
  sellerName?: string | null;
}

/**
 * The deal's facts: used to create a deal (intent "create") and to edit an open one
 * (intent "update"). Field ids carry the intent, so both forms can share a page.
 */
export function OpportunityForm({
  intent,
  defaults,
  team,
  result,
  submitLabel,
  pendingLabel,
}: {
  intent: "create" | "update";
  defaults: OpportunityDefaults;
  team: { id: string; name: string }[];
  result?: FormResult;
  submitLabel: string;
  pendingLabel: string;
}) {
  const pending = usePending(intent);
  const mine = result?.intent === intent ? result : undefined;
  const errors = mine?.fieldErrors ?? {};
  const id = (field: string) => `${intent}-${field}`;
  // a seller who has since left the team stays selectable on their own deal
  const sellers =
    defaults.sellerId && !team.some((member) => member.id === defaults.sellerId)
      ? [
          ...team,
          { id: defaults.sellerId, name: `${defaults.sellerName ?? "Former colleague"} (not on the team)` },
        ]
      : team;
  return (
    <Form method="post" noValidate className="space-y-4" aria-busy={pending}>
      <input type="hidden" name="intent" value={intent} />
      <FormError message={mine?.formError} />
      <FormField
        id={id("name")}
        name="name"
        label="Name"
        required
        maxLength={200}
        defaultValue={defaults.name}
        error={errors.name}
      />
      <div className="grid gap-4 sm:grid-cols-2">
        <FormField
          id={id("amount")}
          name="amount"
          label="Amount (USD, whole units)"
          inputMode="decimal"
          placeholder="25000"
          required
          defaultValue={defaults.amount}
          error={errors.amount}
        />
        <FormField
          id={id("closeDate")}
          name="closeDate"
          type="date"
          label="Expected close date"
          defaultValue={defaults.closeDate}
          error={errors.closeDate}
        />
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        <FormField
          id={id("competitor")}
          name="competitor"
          label="Competitor (optional)"
          maxLength={200}
          defaultValue={defaults.competitor}
          error={errors.competitor}
        />
        <div>
          <label htmlFor={id("sellerId")} className="block text-sm font-medium">
            Seller
          </label>
          <select
            id={id("sellerId")}
            name="sellerId"
            className="input mt-1"
            defaultValue={defaults.sellerId}
            aria-invalid={errors.sellerId ? true : undefined}
            aria-describedby={describedBy(errors.sellerId && id("sellerId-error"))}
          >
            {defaults.sellerId === "" ? <option value="">No seller recorded</option> : null}
            {sellers.map((member) => (
              <option key={member.id} value={member.id}>
                {member.name}
              </option>
            ))}
          </select>
          <FieldError id={id("sellerId-error")} message={errors.sellerId} />
        </div>
      </div>
      <button type="submit" className="btn-primary" disabled={pending}>
        {pending ? pendingLabel : submitLabel}
      </button>
    </Form>
  );
}

/**
 * Closing a deal: the outcome and the seller's reasons, sealed once saved. The browser
 * keeps the choices consistent (the primary reason is not offered again as a secondary,
 * at most `maxSecondaryReasons` may be ticked); the server checks the same rules.
 */
export function CloseOpportunityForm({
  dealName,
  defaults,
  maxSecondaryReasons,
  result,
}: {
  dealName: string;
  defaults: { closeDate: string; amount: string; competitor: string };
  maxSecondaryReasons: number;
  result?: FormResult;
}) {
  const pending = usePending("close");
  const mine = result?.intent === "close" ? result : undefined;
  const errors = mine?.fieldErrors ?? {};
  const [outcome, setOutcome] = useState("");
  const choice = useReasonChoice();
  function confirmSeal(event: FormEvent<HTMLFormElement>) {
    const label = CLOSED_OUTCOME_OPTIONS.find((option) => option.value === outcome)?.label;
    // without an outcome the server answers with what is missing; nothing is sealed
    if (!label) return;
    const sure = window.confirm(
      `Close “${dealName}” as ${label.toLowerCase()}? The seller's reasons are sealed once saved: nobody can change them or reopen the deal.`,
    );
    if (!sure) event.preventDefault();
  }

  return (
    <Form method="post" noValidate className="space-y-4" aria-busy={pending} onSubmit={confirmSeal}>
      <input type="hidden" name="intent" value="close" />
      <FormError message={mine?.formError} />
      <fieldset aria-describedby={describedBy(errors.outcome && "close-outcome-error")}>
        <legend className="text-sm font-medium">How did it end?</legend>
        <div className="mt-2 flex flex-wrap gap-4">
          {CLOSED_OUTCOME_OPTIONS.map((option) => (
            <label key={option.value} className="flex items-center gap-2 text-sm">
              <input
                type="radio"
                name="outcome"
                value={option.value}
                checked={outcome === option.value}
                onChange={() => setOutcome(option.value)}
              />
              {option.label}
            </label>
          ))}
        </div>
        <FieldError id="close-outcome-error" message={errors.outcome} />
      </fieldset>
      <div className="grid gap-4 sm:grid-cols-3">
        <FormField
          id="close-closeDate"
          name="closeDate"
          type="date"
          label="Close date"
          defaultValue={defaults.closeDate}
          error={errors.closeDate}
        />
        <FormField
          id="close-amount"
          name="amount"
          label="Final amount (USD)"
          inputMode="decimal"
          defaultValue={defaults.amount}
          error={errors.amount}
        />
        <div>
          <label htmlFor="close-competitor" className="block text-sm font-medium">
            Competitor
          </label>
          <input
            id="close-competitor"
            name="competitor"
            className="input mt-1"
            maxLength={200}
            defaultValue={defaults.competitor}
            aria-invalid={errors.competitor ? true : undefined}
            aria-describedby={describedBy(
              "close-competitor-help",
              errors.competitor && "close-competitor-error",
            )}
          />
          <p id="close-competitor-help" className="mt-1 text-xs text-slate-500">
            {outcome === "lost" ? "Who won it? Worth recording for a lost deal." : "Optional."}
          </p>
          <FieldError id="close-competitor-error" message={errors.competitor} />
        </div>
      </div>
      <SellerReasonFields
        idPrefix="close"
        primaryLabel="The main reason, in the seller’s view"
        choice={choice}
        errors={errors}
        maxSecondaryReasons={maxSecondaryReasons}
      />
      <button type="submit" className="btn-primary" disabled={pending}>
        {pending ? "Closing…" : "Close the deal and seal the reasons"}
      </button>
    </Form>
  );
}
