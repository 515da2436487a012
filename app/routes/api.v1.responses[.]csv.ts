import { apiHandler } from "~/lib/api/handler.server";

const handle = apiHandler("/responses.csv");
export const loader = handle;
export const action = handle;
