import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { AccountForm, submittedAccountValues, type AccountFormValues } from "~/components/account-form";
import { PageHeader } from "~/components/page-header";
import {
  DEFAULT_TARGET_CADENCE_DAYS,
  accountFieldErrors,
  accountInputSchema,
  createAccount,
  listAccountFormOptions,
} from "~/domain/accounts.server";
import { requireUser } from "~/lib/auth.server";
import { getDb } from "~/lib/db.server";

// Leaders read everything and change nothing operational, so they cannot create accounts.
const CREATORS = ["admin", "manager"] as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, { roles: CREATORS });
  const options = await listAccountFormOptions(getDb());
  return json({ options, me: { id: user.id, name: user.name }, canChooseOwner: user.role === "admin" });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request, { roles: CREATORS });
  const values = submittedAccountValues(await request.formData());
  const parsed = accountInputSchema.safeParse(values);
  if (!parsed.success) {
    return json({ fieldErrors: accountFieldErrors(parsed.error), values }, { status: 400 });
  }
  const result = await createAccount(getDb(), user, parsed.data);
  if (result.status !== "saved") {
    return json(
      { fieldErrors: result.status === "invalid" ? result.fieldErrors : {}, values },
      { status: 400 },
    );
  }
  return redirect(`/accounts/${result.accountId}`);
}

export const meta: MetaFunction = () => [{ title: "New account · Rapport" }];

export default function NewAccount() {
  const { options, me, canChooseOwner } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const defaults: AccountFormValues = {
    name: "",
    segment: "mid_market",
    region: "",
    tier: "core",
    lifecycleStage: "onboarding",
    annualValue: "0",
    targetCadenceDays: String(DEFAULT_TARGET_CADENCE_DAYS),
    ownerId: me.id,
    memberIds: [],
  };
  // A manager always owns what they create, whatever the form held.
  const values = actionData?.values
    ? { ...actionData.values, ownerId: canChooseOwner ? actionData.values.ownerId : me.id }
    : defaults;
  return (
    <>
      <p className="mb-2 text-sm">
        <Link to="/accounts" className="text-indigo-700 hover:underline">
          ← Accounts
        </Link>
      </p>
      <PageHeader
        title="New account"
        description={
          canChooseOwner
            ? "Choose who owns it and who is on its team."
            : "You will own this account. Add the colleagues who work it with you."
        }
      />
      <AccountForm
        values={values}
        errors={actionData?.fieldErrors}
        options={options}
        canChooseOwner={canChooseOwner}
        ownerName={`${me.name} (you)`}
        submitLabel="Create account"
        pendingLabel="Creating…"
        cancelTo="/accounts"
      />
    </>
  );
}
