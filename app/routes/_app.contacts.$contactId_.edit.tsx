import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { PageHeader } from "~/components/page-header";
import { getContactForEdit, updateContact } from "~/domain/contacts.server";
import { requireContactAccess } from "~/lib/contact-access.server";
import { getDb } from "~/lib/db.server";
import { ContactForm, type ContactFormValues } from "~/components/contact-form";
import { saveContactForm } from "~/components/contact-form.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { contactId } = await requireContactAccess(request, params.contactId, "edit");
  const contact = await getContactForEdit(getDb(), contactId);
  if (!contact) throw new Response("No such contact.", { status: 404 });
  return json({ contact });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { contactId } = await requireContactAccess(request, params.contactId, "edit");
  const saved = await saveContactForm(
    request,
    (input) => updateContact(getDb(), contactId, input),
    "No such contact.",
  );
  if ("refused" in saved) return saved.refused;
  return redirect(`/contacts/${contactId}?details=saved`);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Edit ${data?.contact.name ?? "contact"} · Rapport` },
];

export default function EditContactPage() {
  const { contact } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const current: ContactFormValues = {
    name: contact.name,
    email: contact.email ?? "",
    title: contact.title ?? "",
    buyingRole: contact.buyingRole,
    language: contact.language,
    optedOut: Boolean(contact.optedOutAt),
  };
  return (
    <>
      <p className="mb-2 text-sm">
        <Link to={`/contacts/${contact.id}`} className="text-indigo-700 hover:underline">
          ← {contact.name}
        </Link>
      </p>
      <PageHeader title={`Edit ${contact.name}`} description={`Contact at ${contact.accountName}`} />
      <ContactForm
        values={actionData?.values ?? current}
        errors={actionData?.fieldErrors}
        submitLabel="Save changes"
        pendingLabel="Saving…"
        cancelTo={`/contacts/${contact.id}`}
      />
    </>
  );
}
