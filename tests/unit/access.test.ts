import { describe, expect, it } from "vitest";
import { canAccessAccount, homePath, seesAllAccounts } from "~/domain/access";

const account = { ownerId: "owner", isMember: false };

describe("canAccessAccount", () => {
  it("lets admins view and edit any account", () => {
    expect(canAccessAccount({ id: "a", role: "admin" }, account, "view")).toBe(true);
    expect(canAccessAccount({ id: "a", role: "admin" }, account, "edit")).toBe(true);
  });

  it("lets leaders view but not edit", () => {
    expect(canAccessAccount({ id: "l", role: "leader" }, account, "view")).toBe(true);
    expect(canAccessAccount({ id: "l", role: "leader" }, account, "edit")).toBe(false);
  });

  it("lets a manager view and edit the accounts they own", () => {
    expect(canAccessAccount({ id: "owner", role: "manager" }, account, "edit")).toBe(true);
  });

  it("lets a manager on the account team view and edit", () => {
    expect(canAccessAccount({ id: "m", role: "manager" }, { ownerId: "owner", isMember: true }, "edit")).toBe(
      true,
    );
  });

  it("refuses a manager who is neither owner nor on the team", () => {
    expect(canAccessAccount({ id: "m", role: "manager" }, account, "view")).toBe(false);
    expect(canAccessAccount({ id: "m", role: "manager" }, account, "edit")).toBe(false);
  });

  it("says which roles see all accounts", () => {
    expect(seesAllAccounts("admin")).toBe(true);
    expect(seesAllAccounts("leader")).toBe(true);
    expect(seesAllAccounts("manager")).toBe(false);
  });
});

describe("homePath", () => {
  it("starts managers on My week and leaders and admins on the dashboard", () => {
    expect(homePath("manager")).toBe("/week");
    expect(homePath("leader")).toBe("/dashboard");
    expect(homePath("admin")).toBe("/dashboard");
  });
});
