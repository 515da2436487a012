import { Form, Link, useNavigation } from "@remix-run/react";
import {
  useEffect,
  useRef,
  useState,
  type InputHTMLAttributes,
  type KeyboardEvent,
  type ReactNode,
} from "react";
import {
  defaultEquity,
  LOGGABLE_KINDS,
  isTwoWay,
  type EquityEffect,
  type LoggableKind,
} from "~/domain/ledger";
import { FieldError } from "~/components/field-error";
import { FormError } from "~/components/form-error";
import { humanize } from "~/lib/format";
import { useHydrated } from "~/lib/use-hydrated";

export type InteractionFormField =
  | "accountId"
  | "kind"
  | "occurredAt"
  | "participants"
  | "summary"
  | "engagementQuality"
  | "equityEffect"
  | "equityWeight"
  | "dueOn";

/** What was posted, echoed back after a refusal so a page without JavaScript keeps the typing. */
export interface InteractionFormValues {
  kind?: string;
  occurredAt?: string;
  summary?: string;
  engagementQuality?: string;
  equityEffect?: string;
  equityWeight?: string;
  dueOn?: string;
  contactIds?: string[];
  userIds?: string[];
}

interface Props {
  account: { id: string; name: string };
  contacts: { id: string; name: string; title: string | null }[];
  colleagues: { id: string; name: string; isOwner: boolean }[];
  currentUserId: string;
  defaults: { kind: LoggableKind; contactIds: string[]; occurredAt: string };
  returnTo: string | null;
  cancelTo: string;
  summaryMaxLength: number;
  errors?: Partial<Record<InteractionFormField, string>>;
  values?: InteractionFormValues;
}

const PLACEHOLDERS: Record<LoggableKind, string> = {
  meeting: "What did you discuss, and what did you learn?",
  call: "What did you talk about?",
  email: "What did you send, and why?",
  qbr: "What did they say about the last quarter?",
  social: "Where, and what came up?",
  escalation: "What did the customer escalate, and to whom?",
  favour: "What did you do for them?",
  mistake: "What went wrong, and what are you doing about it?",
  commitment: "What did we promise?",
};

const EFFECTS: { value: EquityEffect; label: string }[] = [
  { value: "deposit", label: "Deposit" },
  { value: "neutral", label: "Neutral" },
  { value: "withdrawal", label: "Withdrawal" },
];

const QUALITY: { value: string; label: string }[] = [
  { value: "", label: "Not rated" },
  { value: "1", label: "1" },
  { value: "2", label: "2" },
  { value: "3", label: "3" },
  { value: "4", label: "4" },
  { value: "5", label: "5" },
];

const pill =
  "inline-flex cursor-pointer select-none items-center rounded-full border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100 peer-checked:border-indigo-600 peer-checked:bg-indigo-600 peer-checked:text-white peer-focus-visible:outline peer-focus-visible:outline-2 peer-focus-visible:outline-offset-2 peer-focus-visible:outline-indigo-600";

function isKind(value: string | undefined): value is LoggableKind {
  return LOGGABLE_KINDS.includes(value as LoggableKind);
}

/** "2026-03-04T14:30" for the browser's local now, as a datetime-local input wants it. */
function localNow(): string {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

function Choice({
  name,
  value,
  children,
  ...input
}: {
  name: string;
  value: string;
  children: ReactNode;
} & Omit<InputHTMLAttributes<HTMLInputElement>, "type" | "name" | "value" | "children">) {
  return (
    <label className="relative">
      <input type="radio" name={name} value={value} className="peer sr-only" {...input} />
      <span className={pill}>{children}</span>
    </label>
  );
}

/**
 * The quick log: kind, when, who, what, and what it did to the relationship's balance.
 * Sections for two-way kinds and commitments show and hide with CSS (:has), so the form
 * works the same before the page hydrates and without JavaScript. With JavaScript the
 * equity effect follows the kind's default as the kind changes; without it nothing is
 * preselected and the server applies the default.
 */
export function InteractionForm(props: Props) {
  const { account, contacts, colleagues, currentUserId, defaults, errors = {}, values } = props;
  const hydrated = useHydrated();
  const navigation = useNavigation();
  // only this form's post: resolving a commitment on the same page posts elsewhere
  const submitting =
    navigation.state !== "idle" &&
    navigation.formMethod === "POST" &&
    navigation.formAction?.startsWith("/log");
  const initialKind = isKind(values?.kind) ? values.kind : defaults.kind;
  const [kind, setKind] = useState<LoggableKind>(initialKind);
  const [effect, setEffect] = useState<string>(
    values?.equityEffect || defaultEquity(initialKind).equityEffect,
  );
  const [weight, setWeight] = useState<string>(
    values?.equityWeight || String(defaultEquity(initialKind).equityWeight),
  );
  const occurredAt = useRef<HTMLInputElement>(null);
  const tzOffset = useRef<HTMLInputElement>(null);
  const checkedContacts = values?.contactIds ?? defaults.contactIds;
  const checkedUsers = values?.userIds ?? [currentUserId];

  useEffect(() => {
    // The server rendered "now" in UTC; once the browser runs, show the person's local now
    // (unless they already changed it). The offset is sent on submit, so the two agree.
    const input = occurredAt.current;
    if (input && input.value === defaults.occurredAt && !values?.occurredAt) input.value = localNow();
  }, [defaults.occurredAt, values?.occurredAt]);

  function chooseKind(next: LoggableKind) {
    setKind(next);
    const equity = defaultEquity(next);
    setEffect(equity.equityEffect);
    setWeight(String(equity.equityWeight));
  }

  function sendTimeZone() {
    const value = occurredAt.current?.value;
    const local = value ? new Date(value) : null; // no zone in the string: parsed as local time
    if (tzOffset.current && local && !Number.isNaN(local.getTime())) {
      tzOffset.current.value = String(local.getTimezoneOffset());
    }
  }

  function submitOnCtrlEnter(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      event.currentTarget.form?.requestSubmit();
    }
  }

  const describedBy = (field: InteractionFormField) => (errors[field] ? `${field}-error` : undefined);

  return (
    <Form method="post" noValidate onSubmit={sendTimeZone} className="group/log card space-y-6 p-5">
      <input type="hidden" name="accountId" value={account.id} />
      <input type="hidden" name="returnTo" value={props.returnTo ?? ""} />
      <input ref={tzOffset} type="hidden" name="tzOffset" defaultValue="" />
      <FormError
        message={
          Object.keys(errors).length > 0 ? <>Nothing was logged yet: {Object.values(errors)[0]}</> : null
        }
      />

      <fieldset aria-describedby={describedBy("kind")}>
        <legend className="text-sm font-medium">What happened</legend>
        <div className="mt-2 flex flex-wrap gap-2">
          {LOGGABLE_KINDS.map((k) => (
            <Choice
              key={k}
              name="kind"
              value={k}
              defaultChecked={k === initialKind}
              autoFocus={k === initialKind}
              onChange={() => chooseKind(k)}
              data-kind={k}
              data-two-way={isTwoWay(k) ? "" : undefined}
            >
              {humanize(k)}
            </Choice>
          ))}
        </div>
        <FieldError id="kind-error" message={errors.kind} />
      </fieldset>

      <div className="grid gap-4 sm:grid-cols-2">
        <div>
          <label htmlFor="occurredAt" className="block text-sm font-medium">
            When
          </label>
          <input
            ref={occurredAt}
            id="occurredAt"
            name="occurredAt"
            type="datetime-local"
            className="input mt-1"
            defaultValue={values?.occurredAt ?? defaults.occurredAt}
            aria-invalid={errors.occurredAt ? true : undefined}
            aria-describedby={describedBy("occurredAt")}
          />
          <FieldError id="occurredAt-error" message={errors.occurredAt} />
        </div>
        <div className="hidden group-has-[[data-kind=commitment]:checked]/log:block">
          <label htmlFor="dueOn" className="block text-sm font-medium">
            Due on <span className="font-normal text-slate-500">(required for a commitment)</span>
          </label>
          <input
            id="dueOn"
            name="dueOn"
            type="date"
            className="input mt-1"
            defaultValue={values?.dueOn ?? ""}
            aria-required="true"
            aria-invalid={errors.dueOn ? true : undefined}
            aria-describedby={errors.dueOn ? "dueOn-error" : "dueOn-hint"}
          />
          <p id="dueOn-hint" className="mt-1 text-xs text-slate-500">
            It counts on the ledger once you mark it kept (a deposit) or broken (a withdrawal).
          </p>
          <FieldError id="dueOn-error" message={errors.dueOn} />
        </div>
      </div>

      <fieldset aria-describedby={describedBy("participants")}>
        <legend className="text-sm font-medium">Who took part</legend>
        <div className="mt-2 grid gap-4 sm:grid-cols-2">
          <div>
            <p className="text-xs font-medium uppercase tracking-wide text-slate-500">{account.name}</p>
            {contacts.length === 0 ? (
              <p className="mt-1 text-sm text-slate-600">No contacts recorded for this account yet.</p>
            ) : (
              <ul className="mt-1 max-h-56 space-y-1 overflow-y-auto">
                {contacts.map((c) => (
                  <li key={c.id}>
                    <label className="flex items-start gap-2 text-sm">
                      <input
                        type="checkbox"
                        name="contactIds"
                        value={c.id}
                        defaultChecked={checkedContacts.includes(c.id)}
                        className="mt-0.5"
                      />
                      <span>
                        {c.name}
                        {c.title ? <span className="text-slate-500"> · {c.title}</span> : null}
                      </span>
                    </label>
                  </li>
                ))}
              </ul>
            )}
          </div>
          <div>
            <p className="text-xs font-medium uppercase tracking-wide text-slate-500">Our team</p>
            <ul className="mt-1 max-h-56 space-y-1 overflow-y-auto">
              {colleagues.map((u) => (
                <li key={u.id}>
                  <label className="flex items-start gap-2 text-sm">
                    <input
                      type="checkbox"
                      name="userIds"
                      value={u.id}
                      defaultChecked={checkedUsers.includes(u.id)}
                      className="mt-0.5"
                    />
                    <span>
                      {u.id === currentUserId ? `${u.name} (you)` : u.name}
                      {u.isOwner ? <span className="text-slate-500"> · owner</span> : null}
                    </span>
                  </label>
                </li>
              ))}
            </ul>
          </div>
        </div>
        <FieldError id="participants-error" message={errors.participants} />
      </fieldset>

      <div>
        <label htmlFor="summary" className="block text-sm font-medium">
          Summary{" "}
          <span className="font-normal text-slate-500">
            (required for a mistake, escalation, favour or commitment)
          </span>
        </label>
        <textarea
          id="summary"
          name="summary"
          rows={3}
          maxLength={props.summaryMaxLength}
          className="input mt-1"
          placeholder={PLACEHOLDERS[kind]}
          defaultValue={values?.summary ?? ""}
          onKeyDown={submitOnCtrlEnter}
          aria-invalid={errors.summary ? true : undefined}
          aria-describedby={errors.summary ? "summary-error" : "summary-hint"}
        />
        <p id="summary-hint" className="mt-1 text-xs text-slate-500">
          Up to {props.summaryMaxLength} characters. Ctrl+Enter (⌘+Enter on a Mac) logs it.
        </p>
        <FieldError id="summary-error" message={errors.summary} />
      </div>

      <fieldset
        className="hidden group-has-[[data-two-way]:checked]/log:block"
        aria-describedby={errors.engagementQuality ? "engagementQuality-error" : "engagementQuality-hint"}
      >
        <legend className="text-sm font-medium">
          Engagement quality <span className="font-normal text-slate-500">(optional)</span>
        </legend>
        <p id="engagementQuality-hint" className="text-xs text-slate-500">
          1 = going through the motions, 5 = a candid, two-way conversation.
        </p>
        <div className="mt-2 flex flex-wrap gap-2">
          {QUALITY.map((q) => (
            <Choice
              key={q.value}
              name="engagementQuality"
              value={q.value}
              defaultChecked={(values?.engagementQuality ?? "") === q.value}
            >
              {q.label}
            </Choice>
          ))}
        </div>
        <FieldError id="engagementQuality-error" message={errors.engagementQuality} />
      </fieldset>

      <fieldset
        className="group-has-[[data-kind=commitment]:checked]/log:hidden"
        aria-describedby={describedBy("equityEffect") ?? describedBy("equityWeight") ?? "equity-hint"}
      >
        <legend className="text-sm font-medium">Effect on the relationship</legend>
        <p id="equity-hint" className="text-xs text-slate-500">
          Set from the kind: a favour deposits, a mistake withdraws. Change it if this one was different.
        </p>
        <div className="mt-2 flex flex-wrap items-center gap-2">
          {EFFECTS.map((e) => (
            <Choice
              key={e.value}
              name="equityEffect"
              value={e.value}
              // Before hydration nothing is checked, so a form posted without JavaScript
              // leaves the effect to the server's default for the kind chosen.
              checked={hydrated ? effect === e.value : values?.equityEffect === e.value}
              onChange={() => setEffect(e.value)}
            >
              {e.label}
            </Choice>
          ))}
          <span className="ml-2 flex flex-wrap items-center gap-2 group-has-[[value=neutral][name=equityEffect]:checked]/log:hidden">
            <span className="text-sm text-slate-600">Weight</span>
            {["1", "2", "3"].map((w) => (
              <Choice
                key={w}
                name="equityWeight"
                value={w}
                aria-label={`Weight ${w}`}
                checked={hydrated ? weight === w : values?.equityWeight === w}
                onChange={() => setWeight(w)}
              >
                {w}
              </Choice>
            ))}
          </span>
        </div>
        <FieldError id="equityEffect-error" message={errors.equityEffect} />
        <FieldError id="equityWeight-error" message={errors.equityWeight} />
      </fieldset>

      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" className="btn-primary" disabled={submitting}>
          {submitting ? "Logging…" : "Log it"}
        </button>
        <Link to={props.cancelTo} className="btn-secondary">
          Cancel
        </Link>
      </div>
    </Form>
  );
}
