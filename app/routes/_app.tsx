import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Outlet, useLoaderData, useRouteLoaderData } from "@remix-run/react";
import { AppShell } from "~/components/app-shell";
import { GeneralErrorBoundary } from "~/components/general-error-boundary";
import { requireUser } from "~/lib/auth.server";
import { mailViewerOn } from "~/lib/mail-viewer.server";

// Every staff page sits in this layout; its guard runs for each of them.
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return json({ user, mailViewer: user.role === "admin" && mailViewerOn() });
}

export default function AppLayout() {
  const { user, mailViewer } = useLoaderData<typeof loader>();
  return (
    <AppShell user={user} mailViewer={mailViewer}>
      <Outlet />
    </AppShell>
  );
}

export function ErrorBoundary() {
  // Keep the navigation when a page inside the shell fails, if we know who is signed in.
  const data = useRouteLoaderData<typeof loader>("routes/_app");
  const content = <GeneralErrorBoundary />;
  return data?.user ? (
    <AppShell user={data.user} mailViewer={data.mailViewer}>
      {content}
    </AppShell>
  ) : (
    <main className="mx-auto max-w-xl p-8">{content}</main>
  );
}
