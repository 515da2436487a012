import { Form, Link, NavLink, useLocation } from "@remix-run/react";
import { useEffect, useRef, type ReactNode } from "react";
import type { UserRole } from "../../db/schema";

interface NavItem {
  to: string;
  label: string;
  roles?: readonly UserRole[];
}

const navItems: NavItem[] = [
  { to: "/week", label: "My week" },
  { to: "/dashboard", label: "Dashboard" },
  { to: "/accounts", label: "Accounts" },
  { to: "/surveys", label: "Surveys" },
  { to: "/campaigns", label: "Campaigns", roles: ["admin", "leader"] },
  { to: "/winloss", label: "Win/Loss" },
  { to: "/calibration", label: "Calibration" },
  { to: "/cases", label: "Cases" },
  { to: "/interviews", label: "Interviews" },
  { to: "/import", label: "Import / export" },
  { to: "/settings", label: "Settings", roles: ["admin"] },
];

// Shown only where the mail viewer is on (see routes/_app.tsx), and then to admins.
const outboxItem: NavItem = { to: "/dev/outbox", label: "Outbox", roles: ["admin"] };

function NavLinks({ role, mailViewer }: { role: UserRole; mailViewer: boolean }) {
  return (
    <ul className="space-y-1">
      {(mailViewer ? [...navItems, outboxItem] : navItems)
        .filter((item) => !item.roles || item.roles.includes(role))
        .map((item) => (
          <li key={item.to}>
            <NavLink
              to={item.to}
              prefetch="intent"
              className={({ isActive }) =>
                `block rounded-md px-3 py-2 text-sm font-medium ${
                  isActive ? "bg-indigo-50 text-indigo-700" : "text-slate-700 hover:bg-slate-100"
                }`
              }
            >
              {item.label}
            </NavLink>
          </li>
        ))}
    </ul>
  );
}

/** Roles that log interactions: the account team's managers and admins; leaders edit nothing operational. */
function canLog(role: UserRole): boolean {
  return role === "admin" || role === "manager";
}

const ACCOUNT_PAGE = /^\/accounts\/([0-9a-f-]{36})(?:\/|$)/i;
const CONTACT_PAGE = /^\/contacts\/([0-9a-f-]{36})(?:\/|$)/i;

/**
 * Where "Log" goes: on an account or contact page the form opens on that account (and ticks
 * that contact) and comes back there afterwards; anywhere else it asks for the account first.
 */
function logHref(pathname: string): string {
  const account = ACCOUNT_PAGE.exec(pathname)?.[1];
  if (account) return `/log?accountId=${account}&returnTo=${encodeURIComponent(`/accounts/${account}`)}`;
  const contact = CONTACT_PAGE.exec(pathname)?.[1];
  if (contact) return `/log?contactId=${contact}&returnTo=${encodeURIComponent(`/contacts/${contact}`)}`;
  return "/log";
}

function SignedInAs({ name, email, role }: { name: string; email: string; role: UserRole }) {
  return (
    <div className="border-t border-slate-200 p-4">
      <p className="truncate text-sm font-medium" title={email}>
        {name}
      </p>
      <p className="truncate text-xs text-slate-500">
        {email} · {role}
      </p>
      <Form method="post" action="/logout" className="mt-3">
        <button type="submit" className="btn-secondary w-full">
          Sign out
        </button>
      </Form>
    </div>
  );
}

export function AppShell({
  user,
  mailViewer = false,
  children,
}: {
  user: { name: string; email: string; role: UserRole };
  /** Whether to offer the mail viewer (/dev/outbox). */
  mailViewer?: boolean;
  children: ReactNode;
}) {
  // The phone menu is a <details>; close it once a link in it has taken the user somewhere.
  const menu = useRef<HTMLDetailsElement>(null);
  const location = useLocation();
  const shownKey = useRef(location.key);
  useEffect(() => {
    // Only after a navigation: a menu opened before hydration must stay open.
    if (shownKey.current === location.key) return;
    shownKey.current = location.key;
    if (menu.current) menu.current.open = false;
  }, [location.key]);
  const showLog = canLog(user.role);
  const logTo = logHref(location.pathname);
  return (
    <div className="min-h-full lg:flex">
      <a
        href="#main"
        className="sr-only print:hidden focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:p-2"
      >
        Skip to content
      </a>
      {/* Phones and tablets: a disclosure menu that works without JavaScript. Printed pages carry no navigation. */}
      <header className="border-b border-slate-200 bg-white lg:hidden print:!hidden">
        <details ref={menu} className="group">
          <summary className="flex cursor-pointer list-none items-center justify-between px-4 py-3">
            <span className="font-bold text-indigo-700">Rapport</span>
            <span className="btn-secondary px-3 py-1">Menu</span>
          </summary>
          <nav aria-label="Main" className="px-2 pb-2">
            <NavLinks role={user.role} mailViewer={mailViewer} />
          </nav>
          <SignedInAs {...user} />
        </details>
      </header>
      <aside className="hidden w-60 shrink-0 flex-col border-r border-slate-200 bg-white lg:flex lg:min-h-screen print:!hidden">
        <p className="px-5 py-5 text-lg font-bold text-indigo-700">Rapport</p>
        {showLog ? (
          <Link to={logTo} className="btn-primary mx-3 mb-4">
            <span aria-hidden="true">+</span> Log
          </Link>
        ) : null}
        <nav aria-label="Main" className="flex-1 px-3">
          <NavLinks role={user.role} mailViewer={mailViewer} />
        </nav>
        <SignedInAs {...user} />
      </aside>
      <main
        id="main"
        // on phones the floating Log button must not cover the end of the page
        className={`min-w-0 flex-1 px-4 pt-6 sm:px-8 lg:pb-6 print:p-0 ${showLog ? "pb-24" : "pb-6"}`}
      >
        {children}
      </main>
      {/* Phones: Log floats within thumb's reach on every page but the log form itself. */}
      {showLog && location.pathname !== "/log" ? (
        <Link
          to={logTo}
          className="btn-primary fixed bottom-[max(1rem,env(safe-area-inset-bottom))] right-4 z-40 rounded-full px-5 py-3 shadow-lg lg:hidden print:!hidden"
        >
          <span aria-hidden="true">+</span> Log
        </Link>
      ) : null}
    </div>
  );
}
