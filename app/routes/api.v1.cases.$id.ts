import { apiHandler } from "~/lib/api/handler.server";

const handle = apiHandler("/cases/{id}");
export const loader = handle;
export const action = handle;
