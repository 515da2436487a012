import { apiHandler } from "~/lib/api/handler.server";

const handle = apiHandler("/opportunities/{id}");
export const loader = handle;
export const action = handle;
