/** Whether the outbox is the mail itself or a copy of what Resend was given. */
export function OutboxDeliveryBanner({ sendingThroughResend }: { sendingThroughResend: boolean }) {
  return sendingThroughResend ? (
    <section
      aria-label="Delivery"
      className="mb-4 rounded-lg border border-sky-200 bg-sky-50 p-4 text-sm text-sky-900"
    >
      <p className="font-semibold">Sending through Resend — this is a copy</p>
      <p className="mt-1">
        RESEND_API_KEY is set: each message below also goes to its recipient. The status shows how far it got.
      </p>
    </section>
  ) : (
    <section
      aria-label="Delivery"
      className="mb-4 rounded-lg border border-amber-200 bg-amber-50 p-4 text-sm text-amber-900"
    >
      <p>
        <strong>Nothing leaves this machine:</strong> no RESEND_API_KEY is set, so this outbox is the
        delivery. Links in these messages work locally.
      </p>
    </section>
  );
}
