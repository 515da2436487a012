import type { SerializeFrom } from "@remix-run/node";
import { Form, Link, useLocation, useNavigation, useSearchParams } from "@remix-run/react";
import { balanceWords, formatBalance, LedgerChart } from "~/components/ledger-chart";
import { EmptyState } from "~/components/empty-state";
import { humanize } from "~/lib/format";
import { formatDay } from "./dates";
import type { loader } from "./route";

type Ledger = SerializeFrom<typeof loader>["ledger"];

const WORD_STYLE = {
  "in credit": "bg-emerald-50 text-emerald-800",
  overdrawn: "bg-red-50 text-red-800",
  even: "bg-slate-100 text-slate-700",
} as const;

/** The relationship-equity ledger: the balance, how it moved, what moved it, what is still owed. */
export function LedgerSection({
  accountId,
  ledger,
  canEdit,
  showAll,
  shownByDefault,
}: {
  accountId: string;
  ledger: Ledger;
  canEdit: boolean;
  showAll: boolean;
  shownByDefault: number;
}) {
  const [searchParams] = useSearchParams();
  const words = balanceWords(ledger.balance);
  const toggled = new URLSearchParams(searchParams);
  if (showAll) toggled.delete("ledger");
  else toggled.set("ledger", "all");
  return (
    <section aria-labelledby="ledger" className="space-y-6">
      <div>
        <h2 id="ledger" className="text-lg font-semibold">
          Relationship equity
        </h2>
        <p className="mt-1 text-sm text-slate-600">
          Deposits minus withdrawals, each weighted 1–3; an entry counts half as much every 90 days.
        </p>
      </div>
      <div className="card p-4">
        <p className="flex flex-wrap items-baseline gap-3">
          <span className="text-3xl font-bold tabular-nums">{formatBalance(ledger.balance)}</span>
          <span className={`rounded-full px-2 py-1 text-sm font-medium ${WORD_STYLE[words]}`}>{words}</span>
        </p>
        <p className="mt-1 text-sm text-slate-600">
          {words === "overdrawn"
            ? "Withdrawals outweigh deposits: the customer has little reason to forgive the next mistake."
            : words === "in credit"
              ? "Deposits outweigh withdrawals: goodwill to draw on when something goes wrong."
              : "Nothing on the books yet: log favours, kept promises and mistakes to see where you stand."}
        </p>
        <div className="mt-4">
          <LedgerChart series={ledger.series} title="Equity balance, last 18 months" />
        </div>
      </div>

      <div>
        <h3 className="mb-2 font-semibold">What moved the balance</h3>
        {ledger.entries.length === 0 ? (
          <EmptyState title="No deposits or withdrawals yet">
            Favours, mistakes, escalations and commitments once kept or broken appear here. Meetings, calls
            and emails count toward cadence, not toward the balance.
          </EmptyState>
        ) : (
          <div className="card overflow-x-auto">
            <table className="min-w-full divide-y divide-slate-200 text-sm">
              <caption className="sr-only">Ledger entries, newest first</caption>
              <thead className="bg-slate-50 text-left text-slate-600">
                <tr>
                  <th scope="col" className="px-3 py-2 font-medium">
                    Date
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium">
                    Kind
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium">
                    Summary
                  </th>
                  <th scope="col" className="px-3 py-2 text-right font-medium">
                    Effect
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium">
                    By
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {ledger.entries.map((entry) => (
                  <tr key={entry.id}>
                    <td className="whitespace-nowrap px-3 py-2">{formatDay(entry.at)}</td>
                    <td className="px-3 py-2">
                      {humanize(entry.kind)}
                      {entry.commitmentStatus && entry.kind === "commitment"
                        ? ` (${entry.commitmentStatus})`
                        : ""}
                    </td>
                    <td className="px-3 py-2">{entry.summary || "—"}</td>
                    <td
                      className={`whitespace-nowrap px-3 py-2 text-right font-medium tabular-nums ${
                        entry.effect === "deposit" ? "text-emerald-700" : "text-red-700"
                      }`}
                    >
                      <span aria-hidden="true">{entry.effect === "deposit" ? "+" : "−"}</span>
                      {entry.weight}
                      <span className="sr-only"> {entry.effect}</span>
                    </td>
                    <td className="px-3 py-2">{entry.authorName ?? "a former colleague"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {(showAll ? ledger.entryCount > shownByDefault : ledger.entryCount > ledger.entries.length) ? (
          <p className="mt-2 text-sm">
            <Link
              to={`?${toggled.toString()}#ledger`}
              className="font-medium text-indigo-700 hover:underline"
            >
              {showAll ? `Show only the latest ${shownByDefault}` : `Show all ${ledger.entryCount} entries`}
            </Link>
          </p>
        ) : null}
      </div>

      <OpenCommitments accountId={accountId} commitments={ledger.openCommitments} canEdit={canEdit} />
    </section>
  );
}

function OpenCommitments({
  accountId,
  commitments,
  canEdit,
}: {
  accountId: string;
  commitments: Ledger["openCommitments"];
  canEdit: boolean;
}) {
  const overdue = commitments.filter((c) => c.overdue).length;
  return (
    <div>
      <h3 id="commitments" className="mb-2 font-semibold">
        Open commitments
        {overdue > 0 ? (
          <span className="ml-2 rounded-full bg-red-50 px-2 py-0.5 text-xs font-medium text-red-800">
            {overdue} overdue
          </span>
        ) : null}
      </h3>
      {commitments.length === 0 ? (
        <EmptyState title="No open commitments">
          Promises made to the customer appear here until they are kept or broken. A kept one is a deposit; a
          broken one a withdrawal.
        </EmptyState>
      ) : (
        <ul className="card divide-y divide-slate-100">
          {commitments.map((commitment) => (
            <li key={commitment.id} className="flex flex-wrap items-start justify-between gap-3 px-4 py-3">
              <div className="min-w-0">
                <p id={`commitment-${commitment.id}`} className="text-sm font-medium">
                  {commitment.summary || "Commitment"}
                </p>
                <p className="mt-1 text-xs text-slate-600">
                  {commitment.dueOn ? `Due ${formatDay(commitment.dueOn)}` : "No due date"} · promised{" "}
                  {formatDay(commitment.occurredAt)} by {commitment.authorName ?? "a former colleague"}
                  {commitment.overdue ? (
                    <span className="ml-2 rounded-full bg-red-50 px-2 py-0.5 font-medium text-red-800">
                      Overdue
                    </span>
                  ) : null}
                </p>
              </div>
              {canEdit ? (
                <div className="flex gap-2">
                  <ResolveCommitment accountId={accountId} interactionId={commitment.id} status="kept" />
                  <ResolveCommitment accountId={accountId} interactionId={commitment.id} status="broken" />
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Posts to the commitment action (another route), which comes back here afterwards. */
function ResolveCommitment({
  accountId,
  interactionId,
  status,
}: {
  accountId: string;
  interactionId: string;
  status: "kept" | "broken";
}) {
  const navigation = useNavigation();
  const location = useLocation();
  const action = `/interactions/${interactionId}/commitment`;
  const pending =
    navigation.state !== "idle" &&
    navigation.formAction === action &&
    navigation.formData?.get("status") === status;
  const returnTo = location.pathname.startsWith(`/accounts/${accountId}`)
    ? `${location.pathname}${location.search}`
    : `/accounts/${accountId}`;
  return (
    <Form
      method="post"
      action={action}
      onSubmit={(event) => {
        // A broken promise is a withdrawal on the customer's ledger: ask before recording it.
        if (
          status === "broken" &&
          !window.confirm("Mark this commitment as broken? It counts as a withdrawal.")
        ) {
          event.preventDefault();
        }
      }}
    >
      <input type="hidden" name="status" value={status} />
      <input type="hidden" name="returnTo" value={returnTo} />
      <button
        type="submit"
        className={status === "kept" ? "btn-secondary" : "btn-secondary text-red-700"}
        disabled={pending}
        aria-describedby={`commitment-${interactionId}`}
      >
        {pending ? "Saving…" : status === "kept" ? "Mark kept" : "Mark broken"}
      </button>
    </Form>
  );
}
