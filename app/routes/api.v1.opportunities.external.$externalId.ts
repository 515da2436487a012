import { apiHandler } from "~/lib/api/handler.server";

const handle = apiHandler("/opportunities/external/{external_id}");
export const loader = handle;
export const action = handle;
