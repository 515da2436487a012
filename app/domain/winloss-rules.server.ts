/**
 * The admin's win/loss rules (docs/winloss-program.md, "Rules"): an ordered list, kept
 * numbered 1…n. Every write takes one advisory lock, so two admins editing at once take
 * turns and the numbering never gets a gap or a repeat.
 */
import { asc, count, eq, sql } from "drizzle-orm";
import { winlossRules } from "../../db/schema";
import type { Database, Executor, Transaction } from "../lib/db.server";
import { MAX_RULES, parseRuleInput, type RuleFieldErrors, type WinlossRule } from "./winloss-program";

export type RuleWriteOutcome =
  | { status: "saved"; ruleId: string }
  | { status: "invalid"; fieldErrors: RuleFieldErrors }
  | { status: "not_found" };

const ruleColumns = {
  id: winlossRules.id,
  position: winlossRules.position,
  outcomes: winlossRules.outcomes,
  minAmountCents: winlossRules.minAmountCents,
  maxAmountCents: winlossRules.maxAmountCents,
  segment: winlossRules.segment,
  action: winlossRules.action,
  delayDays: winlossRules.delayDays,
};

/** Every rule in order: what the settings page lists and what a closing deal is matched against. */
export async function listWinlossRules(db: Executor): Promise<WinlossRule[]> {
  return db
    .select(ruleColumns)
    .from(winlossRules)
    .orderBy(asc(winlossRules.position), asc(winlossRules.createdAt), asc(winlossRules.id));
}

async function lockRules(tx: Transaction) {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended('winloss_rules', 0))`);
}

/** Numbers the rules 1…n in their current order (after a delete or a move). */
async function renumber(tx: Transaction) {
  await tx.execute(sql`
    update ${winlossRules} as r set position = o.n
    from (select id, row_number() over (order by position, created_at, id) as n from ${winlossRules}) as o
    where r.id = o.id and r.position <> o.n`);
}

function parse(values: unknown) {
  return parseRuleInput(values && typeof values === "object" ? (values as Record<string, unknown>) : {});
}

/** Adds a rule at the end of the list. */
export async function createWinlossRule(db: Database, values: unknown): Promise<RuleWriteOutcome> {
  const parsed = parse(values);
  if (!parsed.ok) return { status: "invalid", fieldErrors: parsed.fieldErrors };
  return db.transaction(async (tx) => {
    await lockRules(tx);
    const [{ n } = { n: 0 }] = await tx.select({ n: count() }).from(winlossRules);
    if (n >= MAX_RULES) {
      return {
        status: "invalid" as const,
        fieldErrors: {
          form: `There are already ${MAX_RULES} rules; delete or merge some before adding another.`,
        },
      };
    }
    const [created] = await tx
      .insert(winlossRules)
      .values({ ...parsed.input, position: n + 1 })
      .returning({ id: winlossRules.id });
    return { status: "saved" as const, ruleId: created!.id };
  });
}

/** Replaces a rule's condition and action; its place in the list stays. */
export async function updateWinlossRule(
  db: Database,
  ruleId: string,
  values: unknown,
): Promise<RuleWriteOutcome> {
  const parsed = parse(values);
  if (!parsed.ok) return { status: "invalid", fieldErrors: parsed.fieldErrors };
  const [updated] = await db
    .update(winlossRules)
    .set({ ...parsed.input, updatedAt: new Date() })
    .where(eq(winlossRules.id, ruleId))
    .returning({ id: winlossRules.id });
  return updated ? { status: "saved", ruleId: updated.id } : { status: "not_found" };
}

/** Deletes a rule; follow-ups it already decided keep what it said (rule_summary). */
export async function deleteWinlossRule(db: Database, ruleId: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    await lockRules(tx);
    const deleted = await tx
      .delete(winlossRules)
      .where(eq(winlossRules.id, ruleId))
      .returning({ id: winlossRules.id });
    if (deleted.length === 0) return false;
    await renumber(tx);
    return true;
  });
}

/**
 * Swaps a rule with its neighbour above or below. Moving the first rule up or the last down
 * changes nothing and is not an error (a double click does no harm).
 */
export async function moveWinlossRule(
  db: Database,
  ruleId: string,
  direction: "up" | "down",
): Promise<"moved" | "unchanged" | "not_found"> {
  return db.transaction(async (tx) => {
    await lockRules(tx);
    await renumber(tx);
    const rules = await listWinlossRules(tx);
    const index = rules.findIndex((rule) => rule.id === ruleId);
    if (index < 0) return "not_found";
    const other = rules[direction === "up" ? index - 1 : index + 1];
    if (!other) return "unchanged";
    const rule = rules[index]!;
    await tx.update(winlossRules).set({ position: other.position }).where(eq(winlossRules.id, rule.id));
    await tx.update(winlossRules).set({ position: rule.position }).where(eq(winlossRules.id, other.id));
    return "moved";
  });
}
