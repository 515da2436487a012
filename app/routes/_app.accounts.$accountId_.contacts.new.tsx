import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { PageHeader } from "~/components/page-header";
import { createContact, getAccountForNewContact } from "~/domain/contacts.server";
import { requireAccountAccess, requireUser } from "~/lib/auth.server";
import { getDb } from "~/lib/db.server";
import { ContactForm, type ContactFormValues } from "~/components/contact-form";
import { saveContactForm } from "~/components/contact-form.server";

/** Adding to the buying group changes the account, so it takes edit access (not leaders). */
async function guard(request: Request, accountId: string | undefined) {
  const user = await requireUser(request);
  await requireAccountAccess(user, accountId ?? "", "edit");
  return accountId!;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const accountId = await guard(request, params.accountId);
  const account = await getAccountForNewContact(getDb(), accountId);
  if (!account) throw new Response("No such account.", { status: 404 });
  return json({ account });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const accountId = await guard(request, params.accountId);
  const saved = await saveContactForm(
    request,
    (input) => createContact(getDb(), accountId, input),
    "No such account.",
  );
  if ("refused" in saved) return saved.refused;
  return redirect(`/contacts/${saved.contact.id}`);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `New contact${data ? ` at ${data.account.name}` : ""} · Rapport` },
];

const EMPTY: ContactFormValues = {
  name: "",
  email: "",
  title: "",
  buyingRole: "user",
  language: "en",
  optedOut: false,
};

export default function NewContactPage() {
  const { account } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <>
      <p className="mb-2 text-sm">
        <Link to={`/accounts/${account.id}`} className="text-indigo-700 hover:underline">
          ← {account.name}
        </Link>
      </p>
      <PageHeader
        title={`New contact at ${account.name}`}
        description="Someone in the buying group. Their notes, surveys and interactions collect on their page."
      />
      <ContactForm
        values={actionData?.values ?? EMPTY}
        errors={actionData?.fieldErrors}
        submitLabel="Add contact"
        pendingLabel="Adding…"
        cancelTo={`/accounts/${account.id}`}
      />
    </>
  );
}
