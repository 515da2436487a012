/**
 * Planning: what each row of a batch would do (create, update, or leave alone), decided
 * against the data as it is now. Rows with errors are reported to the pass and left out.
 */
import { randomUUID } from "node:crypto";
import {
  ACCOUNT_FIELDS,
  CONTACT_FIELDS,
  INTERACTION_FIELDS,
  OPPORTUNITY_FIELDS,
  cellsByColumn,
  nextAccountState,
  nextContactState,
  nextInteractionState,
  nextOpportunityState,
  parseRow,
  type AccountReference,
  type AccountRow,
  type AccountState,
  type ContactRow,
  type ContactState,
  type Header,
  type InteractionRow,
  type InteractionState,
  type OpportunityRow,
  type OpportunityState,
} from "./columns";
import type { DbOrTx } from "./db.server";
import {
  findAccounts,
  findContacts,
  findInteractions,
  findOpportunities,
  lower,
  matchContact,
  usersByEmail,
  type AccountInfo,
} from "./lookups.server";
import type { Action, ImportPass } from "./pass";

/** `previousAccountId`: the account an existing record belongs to before the row moves it (or null). */
export type Plan =
  | { kind: "accounts"; action: Action; id: string; state: AccountState }
  | { kind: "contacts"; action: Action; id: string; state: ContactState; previousAccountId: string | null }
  | { kind: "opportunities"; action: Action; id: string; state: OpportunityState }
  | {
      kind: "interactions";
      action: Action;
      id: string;
      state: InteractionState;
      previousAccountId: string | null;
      participantsChanged: boolean;
    };

/**
 * Parses, looks up and decides one batch; rows with errors are reported and left out. The
 * look-ups wait for `written` (the previous batch's write, still running while this one is
 * parsed): they must see its rows.
 */
export async function planBatch(
  pass: ImportPass,
  db: DbOrTx,
  header: Header,
  records: { row: number; cells: string[] }[],
  written: Promise<void>,
): Promise<Plan[]> {
  pass.startBatch();
  const parsed: { row: number; cells: Map<string, string> }[] = [];
  for (const record of records) {
    const lined = cellsByColumn(header, record.row, record.cells);
    if (lined.ok) parsed.push({ row: record.row, cells: lined.cells });
    else pass.error(lined.error);
  }
  const rows = [];
  for (const { row, cells } of parsed) {
    const result = parseRow(pass.kind, row, cells);
    if (result.ok) rows.push(result.value);
    else for (const error of result.errors) pass.error(error);
  }
  await written;
  switch (pass.kind) {
    case "accounts":
      return planAccounts(pass, db, rows as AccountRow[]);
    case "contacts":
      return planContacts(pass, db, rows as ContactRow[]);
    case "opportunities":
      return planOpportunities(pass, db, rows as OpportunityRow[]);
    case "interactions":
      return planInteractions(pass, db, rows as InteractionRow[]);
  }
}

async function planAccounts(pass: ImportPass, db: DbOrTx, rows: AccountRow[]): Promise<Plan[]> {
  for (const r of rows) {
    if (r.externalId)
      pass.duplicate(`ext:${r.externalId}`, r.row, "external_id", r.externalId, "external_id");
    else pass.duplicate(`name:${lower(r.name)}`, r.row, "name", r.name, "account name");
  }
  const owners = await usersByEmail(
    db,
    rows.map((r) => r.ownerEmail),
  );
  const existing = await findAccounts(
    db,
    pass.user.id,
    rows.map((r) => ({ externalId: r.externalId, name: r.name })),
    true,
  );
  const plans: Plan[] = [];
  for (const r of rows) {
    const owner = owners.get(lower(r.ownerEmail));
    if (!owner) pass.fail(r.row, "owner_email", r.ownerEmail, "unknown owner: no user has this email");
    else if (owner.deactivated) {
      pass.fail(r.row, "owner_email", r.ownerEmail, "owner is deactivated: choose an active user");
    }
    const match = matchByKey(
      r.externalId,
      existing.byExternalId,
      existing.byName.get(lower(r.name)) ?? [],
      (a) => a.externalId === null,
    );
    if (match.ambiguous) {
      pass.fail(
        r.row,
        "name",
        r.name,
        `${match.ambiguous} existing accounts have this name: give them external ids to tell them apart`,
      );
    }
    const before = match.found;
    if (before && !pass.canEdit(before)) pass.fail(r.row, "name", r.name, ACCOUNT_NOT_YOURS);
    if (!before && owner && pass.user.role === "manager" && owner.id !== pass.user.id) {
      pass.fail(
        r.row,
        "owner_email",
        r.ownerEmail,
        "account not yours: as a manager you can only create accounts you own",
      );
    }
    if (before && !pass.hasError(r.row)) pass.claim(before.id, r.row, "name", r.name);
    if (pass.hasError(r.row) || !owner) continue;
    const state = nextAccountState(r, before ?? null, owner);
    const action = pass.decide(r.row, r.name, before ?? null, state, ACCOUNT_FIELDS);
    plans.push({ kind: "accounts", action, id: before?.id ?? randomUUID(), state });
  }
  return plans;
}

/** The account each row points at, if it exists and the importer may edit it. */
async function resolveAccounts(
  pass: ImportPass,
  db: DbOrTx,
  rows: { row: number; account: AccountReference }[],
) {
  const found = await findAccounts(
    db,
    pass.user.id,
    rows.map((r) => r.account),
    false,
  );
  const resolved = new Map<number, AccountInfo>();
  for (const r of rows) {
    const column = r.account.externalId ? "account_external_id" : "account_name";
    const value = r.account.externalId ?? r.account.name ?? "";
    const account = r.account.externalId ? found.byExternalId.get(r.account.externalId) : undefined;
    // an unknown external id falls back to the name, but never onto an account that has another one
    const byName = (r.account.name ? (found.byName.get(lower(r.account.name)) ?? []) : []).filter(
      (a) => !r.account.externalId || a.externalId === null,
    );
    if (!account && byName.length > 1) {
      pass.fail(
        r.row,
        "account_name",
        r.account.name ?? "",
        `${byName.length} accounts have this name: use account_external_id`,
      );
      continue;
    }
    const chosen = account ?? byName[0];
    if (!chosen) {
      pass.fail(
        r.row,
        column,
        value,
        r.account.externalId
          ? "unknown account: no account has this external id"
          : "unknown account: no account has this name",
      );
    } else if (!pass.canEdit(chosen)) {
      pass.fail(r.row, column, value, ACCOUNT_NOT_YOURS);
    } else {
      resolved.set(r.row, chosen);
    }
  }
  return resolved;
}

async function planContacts(pass: ImportPass, db: DbOrTx, rows: ContactRow[]): Promise<Plan[]> {
  for (const r of rows) {
    if (r.externalId)
      pass.duplicate(`ext:${r.externalId}`, r.row, "external_id", r.externalId, "external_id");
    if (r.email) pass.duplicate(`email:${lower(r.email)}`, r.row, "email", r.email, "email");
  }
  const resolved = await resolveAccounts(pass, db, rows);
  for (const r of rows) {
    const account = resolved.get(r.row);
    if (account && !r.email && !r.externalId) {
      pass.duplicate(
        `name:${account.id}:${lower(r.name)}`,
        r.row,
        "name",
        r.name,
        "contact name at this account",
      );
    }
  }
  const live = rows.filter((r) => resolved.has(r.row) && !pass.hasError(r.row));
  const existing = await findContacts(db, pass.user.id, live, resolved);
  const plans: Plan[] = [];
  for (const r of live) {
    const account = resolved.get(r.row)!;
    const before = matchContact(r, account.id, existing);
    if (before === "ambiguous") {
      pass.fail(
        r.row,
        r.email ? "email" : "name",
        r.email ?? r.name,
        "several existing contacts at this account match: give them external ids to tell them apart",
      );
      continue;
    }
    if (before && before.accountId !== account.id && !pass.canEdit(before.account)) {
      pass.fail(r.row, "external_id", r.externalId ?? "", ACCOUNT_NOT_YOURS);
      continue;
    }
    if (before && !pass.claim(before.id, r.row, r.email ? "email" : "name", r.email ?? r.name)) continue;
    const state = nextContactState(r, before ?? null, account, new Date());
    const action = pass.decide(r.row, `${r.name} (${account.name})`, before ?? null, state, CONTACT_FIELDS);
    plans.push({
      kind: "contacts",
      action,
      id: before?.id ?? randomUUID(),
      state,
      previousAccountId: before?.accountId ?? null,
    });
  }
  return plans;
}

async function planOpportunities(pass: ImportPass, db: DbOrTx, rows: OpportunityRow[]): Promise<Plan[]> {
  for (const r of rows) {
    if (r.externalId)
      pass.duplicate(`ext:${r.externalId}`, r.row, "external_id", r.externalId, "external_id");
  }
  const resolved = await resolveAccounts(pass, db, rows);
  for (const r of rows) {
    const account = resolved.get(r.row);
    if (account && !r.externalId) {
      pass.duplicate(
        `name:${account.id}:${lower(r.name)}`,
        r.row,
        "name",
        r.name,
        "opportunity name at this account",
      );
    }
  }
  const sellers = await usersByEmail(
    db,
    rows.flatMap((r) => (r.sellerEmail ? [r.sellerEmail] : [])),
  );
  const live = rows.filter((r) => resolved.has(r.row) && !pass.hasError(r.row));
  const existing = await findOpportunities(db, pass.user.id, live, resolved);
  const plans: Plan[] = [];
  for (const r of live) {
    const account = resolved.get(r.row)!;
    const seller = r.sellerEmail ? sellers.get(lower(r.sellerEmail)) : undefined;
    if (r.sellerEmail && !seller) {
      pass.fail(r.row, "seller_email", r.sellerEmail, "unknown seller: no user has this email");
      continue;
    }
    const match = matchByKey(
      r.externalId,
      existing.byExternalId,
      existing.byAccountName.get(`${account.id}:${lower(r.name)}`) ?? [],
      (o) => o.externalId === null,
    );
    if (match.ambiguous) {
      pass.fail(
        r.row,
        "name",
        r.name,
        `${match.ambiguous} existing opportunities at this account have this name: give them external ids`,
      );
      continue;
    }
    const before = match.found;
    if (before && before.accountId !== account.id && !pass.canEdit(before.account)) {
      pass.fail(r.row, "external_id", r.externalId ?? "", ACCOUNT_NOT_YOURS);
      continue;
    }
    if (before && !pass.claim(before.id, r.row, "name", r.name)) continue;
    const state = nextOpportunityState(r, before ?? null, account, seller ?? null, new Date());
    const action = pass.decide(
      r.row,
      `${r.name} (${account.name})`,
      before ?? null,
      state,
      OPPORTUNITY_FIELDS,
    );
    plans.push({ kind: "opportunities", action, id: before?.id ?? randomUUID(), state });
  }
  return plans;
}

async function planInteractions(pass: ImportPass, db: DbOrTx, rows: InteractionRow[]): Promise<Plan[]> {
  for (const r of rows) {
    if (r.externalId)
      pass.duplicate(`ext:${r.externalId}`, r.row, "external_id", r.externalId, "external_id");
  }
  const resolved = await resolveAccounts(pass, db, rows);
  const authors = await usersByEmail(
    db,
    rows.flatMap((r) => (r.authorEmail ? [r.authorEmail] : [])),
  );
  const live = rows.filter((r) => resolved.has(r.row) && !pass.hasError(r.row));
  const existing = await findInteractions(db, pass.user.id, live, resolved);
  const plans: Plan[] = [];
  for (const r of live) {
    const account = resolved.get(r.row)!;
    const author = r.authorEmail ? authors.get(lower(r.authorEmail)) : undefined;
    if (r.authorEmail && !author) {
      pass.fail(r.row, "author_email", r.authorEmail, "unknown author: no user has this email");
    }
    const participants: { id: string; email: string }[] = [];
    for (const email of r.contactEmails ?? []) {
      const contact = existing.contactsByEmail.get(`${account.id}:${lower(email)}`);
      if (contact) participants.push(contact);
      else {
        pass.fail(
          r.row,
          "contact_emails",
          email,
          `unknown contact: no contact at ${account.name} has the email ${email}`,
        );
      }
    }
    const before = r.externalId ? existing.byExternalId.get(r.externalId) : undefined;
    if (before && before.accountId !== account.id && !pass.canEdit(before.account)) {
      pass.fail(r.row, "external_id", r.externalId ?? "", ACCOUNT_NOT_YOURS);
    }
    if (pass.hasError(r.row)) continue;
    const state = nextInteractionState(r, before ?? null, account, author ?? null, participants);
    const participantsChanged = !before || before.contactIds.join(";") !== state.contactIds.join(";");
    const record = `${r.kind} on ${r.occurredAt.toISOString().slice(0, 10)} (${account.name})`;
    const action = pass.decide(r.row, record, before ?? null, state, INTERACTION_FIELDS);
    plans.push({
      kind: "interactions",
      action,
      id: before?.id ?? randomUUID(),
      state,
      previousAccountId: before?.accountId ?? null,
      participantsChanged,
    });
  }
  return plans;
}

const ACCOUNT_NOT_YOURS =
  "account not yours: you can import only into accounts you own or are on the team of";

/**
 * Upsert matching: by external id when the row has one and it is known; else by the natural
 * key, among existing records that have no external id of their own when the row brings one
 * (a record with another external id is another record).
 */
function matchByKey<T extends { externalId: string | null }>(
  externalId: string | undefined,
  byExternalId: Map<string, T>,
  byNaturalKey: T[],
  linkable: (candidate: T) => boolean,
): { found?: T; ambiguous?: number } {
  if (externalId) {
    const found = byExternalId.get(externalId);
    if (found) return { found };
  }
  const candidates = externalId ? byNaturalKey.filter(linkable) : byNaturalKey;
  if (candidates.length > 1) return { ambiguous: candidates.length };
  return { found: candidates[0] };
}
