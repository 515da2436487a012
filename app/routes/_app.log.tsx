import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import type { FormEvent } from "react";
import { z } from "zod";
import { EmptyState } from "~/components/empty-state";
import { InteractionForm, type InteractionFormValues } from "~/components/interaction-form";
import { PageHeader } from "~/components/page-header";
import { accountIdOfContact } from "~/domain/contacts.server";
import {
  interactionFieldErrors,
  interactionFormSchema,
  listEditableAccounts,
  listOpenCommitments,
  logInteraction,
  participantsForAccount,
  SUMMARY_MAX_LENGTH,
  type InteractionFieldErrors,
} from "~/domain/interactions.server";
import { LOGGABLE_KINDS } from "~/domain/ledger";
import { isUuid, requireAccountAccess, requireUser } from "~/lib/auth.server";
import { getDb } from "~/lib/db.server";
import { safeRedirect } from "~/lib/safe-redirect";

const querySchema = z.object({
  accountId: z.string().max(100).optional().catch(undefined),
  contactId: z.string().max(100).optional().catch(undefined),
  kind: z.enum(LOGGABLE_KINDS).optional().catch(undefined),
  returnTo: z.string().max(2000).optional().catch(undefined),
});

const LEADERS_CANNOT_LOG = "Leaders read the ledger; logging interactions is for the account team.";

/** `path` with `logged=1` in its query, so the page it returns to can say the entry was saved. */
function withLoggedNotice(path: string): string {
  const hashAt = path.indexOf("#");
  const hash = hashAt === -1 ? "" : path.slice(hashAt);
  const beforeHash = hashAt === -1 ? path : path.slice(0, hashAt);
  const queryAt = beforeHash.indexOf("?");
  const pathname = queryAt === -1 ? beforeHash : beforeHash.slice(0, queryAt);
  const params = new URLSearchParams(queryAt === -1 ? "" : beforeHash.slice(queryAt + 1));
  params.set("logged", "1");
  return `${pathname}?${params.toString()}${hash}`;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  if (user.role === "leader") throw new Response(LEADERS_CANNOT_LOG, { status: 403 });
  const query = querySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const db = getDb();
  const returnTo = query.returnTo ? safeRedirect(query.returnTo as string | undefined, "") || null : null;
  // From a contact's page the contact is enough: their account is the one to log on.
  let accountId = query.accountId ?? null;
  if (!accountId && query.contactId) {
    accountId = isUuid(query.contactId) ? await accountIdOfContact(db, query.contactId) : null;
    if (!accountId) throw new Response("No such contact.", { status: 404 });
  }
  if (!accountId) {
    const { accounts, more } = await listEditableAccounts(db, user);
    return json({ step: "account" as const, accounts, more, returnTo, kind: query.kind ?? null });
  }
  await requireAccountAccess(user, accountId, "edit");
  const [participants, commitments] = await Promise.all([
    participantsForAccount(db, accountId, user),
    listOpenCommitments(db, accountId),
  ]);
  if (!participants) throw new Response("No such account.", { status: 404 });
  const contactIds = participants.contacts.some((c) => c.id === query.contactId) ? [query.contactId!] : [];
  return json({
    step: "form" as const,
    ...participants,
    commitments,
    currentUserId: user.id,
    // UTC, to the minute; the form's script swaps in the browser's local time
    defaults: {
      kind: query.kind ?? "meeting",
      contactIds,
      occurredAt: new Date().toISOString().slice(0, 16),
    },
    returnTo,
    // opened without an account in mind: offer to pick another
    chosenHere: !query.accountId && !query.contactId,
    summaryMaxLength: SUMMARY_MAX_LENGTH,
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  if (user.role === "leader") throw new Response(LEADERS_CANNOT_LOG, { status: 403 });
  const form = await request.formData();
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value : undefined;
  };
  const strings = (name: string) => form.getAll(name).filter((v): v is string => typeof v === "string");
  const values: InteractionFormValues = {
    kind: text("kind"),
    occurredAt: text("occurredAt"),
    summary: text("summary"),
    engagementQuality: text("engagementQuality"),
    equityEffect: text("equityEffect"),
    equityWeight: text("equityWeight"),
    dueOn: text("dueOn"),
    contactIds: strings("contactIds"),
    userIds: strings("userIds"),
  };
  const refuse = (fieldErrors: InteractionFieldErrors) => json({ fieldErrors, values }, { status: 400 });

  const accountId = text("accountId")?.trim() ?? "";
  if (!isUuid(accountId)) return refuse({ accountId: "Choose an account." });
  await requireAccountAccess(user, accountId, "edit");
  const parsed = interactionFormSchema.safeParse({ ...values, accountId, tzOffset: text("tzOffset") });
  if (!parsed.success) return refuse(interactionFieldErrors(parsed.error));

  const result = await logInteraction(getDb(), user, parsed.data);
  switch (result.status) {
    case "invalid":
      return refuse(result.fieldErrors);
    case "forbidden":
      throw new Response("This account belongs to another team.", { status: 403 });
    case "not_found":
      throw new Response("No such account.", { status: 404 });
    case "logged":
      return redirect(
        withLoggedNotice(safeRedirect(text("returnTo") as string | undefined, `/accounts/${accountId}`)),
      );
  }
}

export const meta: MetaFunction = () => [{ title: "Log an interaction · Rapport" }];

export default function LogPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  if (data.step === "account") return <ChooseAccount {...data} />;
  const changeAccount = `/log${data.returnTo ? `?returnTo=${encodeURIComponent(data.returnTo)}` : ""}`;
  return (
    <>
      <PageHeader
        title="Log an interaction"
        description={
          <>
            On{" "}
            <Link to={`/accounts/${data.account.id}`} className="text-indigo-700 hover:underline">
              {data.account.name}
            </Link>
            {data.chosenHere ? (
              <>
                {" · "}
                <Link to={changeAccount} className="text-indigo-700 hover:underline">
                  Change account
                </Link>
              </>
            ) : null}
          </>
        }
      />
      <InteractionForm
        key={data.account.id}
        account={data.account}
        contacts={data.contacts}
        colleagues={data.colleagues}
        currentUserId={data.currentUserId}
        defaults={data.defaults}
        returnTo={data.returnTo}
        cancelTo={data.returnTo ?? `/accounts/${data.account.id}`}
        summaryMaxLength={data.summaryMaxLength}
        errors={actionData?.fieldErrors}
        values={actionData?.values}
      />
      <OpenCommitments commitments={data.commitments} />
    </>
  );
}

function ChooseAccount({
  accounts,
  more,
  returnTo,
  kind,
}: {
  accounts: { id: string; name: string }[];
  more: boolean;
  returnTo: string | null;
  kind: string | null;
}) {
  const navigation = useNavigation();
  const loading = navigation.state === "loading" && navigation.location.pathname === "/log";
  return (
    <>
      <PageHeader title="Log an interaction" description="Which account was it with?" />
      {accounts.length === 0 ? (
        <EmptyState title="No accounts to log on">
          You can log interactions on the accounts you own or are on the team of. Ask an admin to add you to
          an account team.
        </EmptyState>
      ) : (
        <Form method="get" className="card flex max-w-xl flex-wrap items-end gap-2 p-5">
          {returnTo ? <input type="hidden" name="returnTo" value={returnTo} /> : null}
          {kind ? <input type="hidden" name="kind" value={kind} /> : null}
          <div className="min-w-0 flex-1">
            <label htmlFor="accountId" className="block text-sm font-medium">
              Account
            </label>
            <select id="accountId" name="accountId" className="input mt-1" required autoFocus defaultValue="">
              <option value="" disabled>
                Choose an account…
              </option>
              {accounts.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                </option>
              ))}
            </select>
            {more ? (
              <p className="mt-1 text-xs text-slate-500">
                Showing the first {accounts.length} by name; for another, use Log on its account page.
              </p>
            ) : null}
          </div>
          <button type="submit" className="btn-primary" disabled={loading}>
            {loading ? "Opening…" : "Continue"}
          </button>
        </Form>
      )}
    </>
  );
}

interface OpenCommitment {
  id: string;
  summary: string;
  dueOn: string | null;
  overdue: boolean;
  authorName: string | null;
}

/** Promises still open on this account, overdue ones flagged, each resolvable in one press. */
function OpenCommitments({ commitments }: { commitments: OpenCommitment[] }) {
  const location = useLocation();
  const navigation = useNavigation();
  if (commitments.length === 0) return null;
  const here = location.pathname + location.search;
  return (
    <section className="mt-8" aria-labelledby="open-commitments">
      <h2 id="open-commitments" className="mb-3 text-lg font-semibold">
        Open commitments
      </h2>
      <ul className="card divide-y divide-slate-100">
        {commitments.map((c) => {
          const action = `/interactions/${c.id}/commitment`;
          const busy = navigation.state === "submitting" && navigation.formAction === action;
          // Either way the ledger moves for good, so say what will happen and ask first.
          const confirmResolution = (event: FormEvent<HTMLFormElement>) => {
            const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
            const chosen = submitter?.value === "broken" ? "broken" : "kept";
            const effect = chosen === "kept" ? "adds a deposit" : "adds a withdrawal";
            const what = c.summary.length > 80 ? `${c.summary.slice(0, 79)}…` : c.summary;
            if (!window.confirm(`Mark “${what}” as ${chosen}? This ${effect} and cannot be changed.`)) {
              event.preventDefault();
            }
          };
          return (
            <li key={c.id} className="flex flex-wrap items-center justify-between gap-3 px-4 py-3 text-sm">
              <div className="min-w-0">
                <p className="font-medium">{c.summary}</p>
                <p className={c.overdue ? "font-medium text-red-700" : "text-slate-600"}>
                  {c.overdue ? "Overdue · " : ""}
                  {c.dueOn ? `due ${c.dueOn}` : "no due date"}
                  {c.authorName ? ` · logged by ${c.authorName}` : ""}
                </p>
              </div>
              <Form method="post" action={action} onSubmit={confirmResolution} className="flex gap-2">
                <input type="hidden" name="returnTo" value={here} />
                <button type="submit" name="status" value="kept" className="btn-secondary" disabled={busy}>
                  {busy ? "Saving…" : "Kept"}
                </button>
                <button type="submit" name="status" value="broken" className="btn-secondary" disabled={busy}>
                  Broken
                </button>
              </Form>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
