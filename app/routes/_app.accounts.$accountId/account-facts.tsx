import type { SerializeFrom } from "@remix-run/node";
import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { EmptyState } from "~/components/empty-state";
import { formatCents, humanize } from "~/lib/format";
import { daysAgo } from "./dates";
import type { loader } from "./route";

type PageData = SerializeFrom<typeof loader>;

/** What the team can do next on this account; shown only to those who may edit it. */
export function AccountActions({ accountId }: { accountId: string }) {
  return (
    <nav aria-label="Account actions" className="flex flex-wrap gap-2">
      <Link to={`/log?accountId=${accountId}`} className="btn-primary">
        Log interaction
      </Link>
      <Link to={`/accounts/${accountId}/predict`} className="btn-secondary">
        Make a prediction
      </Link>
      <Link to={`/accounts/${accountId}/opportunities/new`} className="btn-secondary">
        New opportunity
      </Link>
      <Link to={`/accounts/${accountId}/contacts/new`} className="btn-secondary">
        Add contact
      </Link>
      <Link to={`/accounts/${accountId}/edit`} className="btn-secondary">
        Edit
      </Link>
    </nav>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="px-4 py-3">
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="mt-1 text-sm font-medium text-slate-900">{children}</dd>
    </div>
  );
}

export function AccountFacts({
  account,
  team,
  cadence,
  now,
}: {
  account: PageData["account"];
  team: PageData["team"];
  cadence: PageData["ledger"]["cadence"];
  now: string;
}) {
  const lastTwoWay = cadence.lastTwoWayAt;
  const behind =
    lastTwoWay !== null &&
    new Date(now).getTime() - new Date(lastTwoWay).getTime() > cadence.targetCadenceDays * 86_400_000;
  return (
    <dl className="card grid grid-cols-2 sm:grid-cols-3 lg:grid-cols-4">
      <Fact label="Segment">{humanize(account.segment)}</Fact>
      <Fact label="Region">{account.region}</Fact>
      <Fact label="Tier">{humanize(account.tier)}</Fact>
      <Fact label="Stage">{humanize(account.lifecycleStage)}</Fact>
      <Fact label="Annual value">
        <span className="tabular-nums">{formatCents(account.annualValueCents)}</span>
      </Fact>
      <Fact label="Owner">{account.ownerName}</Fact>
      <Fact label="Team">
        {team.length > 0 ? team.map((member) => member.name).join(", ") : "Only the owner"}
      </Fact>
      <Fact label="Target cadence">
        Two-way contact every {cadence.targetCadenceDays} days
        <span className={`block text-xs font-normal ${behind ? "text-amber-800" : "text-slate-600"}`}>
          {lastTwoWay === null
            ? "No meeting, call, QBR or visit logged yet"
            : `Last: ${daysAgo(lastTwoWay, now)}${behind ? " — behind cadence" : ""}`}
        </span>
      </Fact>
    </dl>
  );
}

export function BuyingGroup({
  accountId,
  contacts,
  canEdit,
}: {
  accountId: string;
  contacts: PageData["contacts"];
  canEdit: boolean;
}) {
  return (
    <section aria-labelledby="buying-group">
      <h2 id="buying-group" className="mb-3 text-lg font-semibold">
        Buying group
      </h2>
      {contacts.length === 0 ? (
        <EmptyState title="No contacts yet">
          {canEdit ? (
            <>
              Add the decision-makers, champions, influencers and users you work with:{" "}
              <Link to={`/accounts/${accountId}/contacts/new`} className="text-indigo-700 hover:underline">
                add a contact
              </Link>
              .
            </>
          ) : (
            "Contacts in this account’s buying group appear here once the team adds them."
          )}
        </EmptyState>
      ) : (
        <ul className="card divide-y divide-slate-100">
          {contacts.map((contact) => (
            <li key={contact.id} className="flex flex-wrap items-center justify-between gap-2 px-4 py-3">
              <div className="min-w-0">
                <Link to={`/contacts/${contact.id}`} className="font-medium text-indigo-700 hover:underline">
                  {contact.name}
                </Link>
                <p className="text-sm text-slate-600">{contact.title ?? "No title recorded"}</p>
              </div>
              <div className="flex flex-wrap items-center gap-2 text-xs">
                <span className="rounded-full bg-slate-100 px-2 py-1">{humanize(contact.buyingRole)}</span>
                {contact.optedOutAt ? (
                  <span className="rounded-full bg-amber-100 px-2 py-1 text-amber-800">
                    Opted out of surveys
                  </span>
                ) : null}
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
