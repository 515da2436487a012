import { apiHandler } from "~/lib/api/handler.server";

const handle = apiHandler("/responses");
export const loader = handle;
export const action = handle;
