import { accountOperations } from "./accounts.server";
import { campaignOperations } from "./campaigns.server";
import { caseOperations } from "./cases.server";
import { contactOperations } from "./contacts.server";
import { healthOperations } from "./health.server";
import { interactionOperations } from "./interactions.server";
import type { ApiOperation } from "./operation.server";
import { opportunityOperations } from "./opportunities.server";
import { predictionOperations } from "./predictions.server";
import { responseCsvOperations } from "./responses-csv.server";
import { responseOperations } from "./responses.server";
import { surveyOperations } from "./surveys.server";

/** Every operation of /api/v1: the router and the OpenAPI document both read this list. */
export const apiOperations: ApiOperation[] = [
  ...accountOperations,
  ...contactOperations,
  ...interactionOperations,
  ...opportunityOperations,
  ...healthOperations,
  ...caseOperations,
  ...responseOperations,
  ...surveyOperations,
  ...campaignOperations,
  ...predictionOperations,
  ...responseCsvOperations,
];
