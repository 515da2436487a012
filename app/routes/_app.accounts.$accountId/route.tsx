import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { FlashNotice } from "~/components/flash-notice";
import { GeneralErrorBoundary } from "~/components/general-error-boundary";
import { PageHeader } from "~/components/page-header";
import { canAccessAccount } from "~/domain/access";
import { getAccountHealth } from "~/domain/account-health.server";
import { getAccountOverview } from "~/domain/accounts.server";
import { getLedger, LEDGER_ENTRIES_SHOWN } from "~/domain/ledger.server";
import { getAccountTimeline } from "~/domain/timeline.server";
import { requireAccountAccess, requireUser } from "~/lib/auth.server";
import { getDb } from "~/lib/db.server";
import { AccountActions, AccountFacts, BuyingGroup } from "./account-facts";
import { HealthSection } from "./health-section";
import { LedgerSection } from "./ledger-section";
import { accountPageQuerySchema } from "./query.server";
import { TimelineSection } from "./timeline-section";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const accountId = params.accountId ?? "";
  await requireAccountAccess(user, accountId, "view");
  const query = accountPageQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const db = getDb();
  const now = new Date();
  const [overview, ledger, timeline, health] = await Promise.all([
    getAccountOverview(db, accountId),
    getLedger(db, accountId, now, { entryLimit: query.ledger === "all" ? null : LEDGER_ENTRIES_SHOWN }),
    getAccountTimeline(db, accountId, user.id, { kind: query.kind, page: query.page }),
    getAccountHealth(db, accountId, user, now),
  ]);
  if (!overview || !health) throw new Response("No such account.", { status: 404 });
  const canEdit = canAccessAccount(
    user,
    { ownerId: overview.account.ownerId, isMember: overview.team.some((member) => member.id === user.id) },
    "edit",
  );
  return json({
    ...overview,
    ledger,
    timeline,
    health,
    canEdit,
    // campaigns are run by the program (admins and leaders), not by account managers
    canLaunchCampaigns: user.role !== "manager",
    showAllLedgerEntries: query.ledger === "all",
    ledgerEntriesShown: LEDGER_ENTRIES_SHOWN,
    now: now.toISOString(),
  });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.account.name ?? "Account"} · Rapport` },
];

export default function AccountPage() {
  const data = useLoaderData<typeof loader>();
  const { account } = data;
  return (
    <>
      <p className="mb-2 text-sm">
        <Link to="/accounts" className="text-indigo-700 hover:underline">
          ← Accounts
        </Link>
      </p>
      <PageHeader
        title={account.name}
        description="What the customer says, what the team believes, what the ledger shows."
        actions={data.canEdit ? <AccountActions accountId={account.id} /> : null}
      />
      <FlashNotice
        messages={{
          logged: "Logged. It is on the ledger and the timeline below.",
          predicted:
            "Prediction sealed. Only you can see it until the customer answers; then it sits beside their answer.",
          erased:
            "The contact was erased: their details, notes, survey links and emails are gone; their scores stay as anonymous answers.",
        }}
      />
      <AccountFacts account={account} team={data.team} cadence={data.ledger.cadence} now={data.now} />
      <HealthSection
        accountId={account.id}
        health={data.health}
        canEdit={data.canEdit}
        canLaunchCampaigns={data.canLaunchCampaigns}
      />
      {/* grid-cols-1: a wide table inside scrolls in its card instead of widening the page */}
      <div className="mt-8 grid grid-cols-1 gap-8 xl:grid-cols-2">
        <LedgerSection
          accountId={account.id}
          ledger={data.ledger}
          canEdit={data.canEdit}
          showAll={data.showAllLedgerEntries}
          shownByDefault={data.ledgerEntriesShown}
        />
        <BuyingGroup accountId={account.id} contacts={data.contacts} canEdit={data.canEdit} />
      </div>
      <TimelineSection timeline={data.timeline} />
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
