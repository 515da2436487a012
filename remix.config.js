/** @type {import('@remix-run/dev').AppConfig} */
export default {
  // The classic compiler: see docs/decisions/001-remix-classic-compiler.md
  ignoredRouteFiles: ["**/.*", "**/*.test.{ts,tsx}"],
  serverModuleFormat: "esm",
  serverPlatform: "node",
  tailwind: true,
  postcss: true,
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_lazyRouteDiscovery: true,
    v3_singleFetch: false,
  },
  // `npm run bench` only (tests/bench/context.ts): the bare page its survey-page figures are compared to.
  routes: async (defineRoutes) =>
    process.env.RAPPORT_BENCH_BASELINE === "1"
      ? defineRoutes((route) => {
          route("__bench/static", "../tests/bench/baseline-route.tsx");
        })
      : {},
};
