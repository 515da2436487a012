import { Form, Link, useNavigation } from "@remix-run/react";
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from "react";
import { FieldError } from "~/components/field-error";
import { formText } from "~/lib/form-data";
import { humanize } from "~/lib/format";

/** The form's values as strings, the way they are posted (and echoed back after a refusal). */
export interface AccountFormValues {
  name: string;
  segment: string;
  region: string;
  tier: string;
  lifecycleStage: string;
  annualValue: string;
  targetCadenceDays: string;
  ownerId: string;
  memberIds: string[];
}

export type AccountFormErrors = Partial<Record<keyof AccountFormValues, string>>;

export interface AccountFormPerson {
  id: string;
  name: string;
  role: string;
  deactivated: boolean;
}

export interface AccountFormOptions {
  /** Who may own an account (offered to admins only). */
  owners: AccountFormPerson[];
  /** Who may join the team. */
  people: AccountFormPerson[];
  segments: readonly string[];
  tiers: readonly string[];
  stages: readonly string[];
}

/** What was posted, as the form holds it; `memberIds` is a repeated field. */
export function submittedAccountValues(form: FormData): AccountFormValues {
  const get = (name: string) => formText(form, name);
  return {
    name: get("name"),
    segment: get("segment"),
    region: get("region"),
    tier: get("tier"),
    lifecycleStage: get("lifecycleStage"),
    annualValue: get("annualValue"),
    targetCadenceDays: get("targetCadenceDays"),
    ownerId: get("ownerId"),
    memberIds: form.getAll("memberIds").filter((v): v is string => typeof v === "string"),
  };
}

const FIELD_IDS: Record<keyof AccountFormValues, string> = {
  name: "account-name",
  segment: "account-segment",
  region: "account-region",
  tier: "account-tier",
  lifecycleStage: "account-stage",
  annualValue: "account-value",
  targetCadenceDays: "account-cadence",
  ownerId: "account-owner",
  memberIds: "account-members",
};

const FIELD_LABELS: Record<keyof AccountFormValues, string> = {
  name: "Name",
  segment: "Segment",
  region: "Region",
  tier: "Tier",
  lifecycleStage: "Lifecycle stage",
  annualValue: "Annual value",
  targetCadenceDays: "Target contact cadence",
  ownerId: "Owner",
  memberIds: "Team",
};

/** Label, hint and error around one control; the control gets the ids to point at them. */
function Field({
  field,
  hint,
  error,
  children,
}: {
  field: keyof AccountFormValues;
  hint?: string;
  error?: string;
  children: (describedBy: string | undefined) => ReactNode;
}) {
  const id = FIELD_IDS[field];
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ");
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium">
        {FIELD_LABELS[field]}
      </label>
      {hint ? (
        <p id={`${id}-hint`} className="text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
      {children(describedBy || undefined)}
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}

function ChoiceSelect({
  field,
  value,
  choices,
  error,
}: {
  field: "segment" | "tier" | "lifecycleStage";
  value: string;
  choices: readonly string[];
  error?: string;
}) {
  return (
    <Field field={field} error={error}>
      {(describedBy) => (
        <select
          id={FIELD_IDS[field]}
          name={field}
          defaultValue={value}
          required
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          className="input mt-1"
        >
          {choices.map((choice) => (
            <option key={choice} value={choice}>
              {humanize(choice)}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

const personLabel = (p: AccountFormPerson) =>
  `${p.name} (${humanize(p.role)}${p.deactivated ? ", deactivated" : ""})`;

/**
 * The account form, for creating and editing. Only admins choose the owner; everyone else
 * sees who owns it. The owner is not offered as a team member: owning puts them on the team.
 * When editing, removing people from the team (or handing the account to another owner)
 * asks for confirmation first, because they lose access to the account.
 */
export function AccountForm({
  values,
  errors,
  options,
  canChooseOwner,
  ownerName,
  submitLabel,
  pendingLabel,
  cancelTo,
  saved,
}: {
  values: AccountFormValues;
  errors: AccountFormErrors | undefined;
  options: AccountFormOptions;
  canChooseOwner: boolean;
  /** Shown instead of the owner choice to non-admins. */
  ownerName: string;
  submitLabel: string;
  pendingLabel: string;
  cancelTo: string;
  /** The account as stored (edit only): removals from it are confirmed before saving. */
  saved?: { ownerId: string; memberIds: string[] };
}) {
  const navigation = useNavigation();
  const submitting = navigation.state === "submitting";
  const [ownerId, setOwnerId] = useState(values.ownerId);
  const summary = useRef<HTMLDivElement>(null);
  const errorEntries = Object.entries(errors ?? {}) as [keyof AccountFormValues, string][];

  // After a refusal, move focus to the list of problems so keyboard and screen-reader users hear it.
  useEffect(() => {
    if (errors && Object.keys(errors).length > 0) summary.current?.focus();
  }, [errors]);

  const nameOf = (id: string) => options.people.find((p) => p.id === id)?.name ?? "a former colleague";

  function confirmLostAccess(event: FormEvent<HTMLFormElement>) {
    if (!saved) return;
    const chosen = new FormData(event.currentTarget).getAll("memberIds");
    const newOwner = canChooseOwner ? ownerId : saved.ownerId;
    const removed = saved.memberIds.filter((id) => !chosen.includes(id) && id !== newOwner);
    const lines = removed.map((id) => `${nameOf(id)} will be removed from the team.`);
    if (newOwner !== saved.ownerId && !chosen.includes(saved.ownerId)) {
      lines.push(`${nameOf(saved.ownerId)} will no longer own this account or be on its team.`);
    }
    if (
      lines.length > 0 &&
      !window.confirm(`${lines.join("\n")}\n\nThey lose access to this account. Save?`)
    ) {
      event.preventDefault();
    }
  }

  return (
    <Form method="post" noValidate onSubmit={confirmLostAccess} className="card max-w-3xl space-y-6 p-6">
      {errorEntries.length > 0 ? (
        <div
          ref={summary}
          tabIndex={-1}
          role="alert"
          aria-labelledby="account-form-problems"
          className="rounded-md border border-red-200 bg-red-50 p-4 text-sm text-red-900"
        >
          <h2 id="account-form-problems" className="font-semibold">
            Nothing was saved. {errorEntries.length === 1 ? "One field needs" : "Some fields need"} another
            look:
          </h2>
          <ul className="mt-2 list-disc pl-5">
            {errorEntries.map(([field, message]) => (
              <li key={field}>
                <a href={`#${FIELD_IDS[field]}`} className="underline">
                  {FIELD_LABELS[field]}
                </a>
                : {message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      <div className="grid gap-4 sm:grid-cols-2">
        <div className="sm:col-span-2">
          <Field field="name" error={errors?.name}>
            {(describedBy) => (
              <input
                id={FIELD_IDS.name}
                name="name"
                defaultValue={values.name}
                required
                maxLength={200}
                autoComplete="off"
                aria-invalid={errors?.name ? true : undefined}
                aria-describedby={describedBy}
                className="input mt-1"
              />
            )}
          </Field>
        </div>
        <ChoiceSelect
          field="segment"
          value={values.segment}
          choices={options.segments}
          error={errors?.segment}
        />
        <Field field="region" hint="Free text, such as EMEA or North America." error={errors?.region}>
          {(describedBy) => (
            <input
              id={FIELD_IDS.region}
              name="region"
              defaultValue={values.region}
              required
              maxLength={100}
              aria-invalid={errors?.region ? true : undefined}
              aria-describedby={describedBy}
              className="input mt-1"
            />
          )}
        </Field>
        <ChoiceSelect field="tier" value={values.tier} choices={options.tiers} error={errors?.tier} />
        <ChoiceSelect
          field="lifecycleStage"
          value={values.lifecycleStage}
          choices={options.stages}
          error={errors?.lifecycleStage}
        />
        <Field field="annualValue" hint="In whole US dollars, such as 120000." error={errors?.annualValue}>
          {(describedBy) => (
            <input
              id={FIELD_IDS.annualValue}
              name="annualValue"
              defaultValue={values.annualValue}
              inputMode="numeric"
              required
              aria-invalid={errors?.annualValue ? true : undefined}
              aria-describedby={describedBy}
              className="input mt-1 tabular-nums"
            />
          )}
        </Field>
        <Field
          field="targetCadenceDays"
          hint="Days between two-way contacts the team aims for (1–365)."
          error={errors?.targetCadenceDays}
        >
          {(describedBy) => (
            <input
              id={FIELD_IDS.targetCadenceDays}
              name="targetCadenceDays"
              type="number"
              min={1}
              max={365}
              step={1}
              defaultValue={values.targetCadenceDays}
              aria-invalid={errors?.targetCadenceDays ? true : undefined}
              aria-describedby={describedBy}
              className="input mt-1 tabular-nums"
            />
          )}
        </Field>
      </div>

      {canChooseOwner ? (
        <Field field="ownerId" hint="A manager or an admin." error={errors?.ownerId}>
          {(describedBy) => (
            <select
              id={FIELD_IDS.ownerId}
              name="ownerId"
              value={ownerId}
              onChange={(e) => setOwnerId(e.target.value)}
              required
              aria-invalid={errors?.ownerId ? true : undefined}
              aria-describedby={describedBy}
              className="input mt-1 max-w-md"
            >
              {ownerId === "" ? <option value="">Choose an owner</option> : null}
              {options.owners.map((p) => (
                <option key={p.id} value={p.id}>
                  {personLabel(p)}
                </option>
              ))}
            </select>
          )}
        </Field>
      ) : (
        <div>
          <p className="text-sm font-medium">Owner</p>
          <p className="mt-1 text-sm">
            {ownerName} <span className="text-slate-500">(only an admin can change the owner)</span>
          </p>
        </div>
      )}

      <fieldset
        id={FIELD_IDS.memberIds}
        aria-describedby={errors?.memberIds ? `${FIELD_IDS.memberIds}-error` : `${FIELD_IDS.memberIds}-hint`}
      >
        <legend className="text-sm font-medium">Team</legend>
        <p id={`${FIELD_IDS.memberIds}-hint`} className="text-xs text-slate-500">
          Team members see and work this account with its owner.
        </p>
        <ul className="mt-2 grid max-h-64 gap-1 overflow-y-auto rounded-md border border-slate-200 p-3 sm:grid-cols-2">
          {options.people
            .filter((p) => p.id !== ownerId)
            .map((p) => (
              <li key={p.id}>
                <label className="flex items-center gap-2 text-sm">
                  <input
                    type="checkbox"
                    name="memberIds"
                    value={p.id}
                    defaultChecked={values.memberIds.includes(p.id)}
                    className="h-4 w-4 rounded border-slate-300"
                  />
                  {personLabel(p)}
                </label>
              </li>
            ))}
        </ul>
        <FieldError id={`${FIELD_IDS.memberIds}-error`} message={errors?.memberIds} />
      </fieldset>

      <div className="flex items-center gap-4">
        <button type="submit" className="btn-primary" disabled={submitting}>
          {submitting ? pendingLabel : submitLabel}
        </button>
        <Link to={cancelTo} className="text-sm font-medium text-slate-700 hover:underline">
          Cancel
        </Link>
      </div>
    </Form>
  );
}
