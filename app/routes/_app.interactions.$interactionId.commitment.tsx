import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { z } from "zod";
import { accountIdOfInteraction, resolveCommitment } from "~/domain/interactions.server";
import { requireAccountAccess, requireUser } from "~/lib/auth.server";
import { getDb } from "~/lib/db.server";
import { safeRedirect } from "~/lib/safe-redirect";

/**
 * POST /interactions/:interactionId/commitment  status=kept|broken [returnTo=/path]
 * Marks an open commitment kept (a deposit) or broken (a withdrawal), then goes back to
 * returnTo or the account page. There is no page here: a GET is refused.
 */

const resolutionSchema = z.object({
  status: z.enum(["kept", "broken"], {
    errorMap: (_issue, ctx) => ({
      message:
        ctx.data === undefined || ctx.data === ""
          ? "Say whether the commitment was kept or broken (status=kept or status=broken)."
          : `“${String(ctx.data)}” is not a commitment outcome; send status=kept or status=broken.`,
    }),
  }),
  returnTo: z.string().max(2000).optional(),
});

const formatDate = (date: Date) => date.toLocaleDateString("en-GB", { dateStyle: "medium", timeZone: "UTC" });

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  throw new Response("Mark a commitment kept or broken with a POST from its account page.", {
    status: 405,
    headers: { Allow: "POST" },
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  if (request.method !== "POST") {
    throw new Response("Use POST.", { status: 405, headers: { Allow: "POST" } });
  }
  const db = getDb();
  const interactionId = params.interactionId ?? "";
  const accountId = await accountIdOfInteraction(db, interactionId);
  if (!accountId) throw new Response("No such interaction.", { status: 404 });
  await requireAccountAccess(user, accountId, "edit");

  const form = await request.formData();
  const parsed = resolutionSchema.safeParse({
    status: form.get("status") ?? undefined,
    returnTo: form.get("returnTo") ?? undefined,
  });
  if (!parsed.success) {
    throw new Response(parsed.error.issues[0]?.message ?? "Send status=kept or status=broken.", {
      status: 400,
    });
  }

  const result = await resolveCommitment(db, user, interactionId, parsed.data.status);
  switch (result.status) {
    case "not_found":
      throw new Response("No such interaction.", { status: 404 });
    case "forbidden":
      throw new Response("This account belongs to another team.", { status: 403 });
    case "not_a_commitment":
      throw new Response(
        `This interaction is a ${result.kind}, not a commitment; only commitments are kept or broken.`,
        { status: 400 },
      );
    case "already_resolved":
      throw new Response(
        `This commitment was already marked ${result.commitmentStatus}${
          result.resolvedAt ? ` on ${formatDate(result.resolvedAt)}` : ""
        }; an outcome cannot be changed.`,
        { status: 409 },
      );
    case "resolved":
      return redirect(safeRedirect(parsed.data.returnTo as string | undefined, `/accounts/${accountId}`));
  }
}
