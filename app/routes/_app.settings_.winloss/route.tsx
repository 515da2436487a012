import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useEffect, useState } from "react";
import { z } from "zod";
import { GeneralErrorBoundary } from "~/components/general-error-boundary";
import { PageHeader } from "~/components/page-header";
import { listRecentFollowups } from "~/domain/winloss-followups.server";
import {
  DEFAULT_FOLLOW_UP,
  describeAction,
  describeCondition,
  ruleFormDefaults,
  ruleFormValues,
  type RuleFieldErrors,
} from "~/domain/winloss-program";
import {
  createWinlossRule,
  deleteWinlossRule,
  listWinlossRules,
  moveWinlossRule,
  updateWinlossRule,
  type RuleWriteOutcome,
} from "~/domain/winloss-rules.server";
import { isUuid, requireUser } from "~/lib/auth.server";
import { getDb } from "~/lib/db.server";
import { RecentFollowups } from "./recent-followups";
import { RuleForm } from "./rule-form";
import { RuleRow } from "./rule-row";

const intentSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("create") }),
  z.object({ intent: z.literal("update"), ruleId: z.string() }),
  z.object({ intent: z.literal("delete"), ruleId: z.string() }),
  z.object({ intent: z.literal("move"), ruleId: z.string(), direction: z.enum(["up", "down"]) }),
]);

export type RuleActionData =
  | { intent: "create" | "update"; ruleId?: string; fieldErrors: RuleFieldErrors }
  | { intent: "move"; ruleId: string; direction: "up" | "down"; position: number; moved: boolean };

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, { roles: ["admin"] });
  const db = getDb();
  const [rules, followups] = await Promise.all([listWinlossRules(db), listRecentFollowups(db)]);
  return json({
    rules: rules.map((rule) => ({
      ...rule,
      condition: describeCondition(rule),
      then: describeAction(rule.action, rule.delayDays),
      defaults: ruleFormDefaults(rule),
    })),
    defaultAction: describeAction(DEFAULT_FOLLOW_UP.action, DEFAULT_FOLLOW_UP.delayDays),
    followups,
  });
}

const noSuchRule = () =>
  new Response("No such rule: someone may have deleted it. Reload the page.", { status: 404 });

export async function action({ request }: ActionFunctionArgs) {
  await requireUser(request, { roles: ["admin"] });
  const form = await request.formData();
  const parsed = intentSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success)
    throw new Response("Unknown action: reload the page and use its buttons.", { status: 400 });
  const input = parsed.data;
  if (input.intent !== "create" && !isUuid(input.ruleId)) throw noSuchRule();
  const db = getDb();
  const written = (outcome: RuleWriteOutcome, intent: "create" | "update", ruleId?: string) => {
    if (outcome.status === "not_found") throw noSuchRule();
    if (outcome.status === "invalid") {
      return json<RuleActionData>({ intent, ruleId, fieldErrors: outcome.fieldErrors }, { status: 400 });
    }
    return redirect(`/settings/winloss?saved=${intent === "create" ? "created" : "updated"}`);
  };
  switch (input.intent) {
    case "create":
      return written(await createWinlossRule(db, ruleFormValues(form)), "create");
    case "update":
      return written(await updateWinlossRule(db, input.ruleId, ruleFormValues(form)), "update", input.ruleId);
    case "delete":
      if (!(await deleteWinlossRule(db, input.ruleId))) throw noSuchRule();
      return redirect("/settings/winloss?saved=deleted");
    case "move": {
      const moved = await moveWinlossRule(db, input.ruleId, input.direction);
      if (moved === "not_found") throw noSuchRule();
      const position = (await listWinlossRules(db)).findIndex((rule) => rule.id === input.ruleId) + 1;
      return json<RuleActionData>({
        intent: "move",
        ruleId: input.ruleId,
        direction: input.direction,
        position,
        moved: moved === "moved",
      });
    }
  }
}

export const meta: MetaFunction = () => [{ title: "Win/loss rules · Settings · Rapport" }];

const savedMessages: Record<string, string> = {
  created: "Rule added at the end of the list.",
  updated: "Rule saved.",
  deleted: "Rule deleted. Follow-ups it already decided keep what it said.",
};

export default function WinlossRules() {
  const { rules, defaultAction, followups } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const saved = savedMessages[searchParams.get("saved") ?? ""];
  const createErrors = result?.intent === "create" ? result.fieldErrors : {};
  const announcement = useMoveFocus(result, rules.length);
  return (
    <>
      <p className="mb-2 text-sm">
        <Link to="/settings" className="text-indigo-700 hover:underline">
          ← Settings
        </Link>
      </p>
      <PageHeader
        title="Win/loss follow-up rules"
        description="When a deal closes, the first rule that matches decides what happens with its buyers. The seller's reasons always come first: nobody is asked before they are sealed."
      />
      {saved && !result ? (
        <p role="status" className="mb-4 rounded-md bg-emerald-50 p-3 text-sm text-emerald-900">
          {saved}
        </p>
      ) : null}
      <p role="status" aria-live="polite" className="sr-only">
        {announcement}
      </p>
      <section aria-labelledby="rules-heading" className="mb-8">
        <h2 id="rules-heading" className="mb-3 text-lg font-semibold">
          Rules, in the order they are tried
        </h2>
        <ol className="card divide-y divide-slate-100">
          {rules.map((rule, index) => (
            <RuleRow
              key={rule.id}
              rule={rule}
              number={index + 1}
              isFirst={index === 0}
              isLast={index === rules.length - 1}
              errors={result?.intent === "update" && result.ruleId === rule.id ? result.fieldErrors : null}
            />
          ))}
          <li className="flex flex-wrap items-center gap-3 bg-slate-50 px-4 py-3 text-sm">
            <span className="font-medium text-slate-600">
              {rules.length > 0 ? "Otherwise" : "Every deal"}
            </span>
            <span>
              {defaultAction} <span className="text-slate-600">(the default, when no rule matches)</span>
            </span>
          </li>
        </ol>
      </section>
      <section aria-labelledby="add-heading" className="card mb-8 p-4">
        <h2 id="add-heading" className="mb-3 text-lg font-semibold">
          Add a rule
        </h2>
        <RuleForm
          // a fresh form after each successful add
          key={saved ?? "new"}
          prefix="new"
          intent="create"
          defaults={ruleFormDefaults()}
          errors={createErrors}
          submitLabel="Add the rule"
        />
      </section>
      <RecentFollowups followups={followups} />
    </>
  );
}

/**
 * After a move the rule's row changes place: keep the keyboard on the button that was
 * pressed (or its twin, when the rule reached an end) and say where the rule went.
 */
function useMoveFocus(result: RuleActionData | undefined, count: number): string {
  const [announcement, setAnnouncement] = useState("");
  useEffect(() => {
    if (result?.intent !== "move") return;
    const atEnd = result.direction === "up" ? result.position === 1 : result.position === count;
    const other = result.direction === "up" ? "down" : "up";
    document.getElementById(`move-${atEnd ? other : result.direction}-${result.ruleId}`)?.focus();
    setAnnouncement(
      result.moved
        ? `Rule moved to position ${result.position} of ${count}.`
        : "The rule is already at that end.",
    );
  }, [result, count]);
  return announcement;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
