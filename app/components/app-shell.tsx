import { Form, NavLink, useLocation } from "@remix-run/react";
import { useEffect, useRef, type ReactNode } from "react";
import type { UserRole } from "../../db/schema";

interface NavItem {
  to: string;
  label: string;
  roles?: readonly UserRole[];
}

const navItems: NavItem[] = [
  { to: "/dashboard", label: "Dashboard" },
  { to: "/accounts", label: "Accounts" },
  { to: "/surveys", label: "Surveys" },
  { to: "/campaigns", label: "Campaigns" },
  { to: "/winloss", label: "Win/Loss" },
  { to: "/cases", label: "Cases" },
  { to: "/settings", label: "Settings", roles: ["admin"] },
];

function NavLinks({ role }: { role: UserRole }) {
  return (
    <ul className="space-y-1">
      {navItems
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
  children,
}: {
  user: { name: string; email: string; role: UserRole };
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
  return (
    <div className="min-h-full lg:flex">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:p-2"
      >
        Skip to content
      </a>
      {/* Phones and tablets: a disclosure menu that works without JavaScript. */}
      <header className="border-b border-slate-200 bg-white lg:hidden">
        <details ref={menu} className="group">
          <summary className="flex cursor-pointer list-none items-center justify-between px-4 py-3">
            <span className="font-bold text-indigo-700">Rapport</span>
            <span className="btn-secondary px-3 py-1">Menu</span>
          </summary>
          <nav aria-label="Main" className="px-2 pb-2">
            <NavLinks role={user.role} />
          </nav>
          <SignedInAs {...user} />
        </details>
      </header>
      <aside className="hidden w-60 shrink-0 flex-col border-r border-slate-200 bg-white lg:flex lg:min-h-screen">
        <p className="px-5 py-5 text-lg font-bold text-indigo-700">Rapport</p>
        <nav aria-label="Main" className="flex-1 px-3">
          <NavLinks role={user.role} />
        </nav>
        <SignedInAs {...user} />
      </aside>
      <main id="main" className="min-w-0 flex-1 px-4 py-6 sm:px-8">
        {children}
      </main>
    </div>
  );
}
