import type { UserRole } from "../../db/schema";

export type AccountAccess = "view" | "edit";

/**
 * Who may see or change an account (DESIGN.md, "Roles"): admins see and edit all;
 * leaders see all and edit nothing operational; managers see and edit the accounts
 * they own or are on the team of.
 */
export function canAccessAccount(
  user: { id: string; role: UserRole },
  account: { ownerId: string; isMember: boolean },
  access: AccountAccess,
): boolean {
  switch (user.role) {
    case "admin":
      return true;
    case "leader":
      return access === "view";
    case "manager":
      return account.ownerId === user.id || account.isMember;
  }
}

/** Where a role starts: managers on their keep-in-touch list, leaders and admins on the dashboard. */
export function homePath(role: UserRole): string {
  return role === "manager" ? "/week" : "/dashboard";
}

/** Roles that see every account rather than only their own. */
export function seesAllAccounts(role: UserRole): boolean {
  return role === "admin" || role === "leader";
}
