import { apiHandler } from "~/lib/api/handler.server";

const handle = apiHandler("/accounts/external/{external_id}");
export const loader = handle;
export const action = handle;
