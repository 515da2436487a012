import { json } from "@remix-run/node";
import { isDatabaseReachable } from "~/lib/db.server";

// For load balancers and uptime checks: 200 only when the database answers.
export async function loader() {
  const database = await isDatabaseReachable();
  return json(
    { status: database ? "ok" : "unavailable", database: database ? "reachable" : "unreachable" },
    { status: database ? 200 : 503, headers: { "Cache-Control": "no-store" } },
  );
}
