/**
 * Rapport's data model (see docs/domain-model.md for the why of each table).
 *
 * Conventions: tables plural snake_case; columns snake_case in SQL, camelCase in
 * TypeScript; uuid primary keys; every foreign key indexed; `timestamptz` always;
 * scores are 0–100 integers; money is integer cents.
 */
import { relations, sql, type SQLWrapper } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  check,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  numeric,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { DECISION_REASONS, HEALTH_DIMENSIONS, SURVEY_KINDS } from "../app/domain/dimensions";
import { DEFAULT_TARGET_CADENCE_DAYS } from "../app/domain/ledger";
import { ROLLUP_WINDOW_MONTHS } from "../app/domain/health-windows";
import {
  FOLLOW_UP_STATUSES,
  INTERVIEW_TASK_STATUSES,
  MAX_DELAY_DAYS,
  WINLOSS_ACTIONS,
} from "../app/domain/winloss-program";

const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
const createdAt = () => timestamptz("created_at").notNull().defaultNow();
const updatedAt = () => timestamptz("updated_at").notNull().defaultNow();
const id = () => uuid("id").primaryKey().defaultRandom();

// ─── Reference data (enums are part of the migrations) ────────────────────────

export const userRole = pgEnum("user_role", ["admin", "leader", "manager"]);
export const apiKeyScope = pgEnum("api_key_scope", ["read", "write"]);
export const segment = pgEnum("segment", ["enterprise", "mid_market", "smb"]);
export const tier = pgEnum("tier", ["strategic", "key", "core"]);
export const lifecycleStage = pgEnum("lifecycle_stage", [
  "onboarding",
  "adopting",
  "expanding",
  "renewing",
  "at_risk",
  "churned",
]);
export const buyingRole = pgEnum("buying_role", ["decision_maker", "influencer", "user", "champion"]);
export const contactNoteKind = pgEnum("contact_note_kind", [
  // professional side first: it is the side teams most often do not know
  "career_goal",
  "how_measured",
  "keeps_up_at_night",
  "current_priorities",
  // personal side
  "interests",
  "family",
  "birthday",
  "how_we_met",
  "other",
]);
export const interactionKind = pgEnum("interaction_kind", [
  "meeting",
  "call",
  "email",
  "qbr",
  "social",
  "escalation",
  "favour",
  "mistake",
  "commitment",
  // logged by Customer 9-1-1, never by hand (ledger.ts)
  "customer_alert",
]);
export const equityEffect = pgEnum("equity_effect", ["deposit", "neutral", "withdrawal"]);
export const commitmentStatus = pgEnum("commitment_status", ["open", "kept", "broken"]);
export const surveyKind = pgEnum("survey_kind", SURVEY_KINDS);
export const surveyVersionSource = pgEnum("survey_version_source", ["file", "upload", "api"]);
export const healthDimension = pgEnum("health_dimension", HEALTH_DIMENSIONS);
export const campaignStatus = pgEnum("campaign_status", [
  "draft",
  "scheduled",
  "sending",
  "paused",
  "completed",
  "cancelled",
]);
export const invitationStatus = pgEnum("invitation_status", [
  "queued",
  "sent",
  "delivered",
  "bounced",
  "opened",
  "started",
  "completed",
  "expired",
  "opted_out",
  "revoked",
  // the provider refused the message for good (invitations.failure_reason says why)
  "failed",
]);
export const campaignExclusionReason = pgEnum("campaign_exclusion_reason", [
  "no_email",
  "opted_out",
  "bounced",
  "duplicate_email",
  "recently_surveyed",
  "over_ask_budget",
]);
export const outboxBatchStatus = pgEnum("outbox_batch_status", ["sending", "sent", "failed"]);
export const outboxStatus = pgEnum("outbox_status", ["pending", "sending", "sent", "failed", "cancelled"]);
export const responseSource = pgEnum("response_source", ["email", "link", "interview"]);
export const opportunityOutcome = pgEnum("opportunity_outcome", ["open", "won", "lost", "no_decision"]);
export const decisionReason = pgEnum("decision_reason", DECISION_REASONS);
export const caseTrigger = pgEnum("case_trigger", [
  "low_advocacy",
  "low_dimension",
  "health_drop",
  "help_requested",
  "manual",
]);
export const csvImportKind = pgEnum("csv_import_kind", [
  "accounts",
  "contacts",
  "opportunities",
  "interactions",
]);
export const csvImportStatus = pgEnum("csv_import_status", [
  "checking",
  "checked",
  "rejected",
  "applying",
  "applied",
  "failed",
]);
export const caseSeverity = pgEnum("case_severity", ["medium", "high", "critical"]);
export const caseStatus = pgEnum("case_status", ["open", "acknowledged", "resolved"]);
// what a line on a case's timeline records: a note, or who moved the case on (and how)
export const caseNoteKind = pgEnum("case_note_kind", ["note", "acknowledged", "resolved", "recovery_pulse"]);
// the win/loss program (docs/winloss-program.md): what a closed deal's follow-up does, and where it is
export const winlossAction = pgEnum("winloss_action", WINLOSS_ACTIONS);
export const winlossFollowupStatus = pgEnum("winloss_followup_status", FOLLOW_UP_STATUSES);
export const interviewTaskStatus = pgEnum("interview_task_status", INTERVIEW_TASK_STATUSES);
export const webhookDeliveryStatus = pgEnum("webhook_delivery_status", [
  "pending",
  "succeeded",
  "failed",
  "abandoned",
]);

// ─── People and access ────────────────────────────────────────────────────────

export const users = pgTable(
  "users",
  {
    id: id(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    role: userRole("role").notNull(),
    passwordHash: text("password_hash"),
    deactivatedAt: timestamptz("deactivated_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // sign-in looks users up by email, case-insensitively
    uniqueIndex("users_email_key").on(sql`lower(${t.email})`),
  ],
);

export const sessions = pgTable(
  "sessions",
  {
    // sha-256 of the random token in the cookie: a database leak yields no usable session
    id: text("id").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    lastSeenAt: timestamptz("last_seen_at").notNull().defaultNow(),
    expiresAt: timestamptz("expires_at").notNull(),
    ipAddress: text("ip_address"),
    userAgent: text("user_agent"),
  },
  (t) => [
    // sign-out-everywhere and user deletion find a user's sessions
    index("sessions_user_id_idx").on(t.userId),
    // the expired-session sweep
    index("sessions_expires_at_idx").on(t.expiresAt),
  ],
);

export const signInAttempts = pgTable(
  "sign_in_attempts",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    email: text("email").notNull(),
    ipAddress: text("ip_address"),
    succeeded: boolean("succeeded").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    // throttling counts recent failures per email
    index("sign_in_attempts_email_idx").on(sql`lower(${t.email})`, t.createdAt),
    // and per client address
    index("sign_in_attempts_ip_idx").on(t.ipAddress, t.createdAt),
  ],
);

/** One counted event for a rate limit (invalid survey tokens per address, …). */
export const rateLimitHits = pgTable(
  "rate_limit_hits",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    bucket: text("bucket").notNull(),
    key: text("key").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    // a limit counts one key's recent hits in one bucket
    index("rate_limit_hits_bucket_key_idx").on(t.bucket, t.key, t.createdAt),
  ],
);

export const apiKeys = pgTable(
  "api_keys",
  {
    id: id(),
    name: text("name").notNull(),
    scope: apiKeyScope("scope").notNull(),
    // first characters of the key, shown in the UI so people can tell keys apart
    prefix: text("prefix").notNull(),
    keyHash: text("key_hash").notNull(),
    createdById: uuid("created_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    lastUsedAt: timestamptz("last_used_at"),
    revokedAt: timestamptz("revoked_at"),
    revokedById: uuid("revoked_by_id").references(() => users.id, { onDelete: "set null" }),
    // the token bucket's size and refill per minute (docs/api.md, "Rate limits")
    rateLimitPerMinute: integer("rate_limit_per_minute").notNull().default(600),
  },
  (t) => [
    // bearer authentication looks the key up by its hash
    uniqueIndex("api_keys_key_hash_key").on(t.keyHash),
    // foreign key
    index("api_keys_created_by_id_idx").on(t.createdById),
    // foreign key
    index("api_keys_revoked_by_id_idx").on(t.revokedById),
  ],
);

/**
 * The first answer to a POST sent with an `Idempotency-Key`, replayed for a repeat of the
 * same key (docs/api.md, "Idempotency"). `status` 0 marks a request still in flight.
 */
export const apiIdempotency = pgTable(
  "api_idempotency",
  {
    apiKeyId: uuid("api_key_id")
      .notNull()
      .references(() => apiKeys.id, { onDelete: "cascade" }),
    idempotencyKey: text("idempotency_key").notNull(),
    // sha-256 of method, path and body: the same key with another request is a 409
    requestHash: text("request_hash").notNull(),
    status: smallint("status").notNull(),
    body: jsonb("body"),
    createdAt: createdAt(),
  },
  (t) => [
    // a repeat looks up its key's earlier answer (and leads with the foreign key)
    primaryKey({ columns: [t.apiKeyId, t.idempotencyKey] }),
    // the sweep of answers older than the replay window
    index("api_idempotency_created_at_idx").on(t.createdAt),
  ],
);

/**
 * Each API key's token bucket, kept in Postgres so every web process draws from the same
 * bucket (the web tier scales horizontally; DESIGN.md, "Architecture").
 */
export const apiRateBuckets = pgTable("api_rate_buckets", {
  // the primary key is also the foreign key's index
  apiKeyId: uuid("api_key_id")
    .primaryKey()
    .references(() => apiKeys.id, { onDelete: "cascade" }),
  tokens: doublePrecision("tokens").notNull(),
  refilledAt: timestamptz("refilled_at").notNull().defaultNow(),
});

/**
 * Workspace-wide settings an admin changes on /settings: one row (id is always true).
 * `surveyFrameAncestors` are the origins allowed to embed the survey page in a frame
 * (its Content-Security-Policy frame-ancestors; empty: no site may, docs/security.md).
 */
export const workspaceSettings = pgTable(
  "workspace_settings",
  {
    id: boolean("id").primaryKey().default(true),
    surveyFrameAncestors: text("survey_frame_ancestors")
      .array()
      .notNull()
      .default(sql`'{}'`),
    updatedById: uuid("updated_by_id").references(() => users.id, { onDelete: "set null" }),
    updatedAt: updatedAt(),
  },
  (t) => [
    check("workspace_settings_single_row", sql`${t.id}`),
    // foreign key (deleting a user)
    index("workspace_settings_updated_by_id_idx").on(t.updatedById),
  ],
);

/**
 * A contact erased on request (docs/security.md, "Privacy"): the contact, its notes and
 * invitations are gone and its responses anonymised; this row records that it happened,
 * by whom and how much, and holds nothing that identifies the person.
 */
export const contactErasures = pgTable(
  "contact_erasures",
  {
    id: id(),
    // the erased contact's id, kept to answer "was this person erased?"; the row is gone
    contactId: uuid("contact_id").notNull(),
    accountId: uuid("account_id").references(() => accounts.id, { onDelete: "set null" }),
    erasedById: uuid("erased_by_id").references(() => users.id, { onDelete: "set null" }),
    // what was removed or anonymised, by kind: { responses: 3, notes: 2, … }
    counts: jsonb("counts").notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [
    // an account's privacy history, and the foreign keys
    index("contact_erasures_account_id_idx").on(t.accountId),
    index("contact_erasures_erased_by_id_idx").on(t.erasedById),
    // "was this contact erased?"
    index("contact_erasures_contact_id_idx").on(t.contactId),
  ],
);

// ─── Outgoing webhooks (docs/webhooks.md) ─────────────────────────────────────

export const webhookEndpoints = pgTable(
  "webhook_endpoints",
  {
    id: id(),
    // https, or http to localhost / 127.0.0.1 (checked by webhookEndpointInputSchema)
    url: text("url").notNull(),
    description: text("description").notNull().default(""),
    // the event types it is subscribed to (WEBHOOK_EVENT_TYPES)
    events: text("events").array().notNull(),
    // `whsec_` + base64 of 32 random bytes; shown to admins, rotatable
    secret: text("secret").notNull(),
    enabled: boolean("enabled").notNull().default(true),
    createdById: uuid("created_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // foreign key
    index("webhook_endpoints_created_by_id_idx").on(t.createdById),
  ],
);

/** One event for one endpoint, retried with backoff until it succeeds or is abandoned. */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: id(),
    endpointId: uuid("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    eventType: text("event_type").notNull(),
    // `evt_…`, the same for every endpoint and every retry of one event (the webhook-id header)
    eventId: text("event_id").notNull(),
    payload: jsonb("payload").notNull(),
    // "failed" = the last try failed and another is due at next_attempt_at
    status: webhookDeliveryStatus("status").notNull().default("pending"),
    attempts: smallint("attempts").notNull().default(0),
    nextAttemptAt: timestamptz("next_attempt_at").notNull().defaultNow(),
    // a worker holds a claimed delivery until then; after it, another may try it again
    leaseUntil: timestamptz("lease_until"),
    lastStatusCode: smallint("last_status_code"),
    lastError: text("last_error"),
    responseTimeMs: integer("response_time_ms"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // an event is queued once per endpoint; also the foreign key's index
    uniqueIndex("webhook_deliveries_endpoint_event_key").on(t.endpointId, t.eventId),
    // the delivery log of an endpoint, newest first
    index("webhook_deliveries_endpoint_created_idx").on(t.endpointId, t.createdAt),
    // the deliverer claims due deliveries
    index("webhook_deliveries_status_next_idx").on(t.status, t.nextAttemptAt),
  ],
);

// ─── Accounts and contacts ────────────────────────────────────────────────────

export const accounts = pgTable(
  "accounts",
  {
    id: id(),
    externalId: text("external_id"),
    name: text("name").notNull(),
    segment: segment("segment").notNull(),
    region: text("region").notNull(),
    tier: tier("tier").notNull(),
    annualValueCents: bigint("annual_value_cents", { mode: "number" }).notNull().default(0),
    ownerId: uuid("owner_id")
      .notNull()
      .references(() => users.id),
    lifecycleStage: lifecycleStage("lifecycle_stage").notNull().default("adopting"),
    // the ledger view measures two-way contact against this target cadence
    targetCadenceDays: smallint("target_cadence_days").notNull().default(DEFAULT_TARGET_CADENCE_DAYS),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // CRM upserts by external id
    uniqueIndex("accounts_external_id_key").on(t.externalId),
    // "my accounts" and the owner filter
    index("accounts_owner_id_idx").on(t.ownerId),
    // the account list sorts and searches by name
    index("accounts_name_idx").on(sql`lower(${t.name})`),
    check("accounts_annual_value_nonnegative", sql`${t.annualValueCents} >= 0`),
    check("accounts_target_cadence_positive", sql`${t.targetCadenceDays} > 0`),
  ],
);

export const accountMembers = pgTable(
  "account_members",
  {
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.accountId, t.userId] }),
    // the ownership check and "accounts I am on the team of"
    index("account_members_user_id_idx").on(t.userId),
  ],
);

export const contacts = pgTable(
  "contacts",
  {
    id: id(),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    externalId: text("external_id"),
    name: text("name").notNull(),
    email: text("email"),
    title: text("title"),
    buyingRole: buyingRole("buying_role").notNull().default("user"),
    language: text("language").notNull().default("en"),
    photoUrl: text("photo_url"),
    optedOutAt: timestamptz("opted_out_at"),
    bouncedAt: timestamptz("bounced_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // the buying group on the account page
    index("contacts_account_id_idx").on(t.accountId),
    // CRM upserts by external id
    uniqueIndex("contacts_external_id_key").on(t.externalId),
    // campaign audiences and webhook events find contacts by address
    index("contacts_email_idx").on(sql`lower(${t.email})`),
  ],
);

export const contactNotes = pgTable(
  "contact_notes",
  {
    id: id(),
    contactId: uuid("contact_id")
      .notNull()
      .references(() => contacts.id, { onDelete: "cascade" }),
    authorId: uuid("author_id")
      .notNull()
      .references(() => users.id),
    kind: contactNoteKind("kind").notNull(),
    body: text("body").notNull(),
    // a date the note is about (a birthday, a kid's graduation) for reminders
    remindOn: date("remind_on", { mode: "string" }),
    isPrivate: boolean("is_private").notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // a contact's page lists its notes
    index("contact_notes_contact_id_idx").on(t.contactId),
    // foreign key; "private to me" filters by author
    index("contact_notes_author_id_idx").on(t.authorId),
  ],
);

// ─── The relationship-equity ledger ───────────────────────────────────────────

export const interactions = pgTable(
  "interactions",
  {
    id: id(),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    authorId: uuid("author_id").references(() => users.id, { onDelete: "set null" }),
    externalId: text("external_id"),
    kind: interactionKind("kind").notNull(),
    occurredAt: timestamptz("occurred_at").notNull(),
    summary: text("summary").notNull().default(""),
    engagementQuality: smallint("engagement_quality"),
    equityEffect: equityEffect("equity_effect").notNull().default("neutral"),
    equityWeight: smallint("equity_weight").notNull().default(1),
    dueOn: date("due_on", { mode: "string" }),
    commitmentStatus: commitmentStatus("commitment_status"),
    commitmentResolvedAt: timestamptz("commitment_resolved_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // the account timeline and the ledger read an account's entries by date
    index("interactions_account_occurred_idx").on(t.accountId, t.occurredAt),
    // foreign key; "what did I log"
    index("interactions_author_id_idx").on(t.authorId),
    // CRM upserts by external id
    uniqueIndex("interactions_external_id_key").on(t.externalId),
    check(
      "interactions_engagement_quality_range",
      sql`${t.engagementQuality} is null or ${t.engagementQuality} between 1 and 5`,
    ),
    check("interactions_equity_weight_range", sql`${t.equityWeight} between 1 and 3`),
  ],
);

export const interactionContacts = pgTable(
  "interaction_contacts",
  {
    interactionId: uuid("interaction_id")
      .notNull()
      .references(() => interactions.id, { onDelete: "cascade" }),
    contactId: uuid("contact_id")
      .notNull()
      .references(() => contacts.id, { onDelete: "cascade" }),
  },
  (t) => [
    primaryKey({ columns: [t.interactionId, t.contactId] }),
    // a contact's page lists the interactions they took part in; breadth counts them
    index("interaction_contacts_contact_id_idx").on(t.contactId),
  ],
);

export const interactionUsers = pgTable(
  "interaction_users",
  {
    interactionId: uuid("interaction_id")
      .notNull()
      .references(() => interactions.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
  },
  (t) => [
    primaryKey({ columns: [t.interactionId, t.userId] }),
    // a colleague's activity
    index("interaction_users_user_id_idx").on(t.userId),
  ],
);

// ─── Surveys ──────────────────────────────────────────────────────────────────

export const surveyDefinitions = pgTable(
  "survey_definitions",
  {
    id: id(),
    // file name without .json for definitions from surveys/
    slug: text("slug").notNull(),
    kind: surveyKind("kind").notNull(),
    title: text("title").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    // import finds a definition by its slug
    uniqueIndex("survey_definitions_slug_key").on(t.slug),
  ],
);

export const surveyVersions = pgTable(
  "survey_versions",
  {
    id: id(),
    definitionId: uuid("definition_id")
      .notNull()
      .references(() => surveyDefinitions.id, { onDelete: "restrict" }),
    version: integer("version").notNull(),
    // sha-256 of the canonical JSON: an unchanged file is not a new version
    contentHash: text("content_hash").notNull(),
    model: jsonb("model").notNull(),
    source: surveyVersionSource("source").notNull(),
    createdById: uuid("created_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("survey_versions_definition_version_key").on(t.definitionId, t.version),
    // import checks whether this content is already a version
    uniqueIndex("survey_versions_definition_hash_key").on(t.definitionId, t.contentHash),
    // foreign key
    index("survey_versions_created_by_id_idx").on(t.createdById),
  ],
);

export const campaigns = pgTable(
  "campaigns",
  {
    id: id(),
    name: text("name").notNull(),
    surveyVersionId: uuid("survey_version_id")
      .notNull()
      .references(() => surveyVersions.id),
    status: campaignStatus("status").notNull().default("draft"),
    // the audience rule as chosen (accounts, segment, region, tier, owner, roles, list)
    audience: jsonb("audience").notNull().default({}),
    scheduledAt: timestamptz("scheduled_at"),
    reminderOffsetsDays: integer("reminder_offsets_days")
      .array()
      .notNull()
      .default(sql`'{3,7}'`),
    expiresAfterDays: smallint("expires_after_days").notNull().default(21),
    // contact-frequency rules: nobody asked twice within the window, at most N asked per account a quarter
    frequencyWindowDays: smallint("frequency_window_days").notNull().default(90),
    askBudgetPerQuarter: smallint("ask_budget_per_quarter").notNull().default(3),
    // null: the account owner's name and address
    senderName: text("sender_name"),
    replyTo: text("reply_to"),
    createdById: uuid("created_by_id").references(() => users.id, { onDelete: "set null" }),
    // a win/loss follow-up's campaign: its invitations (and so the answers) carry the deal
    opportunityId: uuid("opportunity_id").references(() => opportunities.id, { onDelete: "set null" }),
    launchedAt: timestamptz("launched_at"),
    pausedAt: timestamptz("paused_at"),
    cancelledAt: timestamptz("cancelled_at"),
    completedAt: timestamptz("completed_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // the campaign tick finds due scheduled and live campaigns
    index("campaigns_status_idx").on(t.status),
    // foreign keys
    index("campaigns_survey_version_id_idx").on(t.surveyVersionId),
    index("campaigns_created_by_id_idx").on(t.createdById),
    // foreign key; a deal's win/loss campaigns
    index("campaigns_opportunity_id_idx").on(t.opportunityId),
  ],
);

/**
 * The audience of a launched campaign as it was decided at launch: every contact the rule
 * matched, either to be invited (no reason) or excluded with the reason. Fixing the list at
 * launch makes the send resumable: a re-run invites exactly the contacts still without one.
 */
export const campaignRecipients = pgTable(
  "campaign_recipients",
  {
    campaignId: uuid("campaign_id")
      .notNull()
      .references(() => campaigns.id, { onDelete: "cascade" }),
    contactId: uuid("contact_id")
      .notNull()
      .references(() => contacts.id, { onDelete: "cascade" }),
    excludedReason: campaignExclusionReason("excluded_reason"),
    // e.g. the date of the last invitation, or how many were asked this quarter
    excludedDetail: text("excluded_detail"),
    invitationId: uuid("invitation_id").references(() => invitations.id, { onDelete: "set null" }),
  },
  (t) => [
    primaryKey({ columns: [t.campaignId, t.contactId] }),
    // foreign keys
    index("campaign_recipients_contact_id_idx").on(t.contactId),
    index("campaign_recipients_invitation_id_idx").on(t.invitationId),
  ],
);

export const invitations = pgTable(
  "invitations",
  {
    id: id(),
    campaignId: uuid("campaign_id").references(() => campaigns.id, { onDelete: "cascade" }),
    contactId: uuid("contact_id")
      .notNull()
      .references(() => contacts.id, { onDelete: "cascade" }),
    surveyVersionId: uuid("survey_version_id")
      .notNull()
      .references(() => surveyVersions.id),
    opportunityId: uuid("opportunity_id").references(() => opportunities.id, { onDelete: "set null" }),
    status: invitationStatus("status").notNull().default("queued"),
    createdById: uuid("created_by_id").references(() => users.id, { onDelete: "set null" }),
    sentAt: timestamptz("sent_at"),
    deliveredAt: timestamptz("delivered_at"),
    openedAt: timestamptz("opened_at"),
    startedAt: timestamptz("started_at"),
    completedAt: timestamptz("completed_at"),
    expiresAt: timestamptz("expires_at"),
    // delivery facts from the provider's events; they never move the status backwards
    deliveryDelayedAt: timestamptz("delivery_delayed_at"),
    clickedAt: timestamptz("clicked_at"),
    bouncedAt: timestamptz("bounced_at"),
    failureReason: text("failure_reason"),
    remindersSent: smallint("reminders_sent").notNull().default(0),
    lastRemindedAt: timestamptz("last_reminded_at"),
    createdAt: createdAt(),
  },
  (t) => [
    // a campaign asks a contact once, however often its send is re-run; also its funnel
    uniqueIndex("invitations_campaign_contact_key").on(t.campaignId, t.contactId),
    // contact-frequency rules and the silent flag read a contact's invitations
    index("invitations_contact_id_idx").on(t.contactId),
    // foreign keys
    index("invitations_survey_version_id_idx").on(t.surveyVersionId),
    index("invitations_opportunity_id_idx").on(t.opportunityId),
    index("invitations_created_by_id_idx").on(t.createdById),
  ],
);

/**
 * The tokens that open an invitation: one per email (the invitation and each reminder carry
 * their own link), so a reminder needs no stored token. Only the SHA-256 is kept.
 */
export const invitationTokens = pgTable(
  "invitation_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    invitationId: uuid("invitation_id")
      .notNull()
      .references(() => invitations.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [
    // foreign key; an invitation's links
    index("invitation_tokens_invitation_id_idx").on(t.invitationId),
  ],
);

// ─── Email ────────────────────────────────────────────────────────────────────

export const outbox = pgTable(
  "outbox",
  {
    id: id(),
    // invitation, reminder, case_alert, sign_in …
    kind: text("kind").notNull(),
    toAddress: text("to_address").notNull(),
    fromAddress: text("from_address").notNull(),
    replyTo: text("reply_to"),
    subject: text("subject").notNull(),
    html: text("html").notNull(),
    text: text("text").notNull(),
    headers: jsonb("headers").notNull().default({}),
    invitationId: uuid("invitation_id").references(() => invitations.id, { onDelete: "set null" }),
    // pausing or cancelling a campaign holds or cancels its unsent mail
    campaignId: uuid("campaign_id").references(() => campaigns.id, { onDelete: "set null" }),
    // names the message for good (e.g. invitation:<id>): enqueueing it twice adds nothing
    idempotencyKey: text("idempotency_key").notNull(),
    status: outboxStatus("status").notNull().default("pending"),
    // the one provider request this message goes out in, for as long as it is retried
    batchId: uuid("batch_id").references(() => outboxBatches.id, { onDelete: "set null" }),
    providerMessageId: text("provider_message_id"),
    attempts: smallint("attempts").notNull().default(0),
    lastError: text("last_error"),
    createdAt: createdAt(),
    sentAt: timestamptz("sent_at"),
  },
  (t) => [
    uniqueIndex("outbox_idempotency_key_key").on(t.idempotencyKey),
    // delivery events are matched to the message by the provider's id
    index("outbox_provider_message_id_idx").on(t.providerMessageId),
    // foreign key; an invitation's emails
    index("outbox_invitation_id_idx").on(t.invitationId),
    // the dev mail viewer and the sender read the newest / pending messages
    index("outbox_status_created_idx").on(t.status, t.createdAt),
    // foreign keys; a campaign's outbox state, a batch's messages
    index("outbox_campaign_id_idx").on(t.campaignId, t.status),
    index("outbox_batch_id_idx").on(t.batchId),
  ],
);

/**
 * One batch request to the provider. Its messages and its Idempotency-Key (the batch id) are
 * fixed when it is claimed, so every retry — after a 5xx, a timeout or a crashed worker — is
 * the identical request, and the provider answers a repeat without sending twice.
 */
export const outboxBatches = pgTable(
  "outbox_batches",
  {
    id: id(),
    status: outboxBatchStatus("status").notNull().default("sending"),
    attempts: smallint("attempts").notNull().default(1),
    // a worker holds the batch until then; after it, another may send it again
    leaseUntil: timestamptz("lease_until").notNull(),
    nextAttemptAt: timestamptz("next_attempt_at").notNull().defaultNow(),
    lastError: text("last_error"),
    createdAt: createdAt(),
    sentAt: timestamptz("sent_at"),
  },
  (t) => [
    // the sender picks up unfinished batches whose time has come
    index("outbox_batches_status_next_idx").on(t.status, t.nextAttemptAt),
  ],
);

export const emailEvents = pgTable(
  "email_events",
  {
    // the provider's event id: a replayed webhook inserts nothing
    id: text("id").primaryKey(),
    outboxId: uuid("outbox_id").references(() => outbox.id, { onDelete: "set null" }),
    type: text("type").notNull(),
    payload: jsonb("payload").notNull(),
    occurredAt: timestamptz("occurred_at").notNull(),
    receivedAt: timestamptz("received_at").notNull().defaultNow(),
  },
  (t) => [
    // foreign key; a message's delivery history
    index("email_events_outbox_id_idx").on(t.outboxId),
    // events that beat their email's id to the outbox, found by it once the sender records it
    index("email_events_unmatched_email_id_idx")
      .on(sql`(${t.payload} -> 'data' ->> 'email_id')`)
      .where(sql`${t.outboxId} is null`),
  ],
);

// ─── Answers ──────────────────────────────────────────────────────────────────

export const responses = pgTable(
  "responses",
  {
    id: id(),
    invitationId: uuid("invitation_id").references(() => invitations.id, { onDelete: "set null" }),
    surveyVersionId: uuid("survey_version_id")
      .notNull()
      .references(() => surveyVersions.id),
    contactId: uuid("contact_id").references(() => contacts.id, { onDelete: "set null" }),
    // denormalised from the contact so health rollups need no join through contacts
    accountId: uuid("account_id").references(() => accounts.id, { onDelete: "cascade" }),
    opportunityId: uuid("opportunity_id").references(() => opportunities.id, { onDelete: "set null" }),
    interviewerId: uuid("interviewer_id").references(() => users.id, { onDelete: "set null" }),
    source: responseSource("source").notNull(),
    // everything the customer submitted, verbatim
    data: jsonb("data").notNull().default({}),
    isComplete: boolean("is_complete").notNull().default(false),
    currentPage: smallint("current_page").notNull().default(0),
    // the client numbers its autosaves; an older save arriving late never overwrites a newer one
    saveSequence: integer("save_sequence").notNull().default(0),
    startedAt: timestamptz("started_at").notNull().defaultNow(),
    updatedAt: updatedAt(),
    completedAt: timestamptz("completed_at"),
    helpRequestedAt: timestamptz("help_requested_at"),
  },
  (t) => [
    // one response per invitation, however often it is submitted
    uniqueIndex("responses_invitation_id_key").on(t.invitationId),
    // the customer view reads an account's responses by completion date
    index("responses_account_completed_idx").on(t.accountId, t.completedAt),
    // the API reads completed responses in (completed_at, id) order, page after page (docs/api.md)
    index("responses_completed_at_id_idx").on(t.completedAt, t.id),
    // foreign keys
    index("responses_survey_version_id_idx").on(t.surveyVersionId),
    // (and the foreign key) a submit reads the contact's previous completed response, newest
    // first (previousHealthAnswers in app/domain/cases.server.ts): the walk stops at the first
    index("responses_contact_completed_idx").on(t.contactId, t.completedAt, t.id),
    index("responses_opportunity_id_idx").on(t.opportunityId),
    index("responses_interviewer_id_idx").on(t.interviewerId),
  ],
);

export const answers = pgTable(
  "answers",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    responseId: uuid("response_id")
      .notNull()
      .references(() => responses.id, { onDelete: "cascade" }),
    question: text("question").notNull(),
    dimension: healthDimension("dimension").notNull(),
    value: smallint("value").notNull(),
  },
  (t) => [
    // rescoring replaces a response's rows; one row per scored question
    // (and reading a response's answers: every query on answers names its response)
    uniqueIndex("answers_response_question_key").on(t.responseId, t.question),
    // No index on dimension alone: eight values, so no query is helped by one, and with
    // stale statistics it led the planner of a submit's previous-response check to scan a
    // dimension's every answer once per candidate response (docs/performance.md).
    check("answers_value_range", sql`${t.value} between 0 and 100`),
  ],
);

// ─── The mirror: the team's sealed predictions ────────────────────────────────

export const predictions = pgTable(
  "predictions",
  {
    id: id(),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    contactId: uuid("contact_id").references(() => contacts.id, { onDelete: "set null" }),
    authorId: uuid("author_id")
      .notNull()
      .references(() => users.id),
    // the mirror survey version filled in, and its raw answers (values are derived from them)
    surveyVersionId: uuid("survey_version_id").references(() => surveyVersions.id),
    data: jsonb("data"),
    // the campaign whose answers this predicts; the prediction locks when they arrive
    campaignId: uuid("campaign_id").references(() => campaigns.id, { onDelete: "set null" }),
    note: text("note"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // the team view reads an account's predictions by date
    index("predictions_account_created_idx").on(t.accountId, t.createdAt),
    // foreign keys
    index("predictions_survey_version_id_idx").on(t.surveyVersionId),
    index("predictions_campaign_id_idx").on(t.campaignId),
    // foreign keys; calibration reads a rep's predictions
    index("predictions_contact_id_idx").on(t.contactId),
    index("predictions_author_id_idx").on(t.authorId),
  ],
);

export const predictionValues = pgTable(
  "prediction_values",
  {
    predictionId: uuid("prediction_id")
      .notNull()
      .references(() => predictions.id, { onDelete: "cascade" }),
    dimension: healthDimension("dimension").notNull(),
    value: smallint("value").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.predictionId, t.dimension] }),
    check("prediction_values_value_range", sql`${t.value} between 0 and 100`),
  ],
);

// ─── Win/loss ─────────────────────────────────────────────────────────────────

export const opportunities = pgTable(
  "opportunities",
  {
    id: id(),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    externalId: text("external_id"),
    name: text("name").notNull(),
    amountCents: bigint("amount_cents", { mode: "number" }).notNull().default(0),
    closeDate: date("close_date", { mode: "string" }),
    outcome: opportunityOutcome("outcome").notNull().default("open"),
    competitor: text("competitor"),
    sellerId: uuid("seller_id").references(() => users.id, { onDelete: "set null" }),
    // the seller's sealed reasons, recorded before any buyer answer is visible
    sellerPrimaryReason: decisionReason("seller_primary_reason"),
    sellerSecondaryReasons: decisionReason("seller_secondary_reasons").array(),
    sellerReasonNote: text("seller_reason_note"),
    sellerReasonsAt: timestamptz("seller_reasons_at"),
    closedAt: timestamptz("closed_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // an account's deals
    index("opportunities_account_id_idx").on(t.accountId),
    // CRM upserts by external id
    uniqueIndex("opportunities_external_id_key").on(t.externalId),
    // foreign key; per-seller win/loss agreement
    index("opportunities_seller_id_idx").on(t.sellerId),
    check("opportunities_amount_nonnegative", sql`${t.amountCents} >= 0`),
  ],
);

// ─── The win/loss program ─────────────────────────────────────────────────────

/**
 * What happens after a deal closes (docs/winloss-program.md): an admin's ordered rules, the
 * first that matches wins. `outcomes` empty: any closed outcome; amounts in cents, the lower
 * bound inclusive and the upper exclusive; `segment` null: any segment.
 */
export const winlossRules = pgTable(
  "winloss_rules",
  {
    id: id(),
    position: integer("position").notNull(),
    outcomes: opportunityOutcome("outcomes")
      .array()
      .notNull()
      .default(sql`'{}'`),
    minAmountCents: bigint("min_amount_cents", { mode: "number" }),
    maxAmountCents: bigint("max_amount_cents", { mode: "number" }),
    segment: segment("segment"),
    action: winlossAction("action").notNull(),
    delayDays: smallint("delay_days").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // matching and the settings page read the rules in order
    index("winloss_rules_position_idx").on(t.position),
    check("winloss_rules_delay_range", sql`${t.delayDays} between 0 and ${sql.raw(String(MAX_DELAY_DAYS))}`),
    check(
      "winloss_rules_amounts",
      sql`coalesce(${t.minAmountCents}, 0) >= 0 and (${t.minAmountCents} is null or ${t.maxAmountCents} is null or ${t.minAmountCents} < ${t.maxAmountCents})`,
    ),
    check("winloss_rules_closed_outcomes", sql`not ('open' = any(${t.outcomes}))`),
  ],
);

/**
 * One closed deal's follow-up with its buyers: the rule that matched (as it read then), when
 * it is due, and how far it got. One per deal, whichever way the deal closed.
 */
export const winlossFollowups = pgTable(
  "winloss_followups",
  {
    id: id(),
    opportunityId: uuid("opportunity_id")
      .notNull()
      .references(() => opportunities.id, { onDelete: "cascade" }),
    // null: no rule matched and the default applied (or the rule has since been deleted)
    ruleId: uuid("rule_id").references(() => winlossRules.id, { onDelete: "set null" }),
    ruleSummary: text("rule_summary").notNull(),
    action: winlossAction("action").notNull(),
    delayDays: smallint("delay_days").notNull(),
    status: winlossFollowupStatus("status").notNull(),
    skipReason: text("skip_reason"),
    closedAt: timestamptz("closed_at").notNull(),
    dueAt: timestamptz("due_at").notNull(),
    // when the seller's reasons were sealed and the follow-up could be scheduled
    scheduledAt: timestamptz("scheduled_at"),
    processedAt: timestamptz("processed_at"),
    campaignId: uuid("campaign_id").references(() => campaigns.id, { onDelete: "set null" }),
    interviewTaskId: uuid("interview_task_id").references(() => interviewTasks.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // one follow-up per deal, however often or by whichever path it is closed
    uniqueIndex("winloss_followups_opportunity_id_key").on(t.opportunityId),
    // the job finds scheduled follow-ups that are due
    index("winloss_followups_status_due_idx").on(t.status, t.dueAt),
    // foreign keys
    index("winloss_followups_rule_id_idx").on(t.ruleId),
    index("winloss_followups_campaign_id_idx").on(t.campaignId),
    index("winloss_followups_interview_task_id_idx").on(t.interviewTaskId),
    check(
      "winloss_followups_delay_range",
      sql`${t.delayDays} between 0 and ${sql.raw(String(MAX_DELAY_DAYS))}`,
    ),
  ],
);

/** A win/loss interview to hold with a deal's buyer: who does it, by when, and what came of it. */
export const interviewTasks = pgTable(
  "interview_tasks",
  {
    id: id(),
    opportunityId: uuid("opportunity_id")
      .notNull()
      .references(() => opportunities.id, { onDelete: "cascade" }),
    // the buyer to talk to; null until someone chooses one
    contactId: uuid("contact_id").references(() => contacts.id, { onDelete: "set null" }),
    assigneeId: uuid("assignee_id")
      .notNull()
      .references(() => users.id),
    dueOn: date("due_on", { mode: "string" }).notNull(),
    status: interviewTaskStatus("status").notNull().default("open"),
    // the interview recorded for it (source `interview`, linked to the deal)
    responseId: uuid("response_id").references(() => responses.id, { onDelete: "set null" }),
    // null: opened by the follow-up job
    createdById: uuid("created_by_id").references(() => users.id, { onDelete: "set null" }),
    cancelledById: uuid("cancelled_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    completedAt: timestamptz("completed_at"),
    cancelledAt: timestamptz("cancelled_at"),
  },
  (t) => [
    // "my interviews": an assignee's tasks by status and due date
    index("interview_tasks_assignee_status_due_idx").on(t.assigneeId, t.status, t.dueOn),
    // everyone's open tasks, most overdue first
    index("interview_tasks_status_due_idx").on(t.status, t.dueOn),
    // foreign keys; a deal's tasks, a contact's
    index("interview_tasks_opportunity_id_idx").on(t.opportunityId),
    index("interview_tasks_contact_id_idx").on(t.contactId),
    // one task per recorded interview
    uniqueIndex("interview_tasks_response_id_key").on(t.responseId),
    index("interview_tasks_created_by_id_idx").on(t.createdById),
    index("interview_tasks_cancelled_by_id_idx").on(t.cancelledById),
  ],
);

// ─── Customer 9-1-1 ───────────────────────────────────────────────────────────

export const cases = pgTable(
  "cases",
  {
    id: id(),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    contactId: uuid("contact_id").references(() => contacts.id, { onDelete: "set null" }),
    responseId: uuid("response_id").references(() => responses.id, { onDelete: "set null" }),
    trigger: caseTrigger("trigger").notNull(),
    severity: caseSeverity("severity").notNull(),
    ownerId: uuid("owner_id")
      .notNull()
      .references(() => users.id),
    summary: text("summary").notNull(),
    status: caseStatus("status").notNull().default("open"),
    slaDueAt: timestamptz("sla_due_at").notNull(),
    resolutionNote: text("resolution_note"),
    openedAt: timestamptz("opened_at").notNull().defaultNow(),
    acknowledgedAt: timestamptz("acknowledged_at"),
    resolvedAt: timestamptz("resolved_at"),
    // the short recovery pulse sent to the contact when the case was resolved, if one was
    recoveryInvitationId: uuid("recovery_invitation_id").references(() => invitations.id, {
      onDelete: "set null",
    }),
  },
  (t) => [
    // an account's cases
    index("cases_account_id_idx").on(t.accountId),
    // an owner's open cases
    index("cases_owner_status_idx").on(t.ownerId, t.status),
    // foreign key; a contact's cases
    index("cases_contact_id_idx").on(t.contactId),
    // one case per response and trigger: a replayed submit or help request opens nothing more
    uniqueIndex("cases_response_trigger_key").on(t.responseId, t.trigger),
    // foreign key; the case a recovery pulse answers
    index("cases_recovery_invitation_id_idx").on(t.recoveryInvitationId),
  ],
);

/** A case's timeline: notes, and each status change with who made it (docs/cases.md). */
export const caseNotes = pgTable(
  "case_notes",
  {
    id: id(),
    caseId: uuid("case_id")
      .notNull()
      .references(() => cases.id, { onDelete: "cascade" }),
    authorId: uuid("author_id").references(() => users.id, { onDelete: "set null" }),
    kind: caseNoteKind("kind").notNull().default("note"),
    body: text("body").notNull().default(""),
    createdAt: createdAt(),
  },
  (t) => [
    // the case page reads its timeline in order
    index("case_notes_case_created_idx").on(t.caseId, t.createdAt),
    // foreign key
    index("case_notes_author_id_idx").on(t.authorId),
    check("case_notes_body_length", sql`char_length(${t.body}) <= 5000`),
  ],
);

// ─── CSV import ───────────────────────────────────────────────────────────────

/**
 * An uploaded CSV file on its way in: checked (preview of what would change, or every
 * bad row), then applied in one transaction. Progress is counted in `processedRows`.
 */
export const csvImports = pgTable(
  "csv_imports",
  {
    id: id(),
    kind: csvImportKind("kind").notNull(),
    fileName: text("file_name").notNull(),
    // the file as uploaded, so the apply step reads exactly what was previewed
    content: text("content").notNull(),
    status: csvImportStatus("status").notNull().default("checking"),
    totalRows: integer("total_rows").notNull().default(0),
    processedRows: integer("processed_rows").notNull().default(0),
    // { creates, updates, unchanged, errors: [{ row, column, value, reason }] }
    report: jsonb("report"),
    error: text("error"),
    createdById: uuid("created_by_id")
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
    appliedAt: timestamptz("applied_at"),
  },
  (t) => [
    // foreign key; "my recent imports"
    index("csv_imports_created_by_id_idx").on(t.createdById, t.createdAt),
  ],
);

// ─── Health rollups ───────────────────────────────────────────────────────────

// What the health model (app/domain/health.ts) says about each account, kept current by the
// `health.refresh-account` job and rebuilt from the raw rows by `npm run health:rebuild`.
// Nothing here is a source of truth: every row can be deleted and recomputed
// (docs/health-model.md, "Rollups"). Dashboards read these instead of scanning answers.

export const confidenceLevel = pgEnum("confidence_level", ["none", "low", "medium", "high"]);
export const healthQuadrant = pgEnum("health_quadrant", [
  "agreed_strength",
  "agreed_weakness",
  "blind_spot",
  "undervalued",
]);

/** A reported score, gap or change: one decimal, −100.0 … 100.0. */
const rollupScore = (name: string) => numeric(name, { precision: 4, scale: 1, mode: "number" });

const windowCheck = (column: SQLWrapper) => sql`${column} in (${sql.raw(ROLLUP_WINDOW_MONTHS.join(", "))})`;

/** One account in one window: the three views, NPS, the health gap, flags, reach. */
export const accountHealth = pgTable(
  "account_health",
  {
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    windowMonths: smallint("window_months").notNull(),
    customerHealth: rollupScore("customer_health"),
    customerRespondents: integer("customer_respondents").notNull(),
    customerAnswers: integer("customer_answers").notNull(),
    customerConfidence: confidenceLevel("customer_confidence").notNull(),
    nps: smallint("nps"),
    promoters: integer("promoters").notNull(),
    passives: integer("passives").notNull(),
    detractors: integer("detractors").notNull(),
    npsRespondents: integer("nps_respondents").notNull(),
    teamHealth: rollupScore("team_health"),
    teamPredictions: integer("team_predictions").notNull(),
    teamAuthors: integer("team_authors").notNull(),
    teamConfidence: confidenceLevel("team_confidence").notNull(),
    ledgerScore: rollupScore("ledger_score").notNull(),
    ledgerConfidence: confidenceLevel("ledger_confidence").notNull(),
    ledgerInteractions: integer("ledger_interactions").notNull(),
    equityBalance: doublePrecision("equity_balance").notNull(),
    // team − customer on health, and where that puts the account
    healthGap: rollupScore("health_gap"),
    healthQuadrant: healthQuadrant("health_quadrant"),
    healthMisaligned: boolean("health_misaligned"),
    gapConfidence: confidenceLevel("gap_confidence").notNull(),
    // dimensions with both a customer and a team value: the heat map lists accounts with any
    gapDimensions: smallint("gap_dimensions").notNull().default(0),
    trendChange: rollupScore("trend_change"),
    // [{ flag, reason }] in health.ts's order (AccountFlag[])
    flags: jsonb("flags").notNull().default([]),
    lastCustomerVoiceAt: timestamptz("last_customer_voice_at"),
    // invitations sent in the window that reached the customer, and how many of them were completed
    invitationsSent: integer("invitations_sent").notNull(),
    invitationsCompleted: integer("invitations_completed").notNull(),
    // key contacts today (decision-makers and champions not opted out), how many were asked
    // in the window, and how many answered anything in it
    keyContacts: integer("key_contacts").notNull(),
    keyContactsAsked: integer("key_contacts_asked").notNull(),
    keyContactsHeard: integer("key_contacts_heard").notNull(),
    computedAt: timestamptz("computed_at").notNull(),
  },
  (t) => [
    // a refresh replaces one account's rows; its leading column also serves the foreign key
    primaryKey({ columns: [t.accountId, t.windowMonths] }),
    check("account_health_window_months", windowCheck(t.windowMonths)),
  ],
);

/** One account, window and dimension with a customer or a team value: the gap heat map. */
export const accountDimensionHealth = pgTable(
  "account_dimension_health",
  {
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    windowMonths: smallint("window_months").notNull(),
    dimension: healthDimension("dimension").notNull(),
    customerValue: rollupScore("customer_value"),
    customerAnswers: integer("customer_answers").notNull(),
    customerRespondents: integer("customer_respondents").notNull(),
    customerConfidence: confidenceLevel("customer_confidence").notNull(),
    teamValue: rollupScore("team_value"),
    teamPredictions: integer("team_predictions").notNull(),
    teamAuthors: integer("team_authors").notNull(),
    teamConfidence: confidenceLevel("team_confidence").notNull(),
    gap: rollupScore("gap"),
    misaligned: boolean("misaligned"),
    quadrant: healthQuadrant("quadrant"),
    weightedGap: rollupScore("weighted_gap"),
    gapConfidence: confidenceLevel("gap_confidence").notNull(),
    computedAt: timestamptz("computed_at").notNull(),
  },
  (t) => [
    // a refresh replaces one account's rows; its leading column also serves the foreign key
    primaryKey({ columns: [t.accountId, t.windowMonths, t.dimension] }),
    // "top blind spots": one window's blind-spot rows, largest weighted gap first
    index("account_dimension_health_blind_spots_idx")
      .on(t.windowMonths, t.weightedGap)
      .where(sql`${t.quadrant} = 'blind_spot'`),
    check("account_dimension_health_window_months", windowCheck(t.windowMonths)),
  ],
);

/**
 * One account and calendar month (UTC) of customer voice, for trends: NPS counts from each
 * respondent's latest advocacy answer that month, and the sum and count of each
 * respondent's latest response health that month, so months and accounts add up.
 */
export const healthMonthly = pgTable(
  "health_monthly",
  {
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    // the first day of the month
    month: date("month", { mode: "string" }).notNull(),
    responses: integer("responses").notNull(),
    promoters: integer("promoters").notNull(),
    passives: integer("passives").notNull(),
    detractors: integer("detractors").notNull(),
    npsRespondents: integer("nps_respondents").notNull(),
    healthSum: numeric("health_sum", { precision: 12, scale: 1, mode: "number" }).notNull(),
    healthCount: integer("health_count").notNull(),
    computedAt: timestamptz("computed_at").notNull(),
  },
  (t) => [
    // a refresh replaces one account's rows; its leading column also serves the foreign key
    primaryKey({ columns: [t.accountId, t.month] }),
    // the dashboard trend reads every account's rows for the window's months
    index("health_monthly_month_idx").on(t.month),
    check("health_monthly_first_of_month", sql`extract(day from ${t.month}) = 1`),
  ],
);

/**
 * The customer's own words, one row per completed response and free-text question it
 * answered (survey-verbatims.ts decides which questions are free text; the mirror is the
 * team's, so never here): what the dashboard's verbatim search reads instead of scanning
 * responses. Rewritten with the account's other rollups (health-rollups.server.ts).
 */
export const responseVerbatims = pgTable(
  "response_verbatims",
  {
    responseId: uuid("response_id")
      .notNull()
      .references(() => responses.id, { onDelete: "cascade" }),
    question: text("question").notNull(),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    // the response's own foreign key guards it; for the question titles
    surveyVersionId: uuid("survey_version_id").notNull(),
    completedAt: timestamptz("completed_at").notNull(),
    // trimmed
    text: text("text").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.responseId, t.question] }),
    // a refresh replaces one account's rows; a manager's dashboard reads their accounts' newest
    index("response_verbatims_account_completed_idx").on(t.accountId, t.completedAt),
    // the dashboard's newest-first page over every account in the window
    index("response_verbatims_completed_idx").on(t.completedAt),
    // the verbatim search: text ilike '%…%'
    index("response_verbatims_text_trgm_idx").using("gin", sql`${t.text} gin_trgm_ops`),
  ],
);

// ─── Relations ────────────────────────────────────────────────────────────────

export const usersRelations = relations(users, ({ many }) => ({
  sessions: many(sessions),
  ownedAccounts: many(accounts),
  memberships: many(accountMembers),
}));

export const sessionsRelations = relations(sessions, ({ one }) => ({
  user: one(users, { fields: [sessions.userId], references: [users.id] }),
}));

export const accountsRelations = relations(accounts, ({ one, many }) => ({
  owner: one(users, { fields: [accounts.ownerId], references: [users.id] }),
  members: many(accountMembers),
  contacts: many(contacts),
  interactions: many(interactions),
  opportunities: many(opportunities),
  cases: many(cases),
  predictions: many(predictions),
}));

export const accountMembersRelations = relations(accountMembers, ({ one }) => ({
  account: one(accounts, { fields: [accountMembers.accountId], references: [accounts.id] }),
  user: one(users, { fields: [accountMembers.userId], references: [users.id] }),
}));

export const contactsRelations = relations(contacts, ({ one, many }) => ({
  account: one(accounts, { fields: [contacts.accountId], references: [accounts.id] }),
  notes: many(contactNotes),
}));

export const contactNotesRelations = relations(contactNotes, ({ one }) => ({
  contact: one(contacts, { fields: [contactNotes.contactId], references: [contacts.id] }),
  author: one(users, { fields: [contactNotes.authorId], references: [users.id] }),
}));

export const interactionsRelations = relations(interactions, ({ one, many }) => ({
  account: one(accounts, { fields: [interactions.accountId], references: [accounts.id] }),
  author: one(users, { fields: [interactions.authorId], references: [users.id] }),
  contacts: many(interactionContacts),
  users: many(interactionUsers),
}));

export const interactionContactsRelations = relations(interactionContacts, ({ one }) => ({
  interaction: one(interactions, {
    fields: [interactionContacts.interactionId],
    references: [interactions.id],
  }),
  contact: one(contacts, { fields: [interactionContacts.contactId], references: [contacts.id] }),
}));

export const interactionUsersRelations = relations(interactionUsers, ({ one }) => ({
  interaction: one(interactions, {
    fields: [interactionUsers.interactionId],
    references: [interactions.id],
  }),
  user: one(users, { fields: [interactionUsers.userId], references: [users.id] }),
}));

export const surveyDefinitionsRelations = relations(surveyDefinitions, ({ many }) => ({
  versions: many(surveyVersions),
}));

export const surveyVersionsRelations = relations(surveyVersions, ({ one }) => ({
  definition: one(surveyDefinitions, {
    fields: [surveyVersions.definitionId],
    references: [surveyDefinitions.id],
  }),
}));

export const responsesRelations = relations(responses, ({ one, many }) => ({
  invitation: one(invitations, { fields: [responses.invitationId], references: [invitations.id] }),
  surveyVersion: one(surveyVersions, {
    fields: [responses.surveyVersionId],
    references: [surveyVersions.id],
  }),
  contact: one(contacts, { fields: [responses.contactId], references: [contacts.id] }),
  answers: many(answers),
}));

export const answersRelations = relations(answers, ({ one }) => ({
  response: one(responses, { fields: [answers.responseId], references: [responses.id] }),
}));

export const predictionsRelations = relations(predictions, ({ one, many }) => ({
  account: one(accounts, { fields: [predictions.accountId], references: [accounts.id] }),
  author: one(users, { fields: [predictions.authorId], references: [users.id] }),
  values: many(predictionValues),
}));

export const predictionValuesRelations = relations(predictionValues, ({ one }) => ({
  prediction: one(predictions, {
    fields: [predictionValues.predictionId],
    references: [predictions.id],
  }),
}));

export const opportunitiesRelations = relations(opportunities, ({ one }) => ({
  account: one(accounts, { fields: [opportunities.accountId], references: [accounts.id] }),
  seller: one(users, { fields: [opportunities.sellerId], references: [users.id] }),
}));

export const casesRelations = relations(cases, ({ one, many }) => ({
  account: one(accounts, { fields: [cases.accountId], references: [accounts.id] }),
  owner: one(users, { fields: [cases.ownerId], references: [users.id] }),
  notes: many(caseNotes),
}));

export const caseNotesRelations = relations(caseNotes, ({ one }) => ({
  case: one(cases, { fields: [caseNotes.caseId], references: [cases.id] }),
  author: one(users, { fields: [caseNotes.authorId], references: [users.id] }),
}));

export const accountHealthRelations = relations(accountHealth, ({ one }) => ({
  account: one(accounts, { fields: [accountHealth.accountId], references: [accounts.id] }),
}));

export const accountDimensionHealthRelations = relations(accountDimensionHealth, ({ one }) => ({
  account: one(accounts, { fields: [accountDimensionHealth.accountId], references: [accounts.id] }),
}));

export const healthMonthlyRelations = relations(healthMonthly, ({ one }) => ({
  account: one(accounts, { fields: [healthMonthly.accountId], references: [accounts.id] }),
}));

// ─── Types ────────────────────────────────────────────────────────────────────

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
export type UserRole = (typeof userRole.enumValues)[number];
export type Session = typeof sessions.$inferSelect;
export type ApiKey = typeof apiKeys.$inferSelect;
export type ApiKeyScope = (typeof apiKeyScope.enumValues)[number];
export type Account = typeof accounts.$inferSelect;
export type NewAccount = typeof accounts.$inferInsert;
export type Contact = typeof contacts.$inferSelect;
export type NewContact = typeof contacts.$inferInsert;
export type ContactNote = typeof contactNotes.$inferSelect;
export type Interaction = typeof interactions.$inferSelect;
export type NewInteraction = typeof interactions.$inferInsert;
export type SurveyDefinition = typeof surveyDefinitions.$inferSelect;
export type SurveyVersion = typeof surveyVersions.$inferSelect;
export type Campaign = typeof campaigns.$inferSelect;
export type CampaignRecipient = typeof campaignRecipients.$inferSelect;
export type CampaignExclusionReason = (typeof campaignExclusionReason.enumValues)[number];
export type CampaignStatus = (typeof campaignStatus.enumValues)[number];
export type Invitation = typeof invitations.$inferSelect;
export type InvitationStatus = (typeof invitationStatus.enumValues)[number];
export type OutboxMessage = typeof outbox.$inferSelect;
export type Response = typeof responses.$inferSelect;
export type Answer = typeof answers.$inferSelect;
export type Prediction = typeof predictions.$inferSelect;
export type Opportunity = typeof opportunities.$inferSelect;
export type WinlossRuleRow = typeof winlossRules.$inferSelect;
export type WinlossFollowup = typeof winlossFollowups.$inferSelect;
export type InterviewTask = typeof interviewTasks.$inferSelect;
export type Case = typeof cases.$inferSelect;
export type CaseTrigger = (typeof caseTrigger.enumValues)[number];
export type CaseSeverity = (typeof caseSeverity.enumValues)[number];
export type CaseStatus = (typeof caseStatus.enumValues)[number];
export type CaseNote = typeof caseNotes.$inferSelect;
export type CsvImport = typeof csvImports.$inferSelect;
export type HealthDimension = (typeof healthDimension.enumValues)[number];
export type AccountHealthRow = typeof accountHealth.$inferSelect;
export type AccountDimensionHealthRow = typeof accountDimensionHealth.$inferSelect;
export type HealthMonthlyRow = typeof healthMonthly.$inferSelect;
export type WebhookEndpoint = typeof webhookEndpoints.$inferSelect;
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;
export type WebhookDeliveryStatus = (typeof webhookDeliveryStatus.enumValues)[number];
