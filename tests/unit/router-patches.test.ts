/**
 * patches/ memoizes Remix's server-side route matching (docs/performance.md) and keeps
 * postgres.js from throwing on a socket Postgres closed (docs/security.md, "Faults"): npm install
 * applies them (postinstall: patch-package), and the app serves the CommonJS builds they
 * change. These tests load those same files the way Node does (require, not Vite's ESM
 * resolution) and check both that every patch is in place and that matching still answers
 * as React Router documents.
 */
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";

const require = createRequire(import.meta.url);
const router = require("@remix-run/router") as typeof import("@remix-run/router");
const routerDom = require("react-router-dom/server") as typeof import("react-router-dom/server");

describe("patches/", () => {
  const patches = readdirSync("patches").filter((name) => name.endsWith(".patch"));

  it("holds the three route-matching patches and postgres.js's closed-socket fix", () => {
    expect(patches.map((name) => name.replace(/\+[\d.]+\.patch$/, ""))).toEqual([
      "@remix-run+react",
      "@remix-run+router",
      "postgres",
      "react-router-dom",
    ]);
  });

  it.each(patches)("%s is applied to node_modules", (name) => {
    const text = readFileSync(path.join("patches", name), "utf8");
    for (const file of text.split(/^diff --git /m).slice(1)) {
      const target = /^a\/(\S+)/.exec(file)![1]!;
      const installed = readFileSync(target, "utf8");
      const added = file
        .split("\n")
        .filter((line) => line.startsWith("+") && !line.startsWith("+++"))
        .map((line) => line.slice(1))
        .filter((line) => line.trim() !== "");
      expect(added.length).toBeGreaterThan(0);
      for (const line of added) expect(installed, `${target} lacks: ${line}`).toContain(line);
    }
  });
});

describe("route matching with the ranked branches kept", () => {
  const routes: import("@remix-run/router").AgnosticRouteObject[] = [
    {
      id: "root",
      path: "/",
      children: [
        { id: "home", index: true },
        { id: "survey", path: "s/:token", children: [{ id: "score", path: "scale/:score" }] },
        { id: "api", path: "api/v1/*" },
        { id: "accounts", path: "accounts/:accountId" },
        { id: "new-account", path: "accounts/new" },
      ],
    },
  ];
  const ids = (pathname: string, inRoutes = routes) =>
    router.matchRoutes(inRoutes, pathname)?.map((m) => [m.route.id, m.params]) ?? null;

  it("answers the same every time, ranking static segments above params", () => {
    for (let i = 0; i < 3; i++) {
      expect(ids("/")).toEqual([
        ["root", {}],
        ["home", {}],
      ]);
      expect(ids("/accounts/new")?.at(-1)).toEqual(["new-account", {}]);
      expect(ids("/accounts/42")?.at(-1)).toEqual(["accounts", { accountId: "42" }]);
      expect(ids("/S/abc/scale/7")?.at(-1)).toEqual(["score", { token: "abc", score: "7" }]);
      expect(ids("/api/v1/accounts/9")?.at(-1)).toEqual(["api", { "*": "accounts/9" }]);
      expect(ids("/nowhere")).toBeNull();
    }
  });

  it("keeps each route array's branches apart", () => {
    const other = [{ id: "only", path: "/accounts/:other" }];
    expect(ids("/accounts/42", other)).toEqual([["only", { other: "42" }]]);
    expect(ids("/accounts/42")?.at(-1)).toEqual(["accounts", { accountId: "42" }]);
  });

  it("compiles a pattern once and still matches case-sensitively when asked", () => {
    expect(router.matchPath({ path: "/s/:token", caseSensitive: true }, "/S/abc")).toBeNull();
    expect(router.matchPath({ path: "/s/:token" }, "/S/abc")?.params).toEqual({ token: "abc" });
    expect(router.matchPath({ path: "/s/:token", end: false }, "/s/abc/save")?.pathnameBase).toBe("/s/abc");
    expect(router.matchPath({ path: "/s/:token" }, "/s/abc/save")).toBeNull();
  });

  it("gives one static render's router the data routes of the last one with the same routes", async () => {
    const handler = routerDom.createStaticHandler(routes);
    const context = await handler.query(new Request("http://localhost/accounts/42"));
    if (context instanceof Response) throw new Error("the static handler answered with a Response");
    const first = routerDom.createStaticRouter(handler.dataRoutes, context);
    const second = routerDom.createStaticRouter(handler.dataRoutes, context);
    expect(second.routes).toBe(first.routes);
    expect(first.state.matches.map((m) => m.route.id)).toEqual(["root", "accounts"]);
  });
});
