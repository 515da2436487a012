import { Form, useNavigation } from "@remix-run/react";
import type { RuleFieldErrors, ruleFormDefaults } from "~/domain/winloss-program";
import { RuleForm } from "./rule-form";

export interface RuleView {
  id: string;
  condition: string;
  then: string;
  defaults: ReturnType<typeof ruleFormDefaults>;
}

/**
 * One rule: what it says, move up / move down (plain buttons, so the keyboard reorders the
 * list; the page keeps focus on the pressed button after the move), delete after asking,
 * and its edit form.
 */
export function RuleRow({
  rule,
  number,
  isFirst,
  isLast,
  errors,
}: {
  rule: RuleView;
  number: number;
  isFirst: boolean;
  isLast: boolean;
  errors: RuleFieldErrors | null;
}) {
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && navigation.formData?.get("ruleId") === rule.id;
  const label = `rule ${number}`;
  return (
    <li className="px-4 py-3" aria-label={`Rule ${number}: ${rule.condition}`}>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm">
          <span className="mr-2 inline-block w-6 font-semibold tabular-nums text-slate-500">{number}.</span>
          <span className="font-medium">{rule.condition}</span> → {rule.then}
        </p>
        <div className="flex flex-wrap gap-2">
          {(["up", "down"] as const).map((direction) => (
            <Form key={direction} method="post">
              <input type="hidden" name="intent" value="move" />
              <input type="hidden" name="ruleId" value={rule.id} />
              <input type="hidden" name="direction" value={direction} />
              <button
                id={`move-${direction}-${rule.id}`}
                type="submit"
                className="btn-secondary"
                disabled={busy || (direction === "up" ? isFirst : isLast)}
              >
                {direction === "up" ? "Move up" : "Move down"}
                <span className="sr-only">: {label}</span>
              </button>
            </Form>
          ))}
          <Form
            method="post"
            onSubmit={(event) => {
              if (
                !window.confirm(`Delete rule ${number} (${rule.condition} → ${rule.then.toLowerCase()})?`)
              ) {
                event.preventDefault();
              }
            }}
          >
            <input type="hidden" name="intent" value="delete" />
            <input type="hidden" name="ruleId" value={rule.id} />
            <button type="submit" className="btn-secondary text-red-700" disabled={busy}>
              Delete<span className="sr-only">: {label}</span>
            </button>
          </Form>
        </div>
      </div>
      <details className="mt-2" open={errors !== null}>
        <summary className="cursor-pointer text-sm text-indigo-700">
          Edit<span className="sr-only"> {label}</span>
        </summary>
        <div className="mt-3">
          <RuleForm
            prefix={`rule-${rule.id}`}
            intent="update"
            ruleId={rule.id}
            defaults={rule.defaults}
            errors={errors ?? {}}
            submitLabel="Save the rule"
          />
        </div>
      </details>
    </li>
  );
}
