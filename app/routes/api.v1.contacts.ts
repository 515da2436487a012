import { apiHandler } from "~/lib/api/handler.server";

const handle = apiHandler("/contacts");
export const loader = handle;
export const action = handle;
