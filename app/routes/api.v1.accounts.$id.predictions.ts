import { apiHandler } from "~/lib/api/handler.server";

const handle = apiHandler("/accounts/{id}/predictions");
export const loader = handle;
export const action = handle;
