import { Form } from "@remix-run/react";
import { FieldError } from "~/components/field-error";
import { FormField } from "~/components/form-field";
import { WEBHOOK_EVENT_DESCRIPTIONS, WEBHOOK_EVENT_TYPES } from "~/domain/webhooks";

export type EndpointFieldErrors = Partial<Record<"url" | "description" | "events", string>>;

/** The add and edit form of a webhook endpoint (posts `intent` = create or update). */
export function WebhookEndpointForm({
  intent,
  errors,
  defaults,
  submitLabel,
}: {
  intent: "create" | "update";
  errors: EndpointFieldErrors;
  defaults?: { url: string; description: string; events: readonly string[] };
  submitLabel: string;
}) {
  return (
    <Form method="post" className="space-y-4" noValidate>
      <input type="hidden" name="intent" value={intent} />
      <FormField
        id={`${intent}-url`}
        name="url"
        label="URL"
        type="url"
        placeholder="https://crm.example.com/hooks/rapport"
        defaultValue={defaults?.url}
        error={errors.url}
        className="input mt-1 w-full max-w-xl"
      />
      <FormField
        id={`${intent}-description`}
        name="description"
        label="Description (optional)"
        defaultValue={defaults?.description}
        error={errors.description}
      />
      <fieldset aria-describedby={errors.events ? `${intent}-events-error` : undefined}>
        <legend className="text-sm font-medium">Events to send</legend>
        {WEBHOOK_EVENT_TYPES.map((type) => (
          <label key={type} className="mt-1 flex items-start gap-2 text-sm">
            <input
              type="checkbox"
              name="events"
              value={type}
              defaultChecked={defaults?.events.includes(type)}
              className="mt-1"
            />
            <span>
              <code>{type}</code> — {WEBHOOK_EVENT_DESCRIPTIONS[type]}
            </span>
          </label>
        ))}
        <FieldError id={`${intent}-events-error`} message={errors.events} />
      </fieldset>
      <button type="submit" className="btn-primary">
        {submitLabel}
      </button>
    </Form>
  );
}
