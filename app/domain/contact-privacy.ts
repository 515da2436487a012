/**
 * The rules of a contact's privacy requests (docs/security.md, "Privacy"), without I/O: who may
 * make them, and what of a response survives its person's erasure. The export is in
 * contact-export.server.ts, the erasure in contact-erasure.server.ts.
 */
import type { UserRole } from "../../db/schema";
import { isFreeText, surveyElements } from "./survey-verbatims";

export interface PrivacyActor {
  id: string;
  role: UserRole;
}

/** Only admins export or erase a person: see docs/security.md, "Privacy", for why. */
export function mayHandlePrivacyRequests(actor: { role: UserRole }): boolean {
  return actor.role === "admin";
}

/** What stands in for an erased person's name in the team's own words (a case, the ledger). */
export const ERASED_CONTACT_NAME = "A former contact";

export const CONTACT_EXPORT_FORMAT = "rapport.contact-export.v1";

interface ModelElement {
  type?: unknown;
  name?: unknown;
  dimension?: unknown;
  choices?: unknown;
  rateValues?: unknown;
}

function choiceValues(element: ModelElement): Set<unknown> {
  const values = new Set<unknown>();
  for (const list of [element.choices, element.rateValues]) {
    if (!Array.isArray(list)) continue;
    for (const choice of list) {
      values.add(choice && typeof choice === "object" ? (choice as { value?: unknown }).value : choice);
    }
  }
  return values;
}

/**
 * A response's raw answers with everything that could identify the person taken out: only
 * answers to the definition's own questions that are not free text survive, and only as
 * numbers, yes/no, or values from the question's list of choices. Free text, "other, in
 * their words" boxes, interviewer notes, unknown keys and anything nested go. What the
 * scores are computed from stays, so `npm run scores:rebuild` gives the same numbers.
 */
export function anonymiseResponseData(model: unknown, data: unknown): Record<string, unknown> {
  if (!data || typeof data !== "object" || Array.isArray(data)) return {};
  const elements = new Map<string, ModelElement>();
  for (const element of surveyElements(model) as ModelElement[]) {
    if (typeof element.name === "string") elements.set(element.name, element);
  }
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
    const element = elements.get(key);
    if (!element || isFreeText(element as Parameters<typeof isFreeText>[0])) continue;
    if (typeof value === "number" || typeof value === "boolean") {
      kept[key] = value;
      continue;
    }
    const allowed = choiceValues(element);
    const fromList = (v: unknown) => (typeof v === "string" || typeof v === "number") && allowed.has(v);
    if (fromList(value)) kept[key] = value;
    else if (Array.isArray(value) && value.length > 0 && value.every(fromList)) kept[key] = value;
  }
  return kept;
}
