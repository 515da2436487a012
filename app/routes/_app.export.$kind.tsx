import type { LoaderFunctionArgs } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { z } from "zod";
import { exportCsvStream } from "~/domain/csv-export.server";
import { CSV_KINDS } from "~/domain/csv/columns";
import { requireUser } from "~/lib/auth.server";
import { getDb } from "~/lib/db.server";

const kindSchema = z.enum(CSV_KINDS);

/**
 * GET /export/accounts (contacts, opportunities, interactions): a CSV download of every row on
 * the accounts the viewer may see, streamed as it is read. Every role may export; a manager's
 * file holds only their own accounts.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const kind = kindSchema.safeParse(params.kind);
  if (!kind.success) {
    throw new Response("No such export. Choose accounts, contacts, opportunities or interactions.", {
      status: 404,
    });
  }
  const stream = exportCsvStream(getDb(), user, kind.data);
  const today = new Date().toISOString().slice(0, 10);
  return new Response(createReadableStreamFromReadable(stream), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="rapport-${kind.data}-${today}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
