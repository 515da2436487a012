import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { EmptyState } from "~/components/empty-state";
import { PageHeader } from "~/components/page-header";
import { requireUser } from "~/lib/auth.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  return json({});
}

export const meta: MetaFunction = () => [{ title: "Campaigns · Rapport" }];

export default function Campaigns() {
  return (
    <>
      <PageHeader
        title="Campaigns"
        description="Send surveys to the right contacts, with reminders and a respectful contact frequency."
      />
      <EmptyState title="No campaigns yet">
        Campaigns pick a survey and an audience, show who is excluded and why, and send invitations with
        reminders.
      </EmptyState>
    </>
  );
}
