import { accountOperations } from "./accounts.server";
import { contactOperations } from "./contacts.server";
import { interactionOperations } from "./interactions.server";
import type { ApiOperation } from "./operation.server";

/** Every operation of /api/v1: the router and the OpenAPI document both read this list. */
export const apiOperations: ApiOperation[] = [
  ...accountOperations,
  ...contactOperations,
  ...interactionOperations,
];
