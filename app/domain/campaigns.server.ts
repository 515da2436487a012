/**
 * Campaigns: the form's input, creating and editing drafts, the audience and who of it is
 * asked. Sending lives in campaign-send.server.ts, the funnel in campaign-report.server.ts.
 */
import { and, asc, count, desc, eq, inArray, isNull, max, ne, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import {
  accounts,
  campaignRecipients,
  campaigns,
  contacts,
  invitations,
  surveyDefinitions,
  surveyVersions,
  users,
  type Campaign,
  type CampaignExclusionReason,
  type User,
} from "../../db/schema";
import type { Database, Executor } from "../lib/db.server";
import {
  DEFAULT_ASK_BUDGET_PER_QUARTER,
  DEFAULT_EXPIRY_DAYS,
  DEFAULT_FREQUENCY_WINDOW_DAYS,
  MAX_AUDIENCE_LIST,
  audienceIsChosen,
  isEmailAddress,
  parseAudience,
  parseEmailList,
  parseReminderOffsets,
  planRecipients,
  quarterStart,
  type Audience,
  type AudienceCandidate,
  type PlannedRecipient,
} from "./campaigns";
import { firstErrorPerField } from "./field-errors";

/** Survey kinds a campaign can send: the mirror is the team's and interviews are spoken. */
export const CAMPAIGN_SURVEY_KINDS = ["relationship", "winloss"] as const;

// ─── The form ─────────────────────────────────────────────────────────────────

const text = (value: unknown) => (typeof value === "string" ? value : "");
const whole = (label: string, min: number, maxValue: number) =>
  z.preprocess(
    (value) => text(value).trim(),
    z
      .string()
      .regex(/^\d+$/, `${label} must be a whole number.`)
      .transform(Number)
      .pipe(
        z
          .number()
          .min(min, `${label} must be at least ${min}.`)
          .max(maxValue, `${label} must be at most ${maxValue}.`),
      ),
  );

/** The campaign form as posted: strings, with the audience pickers as repeated fields. */
export const campaignInputSchema = z
  .object({
    name: z.preprocess(
      text,
      z
        .string()
        .trim()
        .min(1, "Give the campaign a name.")
        .max(200, "The name must be at most 200 characters."),
    ),
    surveyVersionId: z.preprocess(text, z.string().uuid("Choose the survey to send.")),
    expiresAfterDays: whole("Expiry", 1, 90),
    reminders: z.preprocess(text, z.string().max(100, "Reminders: a few numbers of days, e.g. 3, 7.")),
    frequencyWindowDays: whole("The contact-frequency window", 0, 365),
    askBudgetPerQuarter: whole("The ask budget", 1, 100),
    senderName: z.preprocess(
      text,
      z.string().trim().max(100, "The sender name must be at most 100 characters."),
    ),
    replyTo: z.preprocess(
      text,
      z
        .string()
        .trim()
        .max(320)
        .refine(
          (value) => value === "" || isEmailAddress(value),
          "Reply-to must be an email address, or empty.",
        ),
    ),
    accountIds: z.array(z.string().uuid("An account in the list is not one of ours.")).max(MAX_AUDIENCE_LIST),
    segments: z.array(z.enum(["enterprise", "mid_market", "smb"])),
    regions: z.array(z.string().min(1).max(100)).max(200),
    tiers: z.array(z.enum(["strategic", "key", "core"])),
    ownerIds: z.array(z.string().uuid("An owner in the list is not one of ours.")).max(1_000),
    buyingRoles: z.array(z.enum(["decision_maker", "influencer", "user", "champion"])),
    emailList: z.preprocess(
      text,
      z.string().max(400_000, "The list of addresses is too long; import fewer at once."),
    ),
  })
  .superRefine((input, ctx) => {
    const offsets = parseReminderOffsets(input.reminders, input.expiresAfterDays);
    if (!offsets.ok) ctx.addIssue({ code: "custom", path: ["reminders"], message: offsets.message });
    const emails = parseEmailList(input.emailList);
    const bad = emails.find((e) => !isEmailAddress(e));
    if (bad)
      ctx.addIssue({
        code: "custom",
        path: ["emailList"],
        message: `“${bad.slice(0, 60)}” is not an email address.`,
      });
    if (emails.length > MAX_AUDIENCE_LIST) {
      ctx.addIssue({
        code: "custom",
        path: ["emailList"],
        message: `At most ${MAX_AUDIENCE_LIST} addresses at once.`,
      });
    }
  })
  .transform((input) => {
    const offsets = parseReminderOffsets(input.reminders, input.expiresAfterDays);
    const audience: Audience = {
      accountIds: input.accountIds,
      segments: input.segments,
      regions: input.regions,
      tiers: input.tiers,
      ownerIds: input.ownerIds,
      buyingRoles: input.buyingRoles,
      emails: parseEmailList(input.emailList),
    };
    return {
      name: input.name,
      surveyVersionId: input.surveyVersionId,
      expiresAfterDays: input.expiresAfterDays,
      reminderOffsetsDays: offsets.ok ? offsets.days : [],
      frequencyWindowDays: input.frequencyWindowDays,
      askBudgetPerQuarter: input.askBudgetPerQuarter,
      senderName: input.senderName || null,
      replyTo: input.replyTo || null,
      audience,
    };
  });

export type CampaignInput = z.output<typeof campaignInputSchema>;
export type CampaignFormField = keyof z.input<typeof campaignInputSchema> | "audience";
export type CampaignFieldErrors = Partial<Record<CampaignFormField, string>>;

const LIST_FIELDS = ["accountIds", "segments", "regions", "tiers", "ownerIds", "buyingRoles"] as const;

/** The posted form as the schema reads it (lists from repeated fields). */
export function submittedCampaignValues(form: FormData) {
  const values: Record<string, unknown> = {};
  for (const key of [
    "name",
    "surveyVersionId",
    "expiresAfterDays",
    "reminders",
    "frequencyWindowDays",
    "askBudgetPerQuarter",
    "senderName",
    "replyTo",
    "emailList",
  ]) {
    values[key] = text(form.get(key));
  }
  for (const key of LIST_FIELDS) {
    values[key] = form.getAll(key).filter((v): v is string => typeof v === "string" && v !== "");
  }
  return values;
}

/** The form's values for an existing campaign, or the defaults for a new one. */
export function campaignFormValues(campaign?: Campaign) {
  const audience = parseAudience(campaign?.audience);
  return {
    name: campaign?.name ?? "",
    surveyVersionId: campaign?.surveyVersionId ?? "",
    expiresAfterDays: String(campaign?.expiresAfterDays ?? DEFAULT_EXPIRY_DAYS),
    reminders: (campaign?.reminderOffsetsDays ?? [3, 7]).join(", "),
    frequencyWindowDays: String(campaign?.frequencyWindowDays ?? DEFAULT_FREQUENCY_WINDOW_DAYS),
    askBudgetPerQuarter: String(campaign?.askBudgetPerQuarter ?? DEFAULT_ASK_BUDGET_PER_QUARTER),
    senderName: campaign?.senderName ?? "",
    replyTo: campaign?.replyTo ?? "",
    emailList: audience.emails.join("\n"),
    accountIds: audience.accountIds,
    segments: audience.segments as string[],
    regions: audience.regions,
    tiers: audience.tiers as string[],
    ownerIds: audience.ownerIds,
    buyingRoles: audience.buyingRoles as string[],
  };
}

export type CampaignWriteResult =
  | { status: "saved"; campaignId: string }
  | { status: "invalid"; fieldErrors: CampaignFieldErrors }
  | { status: "not_editable" };

export function campaignFieldErrors(error: z.ZodError): CampaignFieldErrors {
  return firstErrorPerField<CampaignFormField>(error);
}

/** Checks what the schema cannot: the survey is sendable, the audience names someone. */
async function checkReferences(db: Executor, input: CampaignInput): Promise<CampaignFieldErrors> {
  const errors: CampaignFieldErrors = {};
  const [version] = await db
    .select({ kind: surveyDefinitions.kind })
    .from(surveyVersions)
    .innerJoin(surveyDefinitions, eq(surveyDefinitions.id, surveyVersions.definitionId))
    .where(eq(surveyVersions.id, input.surveyVersionId));
  if (!version) errors.surveyVersionId = "That survey version does not exist (any more); choose another.";
  else if (!(CAMPAIGN_SURVEY_KINDS as readonly string[]).includes(version.kind)) {
    errors.surveyVersionId = `A ${version.kind} survey is not sent to customers; choose a relationship or win/loss survey.`;
  }
  if (!audienceIsChosen(input.audience)) {
    errors.audience =
      "Choose who the campaign is for: accounts, a segment, region, tier, owner, role or a list.";
  }
  return errors;
}

export async function createCampaign(db: Database, user: Pick<User, "id">, input: CampaignInput) {
  const fieldErrors = await checkReferences(db, input);
  if (Object.keys(fieldErrors).length > 0) return { status: "invalid", fieldErrors } as const;
  const [created] = await db
    .insert(campaigns)
    .values({ ...input, createdById: user.id })
    .returning({ id: campaigns.id });
  return { status: "saved", campaignId: created!.id } as const;
}

/** Edits a draft or a scheduled campaign; once it is sending, what was sent stands. */
export async function updateCampaign(
  db: Database,
  campaignId: string,
  input: CampaignInput,
): Promise<CampaignWriteResult> {
  const fieldErrors = await checkReferences(db, input);
  if (Object.keys(fieldErrors).length > 0) return { status: "invalid", fieldErrors };
  const [updated] = await db
    .update(campaigns)
    .set({ ...input, updatedAt: new Date() })
    .where(and(eq(campaigns.id, campaignId), inArray(campaigns.status, ["draft", "scheduled"])))
    .returning({ id: campaigns.id });
  return updated ? { status: "saved", campaignId: updated.id } : { status: "not_editable" };
}

// ─── Reading ──────────────────────────────────────────────────────────────────

export async function getCampaign(db: Executor, campaignId: string) {
  if (!z.string().uuid().safeParse(campaignId).success) return null;
  const [row] = await db
    .select({
      campaign: campaigns,
      surveyTitle: surveyDefinitions.title,
      surveyKind: surveyDefinitions.kind,
      surveyVersion: surveyVersions.version,
      createdByName: users.name,
    })
    .from(campaigns)
    .innerJoin(surveyVersions, eq(surveyVersions.id, campaigns.surveyVersionId))
    .innerJoin(surveyDefinitions, eq(surveyDefinitions.id, surveyVersions.definitionId))
    .leftJoin(users, eq(users.id, campaigns.createdById))
    .where(eq(campaigns.id, campaignId));
  return row ?? null;
}

export const CAMPAIGNS_PAGE_SIZE = 25;

/** Campaigns newest first, with how many were invited and answered. */
export async function listCampaigns(db: Database, { page }: { page: number }) {
  const invited = db
    .select({
      campaignId: invitations.campaignId,
      invited: count().as("invited"),
      completed: sql<number>`count(*) filter (where ${invitations.status} = 'completed')`
        .mapWith(Number)
        .as("completed"),
    })
    .from(invitations)
    .groupBy(invitations.campaignId)
    .as("invited");
  const [rows, [total]] = await Promise.all([
    db
      .select({
        id: campaigns.id,
        name: campaigns.name,
        status: campaigns.status,
        scheduledAt: campaigns.scheduledAt,
        launchedAt: campaigns.launchedAt,
        createdAt: campaigns.createdAt,
        surveyTitle: surveyDefinitions.title,
        invited: sql<number>`coalesce(${invited.invited}, 0)`.mapWith(Number),
        completed: sql<number>`coalesce(${invited.completed}, 0)`.mapWith(Number),
      })
      .from(campaigns)
      .innerJoin(surveyVersions, eq(surveyVersions.id, campaigns.surveyVersionId))
      .innerJoin(surveyDefinitions, eq(surveyDefinitions.id, surveyVersions.definitionId))
      .leftJoin(invited, eq(invited.campaignId, campaigns.id))
      .orderBy(desc(campaigns.createdAt), asc(campaigns.id))
      .limit(CAMPAIGNS_PAGE_SIZE)
      .offset((page - 1) * CAMPAIGNS_PAGE_SIZE),
    db.select({ n: count() }).from(campaigns),
  ]);
  return { rows, total: total?.n ?? 0 };
}

/** What the form offers: sendable surveys (newest version of each), accounts, owners, regions. */
export async function campaignFormOptions(db: Database) {
  const [versions, accountRows, owners, regions] = await Promise.all([
    db
      .selectDistinctOn([surveyDefinitions.id], {
        id: surveyVersions.id,
        title: surveyDefinitions.title,
        kind: surveyDefinitions.kind,
        version: surveyVersions.version,
      })
      .from(surveyVersions)
      .innerJoin(surveyDefinitions, eq(surveyDefinitions.id, surveyVersions.definitionId))
      .where(inArray(surveyDefinitions.kind, [...CAMPAIGN_SURVEY_KINDS]))
      .orderBy(surveyDefinitions.id, desc(surveyVersions.version)),
    db.select({ id: accounts.id, name: accounts.name }).from(accounts).orderBy(asc(accounts.name)),
    db
      .selectDistinct({ id: users.id, name: users.name })
      .from(users)
      .innerJoin(accounts, eq(accounts.ownerId, users.id))
      .orderBy(asc(users.name)),
    db.selectDistinct({ region: accounts.region }).from(accounts).orderBy(asc(accounts.region)),
  ]);
  return {
    surveys: versions.sort((a, b) => a.title.localeCompare(b.title)),
    accounts: accountRows,
    owners,
    regions: regions.map((r) => r.region),
  };
}

// ─── The audience and who of it is asked ──────────────────────────────────────

function audienceConditions(audience: Audience): SQL[] {
  const conditions: SQL[] = [];
  if (audience.accountIds.length) conditions.push(inArray(contacts.accountId, audience.accountIds));
  if (audience.segments.length) conditions.push(inArray(accounts.segment, audience.segments));
  if (audience.regions.length) conditions.push(inArray(accounts.region, audience.regions));
  if (audience.tiers.length) conditions.push(inArray(accounts.tier, audience.tiers));
  if (audience.ownerIds.length) conditions.push(inArray(accounts.ownerId, audience.ownerIds));
  if (audience.buyingRoles.length) conditions.push(inArray(contacts.buyingRole, audience.buyingRoles));
  if (audience.emails.length) conditions.push(inArray(sql`lower(${contacts.email})`, audience.emails));
  return conditions;
}

/** An invitation counts against the frequency rules unless it was withdrawn or is this campaign's own. */
function countsTowardsFrequency(campaignId: string) {
  return and(
    ne(invitations.status, "revoked"),
    or(isNull(invitations.campaignId), ne(invitations.campaignId, campaignId)),
  );
}

/**
 * Every contact the campaign's rule matches, with what the frequency rules need, and the
 * per-account count of contacts already asked this quarter elsewhere.
 */
async function findCandidates(db: Executor, campaign: Pick<Campaign, "id" | "audience">, now: Date) {
  const audience = parseAudience(campaign.audience);
  if (!audienceIsChosen(audience))
    return { candidates: [], askedThisQuarter: new Map<string, number>(), audience };
  const lastInvited = db
    .select({ contactId: invitations.contactId, at: max(invitations.createdAt).as("last_invited_at") })
    .from(invitations)
    .where(countsTowardsFrequency(campaign.id))
    .groupBy(invitations.contactId)
    .as("last_invited");
  const rows = await db
    .select({
      contactId: contacts.id,
      accountId: contacts.accountId,
      name: contacts.name,
      email: contacts.email,
      buyingRole: contacts.buyingRole,
      optedOutAt: contacts.optedOutAt,
      bouncedAt: contacts.bouncedAt,
      lastInvitedAt: lastInvited.at,
    })
    .from(contacts)
    .innerJoin(accounts, eq(accounts.id, contacts.accountId))
    .leftJoin(lastInvited, eq(lastInvited.contactId, contacts.id))
    .where(and(...audienceConditions(audience)));
  const candidates: AudienceCandidate[] = rows.map((r) => ({
    ...r,
    lastInvitedAt: r.lastInvitedAt ? new Date(r.lastInvitedAt) : null,
  }));

  const accountIds = [...new Set(candidates.map((c) => c.accountId))];
  const askedThisQuarter = new Map<string, number>();
  for (let i = 0; i < accountIds.length; i += 5_000) {
    const asked = await db
      .select({
        accountId: contacts.accountId,
        n: sql<number>`count(distinct ${invitations.contactId})`.mapWith(Number),
      })
      .from(invitations)
      .innerJoin(contacts, eq(contacts.id, invitations.contactId))
      .where(
        and(
          countsTowardsFrequency(campaign.id),
          sql`${invitations.createdAt} >= ${quarterStart(now).toISOString()}::timestamptz`,
          inArray(contacts.accountId, accountIds.slice(i, i + 5_000)),
        ),
      )
      .groupBy(contacts.accountId);
    for (const row of asked) askedThisQuarter.set(row.accountId, row.n);
  }
  return { candidates, askedThisQuarter, audience };
}

/** Who the campaign would ask if it launched `now`, and who not and why. */
export async function planCampaignRecipients(
  db: Executor,
  campaign: Pick<Campaign, "id" | "audience" | "frequencyWindowDays" | "askBudgetPerQuarter">,
  now: Date,
): Promise<{ planned: PlannedRecipient[]; unmatchedEmails: string[] }> {
  const { candidates, askedThisQuarter, audience } = await findCandidates(db, campaign, now);
  const planned = planRecipients(candidates, campaign, askedThisQuarter, now);
  const matched = new Set(candidates.map((c) => c.email?.trim().toLowerCase()));
  return { planned, unmatchedEmails: audience.emails.filter((e) => !matched.has(e)) };
}

export interface RecipientRow {
  contactId: string;
  contactName: string;
  email: string | null;
  accountId: string;
  accountName: string;
  excludedReason: CampaignExclusionReason | null;
  excludedDetail: string | null;
}

/** Names for planned (or stored) recipients, for the page: every excluded one, and up to `limit` invited. */
async function describeRecipients(db: Executor, planned: readonly PlannedRecipient[], limit: number) {
  const excluded = planned.filter((p) => p.excludedReason);
  const invited = planned.filter((p) => !p.excludedReason);
  const shown = [...excluded.slice(0, limit), ...invited.slice(0, limit)];
  const names = new Map<string, { contactName: string; email: string | null; accountName: string }>();
  for (let i = 0; i < shown.length; i += 5_000) {
    const ids = shown.slice(i, i + 5_000).map((p) => p.contactId);
    const rows = await db
      .select({
        id: contacts.id,
        contactName: contacts.name,
        email: contacts.email,
        accountName: accounts.name,
      })
      .from(contacts)
      .innerJoin(accounts, eq(accounts.id, contacts.accountId))
      .where(inArray(contacts.id, ids));
    for (const row of rows) names.set(row.id, row);
  }
  const describe = (p: PlannedRecipient): RecipientRow => ({
    ...p,
    contactName: names.get(p.contactId)?.contactName ?? "(removed contact)",
    email: names.get(p.contactId)?.email ?? null,
    accountName: names.get(p.contactId)?.accountName ?? "",
  });
  const byReason: Partial<Record<CampaignExclusionReason, number>> = {};
  for (const p of excluded) byReason[p.excludedReason!] = (byReason[p.excludedReason!] ?? 0) + 1;
  return {
    invitedCount: invited.length,
    excludedCount: excluded.length,
    byReason,
    excluded: excluded.slice(0, limit).map(describe),
    invited: invited.slice(0, limit).map(describe),
  };
}

/** The recipients section of the campaign page: a live preview for drafts, the fixed list once launched. */
export async function campaignRecipientsView(db: Database, campaign: Campaign, now: Date, limit = 200) {
  if (campaign.status === "draft" || campaign.status === "scheduled") {
    const { planned, unmatchedEmails } = await planCampaignRecipients(db, campaign, now);
    return { preview: true, unmatchedEmails, ...(await describeRecipients(db, planned, limit)) };
  }
  const stored = await db
    .select({
      contactId: campaignRecipients.contactId,
      accountId: contacts.accountId,
      excludedReason: campaignRecipients.excludedReason,
      excludedDetail: campaignRecipients.excludedDetail,
    })
    .from(campaignRecipients)
    .innerJoin(contacts, eq(contacts.id, campaignRecipients.contactId))
    .where(eq(campaignRecipients.campaignId, campaign.id))
    .orderBy(asc(contacts.name), asc(contacts.id));
  return {
    preview: false,
    unmatchedEmails: [] as string[],
    ...(await describeRecipients(db, stored, limit)),
  };
}
