import { describe, expect, it } from "vitest";
import {
  addDays,
  insertAccount,
  insertAccountMember,
  insertContact,
  insertContactNote,
  insertInteraction,
  insertUser,
  isoDate,
} from "../../db/factories";
import { CSV_KINDS } from "~/domain/csv/columns";
import { DASHBOARD_TABLES } from "~/domain/dashboard";
import { getDb } from "~/lib/db.server";
import { loader as accountLoader } from "~/routes/_app.accounts.$accountId/route";
import { loader as contactLoader } from "~/routes/_app.contacts.$contactId/route";
import { loader as interviewLoader } from "~/routes/_app.contacts.$contactId_.interview/route";
import { loader as dashboardLoader } from "~/routes/_app.dashboard/route";
import { loader as dashboardExportLoader } from "~/routes/_app.dashboard_.export.$table";
import { loader as exportLoader } from "~/routes/_app.export.$kind";
import { loader as weekLoader } from "~/routes/_app.week";
import { callApi, makeApiKey } from "../support/api";
import { callLoader } from "../support/loaders";

const SECRET_BIRTHDAY = "Private birthday: turns 50, hates surprises";
const SECRET_PRIORITY = "Private: quietly looking for a new job";

/**
 * A contact on an account with a private birthday coming up (so every reminder would list
 * it) and a private professional note, both by the teammate; and a shared note by the owner.
 */
async function world() {
  const db = getDb();
  const owner = await insertUser(db, { role: "manager", name: "Olivia Owner" });
  const author = await insertUser(db, { role: "manager", name: "Tom Teammate" });
  const otherTeammate = await insertUser(db, { role: "manager" });
  const admin = await insertUser(db, { role: "admin" });
  const leader = await insertUser(db, { role: "leader" });
  const account = await insertAccount(db, { ownerId: owner.id });
  await insertAccountMember(db, { accountId: account.id, userId: author.id });
  await insertAccountMember(db, { accountId: account.id, userId: otherTeammate.id });
  const contact = await insertContact(db, {
    accountId: account.id,
    name: "Dana Price",
    buyingRole: "champion",
  });
  const soon = addDays(new Date(), 3);
  await insertContactNote(db, {
    contactId: contact.id,
    authorId: author.id,
    kind: "birthday",
    body: SECRET_BIRTHDAY,
    remindOn: `1975-${isoDate(soon).slice(5)}`,
    isPrivate: true,
  });
  await insertContactNote(db, {
    contactId: contact.id,
    authorId: author.id,
    kind: "career_goal",
    body: SECRET_PRIORITY,
    remindOn: isoDate(soon),
    isPrivate: true,
  });
  await insertContactNote(db, {
    contactId: contact.id,
    authorId: owner.id,
    kind: "interests",
    body: "Shared: a keen sailor",
  });
  await insertInteraction(db, { accountId: account.id, contactIds: [contact.id], kind: "call" });
  return { owner, author, otherTeammate, admin, leader, account, contact };
}

/** Everything each page and download that lists notes shows `userId`, as text. */
async function everythingShownTo(userId: string, w: Awaited<ReturnType<typeof world>>) {
  const pages: [Parameters<typeof callLoader>[0], string, Record<string, string>][] = [
    [contactLoader, `/contacts/${w.contact.id}`, { contactId: w.contact.id }],
    [interviewLoader, `/contacts/${w.contact.id}/interview`, { contactId: w.contact.id }],
    [accountLoader, `/accounts/${w.account.id}`, { accountId: w.account.id }],
    [weekLoader, "/week", {}],
    [dashboardLoader, "/dashboard", {}],
    ...CSV_KINDS.map(
      (kind) =>
        [exportLoader, `/export/${kind}`, { kind }] as [typeof exportLoader, string, Record<string, string>],
    ),
    ...DASHBOARD_TABLES.map(
      (table) =>
        [dashboardExportLoader, `/dashboard/export/${table}`, { table }] as [
          typeof dashboardExportLoader,
          string,
          Record<string, string>,
        ],
    ),
  ];
  const shown: string[] = [];
  for (const [loader, path, params] of pages) {
    const response = await callLoader(loader, userId, path, params);
    // a page the role may not open shows nothing (the interview page is for editors)
    shown.push(`${path} ${response.status} ${await response.text()}`);
  }
  return shown.join("\n");
}

describe("private notes", () => {
  it("are shown to their author on the contact page and in My week", async () => {
    const w = await world();
    const shown = await everythingShownTo(w.author.id, w);
    expect(shown).toContain(SECRET_BIRTHDAY);
    expect(shown).toContain(SECRET_PRIORITY);
    expect(shown).toMatch(new RegExp(`/week 200 .*${SECRET_BIRTHDAY}`));
  });

  it("are shown to nobody else: not the owner, a teammate, an admin or a leader, on any page or download", async () => {
    const w = await world();
    for (const viewer of [w.owner, w.otherTeammate, w.admin, w.leader]) {
      const shown = await everythingShownTo(viewer.id, w);
      // the pages did load, with the shared note
      expect(shown).toMatch(new RegExp(`/contacts/${w.contact.id} 200 .*Shared: a keen sailor`));
      expect(shown).not.toContain(SECRET_BIRTHDAY);
      expect(shown).not.toContain(SECRET_PRIORITY);
      expect(shown).not.toContain("hates surprises");
    }
  });

  it("are never returned by the API", async () => {
    const w = await world();
    const { key } = await makeApiKey("read");
    const paths = [
      "/contacts",
      `/contacts/${w.contact.id}`,
      `/contacts?account_id=${w.account.id}`,
      "/accounts",
      `/accounts/${w.account.id}`,
      `/accounts/${w.account.id}/health`,
      "/interactions",
      "/responses",
      "/cases",
      "/predictions",
    ];
    for (const path of paths) {
      const response = await callApi(path, { key });
      expect(response.status, path).toBe(200);
      const text = await response.text();
      expect(text).not.toContain(SECRET_BIRTHDAY);
      expect(text).not.toContain(SECRET_PRIORITY);
    }
    const contact = await (await callApi(`/contacts/${w.contact.id}`, { key })).json();
    expect(contact.data.name).toBe("Dana Price");
  });
});
