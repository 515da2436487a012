import { apiHandler } from "~/lib/api/handler.server";

const handle = apiHandler("/cases/{id}/acknowledge");
export const loader = handle;
export const action = handle;
