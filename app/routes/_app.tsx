import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Outlet, useLoaderData, useRouteLoaderData } from "@remix-run/react";
import { AppShell } from "~/components/app-shell";
import { GeneralErrorBoundary } from "~/components/general-error-boundary";
import { requireUser } from "~/lib/auth.server";

// Every staff page sits in this layout; its guard runs for each of them.
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return json({ user });
}

export default function AppLayout() {
  const { user } = useLoaderData<typeof loader>();
  return (
    <AppShell user={user}>
      <Outlet />
    </AppShell>
  );
}

export function ErrorBoundary() {
  // Keep the navigation when a page inside the shell fails, if we know who is signed in.
  const data = useRouteLoaderData<typeof loader>("routes/_app");
  const content = <GeneralErrorBoundary />;
  return data?.user ? (
    <AppShell user={data.user}>{content}</AppShell>
  ) : (
    <main className="mx-auto max-w-xl p-8">{content}</main>
  );
}
