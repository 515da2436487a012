/**
 * The demo workspace: a believable B2B company's account teams, customers, ledger,
 * survey answers, sealed predictions, deals and Customer 9-1-1 cases.
 *
 * Deterministic: a seeded PRNG decides every name, count and value, so two runs give the
 * same workspace. Only the dates move — they are placed relative to `now` so the demo
 * always looks current. The whole seed is one transaction: it either builds the full
 * workspace or leaves the database as it was.
 */
import { sql } from "drizzle-orm";
import type { Database } from "../app/lib/db.server";
import { hashPassword } from "../app/lib/password.server";
import {
  addBusinessDays,
  defaultEquity,
  insertAccount,
  insertCase,
  insertOpportunity,
  insertPrediction,
  insertSurveyVersionFromFile,
  insertUser,
  isoDate,
  isTwoWay,
  type DatabaseOrTransaction,
} from "./factories";
import type { InteractionKind } from "../app/domain/ledger";
import { createRandom, type Random } from "./random";
import {
  accountMembers,
  answers,
  campaignRecipients,
  campaigns,
  contactNotes,
  contacts,
  interactionContacts,
  interactions,
  interactionUsers,
  invitations,
  responses,
  users,
  winlossRules,
  type HealthDimension,
  type SurveyVersion,
  type UserRole,
} from "./schema";

// ─── Public API ───────────────────────────────────────────────────────────────

export const DEMO_PASSWORD = "rapport-demo";

export interface DemoUser {
  email: string;
  name: string;
  role: UserRole;
}

export const DEMO_USERS: readonly DemoUser[] = [
  { email: "admin@demo.test", name: "Alex Morgan", role: "admin" },
  { email: "leader@demo.test", name: "Priya Raman", role: "leader" },
  { email: "ceo@demo.test", name: "Daniel Okafor", role: "leader" },
  { email: "manager@demo.test", name: "Maya Chen", role: "manager" },
  { email: "sofia@demo.test", name: "Sofia Alvarez", role: "manager" },
  { email: "james@demo.test", name: "James O'Connor", role: "manager" },
  { email: "hannah@demo.test", name: "Hannah Schmidt", role: "manager" },
  { email: "kenji@demo.test", name: "Kenji Watanabe", role: "manager" },
  { email: "olivia@demo.test", name: "Olivia Bennett", role: "manager" },
];

export interface DemoSummary {
  users: number;
  accounts: number;
  accountMembers: number;
  contacts: number;
  contactNotes: number;
  interactions: number;
  interactionContacts: number;
  interactionUsers: number;
  surveyVersions: number;
  invitations: number;
  responses: number;
  answers: number;
  predictions: number;
  predictionValues: number;
  opportunities: number;
  cases: number;
}

export interface SeedOptions {
  /** The moment the demo is "as of"; every date is placed relative to it. */
  now?: Date;
}

/** True when nobody has an account yet: the only state in which the demo is created. */
export async function isWorkspaceEmpty(db: Database): Promise<boolean> {
  const rows = await db
    .select({ one: sql<number>`1` })
    .from(users)
    .limit(1);
  return rows.length === 0;
}

export async function seedDemoWorkspace(db: Database, options: SeedOptions = {}): Promise<DemoSummary> {
  const now = options.now ?? new Date();
  return db.transaction((tx) => buildWorkspace(tx, now));
}

// ─── The cast ─────────────────────────────────────────────────────────────────

const SEED = 0x5eed_2024;
const DAY_MS = 86_400_000;

type Manager = "maya" | "sofia" | "james" | "hannah" | "kenji" | "olivia";
const MANAGER_EMAIL: Record<Manager, string> = {
  maya: "manager@demo.test",
  sofia: "sofia@demo.test",
  james: "james@demo.test",
  hannah: "hannah@demo.test",
  kenji: "kenji@demo.test",
  olivia: "olivia@demo.test",
};
const MANAGERS = Object.keys(MANAGER_EMAIL) as Manager[];

/**
 * How each rep predicts: James is an optimist, Hannah a pessimist, the rest roughly
 * calibrated — so the calibration view has a story to tell.
 */
const REP_BIAS: Record<Manager, Bias> = {
  maya: "close",
  sofia: "close",
  james: "over",
  hannah: "under",
  kenji: "close",
  olivia: "close",
};

/** What the ledger looks like: how the team has spent its time with the account. */
type Pattern = "healthy" | "steady" | "shallow" | "silent" | "overdrawn";
/** What the customer says when asked; null: no answers in the last year. */
type Mood = "happy" | "mixed" | "unhappy" | null;
/** How the owner's sealed prediction relates to what the customer then said; null: none made. */
type Bias = "over" | "under" | "close" | null;
type NamePool = "en" | "uk" | "es" | "de" | "fr" | "nordic" | "ja" | "sea" | "in";
type Segment = "enterprise" | "mid_market" | "smb";
type Tier = "strategic" | "key" | "core";
type Stage = "onboarding" | "adopting" | "expanding" | "renewing" | "at_risk" | "churned";

interface AccountSpec {
  key: string;
  name: string;
  domain: string;
  segment: Segment;
  region: "North America" | "EMEA" | "APAC" | "LATAM";
  tier: Tier;
  annualValue: number; // dollars
  stage: Stage;
  owner: Manager;
  pattern: Pattern;
  mood: Mood;
  bias: Bias;
  names: NamePool;
  /** The local language some contacts prefer (most prefer English). */
  language?: "de" | "fr" | "es";
}

// one account a line reads as a table
// prettier-ignore
const ACCOUNTS: AccountSpec[] = [
  // Maya (manager@demo.test) — the demo sign-in, so her book has a bit of everything.
  { key: "northwind", name: "Northwind Logistics", domain: "northwindlogistics.com", segment: "enterprise", region: "North America", tier: "strategic", annualValue: 420_000, stage: "expanding", owner: "maya", pattern: "healthy", mood: "happy", bias: "close", names: "en" },
  { key: "harborview", name: "Harborview Financial", domain: "harborviewfinancial.com", segment: "enterprise", region: "North America", tier: "key", annualValue: 310_000, stage: "renewing", owner: "maya", pattern: "shallow", mood: "unhappy", bias: "over", names: "en" },
  { key: "pinecrest", name: "Pinecrest Manufacturing", domain: "pinecrestmfg.com", segment: "mid_market", region: "North America", tier: "key", annualValue: 145_000, stage: "at_risk", owner: "maya", pattern: "overdrawn", mood: "unhappy", bias: "close", names: "en" },
  { key: "redwood", name: "Redwood Learning", domain: "redwoodlearning.org", segment: "smb", region: "North America", tier: "core", annualValue: 38_000, stage: "adopting", owner: "maya", pattern: "silent", mood: null, bias: "over", names: "en" },
  { key: "lumen", name: "Lumen Analytics", domain: "lumenanalytics.io", segment: "mid_market", region: "North America", tier: "core", annualValue: 96_000, stage: "adopting", owner: "maya", pattern: "steady", mood: "happy", bias: "under", names: "en" },
  // Sofia — Latin America
  { key: "andes", name: "Andes Agro", domain: "andesagro.co", segment: "mid_market", region: "LATAM", tier: "key", annualValue: 120_000, stage: "expanding", owner: "sofia", pattern: "healthy", mood: "happy", bias: "close", names: "es", language: "es" },
  { key: "pacifico", name: "Pacífico Seguros", domain: "pacificoseguros.pe", segment: "enterprise", region: "LATAM", tier: "key", annualValue: 260_000, stage: "renewing", owner: "sofia", pattern: "steady", mood: "mixed", bias: "over", names: "es", language: "es" },
  { key: "aurora", name: "Aurora Retail México", domain: "auroraretail.mx", segment: "smb", region: "LATAM", tier: "core", annualValue: 42_000, stage: "adopting", owner: "sofia", pattern: "shallow", mood: "mixed", bias: null, names: "es", language: "es" },
  { key: "patagonia", name: "Patagonia Fibra", domain: "patagoniafibra.ar", segment: "smb", region: "LATAM", tier: "core", annualValue: 30_000, stage: "onboarding", owner: "sofia", pattern: "steady", mood: null, bias: null, names: "es", language: "es" },
  { key: "cerroverde", name: "Cerro Verde Salud", domain: "cerroverdesalud.cl", segment: "mid_market", region: "LATAM", tier: "core", annualValue: 88_000, stage: "at_risk", owner: "sofia", pattern: "overdrawn", mood: "unhappy", bias: "over", names: "es", language: "es" },
  // James — UK and Western Europe; an optimist
  { key: "brightwell", name: "Brightwell Retail Group", domain: "brightwellretail.co.uk", segment: "enterprise", region: "EMEA", tier: "key", annualValue: 350_000, stage: "expanding", owner: "james", pattern: "shallow", mood: "unhappy", bias: "over", names: "uk" },
  { key: "kestrel", name: "Kestrel Telecom", domain: "kestreltelecom.com", segment: "enterprise", region: "EMEA", tier: "strategic", annualValue: 520_000, stage: "renewing", owner: "james", pattern: "healthy", mood: "mixed", bias: "over", names: "uk" },
  { key: "fenwick", name: "Fenwick & Hale", domain: "fenwickhale.co.uk", segment: "smb", region: "EMEA", tier: "core", annualValue: 28_000, stage: "adopting", owner: "james", pattern: "silent", mood: null, bias: "over", names: "uk" },
  { key: "castellan", name: "Castellan Pharma", domain: "castellanpharma.com", segment: "mid_market", region: "EMEA", tier: "key", annualValue: 175_000, stage: "at_risk", owner: "james", pattern: "overdrawn", mood: "unhappy", bias: "over", names: "uk" },
  { key: "moreau", name: "Atelier Moreau", domain: "ateliermoreau.fr", segment: "mid_market", region: "EMEA", tier: "core", annualValue: 64_000, stage: "adopting", owner: "james", pattern: "steady", mood: "happy", bias: "close", names: "fr", language: "fr" },
  // Hannah — DACH, Nordics, Iberia; a pessimist
  { key: "vantage", name: "Vantage Energie", domain: "vantage-energie.de", segment: "enterprise", region: "EMEA", tier: "strategic", annualValue: 480_000, stage: "expanding", owner: "hannah", pattern: "healthy", mood: "happy", bias: "under", names: "de", language: "de" },
  { key: "nordlys", name: "Nordlys Shipping", domain: "nordlysshipping.no", segment: "enterprise", region: "EMEA", tier: "key", annualValue: 230_000, stage: "renewing", owner: "hannah", pattern: "steady", mood: "happy", bias: "under", names: "nordic" },
  { key: "iberia", name: "Iberia Movilidad", domain: "iberiamovilidad.es", segment: "mid_market", region: "EMEA", tier: "core", annualValue: 72_000, stage: "adopting", owner: "hannah", pattern: "steady", mood: "mixed", bias: "close", names: "es", language: "es" },
  { key: "falkenberg", name: "Falkenberg Maschinenbau", domain: "falkenberg-maschinenbau.de", segment: "mid_market", region: "EMEA", tier: "key", annualValue: 150_000, stage: "renewing", owner: "hannah", pattern: "healthy", mood: "happy", bias: "under", names: "de", language: "de" },
  { key: "lindqvist", name: "Lindqvist Design", domain: "lindqvistdesign.se", segment: "smb", region: "EMEA", tier: "core", annualValue: 24_000, stage: "onboarding", owner: "hannah", pattern: "steady", mood: null, bias: null, names: "nordic" },
  // Kenji — Asia-Pacific
  { key: "sakura", name: "Sakura Precision Components", domain: "sakura-precision.co.jp", segment: "enterprise", region: "APAC", tier: "key", annualValue: 290_000, stage: "expanding", owner: "kenji", pattern: "healthy", mood: "happy", bias: "close", names: "ja" },
  { key: "meridian", name: "Meridian Mining", domain: "meridianmining.com.au", segment: "enterprise", region: "APAC", tier: "strategic", annualValue: 610_000, stage: "renewing", owner: "kenji", pattern: "shallow", mood: "unhappy", bias: "over", names: "en" },
  { key: "tanjong", name: "Tanjong Ports Holdings", domain: "tanjongports.com.sg", segment: "mid_market", region: "APAC", tier: "key", annualValue: 135_000, stage: "adopting", owner: "kenji", pattern: "steady", mood: "mixed", bias: null, names: "sea" },
  { key: "koru", name: "Koru Digital", domain: "korudigital.co.nz", segment: "smb", region: "APAC", tier: "core", annualValue: 26_000, stage: "at_risk", owner: "kenji", pattern: "silent", mood: null, bias: null, names: "en" },
  { key: "lotus", name: "Lotus Hospitality Group", domain: "lotushospitality.com", segment: "mid_market", region: "APAC", tier: "core", annualValue: 78_000, stage: "adopting", owner: "kenji", pattern: "overdrawn", mood: "mixed", bias: null, names: "sea" },
  // Olivia — North America and India
  { key: "cobalt", name: "Cobalt Ridge Health", domain: "cobaltridgehealth.com", segment: "enterprise", region: "North America", tier: "strategic", annualValue: 450_000, stage: "expanding", owner: "olivia", pattern: "healthy", mood: "happy", bias: "close", names: "en" },
  { key: "granite", name: "Granite Peak Insurance", domain: "granitepeakins.com", segment: "enterprise", region: "North America", tier: "key", annualValue: 275_000, stage: "renewing", owner: "olivia", pattern: "steady", mood: "mixed", bias: "under", names: "en" },
  { key: "bluewater", name: "Bluewater Foods", domain: "bluewaterfoods.com", segment: "mid_market", region: "North America", tier: "core", annualValue: 84_000, stage: "adopting", owner: "olivia", pattern: "shallow", mood: "mixed", bias: null, names: "en" },
  { key: "clearpath", name: "Clearpath Software", domain: "clearpathsoftware.com", segment: "mid_market", region: "North America", tier: "key", annualValue: 160_000, stage: "expanding", owner: "olivia", pattern: "healthy", mood: "happy", bias: "over", names: "en" },
  { key: "indus", name: "Indus Data Systems", domain: "indusdata.in", segment: "mid_market", region: "APAC", tier: "core", annualValue: 70_000, stage: "adopting", owner: "olivia", pattern: "steady", mood: null, bias: null, names: "in" },
];

/** Maya is on two colleagues' account teams, so "accounts I am on the team of" is not empty. */
const MAYA_MEMBER_OF = ["kestrel", "cobalt"];

// prettier-ignore
const FIRST_NAMES: Record<NamePool, string[]> = {
  en: ["Emily", "Michael", "Sarah", "Jessica", "Robert", "Laura", "Chris", "Megan", "Andrew", "Natalie", "Kevin", "Brian", "Amanda", "Tom", "Karen", "Mark", "Lisa", "Ryan", "Heather", "Eric", "Nicole", "Greg", "Stephanie", "Jason", "Diane", "Marcus", "Tanya", "Victor"],
  uk: ["Oliver", "Charlotte", "Harry", "Amelia", "George", "Sophie", "Jack", "Lucy", "William", "Eleanor", "Henry", "Grace", "Rory", "Imogen", "Callum", "Fiona"],
  es: ["Alejandro", "Lucía", "Carlos", "María José", "Javier", "Valentina", "Diego", "Camila", "Andrés", "Isabel", "Mateo", "Gabriela", "Ricardo", "Paula", "Fernando", "Daniela", "Santiago", "Carmen", "Luis", "Adriana"],
  de: ["Lukas", "Anna", "Felix", "Katharina", "Jonas", "Lena", "Matthias", "Julia", "Stefan", "Sabine", "Tobias", "Miriam", "Florian", "Claudia", "Markus", "Franziska"],
  fr: ["Camille", "Julien", "Élodie", "Nicolas", "Claire", "Antoine", "Manon", "Thomas", "Chloé", "Mathieu", "Aurélie", "Guillaume"],
  nordic: ["Erik", "Ingrid", "Lars", "Sigrid", "Anders", "Maja", "Henrik", "Astrid", "Nils", "Freja", "Magnus", "Elin"],
  ja: ["Hiroshi", "Yuki", "Takeshi", "Aiko", "Satoshi", "Naomi", "Kenta", "Emi", "Daisuke", "Mariko", "Ryo", "Haruka"],
  sea: ["Wei Ling", "Jun Hao", "Siti", "Farid", "Mei Chen", "Rajesh", "Nurul", "Kai Xiang", "Aisyah", "Hui Min", "Arif", "Li Ting"],
  in: ["Arjun", "Ananya", "Rohan", "Kavya", "Vikram", "Meera", "Aditya", "Sneha", "Rahul", "Pooja", "Sanjay", "Divya"],
};

// prettier-ignore
const LAST_NAMES: Record<NamePool, string[]> = {
  en: ["Anderson", "Brooks", "Carter", "Donovan", "Ellis", "Fletcher", "Gallagher", "Hughes", "Iverson", "Jennings", "Keller", "Lawson", "Mitchell", "Nguyen", "Osborne", "Patel", "Quinn", "Reyes", "Sullivan", "Thompson", "Underwood", "Vaughn", "Walsh", "Young", "Zimmerman", "Barrett", "Coleman", "Dawson", "Foster", "Harper"],
  uk: ["Ashworth", "Clarke", "Davies", "Evans", "Fraser", "Graham", "Hargreaves", "Jenkins", "Kirkpatrick", "Lloyd", "Morrison", "Pembroke", "Reid", "Sinclair", "Turner", "Whitaker", "Yates"],
  es: ["García", "Rodríguez", "Martínez", "López", "Hernández", "Gómez", "Díaz", "Torres", "Ramírez", "Vargas", "Castillo", "Morales", "Ortega", "Rojas", "Navarro", "Fuentes", "Herrera", "Medina", "Silva", "Castro"],
  de: ["Müller", "Schneider", "Fischer", "Weber", "Wagner", "Becker", "Hoffmann", "Schäfer", "Koch", "Richter", "Wolf", "Neumann", "Braun", "Krüger", "Hartmann", "Lange"],
  fr: ["Dubois", "Lefèvre", "Laurent", "Girard", "Rousseau", "Fontaine", "Chevalier", "Bonnet", "Lambert", "Mercier", "Faure", "Garnier"],
  nordic: ["Johansen", "Lindberg", "Andersen", "Halvorsen", "Nilsson", "Berg", "Solberg", "Eriksson", "Dahl", "Holm", "Lund", "Strand"],
  ja: ["Tanaka", "Suzuki", "Takahashi", "Ito", "Yamamoto", "Nakamura", "Kobayashi", "Kato", "Yoshida", "Yamada", "Sasaki", "Matsumoto"],
  sea: ["Tan", "Lim", "Ng", "Wong", "Rahman", "Lee", "Goh", "Abdullah", "Chua", "Teo", "Ismail", "Koh"],
  in: ["Sharma", "Iyer", "Reddy", "Mehta", "Nair", "Gupta", "Kapoor", "Rao", "Desai", "Menon", "Joshi", "Bhat"],
};

type BuyingRole = "decision_maker" | "influencer" | "user" | "champion";

// prettier-ignore
const TITLES: Record<BuyingRole, string[]> = {
  decision_maker: ["Chief Operating Officer", "VP Operations", "Chief Financial Officer", "Chief Information Officer", "VP Customer Experience", "Managing Director", "SVP Supply Chain"],
  champion: ["Director of Operations", "Head of Customer Insights", "Director of Business Systems", "Head of Service Delivery", "Senior Manager, Digital Transformation", "Head of Analytics"],
  influencer: ["Enterprise Architect", "Procurement Manager", "Finance Business Partner", "Information Security Lead", "IT Manager", "Head of Legal Operations"],
  user: ["Operations Analyst", "Customer Service Team Lead", "Reporting Specialist", "Project Coordinator", "Business Analyst", "Regional Operations Manager"],
};

const CONTACTS_PER_SEGMENT: Record<Segment, number> = { enterprise: 6, mid_market: 5, smb: 4 };

// ─── What people write ────────────────────────────────────────────────────────

type NoteKind =
  | "career_goal"
  | "how_measured"
  | "keeps_up_at_night"
  | "current_priorities"
  | "interests"
  | "family"
  | "birthday"
  | "how_we_met";

const PROFESSIONAL_KINDS: NoteKind[] = [
  "career_goal",
  "how_measured",
  "keeps_up_at_night",
  "current_priorities",
];
const PERSONAL_KINDS: NoteKind[] = ["interests", "family", "birthday", "how_we_met"];

/** How often a note of each kind is kept private to its author: mostly family matters. */
const PRIVATE_ODDS: Record<NoteKind, number> = {
  career_goal: 0.1,
  how_measured: 0,
  keeps_up_at_night: 0.05,
  current_priorities: 0,
  interests: 0.05,
  family: 0.35,
  birthday: 0,
  how_we_met: 0,
};

const NOTE_TEXT: Record<Exclude<NoteKind, "birthday">, string[]> = {
  career_goal: [
    "Wants to run all of operations within two years; this rollout is the proof point.",
    "Aiming for a CIO seat; building a track record on vendor consolidation.",
    "Would like to move from finance into a general-management role.",
    "Has said openly they would like to lead the regional team next year.",
    "Working toward a board-level role; values time with our executive sponsor.",
    "Finishing an executive MBA by next summer; Thursdays are off limits.",
    "Wants to be known internally as the person who fixed customer reporting.",
  ],
  how_measured: [
    "Measured on on-time delivery (target 97%) and cost per shipment.",
    "Bonus tied to net revenue retention and customer satisfaction scores.",
    "Judged on project delivery against budget; overruns are very visible to the CFO.",
    "Targets: first-contact resolution above 80% and handle time under six minutes.",
    "Evaluated on adoption: 90% of field staff active weekly by year end.",
    "Scorecard is cost savings; needs to show a 12% cut in tooling spend.",
    "Reports monthly on audit findings; zero repeat findings is the bar.",
  ],
  keeps_up_at_night: [
    "A second data incident would cost them the regulator's goodwill.",
    "Board pressure to cut the number of vendors by a third this year.",
    "Lost two senior analysts in one quarter; the team is stretched thin.",
    "Worried the migration slips past the peak-season change freeze.",
    "A new competitor is undercutting them on price in their core market.",
    "The ERP integration breaks after every upgrade on their side.",
    "Their own largest customer is threatening to leave.",
  ],
  current_priorities: [
    "Consolidating three regional tools into one before the fiscal year ends.",
    "Rolling out self-service reporting to regional managers this quarter.",
    "Preparing for the ISO 27001 recertification audit.",
    "Renegotiating supplier contracts; every renewal is under review.",
    "Opening two new sites and onboarding sixty new staff.",
    "Building the business case for next year's budget cycle.",
    "Automating the month-end close.",
  ],
  interests: [
    "Marathon runner; ran Berlin last autumn and is training for Chicago.",
    "Die-hard football fan; avoid booking calls on match days.",
    "Keen sailor, races most summer weekends.",
    "Collects jazz records; recommended a Blue Note reissue to us.",
    "Serious home cook; loves talking restaurants when travelling.",
    "Plays in a weekend ice-hockey league.",
    "Birdwatcher; brings binoculars on every site visit.",
    "Avid cyclist; did a charity ride across the Alps.",
    "Plays chess online most evenings.",
    "Volunteers as a youth basketball coach.",
  ],
  family: [
    "Daughter just started university, studying engineering.",
    "Two kids under five; prefers calls before 4pm.",
    "Recently became a grandparent and is very proud of it.",
    "Partner is a surgeon, so holidays are planned a year ahead.",
    "Son plays competitive tennis; away at tournaments most weekends.",
    "Caring for an elderly parent; sometimes has to move meetings at short notice.",
    "Twins just started secondary school.",
  ],
  how_we_met: [
    "Met at the customer advisory board dinner; sat together and talked supply chains all evening.",
    "Came over from a previous customer when they changed jobs, and brought us in.",
    "Met on the pilot kickoff call; asked the sharpest questions in the room.",
    "First met at our user conference; stayed for the whole roadmap session.",
    "Inherited from the previous account manager; first proper meeting was over lunch.",
    "Reached out after our webinar on reporting automation.",
  ],
};

const TOPICS = [
  "the reporting rollout",
  "SSO and user provisioning",
  "the data migration",
  "API rate limits",
  "the renewal timeline",
  "dashboard adoption",
  "the product roadmap",
  "the invoicing and PO process",
  "training for new hires",
  "the ERP integration",
  "uptime during peak season",
  "the expansion to a new region",
  "their security questionnaire",
  "usage analytics",
];

type Kind = InteractionKind;

// the seeded cases write their customer_alert entries' summaries themselves
const SUMMARIES: Record<Exclude<Kind, "customer_alert">, string[]> = {
  meeting: [
    "Working session with {c} on {topic}",
    "On-site visit: walked the floor with {c} and talked through {topic}",
    "Roadmap review with {c}",
    "Steering meeting with {c} on {topic}",
  ],
  call: [
    "Check-in call with {c} about {topic}",
    "Quick call: {c} asked about {topic}",
    "Call with {c} to unblock {topic}",
  ],
  email: [
    "Sent {c} the notes and next steps on {topic}",
    "Emailed {c} the monthly usage report",
    "Shared the release notes with {c}",
    "Follow-up email to {c} on {topic}",
    "Sent {c} the agenda for the next session on {topic}",
    "Forwarded {c} the webinar recording on {topic}",
    "Answered {c}'s question about {topic} by email",
    "Sent {c} the case study they asked about",
  ],
  qbr: [
    "Quarterly business review with {c}: adoption, value delivered, goals for next quarter",
    "QBR with {c}: outcomes against the success plan, open risks, renewal outlook",
  ],
  social: [
    "Dinner with {c} after the industry conference",
    "Coffee with {c}, mostly about their new role",
    "Hosted {c} at our customer event",
    "Lunch with {c} near their office",
  ],
  escalation: [
    "{c} escalated slow support responses on {topic}",
    "{c} escalated repeated failures in {topic}",
    "Escalation from {c}: an outage hit their month-end close",
  ],
  favour: [
    "Arranged early beta access for {c}'s team",
    "Introduced {c} to a peer at another customer facing the same problem",
    "Ran a free training session for {c}'s new hires",
    "Got our product lead on a call with {c} to shape {topic}",
    "Waived the overage charges after their seasonal peak",
  ],
  mistake: [
    "Invoice went out with the wrong PO number; {c} had to chase it",
    "Missed the date we gave {c} on {topic}",
    "A release changed a report {c}'s team relies on, without notice",
    "Support ticket from {c} sat unanswered for four days",
    "Sent {c} the wrong contract draft",
  ],
  commitment: [
    "Promised {c} a fix for {topic}",
    "Committed to send {c} a written plan for {topic}",
    "Agreed to set up a call between {c} and our product lead",
    "Promised {c} a revised quote",
    "Committed to deliver training material on {topic} for {c}'s team",
  ],
};

const UNANSWERED_EMAILS = [
  "Followed up with {c} on {topic}; no reply",
  "Sent {c} a check-in; no answer yet",
  "Emailed {c} to book the next review; no response",
];

const WHY_TEXT: Record<string, string[]> = {
  trust_why: [
    "The go-live date moved three times and we heard about it from our own team first.",
    "Promises made in the sales process did not survive implementation.",
    "We were told the reporting fix was done. It was not.",
  ],
  responsiveness_why: [
    "Support tickets sit for days before anyone replies.",
    "We wait a week for answers that should take an hour.",
    "Every request needs two or three chasers.",
  ],
  understanding_why: [
    "Every new person on your side asks us the same discovery questions.",
    "You keep pitching features we told you we do not need.",
    "Nobody has asked what our targets are this year.",
  ],
  value_why: [
    "The price went up 12% and we use fewer features than last year.",
    "We pay for modules our team never adopted.",
    "Hard to show our CFO what we get for the spend.",
  ],
  communication_why: [
    "We found out about the outage from our own customers, not from you.",
    "Changes land in a release without warning.",
    "Bad news comes late and wrapped in jargon.",
  ],
  relationship_why: [
    "Our account manager changed twice this year; nobody knows our history.",
    "I honestly do not know who to call when something breaks.",
    "We only hear from you at renewal time.",
  ],
  advocacy_why: [
    "Fix the support response times and I would.",
    "Right now I could not vouch for the implementation experience.",
    "Too many surprises this year.",
    "When the reporting finally works, ask me again.",
  ],
  // a passive (5–6) rather than a detractor
  advocacy_why_passive: [
    "It is fine, but nothing I would go out of my way to mention.",
    "Good product; the service around it is average.",
    "Ask me again after the next renewal.",
  ],
  renewal_why: [
    "We are evaluating alternatives ahead of the renewal.",
    "The business case does not hold at the new price.",
    "Leadership wants fewer vendors, and we are on the list.",
  ],
};

const ONE_CHANGE: Record<Exclude<Mood, null>, string[]> = {
  happy: [
    "Keep the same people on our account; continuity is why this works.",
    "Invite us into roadmap discussions earlier.",
    "A bit more proactive advice on what peers are doing would be great.",
    "Faster turnaround on custom report requests.",
  ],
  mixed: [
    "Tell us about changes before they ship, not after.",
    "Give us one named contact for support escalations.",
    "Spend more time learning how our regions differ.",
    "Make the invoices match our PO process.",
  ],
  unhappy: [
    "Answer support tickets within a day.",
    "Stop overpromising in sales calls.",
    "Have someone senior own our account and call us back.",
    "Be honest when something is late.",
  ],
};

const PREDICTION_NOTES: Record<Exclude<Bias, null>, string[]> = {
  over: [
    "Solid relationship; they renewed early last time.",
    "No complaints on the last few calls. Feels strong.",
    "Our champion is very positive about us.",
  ],
  under: [
    "Hard to read; they rarely give feedback.",
    "Expect some frustration about the price increase.",
    "Quiet lately, not sure where we stand.",
  ],
  close: [
    "Mostly good; the support backlog in spring hurt us.",
    "Strong with the champion, weaker with finance.",
    "Steady. Value story needs work before renewal.",
  ],
};

// ─── Building it ──────────────────────────────────────────────────────────────

type Tx = DatabaseOrTransaction;

interface SeededAccount {
  spec: AccountSpec;
  id: string;
  ownerId: string;
  memberIds: string[];
  contacts: SeededContact[];
}

interface SeededContact {
  id: string;
  accountId: string;
  name: string;
  firstName: string;
  email: string;
  buyingRole: BuyingRole;
  optedOut: boolean;
}

interface ScoredQuestion {
  name: string;
  dimension: HealthDimension;
  rateMin: number;
  rateMax: number;
}

interface FollowUp {
  name: string;
  /** Shown when `question` ≤ `atMost` (the survey's visibleIf). */
  question: string;
  atMost: number;
}

interface SeededResponse {
  id: string;
  account: SeededAccount;
  contact: SeededContact;
  sentAt: Date;
  completedAt: Date;
  /** 0–100 per dimension, as stored in `answers`. */
  scores: Map<HealthDimension, number>;
}

/** Rating answer → 0–100: 1–5 gives 0/25/50/75/100, 0–10 gives 0/10/…/100. */
function scoreRating(value: number, question: ScoredQuestion): number {
  return Math.round(((value - question.rateMin) / (question.rateMax - question.rateMin)) * 100);
}

function uuidFrom(random: Random): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random.next() * 16).toString(16));
  hex[12] = "4";
  hex[16] = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  const s = hex.join("");
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

/** Lowercase ASCII for an email local part: "María José" → "mariajose". */
function emailPart(text: string): string {
  return text
    .toLowerCase()
    .replace(/ß/g, "ss")
    .replace(/ø/g, "o")
    .replace(/æ/g, "ae")
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z]/g, "");
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (match, key: string) => values[key] ?? match);
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

async function inChunks<T>(rows: T[], size: number, insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

// prettier-ignore
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/** What every stage of the seed shares: the transaction, the clock, the dice. */
interface SeedContext {
  db: Tx;
  now: Date;
  root: Random;
  /** The next deterministic uuid. */
  newId(): string;
  /** A moment `daysAgo` days before today (UTC), at `hour`:`minute`; never after `now` when daysAgo ≥ 1. */
  at(daysAgo: number, hour: number, minute?: number): Date;
  /** `date`, or just before `now` when `date` lies in the future. */
  notAfterNow(date: Date): Date;
}

interface Staff {
  userIds: Map<string, string>;
  managerId(manager: Manager): string;
  leaderId: string;
}

async function buildWorkspace(db: Tx, now: Date): Promise<DemoSummary> {
  const root = createRandom(SEED);
  const ids = root.fork("ids");
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const ctx: SeedContext = {
    db,
    now,
    root,
    newId: () => uuidFrom(ids),
    at: (daysAgo, hour, minute = 0) =>
      new Date(today - daysAgo * DAY_MS + hour * 3_600_000 + minute * 60_000),
    notAfterNow: (date) => (date.getTime() > now.getTime() ? new Date(now.getTime() - 60_000) : date),
  };

  const staff = await seedStaff(ctx);
  const { accounts, memberCount } = await seedAccounts(ctx, staff);
  const contactCount = await seedContacts(ctx, accounts);
  const noteCount = await seedContactNotes(ctx, accounts);

  const ledger = createLedger(ctx, staff.leaderId);
  writeLedgerHistory(ctx, ledger, accounts);

  const version = await insertSurveyVersionFromFile(db, "relationship-health", {
    createdById: staff.userIds.get("admin@demo.test"),
  });
  const fieldwork = createFieldwork(ctx, version);
  runPulses(fieldwork, accounts);
  const triggers = recordCaseTriggers(ctx, fieldwork, accounts);
  await fieldwork.flush();

  const predictions = await seedPredictions(ctx, staff, accounts, fieldwork, Object.values(triggers));
  await seedDeals(ctx, accounts);
  await seedCases(ctx, ledger, fieldwork.random, triggers);
  const ledgerCounts = await ledger.flush();
  await seedWinlossRules(ctx);

  return {
    users: DEMO_USERS.length,
    accounts: accounts.length,
    accountMembers: memberCount,
    contacts: contactCount,
    contactNotes: noteCount,
    ...ledgerCounts,
    surveyVersions: 1,
    ...fieldwork.counts(),
    ...predictions,
    opportunities: DEALS.length,
    cases: 3,
  };
}

function byKey(accounts: SeededAccount[], key: string): SeededAccount {
  const account = accounts.find((a) => a.spec.key === key);
  if (!account) throw new Error(`seed: no account with key ${key}`);
  return account;
}

// ─── People, accounts, contacts, notes ────────────────────────────────────────

async function seedStaff({ db, newId, at }: SeedContext): Promise<Staff> {
  // one hash for everyone: argon2 is slow on purpose, and the password is the same
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const userIds = new Map<string, string>();
  for (const user of DEMO_USERS) {
    const row = await insertUser(db, {
      id: newId(),
      ...user,
      passwordHash,
      createdAt: at(760, 9),
      updatedAt: at(760, 9),
    });
    userIds.set(user.email, row.id);
  }
  return {
    userIds,
    managerId: (manager) => userIds.get(MANAGER_EMAIL[manager])!,
    leaderId: userIds.get("leader@demo.test")!,
  };
}

async function seedAccounts(
  { db, root, newId, at }: SeedContext,
  staff: Staff,
): Promise<{ accounts: SeededAccount[]; memberCount: number }> {
  const random = root.fork("teams");
  const accounts: SeededAccount[] = [];
  const memberRows: (typeof accountMembers.$inferInsert)[] = [];
  for (const spec of ACCOUNTS) {
    const ageDays = 560 + random.int(0, 700);
    const account = await insertAccount(db, {
      id: newId(),
      name: spec.name,
      segment: spec.segment,
      region: spec.region,
      tier: spec.tier,
      annualValueCents: spec.annualValue * 100,
      ownerId: staff.managerId(spec.owner),
      lifecycleStage: spec.stage,
      targetCadenceDays: spec.tier === "strategic" ? 14 : spec.tier === "key" ? 30 : 45,
      createdAt: at(ageDays, 10),
      updatedAt: at(random.int(1, 60), 15),
    });
    const colleagues = MANAGERS.filter((m) => m !== spec.owner && m !== "maya");
    const members: Manager[] = MAYA_MEMBER_OF.includes(spec.key) ? ["maya"] : [];
    const extra = random.weighted<number>([
      [0, 45],
      [1, 40],
      [2, 15],
    ]);
    members.push(...random.sample(colleagues, extra - (members.length > 0 ? 1 : 0)));
    const memberIds = members.map(staff.managerId);
    for (const userId of memberIds) {
      memberRows.push({ accountId: account.id, userId, createdAt: at(ageDays - 30, 11) });
    }
    accounts.push({ spec, id: account.id, ownerId: account.ownerId, memberIds, contacts: [] });
  }
  if (memberRows.length > 0) await db.insert(accountMembers).values(memberRows);
  return { accounts, memberCount: memberRows.length };
}

/** A couple of contacts asked never to be surveyed again (account key : position). */
const OPTED_OUT = new Set(["brightwell:4", "bluewater:3"]);

async function seedContacts(
  { db, root, newId, at }: SeedContext,
  accounts: SeededAccount[],
): Promise<number> {
  const random = root.fork("contacts");
  const rows: (typeof contacts.$inferInsert)[] = [];
  for (const account of accounts) {
    const { spec } = account;
    const count =
      CONTACTS_PER_SEGMENT[spec.segment] +
      random.weighted<number>([
        [-1, 15],
        [0, 70],
        [1, 15],
      ]);
    const firsts = random.sample(FIRST_NAMES[spec.names], count);
    const lasts = random.sample(LAST_NAMES[spec.names], count);
    for (let i = 0; i < count; i++) {
      // every buying group has a decision maker and a champion
      const buyingRole: BuyingRole =
        i === 0
          ? "decision_maker"
          : i === 1
            ? "champion"
            : random.weighted<BuyingRole>([
                ["influencer", 40],
                ["user", 45],
                ["decision_maker", spec.segment === "enterprise" ? 15 : 5],
              ]);
      const firstName = firsts[i]!;
      const name = `${firstName} ${lasts[i]!}`;
      const email = `${emailPart(firstName)}.${emailPart(lasts[i]!)}@${spec.domain}`;
      const optedOut = OPTED_OUT.has(`${spec.key}:${i}`);
      const language = spec.language && random.chance(0.35) ? spec.language : "en";
      const createdAt = at(400 + random.int(0, 300), 10);
      const contact: SeededContact = {
        id: newId(),
        accountId: account.id,
        name,
        firstName,
        email,
        buyingRole,
        optedOut,
      };
      account.contacts.push(contact);
      rows.push({
        id: contact.id,
        accountId: account.id,
        name,
        email,
        title: random.pick(TITLES[buyingRole]),
        buyingRole,
        language,
        optedOutAt: optedOut ? at(random.int(60, 220), 14) : null,
        createdAt,
        updatedAt: createdAt,
      });
    }
  }
  await inChunks(rows, 1000, (chunk) => db.insert(contacts).values(chunk));
  return rows.length;
}

async function seedContactNotes(
  { db, root, newId, at }: SeedContext,
  accounts: SeededAccount[],
): Promise<number> {
  const random = root.fork("notes");
  const rows: (typeof contactNotes.$inferInsert)[] = [];
  let birthdaysSoon = 0;
  for (const account of accounts) {
    // Teams that only send email tend to know the hobbies but not the KPIs.
    const knowsProfessionalSide = account.spec.pattern !== "shallow" && account.spec.pattern !== "silent";
    const team = [account.ownerId, ...account.memberIds];
    for (const contact of account.contacts) {
      const key = contact.buyingRole === "decision_maker" || contact.buyingRole === "champion";
      const count = key ? random.int(2, 4) : random.int(1, 2);
      const professional = random.sample(
        PROFESSIONAL_KINDS,
        knowsProfessionalSide ? random.int(1, Math.max(1, count - 1)) : random.int(0, 1),
      );
      const personal = random.sample(PERSONAL_KINDS, Math.max(1, count - professional.length));
      // professional side first, as the contact page asks for it
      for (const kind of [...professional, ...personal]) {
        const authorId =
          team.length > 1 && random.chance(0.25) ? random.pick(team.slice(1)) : account.ownerId;
        const createdAt = at(random.int(5, 520), random.int(8, 17), random.int(0, 59));
        let body: string;
        let remindOn: string | null = null;
        if (kind === "birthday") {
          // the next birthday is what a reminder needs; a few fall in the next fortnight
          const soon = birthdaysSoon < 4 && random.chance(0.3);
          if (soon) birthdaysSoon += 1;
          const next = soon ? at(-random.int(2, 14), 0) : at(-random.int(15, 364), 0);
          remindOn = isoDate(next);
          body = `Birthday: ${next.getUTCDate()} ${MONTHS[next.getUTCMonth()]}.`;
        } else {
          body = random.pick(NOTE_TEXT[kind]);
        }
        rows.push({
          id: newId(),
          contactId: contact.id,
          authorId,
          kind,
          body,
          remindOn,
          isPrivate: random.chance(PRIVATE_ODDS[kind]),
          createdAt,
          updatedAt: createdAt,
        });
      }
    }
  }
  await inChunks(rows, 1000, (chunk) => db.insert(contactNotes).values(chunk));
  return rows.length;
}

// ─── The ledger ───────────────────────────────────────────────────────────────

interface LedgerEntry {
  kind: Kind;
  /** When it happened: an exact moment, or a day (at a random working hour). */
  when: Date | { daysAgo: number };
  summary?: string;
  engagement?: number | null;
  contacts?: SeededContact[];
  equity?: { equityEffect: "deposit" | "neutral" | "withdrawal"; equityWeight: number };
  authorId?: string;
}

interface Ledger {
  add(account: SeededAccount, random: Random, entry: LedgerEntry): void;
  /** Inserts everything added so far, in batches. */
  flush(): Promise<{ interactions: number; interactionContacts: number; interactionUsers: number }>;
}

/** Collects interactions with their participants, to be inserted in a few batched statements. */
function createLedger({ db, now, newId, at, notAfterNow }: SeedContext, leaderId: string): Ledger {
  const interactionRows: (typeof interactions.$inferInsert)[] = [];
  const contactRows: (typeof interactionContacts.$inferInsert)[] = [];
  const userRows: (typeof interactionUsers.$inferInsert)[] = [];

  const add = (account: SeededAccount, random: Random, entry: LedgerEntry) => {
    const { spec } = account;
    const occurredAt =
      entry.when instanceof Date
        ? entry.when
        : at(entry.when.daysAgo, random.int(8, 17), random.pick([0, 15, 30, 45]));
    const team = [account.ownerId, ...account.memberIds];
    const authorId =
      entry.authorId ??
      (team.length > 1 && random.chance(0.2) ? random.pick(team.slice(1)) : account.ownerId);
    const people = entry.contacts ?? pickParticipants(account, random, entry.kind);
    const topic = random.pick(TOPICS);
    if (entry.kind === "customer_alert" && entry.summary === undefined) {
      throw new Error("seed: a customer_alert entry brings its own summary");
    }
    const summary =
      entry.summary ??
      fill(random.pick(SUMMARIES[entry.kind as Exclude<Kind, "customer_alert">]), {
        c: people[0]?.firstName ?? "the team",
        topic,
      });

    let commitment: Pick<
      typeof interactions.$inferInsert,
      "dueOn" | "commitmentStatus" | "commitmentResolvedAt"
    > = {};
    if (entry.kind === "commitment") {
      const dueDays = random.int(7, 30);
      const due = new Date(occurredAt.getTime() + dueDays * DAY_MS);
      let status: "open" | "kept" | "broken";
      let resolvedAt: Date | null = null;
      if (due.getTime() > now.getTime()) {
        status = "open";
      } else {
        const odds = COMMITMENT_ODDS[spec.pattern];
        const overdueWindow = now.getTime() - due.getTime() < 30 * DAY_MS;
        status =
          overdueWindow && random.chance(odds.overdue)
            ? "open"
            : random.weighted<"kept" | "broken">([
                ["kept", odds.kept],
                ["broken", 1 - odds.kept],
              ]);
        if (status === "kept") resolvedAt = new Date(due.getTime() - random.int(0, dueDays - 1) * DAY_MS);
        if (status === "broken")
          resolvedAt = notAfterNow(new Date(due.getTime() + random.int(1, 10) * DAY_MS));
      }
      commitment = { dueOn: isoDate(due), commitmentStatus: status, commitmentResolvedAt: resolvedAt };
    }

    const equity =
      entry.equity ?? varyWeight(defaultEquity(entry.kind, commitment.commitmentStatus), entry.kind, random);
    const engagement =
      entry.engagement !== undefined
        ? entry.engagement
        : isTwoWay(entry.kind)
          ? engagementFor(spec.pattern, entry.kind, random)
          : null;
    const id = newId();
    const createdAt = notAfterNow(new Date(occurredAt.getTime() + random.int(5, 240) * 60_000));
    interactionRows.push({
      id,
      accountId: account.id,
      authorId,
      kind: entry.kind,
      occurredAt,
      summary,
      engagementQuality: engagement,
      ...equity,
      ...commitment,
      createdAt,
      updatedAt: commitment.commitmentResolvedAt ?? createdAt,
    });
    for (const contact of people) contactRows.push({ interactionId: id, contactId: contact.id });
    const ourSide = new Set([authorId]);
    if ((entry.kind === "meeting" || entry.kind === "qbr") && team.length > 1 && random.chance(0.4)) {
      ourSide.add(random.pick(team));
    }
    // the executive sponsor joins strategic business reviews
    if (entry.kind === "qbr" && spec.tier === "strategic" && random.chance(0.5)) ourSide.add(leaderId);
    for (const userId of ourSide) userRows.push({ interactionId: id, userId });
  };

  return {
    add,
    async flush() {
      await inChunks(interactionRows, 1000, (chunk) => db.insert(interactions).values(chunk));
      await inChunks(contactRows, 5000, (chunk) => db.insert(interactionContacts).values(chunk));
      await inChunks(userRows, 5000, (chunk) => db.insert(interactionUsers).values(chunk));
      return {
        interactions: interactionRows.length,
        interactionContacts: contactRows.length,
        interactionUsers: userRows.length,
      };
    },
  };
}

/** 18 months of interactions per account, shaped by the account's pattern. */
function writeLedgerHistory({ root }: SeedContext, ledger: Ledger, accounts: SeededAccount[]): void {
  for (const account of accounts) {
    const random = root.fork(`ledger:${account.spec.key}`);
    const size =
      account.spec.segment === "enterprise" ? 1.2 : account.spec.segment === "mid_market" ? 1 : 0.6;
    for (let month = 17; month >= 0; month--) {
      const rates = ledgerRates(account.spec, month);
      for (const kind of Object.keys(rates) as Kind[]) {
        const expected = rates[kind]! * (kind === "qbr" ? 1 : size);
        const n = Math.floor(expected) + (random.chance(expected - Math.floor(expected)) ? 1 : 0);
        for (let i = 0; i < n; i++) {
          const unanswered = account.spec.pattern === "silent" && month <= 5 && kind === "email";
          ledger.add(account, random, {
            kind,
            when: { daysAgo: month * 30 + random.int(1, 30) },
            summary: unanswered
              ? fill(random.pick(UNANSWERED_EMAILS), {
                  c: account.contacts[1]?.firstName ?? "them",
                  topic: random.pick(TOPICS),
                })
              : undefined,
            contacts: unanswered && account.contacts[1] ? [account.contacts[1]] : undefined,
          });
        }
      }
    }
  }
}

// ─── Surveys ──────────────────────────────────────────────────────────────────

/** Days ago each relationship-health pulse went out. */
const WAVES = [320, 230, 140, 50] as const;

interface Fieldwork {
  random: Random;
  scored: ScoredQuestion[];
  responses: SeededResponse[];
  /** An invitation that was completed or that expired unanswered. */
  invite(
    account: SeededAccount,
    contact: SeededContact,
    sentAt: Date,
    outcome: { completedAt: Date } | { expired: true },
  ): { id: string; startedAt: Date | null };
  /** A completed invitation and its response, answered in the given mood. */
  respond(
    account: SeededAccount,
    contact: SeededContact,
    sentAt: Date,
    completedAt: Date,
    mood: Exclude<Mood, null>,
    options?: { helpRequested?: boolean; force?: Partial<Record<string, number>> },
  ): SeededResponse;
  sentOn(wave: number): Date;
  completedAfter(wave: number): Date;
  flush(): Promise<void>;
  counts(): { invitations: number; responses: number; answers: number };
}

/**
 * Puts each seeded invitation in the campaign of its wave (the one launched nearest to when it
 * was sent), once per contact and campaign, and returns the campaigns' recipient rows.
 */
function assignToWaveCampaigns(
  rows: (typeof invitations.$inferInsert)[],
  waves: { id: string; launchedAt: Date }[],
): (typeof campaignRecipients.$inferInsert)[] {
  const recipients: (typeof campaignRecipients.$inferInsert)[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    const sentAt = row.sentAt!.getTime();
    const wave = waves.reduce((best, w) =>
      Math.abs(w.launchedAt.getTime() - sentAt) < Math.abs(best.launchedAt.getTime() - sentAt) ? w : best,
    );
    const key = `${wave.id} ${row.contactId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    row.campaignId = wave.id;
    recipients.push({ campaignId: wave.id, contactId: row.contactId, invitationId: row.id });
  }
  return recipients;
}

function createFieldwork(
  { db, root, newId, at, notAfterNow }: SeedContext,
  version: SurveyVersion,
): Fieldwork {
  const { scored, followUps } = readSurveyModel(version.model);
  const random = root.fork("surveys");
  const invitationRows: (typeof invitations.$inferInsert)[] = [];
  const responseRows: (typeof responses.$inferInsert)[] = [];
  const answerRows: (typeof answers.$inferInsert)[] = [];
  const seededResponses: SeededResponse[] = [];
  // Each wave of pulses went out as one campaign, so the Campaigns page has history from the start.
  const waveCampaigns = WAVES.map((wave) => {
    const launchedAt = at(wave, 14);
    return {
      id: newId(),
      name: `Relationship pulse, ${MONTHS[launchedAt.getUTCMonth()]} ${launchedAt.getUTCFullYear()}`,
      surveyVersionId: version.id,
      status: "completed" as const,
      audience: { segments: ["enterprise", "mid_market", "smb"] },
      createdById: version.createdById,
      launchedAt,
      completedAt: new Date(launchedAt.getTime() + 21 * DAY_MS),
      createdAt: new Date(launchedAt.getTime() - DAY_MS),
      updatedAt: new Date(launchedAt.getTime() + 21 * DAY_MS),
    };
  });

  const invite: Fieldwork["invite"] = (account, contact, sentAt, outcome) => {
    const id = newId();
    const deliveredAt = new Date(sentAt.getTime() + random.int(5, 90) * 1000);
    const completed = "completedAt" in outcome;
    const startedAt = completed ? new Date(outcome.completedAt.getTime() - random.int(90, 420) * 1000) : null;
    const openedAt = completed
      ? new Date(Math.max(deliveredAt.getTime() + 60_000, startedAt!.getTime() - random.int(0, 600) * 1000))
      : random.chance(0.4)
        ? new Date(deliveredAt.getTime() + random.int(1, 72) * 3_600_000)
        : null;
    invitationRows.push({
      id,
      contactId: contact.id,
      surveyVersionId: version.id,
      status: completed ? "completed" : "expired",
      createdById: account.ownerId,
      sentAt,
      deliveredAt,
      openedAt,
      startedAt,
      completedAt: completed ? outcome.completedAt : null,
      expiresAt: new Date(sentAt.getTime() + 21 * DAY_MS),
      createdAt: new Date(sentAt.getTime() - 5 * 60_000),
    });
    return { id, startedAt };
  };

  const respond: Fieldwork["respond"] = (account, contact, sentAt, completedAt, mood, options = {}) => {
    const invitation = invite(account, contact, sentAt, { completedAt });
    const data: Record<string, unknown> = {};
    const scores = new Map<HealthDimension, number>();
    const responseId = newId();
    for (const question of scored) {
      const raw = options.force?.[question.name] ?? rawAnswer(mood, question, random);
      data[question.name] = raw;
      const value = scoreRating(raw, question);
      scores.set(question.dimension, value);
      answerRows.push({ responseId, question: question.name, dimension: question.dimension, value });
    }
    // a "why?" is only there when the survey showed it (hidden answers are cleared on complete)
    for (const followUp of followUps) {
      const answer = data[followUp.question];
      const shown = typeof answer === "number" && answer <= followUp.atMost;
      if (shown && random.chance(0.85)) {
        const pool = followUp.name === "advocacy_why" && answer >= 5 ? "advocacy_why_passive" : followUp.name;
        data[followUp.name] = random.pick(WHY_TEXT[pool] ?? WHY_TEXT.advocacy_why!);
      }
    }
    if (random.chance(mood === "happy" ? 0.5 : 0.75)) data.one_change = random.pick(ONE_CHANGE[mood]);
    responseRows.push({
      id: responseId,
      invitationId: invitation.id,
      surveyVersionId: version.id,
      contactId: contact.id,
      accountId: account.id,
      source: "email",
      data,
      isComplete: true,
      currentPage: 1,
      startedAt: invitation.startedAt!,
      updatedAt: completedAt,
      completedAt,
      helpRequestedAt: options.helpRequested ? new Date(completedAt.getTime() + 40_000) : null,
    });
    const seededResponse: SeededResponse = { id: responseId, account, contact, sentAt, completedAt, scores };
    seededResponses.push(seededResponse);
    return seededResponse;
  };

  return {
    random,
    scored,
    responses: seededResponses,
    invite,
    respond,
    sentOn: (wave) => at(wave, 14, random.int(0, 20)),
    completedAfter: (wave) => notAfterNow(at(wave - random.int(0, 12), random.int(8, 19), random.int(0, 59))),
    async flush() {
      const recipients = assignToWaveCampaigns(invitationRows, waveCampaigns);
      await db.insert(campaigns).values(waveCampaigns);
      await inChunks(invitationRows, 1000, (chunk) => db.insert(invitations).values(chunk));
      await inChunks(recipients, 2000, (chunk) => db.insert(campaignRecipients).values(chunk));
      await inChunks(responseRows, 500, (chunk) => db.insert(responses).values(chunk));
      await inChunks(answerRows, 2000, (chunk) => db.insert(answers).values(chunk));
    },
    counts: () => ({
      invitations: invitationRows.length,
      responses: responseRows.length,
      answers: answerRows.length,
    }),
  };
}

/** The relationship-health pulses of the last year, answered according to each account's mood. */
function runPulses(fieldwork: Fieldwork, accounts: SeededAccount[]): void {
  const { random, respond, invite, sentOn, completedAfter } = fieldwork;
  for (const account of accounts) {
    const { spec } = account;
    const reachable = account.contacts.filter((c) => !c.optedOut);
    if (spec.pattern === "silent") {
      // they used to answer; the last two pulses went unanswered — the customer who vanishes
      const [former, ...others] = random.shuffle(reachable);
      if (former) respond(account, former, sentOn(WAVES[0]), completedAfter(WAVES[0]), "mixed");
      for (const wave of WAVES.slice(2)) {
        const target = random.pick(others.length > 0 ? others : reachable);
        invite(account, target, sentOn(wave), { expired: true });
      }
      continue;
    }
    if (!spec.mood) continue;
    const respondents =
      spec.segment === "enterprise" ? random.int(2, 3) : spec.segment === "mid_market" ? 2 : 1;
    // the decision maker and the champion are asked first
    const ordered = [...reachable.slice(0, 2), ...random.shuffle(reachable.slice(2))];
    for (const contact of ordered.slice(0, respondents)) {
      const latestWave = random.chance(0.75) ? WAVES[3] : WAVES[2];
      // some answered an earlier pulse too; unhappy accounts were happier then
      if (random.chance(0.3)) {
        const earlier = random.pick(WAVES.filter((w) => w > latestWave));
        respond(
          account,
          contact,
          sentOn(earlier),
          completedAfter(earlier),
          spec.mood === "unhappy" ? "mixed" : spec.mood,
        );
      }
      respond(account, contact, sentOn(latestWave), completedAfter(latestWave), spec.mood);
    }
    // one contact in most accounts did not answer the last pulse
    const nonResponder = ordered[respondents];
    if (nonResponder && random.chance(0.6))
      invite(account, nonResponder, sentOn(WAVES[3]), { expired: true });
  }
}

interface CaseTriggers {
  /** Came in yesterday: advocacy 3/10. */
  lowAdvocacy: SeededResponse;
  /** Came in a few hours ago, with "I need help now" pressed. */
  helpRequested: SeededResponse;
  /** A few months ago; its case has been worked and resolved. */
  resolved: SeededResponse;
}

/** The answers that opened Customer 9-1-1 cases. */
function recordCaseTriggers(
  { now, at }: SeedContext,
  fieldwork: Fieldwork,
  accounts: SeededAccount[],
): CaseTriggers {
  const pinecrest = byKey(accounts, "pinecrest");
  const lowAdvocacy = fieldwork.respond(
    pinecrest,
    pinecrest.contacts[0]!,
    at(4, 14),
    at(1, 9, 42),
    "unhappy",
    {
      force: { trust: 1, advocacy: 3, renewal: 2 },
    },
  );
  const cerroVerde = byKey(accounts, "cerroverde");
  const helpRequested = fieldwork.respond(
    cerroVerde,
    cerroVerde.contacts[1]!,
    at(3, 14),
    new Date(now.getTime() - 3 * 3_600_000),
    "unhappy",
    { helpRequested: true, force: { responsiveness: 1, advocacy: 5 } },
  );
  // on a contact who had not answered otherwise
  const castellan = byKey(accounts, "castellan");
  const voice =
    castellan.contacts.find((c) => !c.optedOut && !fieldwork.responses.some((r) => r.contact === c)) ??
    castellan.contacts[0]!;
  const resolved = fieldwork.respond(
    castellan,
    voice,
    fieldwork.sentOn(WAVES[2]),
    at(WAVES[2] - 11, 9, 5),
    "unhappy",
    { force: { advocacy: 4 } },
  );
  return { lowAdvocacy, helpRequested, resolved };
}

// ─── The mirror ───────────────────────────────────────────────────────────────

/** Sealed predictions, made shortly before the customer's answers came in. */
async function seedPredictions(
  { db, root, newId, at }: SeedContext,
  staff: Staff,
  accounts: SeededAccount[],
  fieldwork: Fieldwork,
  triggers: SeededResponse[],
): Promise<{ predictions: number; predictionValues: number }> {
  const random = root.fork("predictions");
  const dimensions = fieldwork.scored.map((q) => q.dimension);
  let predictionCount = 0;
  let valueCount = 0;
  for (const account of accounts) {
    const { spec } = account;
    if (!spec.bias) continue;
    // the pulse the prediction will be compared with: the account's latest answers
    const answered = fieldwork.responses.filter((r) => r.account === account && !triggers.includes(r));
    const lastSent = Math.max(...answered.map((r) => r.sentAt.getTime()));
    const compared = answered.filter(
      (r) => r.sentAt.getTime() === lastSent || lastSent - r.sentAt.getTime() < DAY_MS,
    );
    const truth = (dimension: HealthDimension) => {
      const values = compared.map((r) => r.scores.get(dimension)).filter((v): v is number => v !== undefined);
      return values.length > 0 ? values.reduce((a, b) => a + b, 0) / values.length : 70;
    };
    // sealed shortly before that pulse went out; on a silent account the team still
    // predicts now, from memory of a customer who stopped answering
    const sealedAt =
      spec.pattern === "silent" || answered.length === 0
        ? at(random.int(20, 45), 16)
        : new Date(lastSent - random.int(2, 10) * DAY_MS);
    const authors: { id: string; bias: Exclude<Bias, null> }[] = [{ id: account.ownerId, bias: spec.bias }];
    const teamMember = account.memberIds[0];
    if (teamMember && random.chance(0.4)) {
      const member = MANAGERS.find((m) => staff.managerId(m) === teamMember)!;
      authors.push({ id: teamMember, bias: REP_BIAS[member] ?? "close" });
    }
    for (const [index, author] of authors.entries()) {
      const values: Partial<Record<HealthDimension, number>> = {};
      for (const dimension of dimensions) {
        const actual = truth(dimension);
        // An over-rater believes the account is healthy whatever the customer thinks (the
        // blind spot); an under-rater fears the worst about a customer who is content.
        const predicted =
          author.bias === "over"
            ? Math.max(actual + random.int(15, 30), random.int(65, 85))
            : author.bias === "under"
              ? Math.min(actual - random.int(15, 30), random.int(40, 60))
              : actual + random.int(-8, 8);
        // people predict in round numbers
        values[dimension] = clamp(Math.round(predicted / 5) * 5, 0, 100);
      }
      await insertPrediction(db, {
        id: newId(),
        accountId: account.id,
        authorId: author.id,
        note: random.chance(0.7) ? random.pick(PREDICTION_NOTES[author.bias]) : null,
        createdAt: new Date(sealedAt.getTime() + index * 3 * 3_600_000),
        values,
      });
      predictionCount += 1;
      valueCount += Object.keys(values).length;
    }
  }
  return { predictions: predictionCount, predictionValues: valueCount };
}

// ─── Win/loss and Customer 9-1-1 ──────────────────────────────────────────────

/** Opportunities, with the sellers' reasons sealed within a day or two of each close. */
async function seedDeals({ db, root, newId, at, notAfterNow }: SeedContext, accounts: SeededAccount[]) {
  const random = root.fork("deals");
  for (const deal of DEALS) {
    const account = byKey(accounts, deal.account);
    const closedAt = deal.closedDaysAgo === null ? null : at(deal.closedDaysAgo, 16);
    const closeDate = closedAt ?? at(-(deal.closeInDays ?? 30), 12);
    const sellerReasonsAt = closedAt
      ? notAfterNow(new Date(closedAt.getTime() + random.int(1, 2) * DAY_MS))
      : null;
    await insertOpportunity(db, {
      id: newId(),
      accountId: account.id,
      name: deal.name,
      amountCents: deal.amount * 100,
      closeDate: isoDate(closeDate),
      outcome: deal.outcome,
      competitor: deal.competitor ?? null,
      sellerId: account.ownerId,
      sellerPrimaryReason: deal.primary ?? null,
      sellerSecondaryReasons: deal.secondary ?? null,
      sellerReasonNote: deal.note ?? null,
      sellerReasonsAt,
      closedAt,
      createdAt: at((deal.closedDaysAgo ?? 0) + random.int(60, 140), 11),
      updatedAt: sellerReasonsAt ?? at(random.int(1, 10), 15),
    });
  }
}

/**
 * The win/loss program's rules (docs/winloss-program.md): a big loss is worth a conversation,
 * every other closed deal gets the survey. The demo's deals closed before the rules existed,
 * so they have no follow-ups; the next deal closed in the demo gets one.
 */
async function seedWinlossRules({ db, newId, at }: SeedContext) {
  await db.insert(winlossRules).values([
    {
      id: newId(),
      position: 1,
      outcomes: ["lost"],
      minAmountCents: 50_000_00,
      action: "interview",
      delayDays: 2,
      createdAt: at(30, 10),
      updatedAt: at(30, 10),
    },
    {
      id: newId(),
      position: 2,
      action: "survey",
      delayDays: 3,
      createdAt: at(30, 10),
      updatedAt: at(30, 10),
    },
  ]);
}

/**
 * Two open cases (yesterday's low score, today's call for help) and one resolved a few
 * months ago. Each case logged a withdrawal on the ledger when it opened.
 */
async function seedCases(ctx: SeedContext, ledger: Ledger, random: Random, triggers: CaseTriggers) {
  const { db, newId } = ctx;

  const specs = [
    {
      trigger: triggers.lowAdvocacy,
      kind: "low_advocacy" as const,
      summary: (name: string) =>
        `${name} would not recommend us (3/10) and rated trust 1/5 after the second missed delivery date on the plant rollout.`,
      ledgerSummary: (name: string) => `Customer 9-1-1 opened: ${name} rated advocacy 3/10 and trust 1/5`,
    },
    {
      trigger: triggers.helpRequested,
      kind: "help_requested" as const,
      summary: (name: string) =>
        `${name} pressed "I need help now": lab results have been syncing late for a week and support has not called back.`,
      ledgerSummary: (name: string) => `Customer 9-1-1 opened: ${name} asked for help from the survey`,
    },
  ];
  for (const spec of specs) {
    const { account, contact } = spec.trigger;
    const openedAt = new Date(spec.trigger.completedAt.getTime() + 60_000);
    await insertCase(db, {
      id: newId(),
      accountId: account.id,
      contactId: contact.id,
      responseId: spec.trigger.id,
      trigger: spec.kind,
      severity: "high",
      ownerId: account.ownerId,
      summary: spec.summary(contact.name),
      status: "open",
      openedAt,
      slaDueAt: addBusinessDays(openedAt, 2),
    });
    ledger.add(account, random, {
      kind: "customer_alert",
      when: openedAt,
      summary: spec.ledgerSummary(contact.name),
      contacts: [contact],
      engagement: null,
      equity: { equityEffect: "withdrawal", equityWeight: 2 },
      authorId: account.ownerId,
    });
  }

  const { account, contact } = triggers.resolved;
  const openedAt = new Date(triggers.resolved.completedAt.getTime() + 60_000);
  await insertCase(db, {
    id: newId(),
    accountId: account.id,
    contactId: contact.id,
    responseId: triggers.resolved.id,
    trigger: "low_advocacy",
    severity: "high",
    ownerId: account.ownerId,
    summary: `${contact.name} rated advocacy 4/10: validation batches failed twice in a month with no warning from us.`,
    status: "resolved",
    openedAt,
    slaDueAt: addBusinessDays(openedAt, 2),
    acknowledgedAt: new Date(openedAt.getTime() + 2 * 3_600_000),
    resolvedAt: new Date(openedAt.getTime() + 36 * 3_600_000),
    resolutionNote:
      "Called the same afternoon. The failures came from a configuration change on our side; fixed and re-ran both batches, credited one month, and set up a weekly check-in until the next release.",
  });
  ledger.add(account, random, {
    kind: "customer_alert",
    when: openedAt,
    summary: `Customer 9-1-1 opened: ${contact.name} rated advocacy 4/10`,
    contacts: [contact],
    engagement: null,
    equity: { equityEffect: "withdrawal", equityWeight: 2 },
    authorId: account.ownerId,
  });
  ledger.add(account, random, {
    kind: "favour",
    when: new Date(openedAt.getTime() + 36 * 3_600_000),
    summary: `Re-ran the failed validation batches and credited one month for ${contact.firstName}'s team`,
    contacts: [contact],
    equity: { equityEffect: "deposit", equityWeight: 2 },
    authorId: account.ownerId,
  });
}

// ─── Ledger shapes ────────────────────────────────────────────────────────────

/** Expected entries of each kind in the month `month` months ago (before the segment multiplier). */
function ledgerRates(spec: AccountSpec, month: number): Partial<Record<Kind, number>> {
  const quarterly = month % 3 === 1 ? 1 : 0;
  const halfYearly = month % 6 === 1 ? 1 : 0;
  const qbr = spec.segment === "smb" ? halfYearly : quarterly;
  switch (spec.pattern) {
    case "healthy":
      return {
        meeting: 1.5,
        call: 2,
        email: 3,
        qbr,
        social: 0.35,
        favour: 0.35,
        mistake: 0.06,
        escalation: 0.03,
        commitment: 1,
      };
    case "steady":
      return {
        meeting: 0.7,
        call: 1.2,
        email: 3,
        qbr: spec.segment === "enterprise" ? quarterly : halfYearly,
        social: 0.15,
        favour: 0.2,
        mistake: 0.1,
        escalation: 0.05,
        commitment: 0.6,
      };
    case "shallow":
      // lots of activity, little of it two-way
      return {
        meeting: 0.25,
        call: 0.5,
        email: 11,
        qbr: halfYearly,
        favour: 0.1,
        mistake: 0.15,
        escalation: 0.08,
        commitment: 0.8,
      };
    case "silent":
      // engaged once; no two-way contact in the last six months, only unanswered email
      if (month >= 7)
        return {
          meeting: 0.6,
          call: 1,
          email: 2.5,
          qbr: halfYearly,
          favour: 0.15,
          mistake: 0.08,
          commitment: 0.5,
        };
      if (month === 6) return { call: 0.5, email: 2 };
      return { email: 1.5 };
    case "overdrawn":
      if (month >= 6)
        return {
          meeting: 0.7,
          call: 1.2,
          email: 3,
          qbr: halfYearly,
          social: 0.1,
          favour: 0.2,
          mistake: 0.15,
          escalation: 0.05,
          commitment: 0.6,
        };
      return {
        meeting: 0.5,
        call: 1,
        email: 4,
        qbr: halfYearly,
        favour: 0.1,
        mistake: 0.9,
        escalation: 0.5,
        commitment: 0.8,
      };
  }
}

/** How promises tend to end on each kind of account; `overdue`: still open past its due date. */
const COMMITMENT_ODDS: Record<Pattern, { kept: number; overdue: number }> = {
  healthy: { kept: 0.92, overdue: 0.1 },
  steady: { kept: 0.8, overdue: 0.15 },
  shallow: { kept: 0.55, overdue: 0.3 },
  silent: { kept: 0.7, overdue: 0.2 },
  overdrawn: { kept: 0.35, overdue: 0.35 },
};

function engagementFor(pattern: Pattern, kind: Kind, random: Random): number {
  // [quality, weight]
  const odds: Record<Pattern, [number, number][]> = {
    healthy: [
      [5, 40],
      [4, 45],
      [3, 15],
    ],
    steady: [
      [4, 40],
      [3, 50],
      [2, 10],
    ],
    shallow: [
      [3, 25],
      [2, 50],
      [1, 25],
    ],
    silent: [
      [4, 10],
      [3, 50],
      [2, 40],
    ],
    overdrawn: [
      [4, 15],
      [3, 40],
      [2, 45],
    ],
  };
  const value = random.weighted(odds[pattern]);
  // a social occasion is rarely a poor conversation; an escalation rarely a great one
  if (kind === "social") return Math.min(5, value + 1);
  if (kind === "escalation") return Math.max(1, value - 1);
  return value;
}

/** Deposits and withdrawals are not all equal: vary the default weight a little. */
function varyWeight(
  equity: ReturnType<typeof defaultEquity>,
  kind: Kind,
  random: Random,
): ReturnType<typeof defaultEquity> {
  if (equity.equityEffect === "neutral") return equity;
  if (kind === "favour" || kind === "mistake")
    return {
      ...equity,
      equityWeight: random.weighted([
        [1, 35],
        [2, 45],
        [3, 20],
      ]),
    };
  if (kind === "commitment" && equity.equityEffect === "withdrawal")
    return {
      ...equity,
      equityWeight: random.weighted([
        [2, 60],
        [3, 40],
      ]),
    };
  return equity;
}

function pickParticipants(account: SeededAccount, random: Random, kind: Kind): SeededContact[] {
  const people = account.contacts;
  const weight = (c: SeededContact) =>
    c.buyingRole === "champion"
      ? 3
      : c.buyingRole === "decision_maker"
        ? 2
        : c.buyingRole === "influencer"
          ? 1.5
          : 1;
  // a busy-but-shallow team keeps talking to the same one person
  if (account.spec.pattern === "shallow" && kind !== "qbr" && random.chance(0.8)) {
    return [people[1] ?? people[0]!];
  }
  const count =
    kind === "qbr"
      ? random.int(2, 4)
      : kind === "meeting"
        ? random.int(1, 3)
        : kind === "email"
          ? random.int(1, 2)
          : 1;
  const chosen = new Set<SeededContact>();
  if (kind === "qbr") chosen.add(people[0]!); // the decision maker is at the business review
  while (chosen.size < Math.min(count, people.length)) {
    chosen.add(random.weighted(people.map((c) => [c, weight(c)] as const)));
  }
  return [...chosen];
}

// ─── Survey answers ───────────────────────────────────────────────────────────

/**
 * The scored questions and the "why?" follow-ups (comments shown when a rating is at most
 * some value) of a SurveyJS model, in page order.
 */
function readSurveyModel(model: unknown): { scored: ScoredQuestion[]; followUps: FollowUp[] } {
  const scored: ScoredQuestion[] = [];
  const followUps: FollowUp[] = [];
  const pages = (model as { pages?: { elements?: Record<string, unknown>[] }[] }).pages ?? [];
  for (const element of pages.flatMap((page) => page.elements ?? [])) {
    const name = String(element.name);
    if (element.type === "rating" && typeof element.dimension === "string") {
      scored.push({
        name,
        dimension: element.dimension as HealthDimension,
        rateMin: Number(element.rateMin ?? 1),
        rateMax: Number(element.rateMax ?? 5),
      });
    } else if (element.type === "comment") {
      const match = /^\{(\w+)\}\s*<=\s*(\d+)$/.exec(String(element.visibleIf ?? "").trim());
      if (match) followUps.push({ name, question: match[1]!, atMost: Number(match[2]) });
    }
  }
  if (scored.length === 0)
    throw new Error("seed: the relationship-health survey has no scored rating questions");
  return { scored, followUps };
}

/** Typical answers on a 1–5 scale per mood; advocacy (0–10) is handled separately. */
const MOOD_LEVEL: Record<Exclude<Mood, null>, Partial<Record<HealthDimension, number>>> = {
  happy: {
    trust: 5,
    responsiveness: 4,
    understanding: 4,
    value: 4,
    communication: 4,
    relationship: 5,
    renewal: 5,
  },
  mixed: {
    trust: 4,
    responsiveness: 3,
    understanding: 3,
    value: 3,
    communication: 3,
    relationship: 4,
    renewal: 4,
  },
  unhappy: {
    trust: 2,
    responsiveness: 2,
    understanding: 3,
    value: 2,
    communication: 2,
    relationship: 3,
    renewal: 2,
  },
};

function rawAnswer(mood: Exclude<Mood, null>, question: ScoredQuestion, random: Random): number {
  if (question.rateMax - question.rateMin > 5) {
    // the 0–10 recommend question
    const base = mood === "happy" ? 9 : mood === "mixed" ? 7 : 4;
    const noise =
      mood === "happy"
        ? random.weighted([
            [-1, 30],
            [0, 40],
            [1, 30],
          ])
        : random.int(-2, 2);
    return clamp(base + noise, question.rateMin, mood === "unhappy" ? 6 : question.rateMax);
  }
  const base = MOOD_LEVEL[mood][question.dimension] ?? 3;
  // unhappy customers are consistently low on trust
  const noise =
    mood === "unhappy" && question.dimension === "trust"
      ? random.weighted([
          [-1, 40],
          [0, 60],
        ])
      : random.weighted([
          [-1, 20],
          [0, 60],
          [1, 20],
        ]);
  return clamp(base + noise, question.rateMin, question.rateMax);
}

// ─── Deals ────────────────────────────────────────────────────────────────────

type Reason =
  | "price"
  | "product_fit"
  | "relationship"
  | "responsiveness"
  | "sales_experience"
  | "implementation_risk"
  | "competitor_strength"
  | "no_decision";

interface DealSpec {
  account: string;
  name: string;
  amount: number; // dollars
  outcome: "open" | "won" | "lost" | "no_decision";
  /** null: still open. */
  closedDaysAgo: number | null;
  closeInDays?: number;
  competitor?: string;
  primary?: Reason;
  secondary?: Reason[];
  note?: string;
}

/** Sellers blame price for losses far more often than buyers do: the win/loss gap starts here. */
// prettier-ignore
const DEALS: DealSpec[] = [
  { account: "northwind", name: "Northwind — EU warehouse expansion", amount: 180_000, outcome: "open", closedDaysAgo: null, closeInDays: 45 },
  { account: "kestrel", name: "Kestrel — two-year renewal", amount: 520_000, outcome: "open", closedDaysAgo: null, closeInDays: 60 },
  { account: "vantage", name: "Vantage — analytics add-on", amount: 95_000, outcome: "open", closedDaysAgo: null, closeInDays: 30 },
  { account: "harborview", name: "Harborview — renewal", amount: 310_000, outcome: "open", closedDaysAgo: null, closeInDays: 75 },
  { account: "cobalt", name: "Cobalt Ridge — clinical operations rollout", amount: 240_000, outcome: "won", closedDaysAgo: 120, competitor: "Beacon CX", primary: "relationship", secondary: ["product_fit", "responsiveness"], note: "Their COO trusted us to deliver; Beacon was cheaper but unknown to them." },
  { account: "andes", name: "Andes Agro — expansion to Peru", amount: 60_000, outcome: "won", closedDaysAgo: 200, primary: "product_fit", secondary: ["relationship"] },
  { account: "sakura", name: "Sakura — quality module", amount: 110_000, outcome: "won", closedDaysAgo: 90, competitor: "Quorum Analytics", primary: "product_fit", secondary: ["implementation_risk"], note: "Our pilot proved the integration; Quorum could not show it." },
  { account: "clearpath", name: "Clearpath — platform upgrade", amount: 75_000, outcome: "won", closedDaysAgo: 45, competitor: "Pulsewise", primary: "relationship", secondary: ["price"] },
  { account: "falkenberg", name: "Falkenberg — renewal", amount: 150_000, outcome: "won", closedDaysAgo: 160, primary: "relationship", secondary: ["product_fit"] },
  { account: "lumen", name: "Lumen — new business", amount: 96_000, outcome: "won", closedDaysAgo: 400, competitor: "Beacon CX", primary: "product_fit", secondary: ["sales_experience"] },
  { account: "brightwell", name: "Brightwell — stores rollout, phase 2", amount: 210_000, outcome: "lost", closedDaysAgo: 70, competitor: "Pulsewise", primary: "price", secondary: ["competitor_strength"], note: "They went with the cheaper option." },
  { account: "meridian", name: "Meridian — site analytics expansion", amount: 340_000, outcome: "lost", closedDaysAgo: 50, competitor: "Quorum Analytics", primary: "price", secondary: ["competitor_strength", "implementation_risk"], note: "Procurement pushed hard on price; Quorum discounted 30%." },
  { account: "castellan", name: "Castellan — validation suite", amount: 120_000, outcome: "lost", closedDaysAgo: 100, competitor: "Tallyhawk", primary: "competitor_strength", secondary: ["price"] },
  { account: "pinecrest", name: "Pinecrest — second plant", amount: 65_000, outcome: "lost", closedDaysAgo: 30, competitor: "Beacon CX", primary: "price", secondary: ["product_fit"] },
  { account: "granite", name: "Granite Peak — claims analytics", amount: 140_000, outcome: "no_decision", closedDaysAgo: 60, primary: "no_decision", secondary: ["implementation_risk"], note: "Budget frozen after their reorganisation." },
];
