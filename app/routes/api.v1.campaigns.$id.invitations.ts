import { apiHandler } from "~/lib/api/handler.server";

const handle = apiHandler("/campaigns/{id}/invitations");
export const loader = handle;
export const action = handle;
