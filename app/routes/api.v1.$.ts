import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { unknownApiPath } from "~/lib/api/handler.server";

export const loader = ({ request }: LoaderFunctionArgs) => unknownApiPath(request);
export const action = ({ request }: ActionFunctionArgs) => unknownApiPath(request);
