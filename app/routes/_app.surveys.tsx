import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { EmptyState } from "~/components/empty-state";
import { PageHeader } from "~/components/page-header";
import { requireUser } from "~/lib/auth.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  return json({});
}

export const meta: MetaFunction = () => [{ title: "Surveys · Rapport" }];

export default function Surveys() {
  return (
    <>
      <PageHeader
        title="Surveys"
        description="Relationship-health, win/loss, interview and mirror surveys."
      />
      <EmptyState title="No survey definitions imported yet">
        Survey definitions in the surveys/ folder are imported here with their versions, response counts and a
        preview.
      </EmptyState>
    </>
  );
}
