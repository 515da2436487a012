/**
 * Interview tasks (docs/winloss-program.md, "Interview tasks"): a win/loss interview to hold
 * with a closed deal's buyer, opened by the follow-up job when a rule says "interview". The
 * account team assigns it, moves its due date, cancels it, or records the interview — which
 * stores a response linked to the deal (source `interview`) and marks the task done in the
 * same transaction.
 *
 * Access is the routes' job (the deal's account, edit for any change); these functions check
 * the task's own rules: only an open task changes, the assignee is on the account team, the
 * contact is one of the account's.
 */
import { and, asc, count, desc, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import {
  accountMembers,
  accounts,
  contacts,
  interviewTasks,
  opportunities,
  users,
  type InterviewTask,
} from "../../db/schema";
import type { Database, Executor } from "../lib/db.server";
import { visibleAccounts, type Viewer } from "./accounts.server";
import { recordInterview } from "./responses.server";
import { INTERVIEW_TASK_STATUSES, isoDay } from "./winloss-program";

export const INTERVIEW_TASKS_PAGE_SIZE = 25;

// ─── The list ─────────────────────────────────────────────────────────────────

export const INTERVIEW_SCOPES = ["mine", "all"] as const;
export const INTERVIEW_STATUS_FILTERS = [...INTERVIEW_TASK_STATUSES, "all"] as const;

/** What /interviews reads from its URL; anything unknown falls back to the default. */
export const interviewListQuerySchema = z.object({
  scope: z.enum(INTERVIEW_SCOPES).optional().catch(undefined),
  status: z.enum(INTERVIEW_STATUS_FILTERS).catch("open"),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});
export type InterviewListQuery = z.output<typeof interviewListQuerySchema>;

/** Everyone starts on their own tasks, except leaders, who are never assigned one. */
export function defaultInterviewScope(role: Viewer["role"]): (typeof INTERVIEW_SCOPES)[number] {
  return role === "leader" ? "all" : "mine";
}

/**
 * Interview tasks, open ones first by due date (the most overdue on top), then the finished
 * ones newest first. "mine": assigned to the viewer; "all": every task on the accounts the
 * viewer can see (every account for leaders and admins).
 */
export async function listInterviewTasks(
  db: Database,
  viewer: Viewer,
  query: InterviewListQuery,
  today = isoDay(new Date()),
) {
  const scope = query.scope ?? defaultInterviewScope(viewer.role);
  const where = and(
    // a task of an account the viewer has since left the team of is not theirs to see
    visibleAccounts(viewer, db),
    scope === "mine" ? eq(interviewTasks.assigneeId, viewer.id) : undefined,
    query.status === "all" ? undefined : eq(interviewTasks.status, query.status),
  );
  const [rows, [total]] = await Promise.all([
    db
      .select({
        id: interviewTasks.id,
        status: interviewTasks.status,
        dueOn: interviewTasks.dueOn,
        completedAt: interviewTasks.completedAt,
        cancelledAt: interviewTasks.cancelledAt,
        responseId: interviewTasks.responseId,
        opportunityId: opportunities.id,
        opportunityName: opportunities.name,
        outcome: opportunities.outcome,
        amountCents: opportunities.amountCents,
        accountId: accounts.id,
        accountName: accounts.name,
        contactId: contacts.id,
        contactName: contacts.name,
        assigneeId: interviewTasks.assigneeId,
        assigneeName: users.name,
      })
      .from(interviewTasks)
      .innerJoin(opportunities, eq(opportunities.id, interviewTasks.opportunityId))
      .innerJoin(accounts, eq(accounts.id, opportunities.accountId))
      .innerJoin(users, eq(users.id, interviewTasks.assigneeId))
      .leftJoin(contacts, eq(contacts.id, interviewTasks.contactId))
      .where(where)
      .orderBy(
        sql`case when ${interviewTasks.status} = 'open' then 0 else 1 end`,
        sql`case when ${interviewTasks.status} = 'open' then ${interviewTasks.dueOn} end asc`,
        desc(interviewTasks.updatedAt),
        asc(interviewTasks.id),
      )
      .limit(INTERVIEW_TASKS_PAGE_SIZE)
      .offset((query.page - 1) * INTERVIEW_TASKS_PAGE_SIZE),
    db
      .select({ n: count() })
      .from(interviewTasks)
      .innerJoin(opportunities, eq(opportunities.id, interviewTasks.opportunityId))
      .innerJoin(accounts, eq(accounts.id, opportunities.accountId))
      .where(where),
  ]);
  return {
    scope,
    rows: rows.map((row) => ({ ...row, overdue: isOverdue(row, today) })),
    total: total?.n ?? 0,
    page: query.page,
    pageSize: INTERVIEW_TASKS_PAGE_SIZE,
  };
}

export function isOverdue(task: { status: string; dueOn: string }, today: string): boolean {
  return task.status === "open" && task.dueOn < today;
}

/** A person's open tasks, soonest due first (for My week). */
export async function openInterviewTasksFor(db: Database, userId: string, limit = 20) {
  return db
    .select({
      id: interviewTasks.id,
      dueOn: interviewTasks.dueOn,
      opportunityId: opportunities.id,
      opportunityName: opportunities.name,
      accountId: accounts.id,
      accountName: accounts.name,
      contactName: contacts.name,
    })
    .from(interviewTasks)
    .innerJoin(opportunities, eq(opportunities.id, interviewTasks.opportunityId))
    .innerJoin(accounts, eq(accounts.id, opportunities.accountId))
    .leftJoin(contacts, eq(contacts.id, interviewTasks.contactId))
    .where(and(eq(interviewTasks.assigneeId, userId), eq(interviewTasks.status, "open")))
    .orderBy(asc(interviewTasks.dueOn), asc(interviewTasks.id))
    .limit(limit);
}

// ─── One task ─────────────────────────────────────────────────────────────────

/** The account a task's deal belongs to (for the access check), or null. */
export async function accountIdOfInterviewTask(db: Database, taskId: string): Promise<string | null> {
  const [row] = await db
    .select({ accountId: opportunities.accountId })
    .from(interviewTasks)
    .innerJoin(opportunities, eq(opportunities.id, interviewTasks.opportunityId))
    .where(eq(interviewTasks.id, taskId));
  return row?.accountId ?? null;
}

export async function getInterviewTask(db: Executor, taskId: string) {
  const [row] = await db
    .select({
      task: interviewTasks,
      opportunityName: opportunities.name,
      outcome: opportunities.outcome,
      amountCents: opportunities.amountCents,
      closeDate: opportunities.closeDate,
      accountId: accounts.id,
      accountName: accounts.name,
      contactName: contacts.name,
      assigneeName: users.name,
    })
    .from(interviewTasks)
    .innerJoin(opportunities, eq(opportunities.id, interviewTasks.opportunityId))
    .innerJoin(accounts, eq(accounts.id, opportunities.accountId))
    .innerJoin(users, eq(users.id, interviewTasks.assigneeId))
    .leftJoin(contacts, eq(contacts.id, interviewTasks.contactId))
    .where(eq(interviewTasks.id, taskId));
  return row ?? null;
}

/** Who a task can go to: the account owner first, then the active team by name. */
export async function interviewTaskTeam(db: Executor, accountId: string) {
  const [owner] = await db
    .select({ id: users.id, name: users.name })
    .from(accounts)
    .innerJoin(users, eq(users.id, accounts.ownerId))
    .where(eq(accounts.id, accountId));
  const members = await db
    .select({ id: users.id, name: users.name })
    .from(accountMembers)
    .innerJoin(users, eq(users.id, accountMembers.userId))
    .where(and(eq(accountMembers.accountId, accountId), isNull(users.deactivatedAt)))
    .orderBy(asc(users.name), asc(users.id));
  return owner ? [owner, ...members.filter((m) => m.id !== owner.id)] : members;
}

/** The account's contacts a task may name, buyers first. */
export async function interviewTaskContacts(db: Executor, accountId: string) {
  return db
    .select({ id: contacts.id, name: contacts.name, buyingRole: contacts.buyingRole })
    .from(contacts)
    .where(eq(contacts.accountId, accountId))
    .orderBy(
      sql`array_position(array['decision_maker', 'champion', 'influencer', 'user']::buying_role[], ${contacts.buyingRole})`,
      asc(contacts.name),
      asc(contacts.id),
    )
    .limit(500);
}

// ─── Changing a task ──────────────────────────────────────────────────────────

export type TaskField = "assigneeId" | "contactId" | "dueOn";
export type TaskFieldErrors = Partial<Record<TaskField, string>>;

export type TaskChange =
  | { status: "done"; task: InterviewTask }
  | { status: "invalid"; fieldErrors: TaskFieldErrors }
  | { status: "conflict"; message: string }
  | { status: "not_found" };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isCalendarDay(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    year >= 2000 &&
    year <= 2999 &&
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day
  );
}

const blank = (value: unknown) => (typeof value === "string" ? value.trim() : "");

function closedMessage(task: Pick<InterviewTask, "status">): string {
  return task.status === "done"
    ? "This interview is already recorded; the task is done and can no longer change."
    : "This task was cancelled; it can no longer change.";
}

/**
 * Reassigns the task, names (or clears) its contact and moves its due date, as posted by the
 * task page: `assigneeId`, `contactId` (blank: nobody yet), `dueOn` (YYYY-MM-DD, today or later).
 */
export async function updateInterviewTask(
  db: Database,
  taskId: string,
  values: Record<string, unknown>,
  today = isoDay(new Date()),
): Promise<TaskChange> {
  return db.transaction(async (tx) => {
    const found = await getInterviewTask(tx, taskId);
    if (!found) return { status: "not_found" as const };
    if (found.task.status !== "open")
      return { status: "conflict" as const, message: closedMessage(found.task) };
    const errors: TaskFieldErrors = {};
    const assigneeId = blank(values.assigneeId);
    const contactId = blank(values.contactId);
    const dueOn = blank(values.dueOn);
    const team = await interviewTaskTeam(tx, found.accountId);
    if (!assigneeId) errors.assigneeId = "Choose who holds the interview.";
    else if (!team.some((member) => member.id === assigneeId)) {
      errors.assigneeId =
        assigneeId === found.task.assigneeId
          ? "The current assignee is no longer on this account's team; choose the owner or a team member."
          : "That person is not on this account's team; choose the owner or a team member.";
    }
    if (contactId) {
      const [contact] = UUID.test(contactId)
        ? await tx
            .select({ id: contacts.id })
            .from(contacts)
            .where(and(eq(contacts.id, contactId), eq(contacts.accountId, found.accountId)))
        : [];
      if (!contact) errors.contactId = "That contact is not one of this account's; choose another.";
    }
    if (!dueOn) errors.dueOn = "Due date is required, e.g. 2026-06-30.";
    else if (!isCalendarDay(dueOn)) {
      errors.dueOn = `Due date “${dueOn.slice(0, 20)}” is not a date; use YYYY-MM-DD, e.g. 2026-06-30.`;
    } else if (dueOn < today && dueOn !== found.task.dueOn) {
      errors.dueOn = `Due date ${dueOn} is in the past; choose today (${today}) or later.`;
    }
    if (Object.keys(errors).length > 0) return { status: "invalid" as const, fieldErrors: errors };
    const [task] = await tx
      .update(interviewTasks)
      .set({ assigneeId, contactId: contactId || null, dueOn, updatedAt: new Date() })
      .where(and(eq(interviewTasks.id, taskId), eq(interviewTasks.status, "open")))
      .returning();
    return task
      ? { status: "done" as const, task }
      : { status: "conflict" as const, message: closedMessage({ status: "cancelled" }) };
  });
}

/** Cancels an open task (nobody will hold the interview); a second cancel is a conflict. */
export async function cancelInterviewTask(
  db: Database,
  actorId: string,
  taskId: string,
  now = new Date(),
): Promise<TaskChange> {
  const [task] = await db
    .update(interviewTasks)
    .set({ status: "cancelled", cancelledAt: now, cancelledById: actorId, updatedAt: now })
    .where(and(eq(interviewTasks.id, taskId), eq(interviewTasks.status, "open")))
    .returning();
  if (task) return { status: "done", task };
  const found = await getInterviewTask(db, taskId);
  return found ? { status: "conflict", message: closedMessage(found.task) } : { status: "not_found" };
}

// ─── Recording the interview ──────────────────────────────────────────────────

class TaskNoLongerOpen extends Error {}

export type RecordTaskOutcome =
  | Awaited<ReturnType<typeof recordInterview>>
  | { status: "closed"; message: string }
  | { status: "wrong_contact" };

/**
 * Records the task's interview with `contactId` (the task's contact): a response linked to
 * the deal, source `interview`, the interviewer named; the task becomes done with it, in one
 * transaction. Two interviewers saving at once: one is stored, the other is told the task is
 * done and nothing of theirs is kept.
 */
export async function recordTaskInterview(
  db: Database,
  input: { taskId: string; contactId: string; surveyVersionId: string; interviewerId: string; data: unknown },
): Promise<RecordTaskOutcome> {
  const found = await getInterviewTask(db, input.taskId);
  if (!found) return { status: "not_found" };
  if (found.task.status !== "open") return { status: "closed", message: closedMessage(found.task) };
  if (found.task.contactId !== input.contactId) return { status: "wrong_contact" };
  try {
    return await recordInterview(
      db,
      {
        contactId: input.contactId,
        surveyVersionId: input.surveyVersionId,
        interviewerId: input.interviewerId,
        data: input.data,
        opportunityId: found.task.opportunityId,
      },
      {
        alsoInTransaction: async (tx, response) => {
          const now = new Date();
          const done = await tx
            .update(interviewTasks)
            .set({ status: "done", responseId: response.id, completedAt: now, updatedAt: now })
            .where(and(eq(interviewTasks.id, input.taskId), eq(interviewTasks.status, "open")))
            .returning({ id: interviewTasks.id });
          if (done.length === 0) throw new TaskNoLongerOpen();
        },
      },
    );
  } catch (error) {
    if (!(error instanceof TaskNoLongerOpen)) throw error;
    const now = await getInterviewTask(db, input.taskId);
    return { status: "closed", message: closedMessage(now?.task ?? { status: "done" }) };
  }
}
