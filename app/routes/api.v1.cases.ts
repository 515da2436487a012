import { apiHandler } from "~/lib/api/handler.server";

const handle = apiHandler("/cases");
export const loader = handle;
export const action = handle;
