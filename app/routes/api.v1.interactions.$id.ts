import { apiHandler } from "~/lib/api/handler.server";

const handle = apiHandler("/interactions/{id}");
export const loader = handle;
export const action = handle;
