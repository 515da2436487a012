import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { EmptyState } from "~/components/empty-state";
import { OutboxDeliveryBanner } from "~/components/outbox-delivery-banner";
import { OutboxStatusCounts } from "~/components/outbox-status-counts";
import { OutboxStatusBadge } from "~/components/outbox-status-badge";
import { PageHeader } from "~/components/page-header";
import { OUTBOX_STATUSES } from "~/domain/outbox-viewer";
import { countOutboxByStatus, listOutboxKinds, listOutboxMessages } from "~/domain/outbox-viewer.server";
import { getDb } from "~/lib/db.server";
import { emailSettings } from "~/lib/email.server";
import { humanize } from "~/lib/format";
import { requireMailViewer } from "~/lib/mail-viewer.server";

const blankToUndefined = (value: unknown) =>
  typeof value === "string" && value.trim() === "" ? undefined : value;

/**
 * The list's URL. A page number that is not one falls back to page 1 (a stale link still
 * shows the mail); a status that does not exist is refused with a message naming it.
 */
const listParamsSchema = z.object({
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
  status: z.preprocess(
    blankToUndefined,
    z
      .enum(OUTBOX_STATUSES, {
        errorMap: (_issue, ctx) => ({
          message: `There is no status “${String(ctx.data).slice(0, 40)}”. Choose one of: ${OUTBOX_STATUSES.join(", ")}.`,
        }),
      })
      .optional(),
  ),
  kind: z.preprocess(
    blankToUndefined,
    z.string().trim().max(100, "The kind is at most 100 characters.").optional(),
  ),
  q: z.preprocess(
    blankToUndefined,
    z.string().trim().max(200, "Search for at most 200 characters.").optional(),
  ),
});

export async function loader({ request }: LoaderFunctionArgs) {
  await requireMailViewer(request);
  const parsed = listParamsSchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw new Response(parsed.error.issues[0]!.message, { status: 400 });
  const { page, status, kind, q } = parsed.data;
  const filters = { status, kind, search: q };
  const db = getDb();
  const [list, counts, kinds] = await Promise.all([
    listOutboxMessages(db, filters, page),
    countOutboxByStatus(db, { kind, search: q }),
    listOutboxKinds(db),
  ]);
  return json({
    ...list,
    counts,
    kinds,
    filters: { status: status ?? "", kind: kind ?? "", q: q ?? "" },
    sendingThroughResend: Boolean(emailSettings().apiKey),
  });
}

export const meta: MetaFunction = () => [{ title: "Outbox · Rapport" }];

const timestamp = (iso: string) =>
  `${new Date(iso).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" })} UTC`;

export default function Outbox() {
  const data = useLoaderData<typeof loader>();
  const { rows, total, page, pages, filters } = data;
  const location = useLocation();
  const loading = useNavigation().state === "loading";
  const filtered = Boolean(filters.status || filters.kind || filters.q);
  return (
    <>
      <PageHeader
        title="Outbox"
        description="Every email Rapport has written, newest first: invitations, reminders, Customer 9-1-1 alerts, sign-in links."
      />
      <OutboxDeliveryBanner sendingThroughResend={data.sendingThroughResend} />
      <OutboxStatusCounts counts={data.counts} />
      <Form
        // remount on every navigation so the controls show the URL's filters
        key={location.search}
        method="get"
        role="search"
        aria-label="Filter the outbox"
        className="card mb-4 grid gap-3 p-4 sm:grid-cols-2 lg:grid-cols-[2fr_1fr_1fr_auto] lg:items-end"
      >
        <div>
          <label htmlFor="outbox-search" className="block text-sm font-medium">
            Recipient or subject contains
          </label>
          <input
            id="outbox-search"
            name="q"
            type="search"
            defaultValue={filters.q}
            maxLength={200}
            placeholder="e.g. acme.com or reminder"
            className="input mt-1"
          />
        </div>
        <div>
          <label htmlFor="outbox-status" className="block text-sm font-medium">
            Status
          </label>
          <select id="outbox-status" name="status" defaultValue={filters.status} className="input mt-1">
            <option value="">Any</option>
            {OUTBOX_STATUSES.map((status) => (
              <option key={status} value={status}>
                {humanize(status)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="outbox-kind" className="block text-sm font-medium">
            Kind
          </label>
          <select id="outbox-kind" name="kind" defaultValue={filters.kind} className="input mt-1">
            <option value="">Any</option>
            {/* a kind from an old link that no message has any more still shows as chosen */}
            {(filters.kind && !data.kinds.includes(filters.kind)
              ? [...data.kinds, filters.kind]
              : data.kinds
            ).map((kind) => (
              <option key={kind} value={kind}>
                {humanize(kind)}
              </option>
            ))}
          </select>
        </div>
        <div className="flex flex-wrap items-center gap-4">
          <button type="submit" className="btn-secondary">
            Apply filters
          </button>
          {filtered ? (
            <Link to="/dev/outbox" className="text-sm font-medium text-indigo-700 hover:underline">
              Clear filters
            </Link>
          ) : null}
        </div>
      </Form>
      {rows.length === 0 ? (
        total > 0 ? (
          <EmptyState title="This page is past the end of the list">
            <Link to={pageHref(location.search, 1)} className="font-medium text-indigo-700 hover:underline">
              Go to the first page
            </Link>
          </EmptyState>
        ) : filtered ? (
          <EmptyState title="No messages match these filters">
            <Link to="/dev/outbox" className="font-medium text-indigo-700 hover:underline">
              Clear filters
            </Link>
          </EmptyState>
        ) : (
          <EmptyState title="No mail yet">
            Launching a campaign or a Customer 9-1-1 alert writes here.
          </EmptyState>
        )
      ) : (
        <div className={`card overflow-x-auto ${loading ? "opacity-60" : ""}`} aria-busy={loading}>
          <table className="min-w-full divide-y divide-slate-200 text-sm">
            <caption className="sr-only">Messages in the outbox, newest first</caption>
            <thead className="bg-slate-50 text-left text-slate-600">
              <tr>
                {["Kind", "To", "Subject", "Status", "Attempts", "Created", "Sent", "Last error"].map(
                  (label) => (
                    <th
                      key={label}
                      scope="col"
                      className={`whitespace-nowrap px-4 py-3 font-medium ${label === "Attempts" ? "text-right" : ""}`}
                    >
                      {label}
                    </th>
                  ),
                )}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((message) => (
                <tr key={message.id} className="align-top hover:bg-slate-50">
                  <td className="whitespace-nowrap px-4 py-3">{humanize(message.kind)}</td>
                  <td className="px-4 py-3">{message.toAddress}</td>
                  <td className="min-w-48 px-4 py-3 font-medium">
                    <Link
                      to={`/dev/outbox/${message.id}${location.search}`}
                      className="text-indigo-700 hover:underline"
                    >
                      {message.subject}
                    </Link>
                  </td>
                  <td className="px-4 py-3">
                    <OutboxStatusBadge status={message.status} />
                  </td>
                  <td className="px-4 py-3 text-right tabular-nums">{message.attempts}</td>
                  <td className="whitespace-nowrap px-4 py-3">
                    <time dateTime={message.createdAt}>{timestamp(message.createdAt)}</time>
                  </td>
                  <td className="whitespace-nowrap px-4 py-3">
                    {message.sentAt ? (
                      <time dateTime={message.sentAt}>{timestamp(message.sentAt)}</time>
                    ) : (
                      "—"
                    )}
                  </td>
                  <td
                    className="max-w-xs truncate px-4 py-3 text-red-700"
                    title={message.lastError ?? undefined}
                  >
                    {message.lastError ?? <span className="text-slate-400">—</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {total > 0 ? (
        <nav
          aria-label="Pagination"
          className="mt-4 flex items-center justify-between text-sm text-slate-600"
        >
          <p>
            Page {page} of {pages} · {total} {total === 1 ? "message" : "messages"}
          </p>
          <div className="flex gap-2">
            {page > 1 ? (
              <Link
                className="btn-secondary"
                to={pageHref(location.search, Math.min(page - 1, pages))}
                rel="prev"
              >
                Previous
              </Link>
            ) : null}
            {page < pages ? (
              <Link className="btn-secondary" to={pageHref(location.search, page + 1)} rel="next">
                Next
              </Link>
            ) : null}
          </div>
        </nav>
      ) : null}
    </>
  );
}

/** The same list (filters kept) on another page. */
function pageHref(search: string, page: number): string {
  const params = new URLSearchParams(search);
  params.set("page", String(page));
  return `?${params.toString()}`;
}
