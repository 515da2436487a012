/**
 * Reading Customer 9-1-1 cases: the list (unresolved first, soonest due first), one case
 * with what the customer said and its timeline, and the closed-loop metrics. Managers see
 * the cases of accounts they own or are on the team of; leaders and admins see all.
 */
import { and, asc, count, desc, eq, gte, ne, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { z } from "zod";
import {
  accounts,
  answers,
  caseNotes,
  cases,
  contacts,
  invitations,
  responses,
  surveyDefinitions,
  surveyVersions,
  users,
} from "../../db/schema";
import type { Database } from "../lib/db.server";
import { visibleAccounts, type Viewer } from "./accounts.server";
import {
  CASE_STATUS_FILTERS,
  DEFAULT_METRICS_WINDOW_DAYS,
  METRICS_WINDOWS,
  closedLoopMetrics,
  questionTitles,
  recoveryPulseBlocker,
  verbatimComments,
  type CaseStatusFilter,
  type ClosedLoopMetrics,
} from "./cases";
import { firstNameOf } from "./campaign-emails.server";

export const CASES_PAGE_SIZE = 25;

const blankToUndefined = (value: unknown) =>
  typeof value === "string" && value.trim() === "" ? undefined : value;

/**
 * The list's filters from the URL. Anything unknown falls back to the default rather than
 * failing: a stale bookmark shows the list, not an error.
 */
export const caseListQuerySchema = z.object({
  status: z.preprocess(blankToUndefined, z.enum(CASE_STATUS_FILTERS).default("all")).catch("all"),
  owner: z.preprocess(blankToUndefined, z.string().uuid().optional()).catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
  days: z.coerce
    .number()
    .int()
    .refine((n) => (METRICS_WINDOWS as readonly number[]).includes(n))
    .catch(DEFAULT_METRICS_WINDOW_DAYS),
});
export type CaseListQuery = z.output<typeof caseListQuerySchema>;

function statusCondition(status: CaseStatusFilter): SQL | undefined {
  switch (status) {
    case "all":
      return undefined;
    case "unresolved":
      return ne(cases.status, "resolved");
    default:
      return eq(cases.status, status);
  }
}

export async function listCases(db: Database, viewer: Viewer, query: CaseListQuery) {
  const where = and(
    visibleAccounts(viewer, db),
    statusCondition(query.status),
    query.owner ? eq(cases.ownerId, query.owner) : undefined,
  );
  const [rows, [total]] = await Promise.all([
    db
      .select({
        id: cases.id,
        summary: cases.summary,
        severity: cases.severity,
        status: cases.status,
        trigger: cases.trigger,
        slaDueAt: cases.slaDueAt,
        openedAt: cases.openedAt,
        acknowledgedAt: cases.acknowledgedAt,
        resolvedAt: cases.resolvedAt,
        accountId: accounts.id,
        accountName: accounts.name,
        ownerId: cases.ownerId,
        ownerName: users.name,
        contactId: contacts.id,
        contactName: contacts.name,
      })
      .from(cases)
      .innerJoin(accounts, eq(accounts.id, cases.accountId))
      .innerJoin(users, eq(users.id, cases.ownerId))
      .leftJoin(contacts, eq(contacts.id, cases.contactId))
      .where(where)
      // unresolved first, soonest due (so the most overdue) on top; then the latest resolved
      .orderBy(
        asc(sql`${cases.status} = 'resolved'`),
        asc(sql`case when ${cases.status} <> 'resolved' then ${cases.slaDueAt} end`),
        desc(cases.resolvedAt),
        asc(cases.id),
      )
      .limit(CASES_PAGE_SIZE)
      .offset((query.page - 1) * CASES_PAGE_SIZE),
    db.select({ n: count() }).from(cases).innerJoin(accounts, eq(accounts.id, cases.accountId)).where(where),
  ]);
  return { rows, total: total?.n ?? 0, page: query.page, pageSize: CASES_PAGE_SIZE };
}

/** Owners of the cases the viewer can see, for the owner filter. */
export async function listCaseOwners(db: Database, viewer: Viewer) {
  return db
    .selectDistinct({ id: users.id, name: users.name })
    .from(cases)
    .innerJoin(accounts, eq(accounts.id, cases.accountId))
    .innerJoin(users, eq(users.id, cases.ownerId))
    .where(visibleAccounts(viewer, db))
    .orderBy(asc(users.name), asc(users.id));
}

/**
 * The closed-loop metrics over the cases the viewer can see (one owner's, with `owner`):
 * reads the window's cases and every unresolved one, then `closedLoopMetrics` does the sums.
 */
export async function getCaseMetrics(
  db: Database,
  viewer: Viewer,
  options: { days: number; owner?: string },
  now: Date = new Date(),
): Promise<ClosedLoopMetrics> {
  const since = new Date(now.getTime() - options.days * 86_400_000);
  const rows = await db
    .select({
      openedAt: cases.openedAt,
      acknowledgedAt: cases.acknowledgedAt,
      resolvedAt: cases.resolvedAt,
      slaDueAt: cases.slaDueAt,
    })
    .from(cases)
    .innerJoin(accounts, eq(accounts.id, cases.accountId))
    .where(
      and(
        visibleAccounts(viewer, db),
        options.owner ? eq(cases.ownerId, options.owner) : undefined,
        or(gte(cases.openedAt, since), ne(cases.status, "resolved")),
      ),
    );
  return closedLoopMetrics(rows, now, options.days);
}

/** The account a case belongs to (for the access check), or null when there is no such case. */
export async function accountIdOfCase(db: Database, caseId: string): Promise<string | null> {
  const [row] = await db.select({ accountId: cases.accountId }).from(cases).where(eq(cases.id, caseId));
  return row?.accountId ?? null;
}

const caseOwners = alias(users, "case_owner");
const noteAuthors = alias(users, "note_author");

/**
 * One case as its page shows it: the case, its account and contact, the response that
 * opened it (scores and the customer's own words), the timeline, and the recovery pulse.
 */
export async function getCaseDetail(db: Database, caseId: string, options: { companyName: string }) {
  const [row] = await db
    .select({
      case: cases,
      accountName: accounts.name,
      ownerName: caseOwners.name,
      ownerEmail: caseOwners.email,
      contact: {
        id: contacts.id,
        name: contacts.name,
        title: contacts.title,
        email: contacts.email,
        optedOutAt: contacts.optedOutAt,
        bouncedAt: contacts.bouncedAt,
      },
    })
    .from(cases)
    .innerJoin(accounts, eq(accounts.id, cases.accountId))
    .innerJoin(caseOwners, eq(caseOwners.id, cases.ownerId))
    .leftJoin(contacts, eq(contacts.id, cases.contactId))
    .where(eq(cases.id, caseId));
  if (!row) return null;
  const c = row.case;
  const contact = row.contact?.id ? row.contact : null;
  const variables = { company: options.companyName, contact: firstNameOf(contact?.name ?? "") };

  const [response, notes, recovery] = await Promise.all([
    c.responseId ? responseWithScores(db, c.responseId, variables) : null,
    db
      .select({
        id: caseNotes.id,
        kind: caseNotes.kind,
        body: caseNotes.body,
        createdAt: caseNotes.createdAt,
        authorName: noteAuthors.name,
      })
      .from(caseNotes)
      .leftJoin(noteAuthors, eq(noteAuthors.id, caseNotes.authorId))
      .where(eq(caseNotes.caseId, c.id))
      .orderBy(asc(caseNotes.createdAt), asc(caseNotes.id)),
    c.recoveryInvitationId ? recoveryPulse(db, c.recoveryInvitationId, variables) : null,
  ]);
  return {
    case: c,
    accountName: row.accountName,
    owner: { name: row.ownerName, email: row.ownerEmail },
    contact: contact
      ? { id: contact.id, name: contact.name, title: contact.title, email: contact.email }
      : null,
    recoveryPulseBlocker: recoveryPulseBlocker(contact),
    response,
    notes,
    recovery,
  };
}

async function responseWithScores(db: Database, responseId: string, variables: Record<string, string>) {
  const [response] = await db
    .select({
      id: responses.id,
      source: responses.source,
      completedAt: responses.completedAt,
      helpRequestedAt: responses.helpRequestedAt,
      data: responses.data,
      model: surveyVersions.model,
      surveyTitle: surveyDefinitions.title,
      interviewerName: users.name,
    })
    .from(responses)
    .innerJoin(surveyVersions, eq(surveyVersions.id, responses.surveyVersionId))
    .innerJoin(surveyDefinitions, eq(surveyDefinitions.id, surveyVersions.definitionId))
    .leftJoin(users, eq(users.id, responses.interviewerId))
    .where(eq(responses.id, responseId));
  if (!response) return null;
  const scored = await db
    .select({ question: answers.question, dimension: answers.dimension, value: answers.value })
    .from(answers)
    .where(eq(answers.responseId, responseId))
    .orderBy(asc(answers.id));
  const titles = questionTitles(response.model, variables);
  const { data, model, ...rest } = response;
  return {
    ...rest,
    scores: scored.map((s) => ({ ...s, title: titles[s.question] ?? s.question })),
    comments: verbatimComments(model, (data ?? {}) as Record<string, unknown>, variables),
  };
}

async function recoveryPulse(db: Database, invitationId: string, variables: Record<string, string>) {
  const [invitation] = await db
    .select({
      id: invitations.id,
      status: invitations.status,
      createdAt: invitations.createdAt,
      expiresAt: invitations.expiresAt,
      completedAt: invitations.completedAt,
    })
    .from(invitations)
    .where(eq(invitations.id, invitationId));
  if (!invitation) return null;
  const [answered] = await db
    .select({ id: responses.id })
    .from(responses)
    .where(and(eq(responses.invitationId, invitationId), eq(responses.isComplete, true)));
  return {
    ...invitation,
    response: answered ? await responseWithScores(db, answered.id, variables) : null,
  };
}
