import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import type { ReactNode } from "react";
import { EmailPreview } from "~/components/email-preview";
import { OutboxStatusBadge } from "~/components/outbox-status-badge";
import { PageHeader } from "~/components/page-header";
import { getOutboxMessage } from "~/domain/outbox-viewer.server";
import { getDb } from "~/lib/db.server";
import { humanize } from "~/lib/format";
import { requireMailViewer } from "~/lib/mail-viewer.server";

/** The list's own parameters, carried here so "Back to the outbox" returns to the same filtered page. */
const LIST_PARAMS = ["q", "status", "kind", "page"] as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireMailViewer(request);
  // a malformed id finds nothing, like an unknown one
  const message = await getOutboxMessage(getDb(), params.messageId ?? "");
  if (!message) throw new Response("There is no such message in the outbox.", { status: 404 });
  return json({ message });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.message.subject} · Outbox · Rapport` : "Outbox · Rapport" },
];

const timestamp = (iso: string) =>
  `${new Date(iso).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" })} UTC`;

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid gap-1 py-2 sm:grid-cols-[10rem_1fr] sm:gap-4">
      <dt className="break-words text-sm font-medium text-slate-600">{label}</dt>
      <dd className="min-w-0 break-words text-sm">{children}</dd>
    </div>
  );
}

const none = <span className="text-slate-400">—</span>;

export default function OutboxMessage() {
  const { message } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const back = new URLSearchParams();
  for (const name of LIST_PARAMS) {
    const value = searchParams.get(name);
    if (value) back.set(name, value);
  }
  const query = back.toString();
  const backHref = query ? `/dev/outbox?${query}` : "/dev/outbox";
  return (
    <>
      <p className="mb-2 text-sm">
        <Link to={backHref} className="font-medium text-indigo-700 hover:underline">
          <span aria-hidden="true">←</span> Back to the outbox
        </Link>
      </p>
      <PageHeader title={message.subject} description={`${humanize(message.kind)} to ${message.toAddress}`} />
      <section aria-labelledby="envelope-heading" className="card mb-6 p-4 sm:p-6">
        <h2 id="envelope-heading" className="text-lg font-semibold">
          Envelope
        </h2>
        <dl className="mt-2 divide-y divide-slate-100">
          <Field label="From">{message.fromAddress}</Field>
          <Field label="To">{message.toAddress}</Field>
          <Field label="Reply-to">{message.replyTo ?? none}</Field>
          <Field label="Subject">{message.subject}</Field>
          <Field label="Status">
            <OutboxStatusBadge status={message.status} />
          </Field>
          <Field label="Kind">{humanize(message.kind)}</Field>
          <Field label="Attempts">{message.attempts}</Field>
          <Field label="Created">
            <time dateTime={message.createdAt}>{timestamp(message.createdAt)}</time>
          </Field>
          <Field label="Sent">
            {message.sentAt ? <time dateTime={message.sentAt}>{timestamp(message.sentAt)}</time> : none}
          </Field>
          <Field label="Last error">
            {message.lastError ? <span className="text-red-700">{message.lastError}</span> : none}
          </Field>
          {message.providerMessageId ? (
            <Field label="Resend message id">
              <code className="text-xs">{message.providerMessageId}</code>
            </Field>
          ) : null}
        </dl>
      </section>
      <section aria-labelledby="headers-heading" className="card mb-6 p-4 sm:p-6">
        <h2 id="headers-heading" className="text-lg font-semibold">
          Headers
        </h2>
        {message.headers.length > 0 ? (
          <dl className="mt-2 divide-y divide-slate-100">
            {message.headers.map((header) => (
              <Field key={header.name} label={header.name}>
                <code className="text-xs">{header.value}</code>
              </Field>
            ))}
          </dl>
        ) : (
          <p className="mt-2 text-sm text-slate-600">No headers beyond from, to, reply-to and subject.</p>
        )}
      </section>
      <section aria-labelledby="html-heading" className="mb-6">
        <h2 id="html-heading" className="mb-1 text-lg font-semibold">
          HTML part
        </h2>
        <p className="mb-2 text-sm text-slate-600">
          As a mail client shows it, with scripts off. Links open in a new tab.
        </p>
        <div className="card overflow-hidden">
          <EmailPreview html={message.html} title={`HTML part of “${message.subject}”`} />
        </div>
      </section>
      <section aria-labelledby="text-heading">
        <h2 id="text-heading" className="mb-2 text-lg font-semibold">
          Plain-text part
        </h2>
        <pre className="card overflow-x-auto whitespace-pre-wrap break-words p-4 text-sm">{message.text}</pre>
      </section>
    </>
  );
}
