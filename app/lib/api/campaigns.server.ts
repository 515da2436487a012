import { createHmac } from "node:crypto";
import { and, asc, eq, inArray, type SQL } from "drizzle-orm";
import { z, type ZodError } from "zod";
import {
  campaignStatus,
  campaigns,
  contacts,
  invitationStatus,
  invitationTokens,
  invitations,
  surveyDefinitions,
  surveyVersions,
  users,
  type Campaign,
} from "../../../db/schema";
import { changedAfter, pageOf, updatedAtMicros, usersByEmail } from "../../domain/account-sync.server";
import type { ApiKeyPrincipal } from "../../domain/api-keys.server";
import { surveyLinks } from "../../domain/campaign-emails.server";
import { campaignFunnel } from "../../domain/campaign-report.server";
import { changeCampaignStatus } from "../../domain/campaign-actions.server";
import { type CampaignChange } from "../../domain/campaign-send.server";
import {
  CAMPAIGN_STATUS_LABELS,
  DEFAULT_ASK_BUDGET_PER_QUARTER,
  DEFAULT_EXPIRY_DAYS,
  DEFAULT_FREQUENCY_WINDOW_DAYS,
  DEFAULT_REMINDER_OFFSETS_DAYS,
  parseAudience,
  responseRate,
} from "../../domain/campaigns";
import {
  campaignInputSchema,
  createCampaign,
  type CampaignFieldErrors,
  type CampaignFormField,
} from "../../domain/campaigns.server";
import { hashSurveyToken, invitationIsOpen } from "../../domain/survey-links.server";
import type { Database } from "../db.server";
import { publicUrl } from "../env.server";
import { getSessionSecret } from "../secrets.server";
import { emailField, idParams, notFoundProblem } from "./fields.server";
import { defineOperation } from "./operation.server";
import { changePage, decodeCursor, encodeCursor, listQuerySchema, pageSchema } from "./pagination.server";
import { ApiProblem, validationProblem, type FieldProblem } from "./problem.server";

// ─── Schemas ──────────────────────────────────────────────────────────────────────────

const segments = ["enterprise", "mid_market", "smb"] as const;
const tiers = ["strategic", "key", "core"] as const;
const buyingRoles = ["decision_maker", "influencer", "user", "champion"] as const;
const statuses = campaignStatus.enumValues;

const audienceSchema = z
  .object({
    account_ids: z.array(z.string().uuid()),
    segments: z.array(z.enum(segments)),
    regions: z.array(z.string()),
    tiers: z.array(z.enum(tiers)),
    owner_emails: z.array(z.string()).describe("Account owners, by email."),
    buying_roles: z.array(z.enum(buyingRoles)),
    emails: z.array(z.string()).describe("An explicit list of contacts, by email."),
  })
  .strict();

export const funnelSchema = z
  .object({
    recipients: z.number().int().describe("Contacts to be invited, fixed at launch."),
    invited: z.number().int(),
    sent: z.number().int(),
    delivered: z.number().int(),
    opened: z.number().int(),
    started: z.number().int(),
    completed: z.number().int(),
    bounced: z.number().int(),
    opted_out: z.number().int(),
    expired: z.number().int(),
    failed: z.number().int(),
    response_rate: z
      .number()
      .nullable()
      .describe("Completed per invitation sent, 0–100 with one decimal; null before any went out."),
  })
  .strict()
  .describe("Each stage counts the invitations that reached it or went beyond.");

export const campaignSchema = z
  .object({
    id: z.string().uuid(),
    name: z.string(),
    status: z.enum(statuses).describe("`sending` is what the UI calls live."),
    survey_id: z.string().uuid(),
    survey_version_id: z.string().uuid(),
    survey_title: z.string(),
    audience: audienceSchema,
    expires_after_days: z.number().int(),
    reminder_offsets_days: z.array(z.number().int()),
    frequency_window_days: z.number().int(),
    ask_budget_per_quarter: z.number().int(),
    sender_name: z.string().nullable(),
    reply_to: z.string().nullable(),
    created_by_email: z.string().nullable(),
    scheduled_at: z.string().datetime().nullable(),
    launched_at: z.string().datetime().nullable(),
    paused_at: z.string().datetime().nullable(),
    cancelled_at: z.string().datetime().nullable(),
    completed_at: z.string().datetime().nullable(),
    created_at: z.string().datetime(),
    updated_at: z.string().datetime(),
  })
  .strict();

export const campaignDetailSchema = campaignSchema.extend({ funnel: funnelSchema }).strict();

const audienceInputSchema = z
  .object({
    account_ids: z.array(z.string()).optional().describe("Accounts, by Rapport id."),
    segments: z.array(z.enum(segments)).optional(),
    regions: z.array(z.string()).optional(),
    tiers: z.array(z.enum(tiers)).optional(),
    owner_emails: z.array(emailField).optional().describe("Accounts owned by these users."),
    buying_roles: z.array(z.enum(buyingRoles)).optional(),
    emails: z
      .array(z.string())
      .optional()
      .describe("Only these contacts (still narrowed by the other criteria)."),
  })
  .strict()
  .describe(
    "Who it is for: every criterion set narrows (AND), values within one widen (OR). At least one is needed.",
  );

export const campaignCreateSchema = z
  .object({
    name: z.string().describe("1–200 characters."),
    survey_version_id: z
      .string()
      .describe("A relationship or win/loss survey version (`latest_version_id` in GET /surveys)."),
    audience: audienceInputSchema,
    expires_after_days: z.number().int().optional().describe(`1–90, default ${DEFAULT_EXPIRY_DAYS}.`),
    reminder_offsets_days: z
      .array(z.number().int())
      .optional()
      .describe(
        `Days after launch, ascending, before expiry; at most 5; default ${DEFAULT_REMINDER_OFFSETS_DAYS.join(", ")}.`,
      ),
    frequency_window_days: z
      .number()
      .int()
      .optional()
      .describe(`Nobody asked twice within it; 0–365, default ${DEFAULT_FREQUENCY_WINDOW_DAYS}.`),
    ask_budget_per_quarter: z
      .number()
      .int()
      .optional()
      .describe(`Contacts asked per account a quarter; 1–100, default ${DEFAULT_ASK_BUDGET_PER_QUARTER}.`),
    sender_name: z.string().nullable().optional().describe("Default: the account owner's name."),
    reply_to: z.string().nullable().optional().describe("Default: the account owner's address."),
  })
  .strict();

export const invitationSchema = z
  .object({
    id: z.string().uuid(),
    contact_id: z.string().uuid(),
    account_id: z.string().uuid(),
    name: z.string(),
    email: z.string().nullable(),
    status: z.enum(invitationStatus.enumValues),
    reminders_sent: z.number().int(),
    sent_at: z.string().datetime().nullable(),
    delivered_at: z.string().datetime().nullable(),
    opened_at: z.string().datetime().nullable(),
    started_at: z.string().datetime().nullable(),
    completed_at: z.string().datetime().nullable().describe("When the survey was answered."),
    bounced_at: z.string().datetime().nullable(),
    expires_at: z.string().datetime().nullable(),
    created_at: z.string().datetime(),
    survey_url: z
      .string()
      .url()
      .nullable()
      .describe(
        "The link that opens this invitation's survey: for write keys only, and only while it can be answered; the same URL on every read.",
      ),
  })
  .strict();

const invitationsQuery = listQuerySchema
  .pick({ limit: true, cursor: true })
  .extend({
    status: z.enum(invitationStatus.enumValues).optional().describe("Only invitations in this status."),
  })
  .strict();

const one = z.object({ data: campaignDetailSchema }).strict();
const changed = z
  .object({
    data: campaignDetailSchema,
    notice: z.string().describe("What happened, as the campaign page says it."),
  })
  .strict();

const exampleCampaign: z.input<typeof campaignSchema> = {
  id: "3c2b1a09-8f7e-4d6c-9b5a-4f3e2d1c0b9a",
  name: "Q2 relationship pulse",
  status: "draft",
  survey_id: "6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d",
  survey_version_id: "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
  survey_title: "How is our relationship, really?",
  audience: {
    account_ids: [],
    segments: ["mid_market"],
    regions: [],
    tiers: [],
    owner_emails: [],
    buying_roles: [],
    emails: [],
  },
  expires_after_days: 21,
  reminder_offsets_days: [3, 7],
  frequency_window_days: 90,
  ask_budget_per_quarter: 3,
  sender_name: null,
  reply_to: null,
  created_by_email: "dana@rapport.example",
  scheduled_at: null,
  launched_at: null,
  paused_at: null,
  cancelled_at: null,
  completed_at: null,
  created_at: "2025-04-01T09:00:00.000Z",
  updated_at: "2025-04-01T09:00:00.000Z",
};
const emptyFunnel: z.input<typeof funnelSchema> = {
  recipients: 0,
  invited: 0,
  sent: 0,
  delivered: 0,
  opened: 0,
  started: 0,
  completed: 0,
  bounced: 0,
  opted_out: 0,
  expired: 0,
  failed: 0,
  response_rate: null,
};
const exampleLive: z.input<typeof campaignDetailSchema> = {
  ...exampleCampaign,
  status: "sending",
  launched_at: "2025-04-02T09:00:00.000Z",
  updated_at: "2025-04-02T09:00:00.000Z",
  funnel: {
    ...emptyFunnel,
    recipients: 120,
    invited: 120,
    sent: 118,
    delivered: 115,
    opened: 70,
    started: 41,
    completed: 36,
    bounced: 2,
    response_rate: 30.5,
  },
};
const exampleInvitation: z.input<typeof invitationSchema> = {
  id: "2b3c4d5e-6f70-4819-a2b3-c4d5e6f70819",
  contact_id: "8d2f1c3a-6b7e-4f90-a1b2-c3d4e5f60718",
  account_id: "5b0c7a4e-3f1d-4a52-9a0e-0c8f0b6c2d11",
  name: "Priya Shah",
  email: "priya@acme.example",
  status: "opened",
  reminders_sent: 1,
  sent_at: "2025-04-02T09:01:00.000Z",
  delivered_at: "2025-04-02T09:01:05.000Z",
  opened_at: "2025-04-03T14:20:00.000Z",
  started_at: null,
  completed_at: null,
  bounced_at: null,
  expires_at: "2025-04-23T09:00:00.000Z",
  created_at: "2025-04-02T09:00:00.000Z",
  survey_url: "https://feedback.example.com/s/Qm9vdHN0cmFwcGVkLXRva2VuLWV4YW1w",
};

// ─── Reading ──────────────────────────────────────────────────────────────────────────

const campaignColumns = {
  campaign: campaigns,
  surveyId: surveyVersions.definitionId,
  surveyTitle: surveyDefinitions.title,
  createdByEmail: users.email,
  updatedAtText: updatedAtMicros(campaigns.updatedAt),
};

type CampaignRow = {
  campaign: Campaign;
  surveyId: string;
  surveyTitle: string;
  createdByEmail: string | null;
};

const iso = (date: Date | null) => date?.toISOString() ?? null;

/** Account owners' emails by user id, for the audiences of these campaigns. */
async function ownerEmailsOf(db: Database, rows: CampaignRow[]): Promise<Map<string, string>> {
  const ids = [...new Set(rows.flatMap((row) => parseAudience(row.campaign.audience).ownerIds))];
  if (ids.length === 0) return new Map();
  const found = await db
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(inArray(users.id, ids));
  return new Map(found.map((u) => [u.id, u.email]));
}

export function toApiCampaign(
  { campaign, surveyId, surveyTitle, createdByEmail }: CampaignRow,
  ownerEmails: Map<string, string>,
): z.infer<typeof campaignSchema> {
  const audience = parseAudience(campaign.audience);
  return {
    id: campaign.id,
    name: campaign.name,
    status: campaign.status,
    survey_id: surveyId,
    survey_version_id: campaign.surveyVersionId,
    survey_title: surveyTitle,
    audience: {
      account_ids: audience.accountIds,
      segments: audience.segments,
      regions: audience.regions,
      tiers: audience.tiers,
      owner_emails: audience.ownerIds.flatMap((id) => ownerEmails.get(id) ?? []),
      buying_roles: audience.buyingRoles,
      emails: audience.emails,
    },
    expires_after_days: campaign.expiresAfterDays,
    reminder_offsets_days: campaign.reminderOffsetsDays,
    frequency_window_days: campaign.frequencyWindowDays,
    ask_budget_per_quarter: campaign.askBudgetPerQuarter,
    sender_name: campaign.senderName,
    reply_to: campaign.replyTo,
    created_by_email: createdByEmail,
    scheduled_at: iso(campaign.scheduledAt),
    launched_at: iso(campaign.launchedAt),
    paused_at: iso(campaign.pausedAt),
    cancelled_at: iso(campaign.cancelledAt),
    completed_at: iso(campaign.completedAt),
    created_at: campaign.createdAt.toISOString(),
    updated_at: campaign.updatedAt.toISOString(),
  };
}

function campaignQuery(db: Database) {
  return db
    .select(campaignColumns)
    .from(campaigns)
    .innerJoin(surveyVersions, eq(surveyVersions.id, campaigns.surveyVersionId))
    .innerJoin(surveyDefinitions, eq(surveyDefinitions.id, surveyVersions.definitionId))
    .leftJoin(users, eq(users.id, campaigns.createdById));
}

/** The campaign as GET /campaigns/{id} answers it, with its funnel; 404 when there is none. */
export async function getApiCampaign(
  db: Database,
  campaignId: string,
): Promise<z.infer<typeof campaignDetailSchema>> {
  const [row] = await campaignQuery(db).where(eq(campaigns.id, campaignId));
  if (!row) throw notFoundProblem("campaign", `id ${campaignId}`);
  const funnel = await campaignFunnel(db, campaignId);
  return {
    ...toApiCampaign(row, await ownerEmailsOf(db, [row])),
    funnel: {
      recipients: funnel.recipients,
      invited: funnel.invited,
      sent: funnel.sent,
      delivered: funnel.delivered,
      opened: funnel.opened,
      started: funnel.started,
      completed: funnel.completed,
      bounced: funnel.bounced,
      opted_out: funnel.optedOut,
      expired: funnel.expired,
      failed: funnel.failed,
      response_rate: responseRate(funnel.completed, funnel.sent),
    },
  };
}

// ─── Writing ──────────────────────────────────────────────────────────────────────────

/** The campaign form's fields under the API's names. */
const apiFieldOf: Record<CampaignFormField, string> = {
  name: "name",
  surveyVersionId: "survey_version_id",
  expiresAfterDays: "expires_after_days",
  reminders: "reminder_offsets_days",
  frequencyWindowDays: "frequency_window_days",
  askBudgetPerQuarter: "ask_budget_per_quarter",
  senderName: "sender_name",
  replyTo: "reply_to",
  accountIds: "audience.account_ids",
  segments: "audience.segments",
  regions: "audience.regions",
  tiers: "audience.tiers",
  ownerIds: "audience.owner_emails",
  buyingRoles: "audience.buying_roles",
  emailList: "audience.emails",
  audience: "audience",
};

/** The form schema's issues under the API's field names (with list indices), first per field. */
function formProblems(error: ZodError): FieldProblem[] {
  const seen = new Map<string, FieldProblem>();
  for (const issue of error.issues) {
    const [first, ...rest] = issue.path;
    const field = [apiFieldOf[first as CampaignFormField] ?? String(first ?? "(body)"), ...rest].join(".");
    if (!seen.has(field)) seen.set(field, { field, message: issue.message });
  }
  return [...seen.values()];
}

function referenceProblems(fieldErrors: CampaignFieldErrors): FieldProblem[] {
  return Object.entries(fieldErrors)
    .filter(([, message]) => message !== undefined)
    .map(([field, message]) => ({
      field: apiFieldOf[field as CampaignFormField] ?? field,
      message: message!,
    }));
}

/** The author of a campaign the API creates: the key's creator (campaigns name who made them). */
function authorOf(key: ApiKeyPrincipal): { id: string } {
  if (!key.createdById) {
    throw new ApiProblem(
      "validation",
      "A campaign is created by someone, and this key has no creator. Use a key created by a user (Settings → API keys, or npm run apikey:create -- --created-by <email>).",
    );
  }
  return { id: key.createdById };
}

/** The API's body as the campaign form posts it, owners' emails turned into their ids. */
async function formValues(db: Database, body: z.output<typeof campaignCreateSchema>) {
  const owners = body.audience.owner_emails ?? [];
  const found = await usersByEmail(db, owners);
  const unknown = owners.flatMap((email, i) =>
    found.has(email.toLowerCase())
      ? []
      : [{ field: `audience.owner_emails.${i}`, message: `No Rapport user has the email ${email}.` }],
  );
  if (unknown.length > 0) throw validationProblem(unknown);
  return {
    name: body.name,
    surveyVersionId: body.survey_version_id,
    expiresAfterDays: String(body.expires_after_days ?? DEFAULT_EXPIRY_DAYS),
    reminders: (body.reminder_offsets_days ?? DEFAULT_REMINDER_OFFSETS_DAYS).join(", "),
    frequencyWindowDays: String(body.frequency_window_days ?? DEFAULT_FREQUENCY_WINDOW_DAYS),
    askBudgetPerQuarter: String(body.ask_budget_per_quarter ?? DEFAULT_ASK_BUDGET_PER_QUARTER),
    senderName: body.sender_name ?? "",
    replyTo: body.reply_to ?? "",
    accountIds: body.audience.account_ids ?? [],
    segments: body.audience.segments ?? [],
    regions: body.audience.regions ?? [],
    tiers: body.audience.tiers ?? [],
    ownerIds: owners.map((email) => found.get(email.toLowerCase())!.id),
    buyingRoles: body.audience.buying_roles ?? [],
    emailList: (body.audience.emails ?? []).join("\n"),
  };
}

const verbOf = { launch: "launched", pause: "paused", resume: "resumed" } as const;

/** A refused status change as a problem: 404, or 409 naming the current status / the empty audience. */
function refusal(
  campaignId: string,
  action: keyof typeof verbOf,
  change: Exclude<CampaignChange, { status: "done" }>,
) {
  switch (change.status) {
    case "not_found":
      return notFoundProblem("campaign", `id ${campaignId}`);
    case "not_allowed": {
      const message = `The campaign is ${change.current} (${CAMPAIGN_STATUS_LABELS[change.current].toLowerCase()}), so it cannot be ${verbOf[action]}.`;
      return new ApiProblem("conflict", message, [{ field: "status", message }]);
    }
    case "empty": {
      const message = `Nobody to invite: all ${change.excluded} contacts in the audience are excluded (opted out, bounced, without an email, or asked too recently). Widen the audience or relax the contact-frequency rules.`;
      return new ApiProblem("conflict", message, [{ field: "audience", message }]);
    }
    case "invalid":
      return validationProblem([{ field: "status", message: change.message }]);
  }
}

// ─── Survey links ─────────────────────────────────────────────────────────────────────

/**
 * The API's token for an invitation: HMAC-SHA256 of the invitation id under the server's
 * session secret (with a label of its own), cut to the 24 bytes of a survey token. The same
 * invitation always gets the same token, so reading the list again gives the same URL and
 * adds no row; only its SHA-256 is stored, as for every other token.
 */
export function apiSurveyToken(invitationId: string, secret = getSessionSecret()): string {
  return createHmac("sha256", secret)
    .update(`rapport:api-survey-link:${invitationId}`)
    .digest()
    .subarray(0, 24)
    .toString("base64url");
}

/** The survey URLs of these invitations (their tokens stored once), by invitation id. */
export async function apiSurveyUrls(db: Database, invitationIds: string[]): Promise<Map<string, string>> {
  if (invitationIds.length === 0) return new Map();
  const tokens = invitationIds.map((id) => ({ id, token: apiSurveyToken(id) }));
  await db
    .insert(invitationTokens)
    .values(tokens.map(({ id, token }) => ({ tokenHash: hashSurveyToken(token), invitationId: id })))
    .onConflictDoNothing();
  const baseUrl = publicUrl();
  return new Map(tokens.map(({ id, token }) => [id, surveyLinks(baseUrl, token).surveyUrl]));
}

// ─── Operations ───────────────────────────────────────────────────────────────────────

const tag = "Campaigns";

const campaignListQuery = listQuerySchema
  .extend({ status: z.enum(statuses).optional().describe("Only campaigns in this status.") })
  .strict();

function statusChange(action: keyof typeof verbOf) {
  const notice = {
    launch: "Launched: invitations are on their way.",
    pause: "Paused: nothing more is sent until you resume.",
    resume: "Resumed.",
  }[action];
  const descriptions = {
    launch:
      "Decides who is asked (fixed from here on) and makes the campaign live; the invitations are written by the send job, as when launched on the campaign page. 409 unless it is a draft or scheduled, or when everybody in the audience is excluded.",
    pause:
      "Holds a live campaign: no more invitations or reminders go out until it is resumed. 409 unless it is live.",
    resume:
      "Makes a paused campaign live again and writes the invitations still missing. 409 unless it is paused.",
  };
  return defineOperation({
    operationId: `${action}Campaign`,
    method: "POST",
    path: `/campaigns/{id}/${action}`,
    scope: "write",
    tag,
    summary: {
      launch: "Launch a campaign now",
      pause: "Pause a live campaign",
      resume: "Resume a paused campaign",
    }[action],
    description: descriptions[action],
    params: idParams,
    responses: {
      200: {
        description: `The campaign, ${verbOf[action]}.`,
        schema: changed,
        example: {
          data:
            action === "pause"
              ? { ...exampleLive, status: "paused", paused_at: "2025-04-05T10:00:00.000Z" }
              : exampleLive,
          notice,
        },
      },
      409: {
        description: "Not possible in the campaign's current status (named), or nobody can be invited.",
      },
    },
    async handle({ db, params }) {
      const change = await changeCampaignStatus(db, params.id, action);
      if (change.status !== "done") throw refusal(params.id, action, change);
      return { status: 200, body: { data: await getApiCampaign(db, params.id), notice } };
    },
  });
}

export const campaignOperations = [
  defineOperation({
    operationId: "listCampaigns",
    method: "GET",
    path: "/campaigns",
    scope: "read",
    tag,
    summary: "List campaigns in the order they last changed",
    query: campaignListQuery,
    responses: {
      200: {
        description: "A page of campaigns (without funnels: GET one for its counts).",
        schema: pageSchema(campaignSchema),
        example: { data: [exampleCampaign], next_cursor: null },
      },
    },
    async handle({ db, query }) {
      const where: (SQL | undefined)[] = [changedAfter(campaigns.updatedAt, campaigns.id, changePage(query))];
      if (query.status) where.push(eq(campaigns.status, query.status));
      const rows = await campaignQuery(db)
        .where(and(...where))
        .orderBy(asc(campaigns.updatedAt), asc(campaigns.id))
        .limit(query.limit + 1);
      const page = pageOf(
        rows.map((row) => ({ ...row, id: row.campaign.id })),
        query.limit,
      );
      const owners = await ownerEmailsOf(db, page.rows);
      return {
        status: 200,
        body: {
          data: page.rows.map((row) => toApiCampaign(row, owners)),
          next_cursor: page.next ? encodeCursor(page.next) : null,
        },
      };
    },
  }),
  defineOperation({
    operationId: "createCampaign",
    method: "POST",
    path: "/campaigns",
    scope: "write",
    tag,
    summary: "Create a draft campaign",
    description:
      "The campaign form's rules apply (campaignInputSchema, createCampaign), with their messages under the API's field names. The key's creator is its author; a key without a creator is refused (400).",
    body: campaignCreateSchema,
    requestExample: {
      name: "Q2 relationship pulse",
      survey_version_id: "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
      audience: { segments: ["mid_market"] },
      reminder_offsets_days: [3, 7],
    },
    responses: {
      201: {
        description: "The campaign, a draft.",
        schema: one,
        example: { data: { ...exampleCampaign, funnel: emptyFunnel } },
      },
    },
    async handle({ db, key, body }) {
      const author = authorOf(key);
      const parsed = campaignInputSchema.safeParse(await formValues(db, body));
      if (!parsed.success) throw validationProblem(formProblems(parsed.error));
      const result = await createCampaign(db, author, parsed.data);
      if (result.status !== "saved") throw validationProblem(referenceProblems(result.fieldErrors));
      return {
        status: 201,
        body: { data: await getApiCampaign(db, result.campaignId) },
        headers: { Location: `/api/v1/campaigns/${result.campaignId}` },
      };
    },
  }),
  defineOperation({
    operationId: "getCampaign",
    method: "GET",
    path: "/campaigns/{id}",
    scope: "read",
    tag,
    summary: "Get a campaign with its status and funnel counts",
    params: idParams,
    responses: { 200: { description: "The campaign.", schema: one, example: { data: exampleLive } } },
    async handle({ db, params }) {
      return { status: 200, body: { data: await getApiCampaign(db, params.id) } };
    },
  }),
  statusChange("launch"),
  statusChange("pause"),
  statusChange("resume"),
  defineOperation({
    operationId: "listCampaignInvitations",
    method: "GET",
    path: "/campaigns/{id}/invitations",
    scope: "read",
    tag,
    summary: "List a campaign's invitations with their status (and, for write keys, survey links)",
    description:
      "In the order they were written (created_at, then id). `survey_url` opens the survey as the invitation's own email link does; it is given to write keys only (null for read keys) and only while the invitation can be answered, and is the same on every read.",
    params: idParams,
    query: invitationsQuery,
    responses: {
      200: {
        description: "A page of invitations.",
        schema: pageSchema(invitationSchema),
        example: { data: [exampleInvitation], next_cursor: null },
      },
    },
    async handle({ db, key, params, query }) {
      const [campaign] = await db
        .select({ id: campaigns.id })
        .from(campaigns)
        .where(eq(campaigns.id, params.id));
      if (!campaign) throw notFoundProblem("campaign", `id ${params.id}`);
      const where: (SQL | undefined)[] = [
        eq(invitations.campaignId, params.id),
        changedAfter(invitations.createdAt, invitations.id, {
          limit: query.limit,
          cursor: query.cursor ? decodeCursor(query.cursor) : undefined,
        }),
      ];
      if (query.status) where.push(eq(invitations.status, query.status));
      const rows = await db
        .select({
          invitation: invitations,
          accountId: contacts.accountId,
          name: contacts.name,
          email: contacts.email,
          updatedAtText: updatedAtMicros(invitations.createdAt),
        })
        .from(invitations)
        .innerJoin(contacts, eq(contacts.id, invitations.contactId))
        .where(and(...where))
        .orderBy(asc(invitations.createdAt), asc(invitations.id))
        .limit(query.limit + 1);
      const page = pageOf(
        rows.map((row) => ({ ...row, id: row.invitation.id })),
        query.limit,
      );
      const urls =
        key.scope === "write"
          ? await apiSurveyUrls(
              db,
              page.rows.filter((row) => invitationIsOpen(row.invitation)).map((row) => row.id),
            )
          : new Map<string, string>();
      return {
        status: 200,
        body: {
          data: page.rows.map(({ invitation: i, accountId, name, email }) => ({
            id: i.id,
            contact_id: i.contactId,
            account_id: accountId,
            name,
            email,
            status: i.status,
            reminders_sent: i.remindersSent,
            sent_at: iso(i.sentAt),
            delivered_at: iso(i.deliveredAt),
            opened_at: iso(i.openedAt),
            started_at: iso(i.startedAt),
            completed_at: iso(i.completedAt),
            bounced_at: iso(i.bouncedAt),
            expires_at: iso(i.expiresAt),
            created_at: i.createdAt.toISOString(),
            survey_url: urls.get(i.id) ?? null,
          })),
          next_cursor: page.next ? encodeCursor(page.next) : null,
        },
      };
    },
  }),
];
