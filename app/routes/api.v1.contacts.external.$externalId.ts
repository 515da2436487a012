import { apiHandler } from "~/lib/api/handler.server";

const handle = apiHandler("/contacts/external/{external_id}");
export const loader = handle;
export const action = handle;
