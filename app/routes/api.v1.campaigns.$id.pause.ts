import { apiHandler } from "~/lib/api/handler.server";

const handle = apiHandler("/campaigns/{id}/pause");
export const loader = handle;
export const action = handle;
