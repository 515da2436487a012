import { apiHandler } from "~/lib/api/handler.server";

const handle = apiHandler("/predictions/{id}");
export const loader = handle;
export const action = handle;
