/**
 * Row factories shared by the demo seed (db/seed.ts) and the tests: each fills sensible
 * defaults for every required column, applies the overrides, inserts and returns the row.
 * Related rows that are not given are created too (a contact without an account gets a
 * fresh account, and so on), so a test names only what it is about.
 *
 * Relative imports only: this file runs under tsx and vitest as well as the app.
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { eq } from "drizzle-orm";
import type { Database } from "../app/lib/db.server";
import { importSurveyDefinition } from "../app/domain/surveys.server";
import { hashPassword } from "../app/lib/password.server";
import { defaultEquity, isTwoWay, TWO_WAY_KINDS } from "../app/domain/ledger";

export { defaultEquity, isTwoWay, TWO_WAY_KINDS };
import {
  accountMembers,
  accounts,
  answers,
  campaigns,
  cases,
  contactNotes,
  contacts,
  interactionContacts,
  interactions,
  interactionUsers,
  invitationTokens,
  invitations,
  opportunities,
  predictions,
  predictionValues,
  responses,
  users,
  healthDimension,
  type Answer,
  type HealthDimension,
  type Interaction,
  type Invitation,
  type Prediction,
  type Response,
  type SurveyVersion,
  type User,
} from "./schema";

/**
 * The app's database or a transaction on it: the seed runs inside one transaction so a
 * failure leaves an empty workspace rather than half a demo.
 */
export type DatabaseOrTransaction = Database | Parameters<Parameters<Database["transaction"]>[0]>[0];

export const DEFAULT_TEST_PASSWORD = "correct horse battery staple";

let counter = 0;
/** A value no other factory call in this process (or a parallel one) produces. */
function unique(): string {
  counter += 1;
  return `${counter}-${randomUUID().slice(0, 8)}`;
}

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** YYYY-MM-DD (UTC) for `date` columns. */
export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

const DAY_MS = 86_400_000;

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
}

/** `date` plus `days` working days, skipping Saturdays and Sundays (UTC); the time of day is kept. */
export function addBusinessDays(date: Date, days: number): Date {
  let result = new Date(date.getTime());
  let left = days;
  while (left > 0) {
    result = addDays(result, 1);
    const weekday = result.getUTCDay();
    if (weekday !== 0 && weekday !== 6) left -= 1;
  }
  return result;
}

async function single<T>(rows: Promise<T[]>, what: string): Promise<T> {
  const [row] = await rows;
  if (!row) throw new Error(`factory: inserting ${what} returned no row`);
  return row;
}

async function ownerOf(db: DatabaseOrTransaction, accountId: string): Promise<string> {
  const [account] = await db
    .select({ ownerId: accounts.ownerId })
    .from(accounts)
    .where(eq(accounts.id, accountId));
  if (!account) throw new Error(`factory: account ${accountId} does not exist`);
  return account.ownerId;
}

// ─── People ───────────────────────────────────────────────────────────────────

export type UserOverrides = Partial<typeof users.$inferInsert> & {
  /** Hashed with argon2id; ignored when `passwordHash` is given (pass null for no password). */
  password?: string;
};

export async function insertUser(db: DatabaseOrTransaction, overrides: UserOverrides = {}): Promise<User> {
  const { password, ...values } = overrides;
  const n = unique();
  const passwordHash =
    "passwordHash" in values ? values.passwordHash : await hashPassword(password ?? DEFAULT_TEST_PASSWORD);
  return single(
    db
      .insert(users)
      .values({
        email: `user-${n}@example.test`,
        name: `Test User ${n}`,
        role: "manager",
        ...values,
        passwordHash,
      })
      .returning(),
    "a user",
  );
}

// ─── Accounts and contacts ────────────────────────────────────────────────────

export async function insertAccount(
  db: DatabaseOrTransaction,
  overrides: Partial<typeof accounts.$inferInsert> = {},
) {
  const ownerId = overrides.ownerId ?? (await insertUser(db, { role: "manager" })).id;
  return single(
    db
      .insert(accounts)
      .values({
        name: `Account ${unique()}`,
        segment: "mid_market",
        region: "North America",
        tier: "core",
        annualValueCents: 120_000_00,
        ...overrides,
        ownerId,
      })
      .returning(),
    "an account",
  );
}

export async function insertAccountMember(
  db: DatabaseOrTransaction,
  overrides: Partial<typeof accountMembers.$inferInsert> = {},
) {
  const accountId = overrides.accountId ?? (await insertAccount(db)).id;
  const userId = overrides.userId ?? (await insertUser(db, { role: "manager" })).id;
  return single(
    db
      .insert(accountMembers)
      .values({ ...overrides, accountId, userId })
      .returning(),
    "an account member",
  );
}

export async function insertContact(
  db: DatabaseOrTransaction,
  overrides: Partial<typeof contacts.$inferInsert> = {},
) {
  const accountId = overrides.accountId ?? (await insertAccount(db)).id;
  const n = unique();
  return single(
    db
      .insert(contacts)
      .values({
        name: `Contact ${n}`,
        email: `contact-${n}@example.test`,
        title: "Head of Operations",
        buyingRole: "user",
        ...overrides,
        accountId,
      })
      .returning(),
    "a contact",
  );
}

/** Without an author, the note is written by the owner of the contact's account. */
export async function insertContactNote(
  db: DatabaseOrTransaction,
  overrides: Partial<typeof contactNotes.$inferInsert> = {},
) {
  const contact = overrides.contactId
    ? { id: overrides.contactId, accountId: undefined }
    : await insertContact(db);
  let authorId = overrides.authorId;
  if (!authorId) {
    let accountId = contact.accountId;
    if (!accountId) {
      const [row] = await db
        .select({ accountId: contacts.accountId })
        .from(contacts)
        .where(eq(contacts.id, contact.id));
      if (!row) throw new Error(`factory: contact ${contact.id} does not exist`);
      accountId = row.accountId;
    }
    authorId = await ownerOf(db, accountId);
  }
  return single(
    db
      .insert(contactNotes)
      .values({
        kind: "current_priorities",
        body: "Rolling out the new reporting process this quarter.",
        ...overrides,
        contactId: contact.id,
        authorId,
      })
      .returning(),
    "a contact note",
  );
}

// ─── The ledger ───────────────────────────────────────────────────────────────

export type InteractionOverrides = Partial<typeof interactions.$inferInsert> & {
  /** Participants on the customer's side (interaction_contacts). */
  contactIds?: string[];
  /** Participants on our side (interaction_users); defaults to the author. */
  userIds?: string[];
};

export async function insertInteraction(
  db: DatabaseOrTransaction,
  overrides: InteractionOverrides = {},
): Promise<Interaction & { contactIds: string[]; userIds: string[] }> {
  const { contactIds = [], userIds, ...values } = overrides;
  const accountId = values.accountId ?? (await insertAccount(db)).id;
  const authorId = values.authorId === undefined ? await ownerOf(db, accountId) : values.authorId;
  const kind = values.kind ?? "meeting";
  const occurredAt = values.occurredAt ?? new Date();
  const commitmentStatus = values.commitmentStatus ?? (kind === "commitment" ? "open" : null);
  const interaction = await single(
    db
      .insert(interactions)
      .values({
        summary: `${kind} logged by a test`,
        engagementQuality: isTwoWay(kind) ? 3 : null,
        ...defaultEquity(kind, commitmentStatus),
        dueOn: kind === "commitment" ? isoDate(addDays(occurredAt, 14)) : null,
        ...values,
        accountId,
        authorId,
        kind,
        occurredAt,
        commitmentStatus,
      })
      .returning(),
    "an interaction",
  );
  const participants = userIds ?? (authorId ? [authorId] : []);
  if (contactIds.length > 0) {
    await db
      .insert(interactionContacts)
      .values(contactIds.map((contactId) => ({ interactionId: interaction.id, contactId })));
  }
  if (participants.length > 0) {
    await db
      .insert(interactionUsers)
      .values(participants.map((userId) => ({ interactionId: interaction.id, userId })));
  }
  return { ...interaction, contactIds, userIds: participants };
}

export async function insertInteractionContact(
  db: DatabaseOrTransaction,
  values: typeof interactionContacts.$inferInsert,
) {
  return single(db.insert(interactionContacts).values(values).returning(), "an interaction contact");
}

export async function insertInteractionUser(
  db: DatabaseOrTransaction,
  values: typeof interactionUsers.$inferInsert,
) {
  return single(db.insert(interactionUsers).values(values).returning(), "an interaction user");
}

// ─── Surveys ──────────────────────────────────────────────────────────────────

const surveysFolder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../surveys");

/**
 * Imports `surveys/<slug>.json` the way start-up does (validated, versioned by content
 * hash) and returns its current version.
 */
export async function insertSurveyVersionFromFile(
  db: DatabaseOrTransaction,
  slug: string,
  options: { createdById?: string } = {},
): Promise<SurveyVersion> {
  const json: unknown = JSON.parse(await fs.readFile(path.join(surveysFolder, `${slug}.json`), "utf8"));
  const { version } = await importSurveyDefinition(db, {
    slug,
    json,
    source: "file",
    createdById: options.createdById,
  });
  return version;
}

/** A draft campaign of the relationship survey; the audience defaults to the mid-market segment. */
export async function insertCampaign(
  db: DatabaseOrTransaction,
  overrides: Partial<typeof campaigns.$inferInsert> = {},
) {
  const surveyVersionId =
    overrides.surveyVersionId ?? (await insertSurveyVersionFromFile(db, "relationship-health")).id;
  return single(
    db
      .insert(campaigns)
      .values({
        name: `Campaign ${unique()}`,
        audience: { segments: ["mid_market"] },
        ...overrides,
        surveyVersionId,
      })
      .returning(),
    "a campaign",
  );
}

export type InvitationOverrides = Partial<typeof invitations.$inferInsert> & {
  /** The token in the link; only its sha-256 is stored. Random when not given. */
  token?: string;
};

/** Returns the row and the plain token, which a test needs to open `/s/:token`. */
export async function insertInvitation(
  db: DatabaseOrTransaction,
  overrides: InvitationOverrides = {},
): Promise<Invitation & { token: string }> {
  const { token = randomBytes(24).toString("base64url"), ...values } = overrides;
  const contactId = values.contactId ?? (await insertContact(db)).id;
  const surveyVersionId =
    values.surveyVersionId ?? (await insertSurveyVersionFromFile(db, "relationship-health")).id;
  const invitation = await single(
    db
      .insert(invitations)
      .values({ ...values, contactId, surveyVersionId })
      .returning(),
    "an invitation",
  );
  await db.insert(invitationTokens).values({ tokenHash: sha256Hex(token), invitationId: invitation.id });
  return { ...invitation, token };
}

// ─── Answers ──────────────────────────────────────────────────────────────────

export type ResponseOverrides = Partial<typeof responses.$inferInsert> & {
  /** Scored answers (the `answers` rows), each 0–100. */
  answers?: { question: string; dimension: HealthDimension; value: number }[];
};

/**
 * A response to the relationship-health survey unless told otherwise. The contact and
 * survey version default to the invitation's; the account to the contact's.
 */
export async function insertResponse(
  db: DatabaseOrTransaction,
  overrides: ResponseOverrides = {},
): Promise<Response & { answers: Answer[] }> {
  const { answers: scored = [], ...values } = overrides;
  let { contactId, surveyVersionId, accountId } = values;
  if (values.invitationId && (contactId === undefined || !surveyVersionId)) {
    const [invitation] = await db
      .select({ contactId: invitations.contactId, surveyVersionId: invitations.surveyVersionId })
      .from(invitations)
      .where(eq(invitations.id, values.invitationId));
    if (!invitation) throw new Error(`factory: invitation ${values.invitationId} does not exist`);
    contactId ??= invitation.contactId;
    surveyVersionId ??= invitation.surveyVersionId;
  }
  if (contactId && accountId === undefined) {
    const [contact] = await db
      .select({ accountId: contacts.accountId })
      .from(contacts)
      .where(eq(contacts.id, contactId));
    accountId = contact?.accountId ?? null;
  }
  surveyVersionId ??= (await insertSurveyVersionFromFile(db, "relationship-health")).id;
  const isComplete = values.isComplete ?? true;
  const response = await single(
    db
      .insert(responses)
      .values({
        source: values.invitationId ? "email" : "link",
        data: {},
        isComplete,
        completedAt: isComplete ? (values.completedAt ?? new Date()) : null,
        ...values,
        contactId,
        accountId,
        surveyVersionId,
      })
      .returning(),
    "a response",
  );
  const answerRows =
    scored.length > 0
      ? await db
          .insert(answers)
          .values(scored.map((answer) => ({ ...answer, responseId: response.id })))
          .returning()
      : [];
  return { ...response, answers: answerRows };
}

// ─── The mirror ───────────────────────────────────────────────────────────────

export type PredictionOverrides = Partial<typeof predictions.$inferInsert> & {
  /** 0–100 per dimension; defaults to 70 on all eight. Only the dimensions given are inserted. */
  values?: Partial<Record<HealthDimension, number>>;
};

/** Without an author, the prediction is the account owner's. */
export async function insertPrediction(
  db: DatabaseOrTransaction,
  overrides: PredictionOverrides = {},
): Promise<Prediction & { values: Partial<Record<HealthDimension, number>> }> {
  const { values: given, ...rest } = overrides;
  const accountId = rest.accountId ?? (await insertAccount(db)).id;
  const authorId = rest.authorId ?? (await ownerOf(db, accountId));
  const values = given ?? Object.fromEntries(healthDimension.enumValues.map((dimension) => [dimension, 70]));
  const prediction = await single(
    db
      .insert(predictions)
      .values({ ...rest, accountId, authorId })
      .returning(),
    "a prediction",
  );
  const rows = Object.entries(values)
    .filter((entry): entry is [HealthDimension, number] => entry[1] !== undefined)
    .map(([dimension, value]) => ({ predictionId: prediction.id, dimension, value }));
  if (rows.length > 0) await db.insert(predictionValues).values(rows);
  return { ...prediction, values };
}

// ─── Win/loss ─────────────────────────────────────────────────────────────────

/** Without a seller, the deal is the account owner's. */
export async function insertOpportunity(
  db: DatabaseOrTransaction,
  overrides: Partial<typeof opportunities.$inferInsert> = {},
) {
  const accountId = overrides.accountId ?? (await insertAccount(db)).id;
  const sellerId = overrides.sellerId === undefined ? await ownerOf(db, accountId) : overrides.sellerId;
  return single(
    db
      .insert(opportunities)
      .values({
        name: `Opportunity ${unique()}`,
        amountCents: 50_000_00,
        closeDate: isoDate(addDays(new Date(), 30)),
        ...overrides,
        accountId,
        sellerId,
      })
      .returning(),
    "an opportunity",
  );
}

// ─── Customer 9-1-1 ───────────────────────────────────────────────────────────

/** Without an owner, the case goes to the account owner; the SLA is two business days. */
export async function insertCase(
  db: DatabaseOrTransaction,
  overrides: Partial<typeof cases.$inferInsert> = {},
) {
  const accountId = overrides.accountId ?? (await insertAccount(db)).id;
  const ownerId = overrides.ownerId ?? (await ownerOf(db, accountId));
  const openedAt = overrides.openedAt ?? new Date();
  return single(
    db
      .insert(cases)
      .values({
        trigger: "manual",
        severity: "high",
        summary: "The customer asked for help.",
        slaDueAt: addBusinessDays(openedAt, 2),
        ...overrides,
        accountId,
        ownerId,
        openedAt,
      })
      .returning(),
    "a case",
  );
}
