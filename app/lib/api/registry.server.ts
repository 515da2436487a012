import { accountOperations } from "./accounts.server";
import { caseOperations } from "./cases.server";
import { contactOperations } from "./contacts.server";
import { healthOperations } from "./health.server";
import { interactionOperations } from "./interactions.server";
import type { ApiOperation } from "./operation.server";
import { opportunityOperations } from "./opportunities.server";
import { responseOperations } from "./responses.server";

/** Every operation of /api/v1: the router and the OpenAPI document both read this list. */
export const apiOperations: ApiOperation[] = [
  ...accountOperations,
  ...contactOperations,
  ...interactionOperations,
  ...opportunityOperations,
  ...healthOperations,
  ...caseOperations,
  ...responseOperations,
];
