import { z } from "zod";
import { acknowledgeCase, addCaseNote, resolveCase, type CaseChange } from "~/domain/case-workflow.server";
import type { Actor } from "~/domain/interactions.server";
import { checkboxField } from "~/domain/field-errors";
import type { Database } from "~/lib/db.server";

const intentSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("acknowledge") }),
  z.object({ intent: z.literal("note"), body: z.string({ message: "Write the note." }).optional() }),
  z.object({
    intent: z.literal("resolve"),
    resolutionNote: z.string({ message: "Write what was done to resolve it." }).optional(),
    recoveryPulse: checkboxField("Send a recovery pulse"),
  }),
]);

export type CaseIntent = z.infer<typeof intentSchema>["intent"];

export type CaseActionResult =
  | { status: "done"; intent: CaseIntent; notice: string; mailQueued: boolean }
  | { status: "refused"; httpStatus: 400 | 409; intent: CaseIntent | null; message: string; field?: string }
  | { status: "forbidden" }
  | { status: "not_found" };

function fromChange(intent: CaseIntent, change: CaseChange): CaseActionResult {
  switch (change.status) {
    case "done":
      return { status: "done", intent, notice: change.notice, mailQueued: change.mailQueued };
    case "invalid":
      return { status: "refused", httpStatus: 400, intent, message: change.message, field: change.field };
    case "conflict":
      return { status: "refused", httpStatus: 409, intent, message: change.message };
    case "forbidden":
    case "not_found":
      return change;
  }
}

/** The case page's forms, one `intent` each: acknowledge, note, resolve. */
export async function runCaseAction(
  db: Database,
  actor: Actor,
  caseId: string,
  form: FormData,
): Promise<CaseActionResult> {
  const parsed = intentSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) {
    const intent = form.get("intent");
    const known = ["acknowledge", "note", "resolve"].includes(String(intent));
    return {
      status: "refused",
      httpStatus: 400,
      intent: known ? (intent as CaseIntent) : null,
      message: known
        ? (parsed.error.issues[0]?.message ?? "That form was not filled in as expected.")
        : "Unknown action: reload the page and use its buttons.",
    };
  }
  const input = parsed.data;
  switch (input.intent) {
    case "acknowledge":
      return fromChange(input.intent, await acknowledgeCase(db, actor, caseId));
    case "note":
      return fromChange(input.intent, await addCaseNote(db, actor, caseId, input.body));
    case "resolve":
      return fromChange(
        input.intent,
        await resolveCase(db, actor, caseId, {
          resolutionNote: input.resolutionNote,
          sendRecoveryPulse: input.recoveryPulse,
        }),
      );
  }
}
