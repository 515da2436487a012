import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { EmptyState } from "~/components/empty-state";
import { PageHeader } from "~/components/page-header";
import { requireUser } from "~/lib/auth.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  return json({});
}

export const meta: MetaFunction = () => [{ title: "Win/Loss · Rapport" }];

export default function Winloss() {
  return (
    <>
      <PageHeader
        title="Win/Loss"
        description="Why deals are won and lost — and whether sellers and buyers agree."
      />
      <EmptyState title="No win/loss results yet">
        When a deal closes, the seller records their reasons and the buyer is asked; the two sides appear here
        side by side.
      </EmptyState>
    </>
  );
}
