import { Form, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { FieldError } from "~/components/field-error";
import { FormError } from "~/components/form-error";
import { useHydrated } from "~/lib/use-hydrated";
import { confirmsName } from "./privacy-confirm";

/** What the page's action answers to an erase that was not carried out. */
export interface EraseResult {
  intent: "erase-contact";
  error: string;
  /** The typed name did not match (else the refusal concerns the whole erasure). */
  field?: "confirmName";
}

/**
 * For admins only: the person's data as a download, and their erasure. Erasing cannot be
 * undone, so it asks for the contact's name to be typed first (the server checks it too);
 * the button stays disabled until it matches, once scripts run.
 */
export function PrivacySection({
  contactId,
  contactName,
  result,
}: {
  contactId: string;
  contactName: string;
  result: EraseResult | undefined;
}) {
  const navigation = useNavigation();
  const hydrated = useHydrated();
  const [typed, setTyped] = useState("");
  const erasing = navigation.state !== "idle" && navigation.formData?.get("intent") === "erase-contact";
  const matches = confirmsName(typed, contactName);
  const nameError = result?.field === "confirmName" ? result.error : undefined;
  return (
    <section aria-labelledby="privacy-heading" className="mt-8">
      <h2 id="privacy-heading" className="mb-3 text-lg font-semibold">
        Privacy
      </h2>
      <div className="card space-y-6 p-4 text-sm">
        <div>
          <h3 className="font-medium">Export their data</h3>
          <p className="mt-1 text-slate-600">
            One JSON file with everything Rapport holds about {contactName}: details, every note (private ones
            too), interactions they took part in, invitations, answers, predictions, cases and emails.
          </p>
          <a href={`/contacts/${contactId}/export.json`} download className="btn-secondary mt-3">
            Download data (JSON)
          </a>
        </div>
        <Form method="post" className="border-t border-slate-100 pt-4" aria-describedby="erase-warning">
          <h3 className="font-medium text-red-800">Erase this contact</h3>
          <div id="erase-warning" className="mt-1 space-y-1 text-slate-700">
            <p>
              <strong>This cannot be undone.</strong> {contactName}’s details, notes, survey links and emails
              are deleted. Their answers stay only as anonymous scores in the account’s health, with their
              comments removed; interactions stay on the ledger without them.
            </p>
          </div>
          <input type="hidden" name="intent" value="erase-contact" />
          <label htmlFor="erase-confirm-name" className="mt-3 block font-medium">
            Type <span className="font-semibold">{contactName}</span> to confirm
          </label>
          <input
            id="erase-confirm-name"
            name="confirmName"
            className="input mt-1 max-w-sm"
            autoComplete="off"
            spellCheck={false}
            value={typed}
            onChange={(event) => setTyped(event.target.value)}
            aria-invalid={nameError ? true : undefined}
            aria-describedby={nameError ? "erase-confirm-error" : undefined}
          />
          <FieldError id="erase-confirm-error" message={nameError} />
          {result && !nameError ? (
            <div className="mt-3">
              <FormError message={result.error} />
            </div>
          ) : null}
          <button
            type="submit"
            className="btn mt-3 bg-red-700 text-white hover:bg-red-800"
            // Without scripts the server checks the name; with them, a mismatch never leaves the page.
            disabled={erasing || (hydrated && !matches)}
          >
            {erasing ? "Erasing…" : `Erase ${contactName} permanently`}
          </button>
        </Form>
      </div>
    </section>
  );
}
