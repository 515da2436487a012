import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { AccountForm, submittedAccountValues, type AccountFormValues } from "~/components/account-form";
import { PageHeader } from "~/components/page-header";
import {
  accountFieldErrors,
  accountInputSchema,
  getAccountForEdit,
  listAccountFormOptions,
  updateAccount,
} from "~/domain/accounts.server";
import { requireAccountAccess, requireUser } from "~/lib/auth.server";
import { getDb } from "~/lib/db.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const accountId = params.accountId ?? "";
  await requireAccountAccess(user, accountId, "edit");
  const db = getDb();
  const account = await getAccountForEdit(db, accountId);
  if (!account) throw new Response("No such account.", { status: 404 });
  const options = await listAccountFormOptions(db, [account.ownerId, ...account.memberIds]);
  return json({ account, options, canChooseOwner: user.role === "admin" });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const accountId = params.accountId ?? "";
  await requireAccountAccess(user, accountId, "edit");
  const values = submittedAccountValues(await request.formData());
  const parsed = accountInputSchema.safeParse(values);
  if (!parsed.success) {
    return json({ fieldErrors: accountFieldErrors(parsed.error), values }, { status: 400 });
  }
  const result = await updateAccount(getDb(), user, accountId, parsed.data);
  switch (result.status) {
    case "not_found":
      throw new Response("No such account.", { status: 404 });
    case "invalid":
      return json({ fieldErrors: result.fieldErrors, values }, { status: 400 });
    case "saved":
      // Someone who just took themselves off the team can no longer open the account.
      return redirect(result.actorOnTeam ? `/accounts/${accountId}` : "/accounts");
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Edit ${data?.account.name ?? "account"} · Rapport` },
];

export default function EditAccount() {
  const { account, options, canChooseOwner } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const stored: AccountFormValues = {
    name: account.name,
    segment: account.segment,
    region: account.region,
    tier: account.tier,
    lifecycleStage: account.lifecycleStage,
    annualValue: String(Math.round(account.annualValueCents / 100)),
    targetCadenceDays: String(account.targetCadenceDays),
    ownerId: account.ownerId,
    memberIds: account.memberIds,
  };
  // Only an admin's owner choice counts; anyone else keeps the stored owner.
  const values = actionData?.values
    ? { ...actionData.values, ownerId: canChooseOwner ? actionData.values.ownerId : account.ownerId }
    : stored;
  return (
    <>
      <p className="mb-2 text-sm">
        <Link to={`/accounts/${account.id}`} className="text-indigo-700 hover:underline">
          ← {account.name}
        </Link>
      </p>
      <PageHeader
        title={`Edit ${account.name}`}
        description="Changes to the facts and the team are saved together."
      />
      <AccountForm
        values={values}
        errors={actionData?.fieldErrors}
        options={options}
        canChooseOwner={canChooseOwner}
        ownerName={account.ownerName}
        submitLabel="Save changes"
        pendingLabel="Saving…"
        cancelTo={`/accounts/${account.id}`}
        saved={{ ownerId: account.ownerId, memberIds: account.memberIds }}
      />
    </>
  );
}
