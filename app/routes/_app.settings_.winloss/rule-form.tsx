import { Form, useNavigation } from "@remix-run/react";
import { FieldError } from "~/components/field-error";
import { FormError } from "~/components/form-error";
import {
  ACTION_LABELS,
  MAX_DELAY_DAYS,
  RULE_OUTCOMES,
  RULE_SEGMENTS,
  SEGMENT_LABELS,
  WINLOSS_ACTIONS,
  type RuleFieldErrors,
  type ruleFormDefaults,
} from "~/domain/winloss-program";
import { humanize } from "~/lib/format";

type Defaults = ReturnType<typeof ruleFormDefaults>;

const describedBy = (...ids: (string | false | undefined)[]) => ids.filter(Boolean).join(" ") || undefined;

/**
 * One rule's condition and action. The ids carry `prefix`, so the add form and each rule's
 * edit form can share the page; the server checks everything again (winloss-program.ts).
 */
export function RuleForm({
  prefix,
  intent,
  ruleId,
  defaults,
  errors,
  submitLabel,
}: {
  prefix: string;
  intent: "create" | "update";
  ruleId?: string;
  defaults: Defaults;
  errors: RuleFieldErrors;
  submitLabel: string;
}) {
  const navigation = useNavigation();
  const pending =
    navigation.state === "submitting" &&
    navigation.formData?.get("intent") === intent &&
    (navigation.formData?.get("ruleId") ?? undefined) === ruleId;
  const id = (field: string) => `${prefix}-${field}`;
  return (
    <Form method="post" noValidate className="space-y-4" aria-busy={pending}>
      <input type="hidden" name="intent" value={intent} />
      {ruleId ? <input type="hidden" name="ruleId" value={ruleId} /> : null}
      <FormError message={errors.form} />
      <fieldset aria-describedby={describedBy(id("outcomes-help"), errors.outcomes && id("outcomes-error"))}>
        <legend className="text-sm font-medium">When the deal ends as</legend>
        <p id={id("outcomes-help")} className="text-xs text-slate-500">
          Tick none for any outcome.
        </p>
        <div className="mt-2 flex flex-wrap gap-4">
          {RULE_OUTCOMES.map((outcome) => (
            <label key={outcome} className="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                name="outcomes"
                value={outcome}
                defaultChecked={defaults.outcomes.includes(outcome)}
              />
              {humanize(outcome)}
            </label>
          ))}
        </div>
        <FieldError id={id("outcomes-error")} message={errors.outcomes} />
      </fieldset>
      <div className="grid gap-4 sm:grid-cols-3">
        <AmountField
          id={id("minAmount")}
          name="minAmount"
          label="Amount at least (USD)"
          defaultValue={defaults.minAmount}
          error={errors.minAmount}
        />
        <AmountField
          id={id("maxAmount")}
          name="maxAmount"
          label="Amount below (USD)"
          defaultValue={defaults.maxAmount}
          error={errors.maxAmount}
        />
        <div>
          <label htmlFor={id("segment")} className="block text-sm font-medium">
            Segment
          </label>
          <select
            id={id("segment")}
            name="segment"
            className="input mt-1"
            defaultValue={defaults.segment}
            aria-invalid={errors.segment ? true : undefined}
            aria-describedby={describedBy(errors.segment && id("segment-error"))}
          >
            <option value="">Any segment</option>
            {RULE_SEGMENTS.map((segment) => (
              <option key={segment} value={segment}>
                {SEGMENT_LABELS[segment]}
              </option>
            ))}
          </select>
          <FieldError id={id("segment-error")} message={errors.segment} />
        </div>
      </div>
      <div className="grid gap-4 sm:grid-cols-3">
        <fieldset
          className="sm:col-span-2"
          aria-describedby={describedBy(errors.action && id("action-error"))}
        >
          <legend className="text-sm font-medium">Then</legend>
          <div className="mt-2 flex flex-wrap gap-4">
            {WINLOSS_ACTIONS.map((action) => (
              <label key={action} className="flex items-center gap-2 text-sm">
                <input
                  type="radio"
                  name="action"
                  value={action}
                  defaultChecked={defaults.action === action}
                />
                {ACTION_LABELS[action]}
              </label>
            ))}
          </div>
          <FieldError id={id("action-error")} message={errors.action} />
        </fieldset>
        <div>
          <label htmlFor={id("delayDays")} className="block text-sm font-medium">
            Days after close
          </label>
          <input
            id={id("delayDays")}
            name="delayDays"
            type="number"
            min={0}
            max={MAX_DELAY_DAYS}
            step={1}
            inputMode="numeric"
            className="input mt-1"
            defaultValue={defaults.delayDays}
            aria-invalid={errors.delayDays ? true : undefined}
            aria-describedby={describedBy(id("delayDays-help"), errors.delayDays && id("delayDays-error"))}
          />
          <p id={id("delayDays-help")} className="mt-1 text-xs text-slate-500">
            0 to {MAX_DELAY_DAYS}; counted from when the deal was closed in Rapport.
          </p>
          <FieldError id={id("delayDays-error")} message={errors.delayDays} />
        </div>
      </div>
      <button type="submit" className="btn-primary" disabled={pending}>
        {pending ? "Saving…" : submitLabel}
      </button>
    </Form>
  );
}

function AmountField({
  id,
  name,
  label,
  defaultValue,
  error,
}: {
  id: string;
  name: string;
  label: string;
  defaultValue: string;
  error?: string;
}) {
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      <input
        id={id}
        name={name}
        inputMode="decimal"
        placeholder="No limit"
        className="input mt-1"
        defaultValue={defaultValue}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(error && `${id}-error`)}
      />
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}
