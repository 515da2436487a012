import { Form, useNavigation } from "@remix-run/react";
import { FieldError } from "~/components/field-error";
import { FormError } from "~/components/form-error";
import {
  CASE_NOTE_MAX_LENGTH,
  RECOVERY_PULSE_BLOCKER_TEXT,
  type CaseStatus,
  type RecoveryPulseBlocker,
} from "~/domain/cases";

interface ActionData {
  intent: string | null;
  error: string | null;
  field: string | null;
  notice: string | null;
}

function usePending(intent: string) {
  const navigation = useNavigation();
  return navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
}

/** Acknowledge, add a note, resolve: one form per intent, each refused or confirmed beside itself. */
export function CaseWork({
  status,
  contactName,
  recoveryPulseBlocker,
  noteCount,
  actionData,
}: {
  status: CaseStatus;
  contactName: string | null;
  recoveryPulseBlocker: RecoveryPulseBlocker | null;
  noteCount: number;
  actionData: ActionData | null;
}) {
  const errorFor = (intent: string) => (actionData?.intent === intent ? actionData.error : null);
  const acknowledging = usePending("acknowledge");
  const noting = usePending("note");
  const resolving = usePending("resolve");
  // an intent the server did not recognise belongs to no form: show it at the top
  const stray = actionData?.error && actionData.intent === null ? actionData.error : null;
  return (
    <section aria-labelledby="work-case" className="space-y-4">
      <h2 id="work-case" className="text-lg font-semibold">
        Work the case
      </h2>
      <FormError message={stray ?? undefined} />
      {status === "open" ? (
        <Form method="post" className="card p-4">
          <p className="text-sm text-slate-700">
            Acknowledge once you have reached the customer or are on it.
          </p>
          <FormError message={errorFor("acknowledge") ?? undefined} />
          <button
            type="submit"
            name="intent"
            value="acknowledge"
            className="btn-primary mt-3"
            disabled={acknowledging}
          >
            {acknowledging ? "Acknowledging…" : "Acknowledge"}
          </button>
        </Form>
      ) : null}

      <Form method="post" className="card p-4" key={`note-${noteCount}`}>
        <input type="hidden" name="intent" value="note" />
        <label htmlFor="case-note" className="block text-sm font-medium">
          Add a note
        </label>
        <textarea
          id="case-note"
          name="body"
          rows={3}
          maxLength={CASE_NOTE_MAX_LENGTH}
          className="input mt-1"
          aria-describedby={errorFor("note") ? "case-note-error" : undefined}
          aria-invalid={errorFor("note") ? true : undefined}
          placeholder="Called Dana; the invoice fix ships Thursday."
        />
        <FieldError id="case-note-error" message={errorFor("note") ?? undefined} />
        <button type="submit" className="btn-secondary mt-3" disabled={noting}>
          {noting ? "Saving…" : "Add note"}
        </button>
      </Form>

      {status !== "resolved" ? (
        <Form
          method="post"
          className="card p-4"
          onSubmit={(event) => {
            if (
              !window.confirm(
                "Resolve this case? It cannot be reopened; the customer's next answer will tell.",
              )
            ) {
              event.preventDefault();
            }
          }}
        >
          <input type="hidden" name="intent" value="resolve" />
          <label htmlFor="resolution-note" className="block text-sm font-medium">
            Resolution note <span className="text-slate-500">(required)</span>
          </label>
          <textarea
            id="resolution-note"
            name="resolutionNote"
            rows={4}
            required
            maxLength={CASE_NOTE_MAX_LENGTH}
            className="input mt-1"
            aria-describedby={errorFor("resolve") ? "resolution-note-error" : undefined}
            aria-invalid={errorFor("resolve") ? true : undefined}
            placeholder="What was wrong, what we did, what we agreed with the customer."
          />
          <FieldError id="resolution-note-error" message={errorFor("resolve") ?? undefined} />
          {recoveryPulseBlocker ? (
            <p className="mt-3 text-sm text-slate-600" data-testid="recovery-pulse-unavailable">
              No recovery pulse can be sent: {RECOVERY_PULSE_BLOCKER_TEXT[recoveryPulseBlocker]}.
            </p>
          ) : (
            <label className="mt-3 flex items-start gap-2 text-sm">
              <input type="checkbox" name="recoveryPulse" className="mt-1" />
              <span>
                Send {contactName ?? "the contact"} a short recovery pulse (two questions: did we put it
                right, and would they recommend us now)
              </span>
            </label>
          )}
          <button type="submit" className="btn-primary mt-3" disabled={resolving}>
            {resolving ? "Resolving…" : "Resolve case"}
          </button>
        </Form>
      ) : null}
    </section>
  );
}
