import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { signOutRedirect } from "~/lib/session.server";

// Signing out is a POST (a link prefetch or an image tag must not sign anyone out).
export async function loader() {
  return redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  return signOutRedirect(request);
}
