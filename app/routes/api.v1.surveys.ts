import { apiHandler } from "~/lib/api/handler.server";

const handle = apiHandler("/surveys");
export const loader = handle;
export const action = handle;
