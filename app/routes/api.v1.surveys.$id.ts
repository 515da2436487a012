import { apiHandler } from "~/lib/api/handler.server";

const handle = apiHandler("/surveys/{id}");
export const loader = handle;
export const action = handle;
