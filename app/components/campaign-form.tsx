import { Form, Link, useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";
import { FieldError } from "~/components/field-error";
import { FormError } from "~/components/form-error";
import { humanize } from "~/lib/format";

/** The form's values as posted (and echoed back after a refusal). */
export interface CampaignFormValues {
  name: string;
  surveyVersionId: string;
  expiresAfterDays: string;
  reminders: string;
  frequencyWindowDays: string;
  askBudgetPerQuarter: string;
  senderName: string;
  replyTo: string;
  emailList: string;
  accountIds: string[];
  segments: string[];
  regions: string[];
  tiers: string[];
  ownerIds: string[];
  buyingRoles: string[];
}

export type CampaignFormErrors = Partial<Record<keyof CampaignFormValues | "audience", string>>;

export interface CampaignFormOptions {
  surveys: { id: string; title: string; kind: string; version: number }[];
  accounts: { id: string; name: string }[];
  owners: { id: string; name: string }[];
  regions: string[];
}

const SEGMENTS = ["enterprise", "mid_market", "smb"];
const TIERS = ["strategic", "key", "core"];
const ROLES = ["decision_maker", "champion", "influencer", "user"];

function Field({
  id,
  label,
  hint,
  error,
  children,
}: {
  id: string;
  label: string;
  hint?: ReactNode;
  error?: string;
  children: (props: { id: string; "aria-describedby"?: string; "aria-invalid"?: true }) => ReactNode;
}) {
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ");
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      {hint ? (
        <p id={`${id}-hint`} className="text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
      {children({
        id,
        "aria-describedby": describedBy || undefined,
        "aria-invalid": error ? true : undefined,
      })}
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}

function Checkboxes({
  legend,
  name,
  values,
  chosen,
}: {
  legend: string;
  name: keyof CampaignFormValues;
  values: string[];
  chosen: string[];
}) {
  return (
    <fieldset>
      <legend className="text-sm font-medium">{legend}</legend>
      <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1">
        {values.map((value) => (
          <label key={value} className="inline-flex items-center gap-2 text-sm">
            <input type="checkbox" name={name} value={value} defaultChecked={chosen.includes(value)} />
            {humanize(value)}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

function MultiSelect({
  id,
  label,
  name,
  options,
  chosen,
}: {
  id: string;
  label: string;
  name: keyof CampaignFormValues;
  options: { value: string; label: string }[];
  chosen: string[];
}) {
  return (
    <Field id={id} label={label} hint="Ctrl/⌘-click or Shift-click to pick several; none picked means any.">
      {(props) => (
        <select
          {...props}
          name={name}
          multiple
          size={Math.min(6, Math.max(3, options.length))}
          defaultValue={chosen}
          className="input mt-1"
        >
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/**
 * Survey, audience, reminders, expiry, contact-frequency rules and sender of a campaign.
 * Saving keeps it a draft: the campaign page then shows exactly who would be asked.
 */
export function CampaignForm({
  values,
  errors = {},
  options,
  submitLabel,
  cancelTo,
}: {
  values: CampaignFormValues;
  errors?: CampaignFormErrors;
  options: CampaignFormOptions;
  submitLabel: string;
  cancelTo: string;
}) {
  const navigation = useNavigation();
  const saving = navigation.state === "submitting";
  return (
    <Form method="post" noValidate className="card max-w-3xl space-y-8 p-6">
      <FormError
        message={Object.keys(errors).length > 0 ? "Some fields need a look; see below." : undefined}
      />
      <section className="space-y-4" aria-labelledby="campaign-basics">
        <h2 id="campaign-basics" className="text-base font-semibold">
          What to send
        </h2>
        <Field id="campaign-name" label="Campaign name" error={errors.name}>
          {(props) => (
            <input
              {...props}
              name="name"
              defaultValue={values.name}
              className="input mt-1"
              maxLength={200}
              required
            />
          )}
        </Field>
        <Field id="campaign-survey" label="Survey" error={errors.surveyVersionId}>
          {(props) => (
            <select
              {...props}
              name="surveyVersionId"
              defaultValue={values.surveyVersionId}
              className="input mt-1"
            >
              <option value="">Choose a survey…</option>
              {options.surveys.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.title} ({humanize(s.kind)}, version {s.version})
                </option>
              ))}
            </select>
          )}
        </Field>
      </section>

      <section
        className="space-y-4"
        aria-labelledby="campaign-audience"
        aria-describedby="campaign-audience-hint"
      >
        <h2 id="campaign-audience" className="text-base font-semibold">
          Who it is for
        </h2>
        <p id="campaign-audience-hint" className="text-sm text-slate-600">
          Every criterion you set narrows the audience. You will see who is asked, and who is left out and
          why, before anything is sent.
        </p>
        {errors.audience ? (
          <p role="alert" className="text-sm text-red-700">
            {errors.audience}
          </p>
        ) : null}
        <Checkboxes legend="Segment" name="segments" values={SEGMENTS} chosen={values.segments} />
        <Checkboxes legend="Tier" name="tiers" values={TIERS} chosen={values.tiers} />
        <Checkboxes
          legend="Role in the buying group"
          name="buyingRoles"
          values={ROLES}
          chosen={values.buyingRoles}
        />
        <div className="grid gap-4 sm:grid-cols-2">
          <MultiSelect
            id="campaign-regions"
            label="Region"
            name="regions"
            options={options.regions.map((r) => ({ value: r, label: r }))}
            chosen={values.regions}
          />
          <MultiSelect
            id="campaign-owners"
            label="Account owner"
            name="ownerIds"
            options={options.owners.map((o) => ({ value: o.id, label: o.name }))}
            chosen={values.ownerIds}
          />
        </div>
        <MultiSelect
          id="campaign-accounts"
          label="Accounts"
          name="accountIds"
          options={options.accounts.map((a) => ({ value: a.id, label: a.name }))}
          chosen={values.accountIds}
        />
        <Field
          id="campaign-emails"
          label="Or an explicit list of contacts"
          hint="Email addresses of existing contacts, one per line or separated by commas."
          error={errors.emailList}
        >
          {(props) => (
            <textarea
              {...props}
              name="emailList"
              rows={3}
              defaultValue={values.emailList}
              className="input mt-1"
            />
          )}
        </Field>
      </section>

      <section className="space-y-4" aria-labelledby="campaign-timing">
        <h2 id="campaign-timing" className="text-base font-semibold">
          Reminders, expiry and how often people are asked
        </h2>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field
            id="campaign-reminders"
            label="Reminders (days after launch)"
            hint="To those who have not answered, e.g. 3, 7. Leave empty for none."
            error={errors.reminders}
          >
            {(props) => (
              <input {...props} name="reminders" defaultValue={values.reminders} className="input mt-1" />
            )}
          </Field>
          <Field id="campaign-expiry" label="Links expire after (days)" error={errors.expiresAfterDays}>
            {(props) => (
              <input
                {...props}
                name="expiresAfterDays"
                inputMode="numeric"
                defaultValue={values.expiresAfterDays}
                className="input mt-1 tabular-nums"
              />
            )}
          </Field>
          <Field
            id="campaign-window"
            label="Contact-frequency window (days)"
            hint="Nobody surveyed within this many days is asked again."
            error={errors.frequencyWindowDays}
          >
            {(props) => (
              <input
                {...props}
                name="frequencyWindowDays"
                inputMode="numeric"
                defaultValue={values.frequencyWindowDays}
                className="input mt-1 tabular-nums"
              />
            )}
          </Field>
          <Field
            id="campaign-budget"
            label="Ask budget (contacts per account per quarter)"
            hint="Decision-makers and champions are asked first."
            error={errors.askBudgetPerQuarter}
          >
            {(props) => (
              <input
                {...props}
                name="askBudgetPerQuarter"
                inputMode="numeric"
                defaultValue={values.askBudgetPerQuarter}
                className="input mt-1 tabular-nums"
              />
            )}
          </Field>
        </div>
      </section>

      <section className="space-y-4" aria-labelledby="campaign-sender">
        <h2 id="campaign-sender" className="text-base font-semibold">
          Sender
        </h2>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field
            id="campaign-sender-name"
            label="Sender name"
            hint="Empty: each account's owner, so the customer sees who is asking."
            error={errors.senderName}
          >
            {(props) => (
              <input {...props} name="senderName" defaultValue={values.senderName} className="input mt-1" />
            )}
          </Field>
          <Field
            id="campaign-reply-to"
            label="Reply-to"
            hint="Empty: each account's owner."
            error={errors.replyTo}
          >
            {(props) => (
              <input
                {...props}
                name="replyTo"
                type="email"
                defaultValue={values.replyTo}
                className="input mt-1"
              />
            )}
          </Field>
        </div>
      </section>

      <div className="flex items-center gap-3">
        <button type="submit" className="btn-primary" disabled={saving}>
          {saving ? "Saving…" : submitLabel}
        </button>
        <Link to={cancelTo} className="btn-secondary">
          Cancel
        </Link>
      </div>
    </Form>
  );
}
