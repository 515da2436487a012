import { apiHandler } from "~/lib/api/handler.server";

const handle = apiHandler("/interactions");
export const loader = handle;
export const action = handle;
