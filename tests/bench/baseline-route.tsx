/**
 * The bench's baseline: a bare Remix route that renders a static page through the same root
 * layout, server and build as the product. remix.config.js adds it at /__bench/static only
 * when `buildForProduction` (tests/bench/context.ts) builds with RAPPORT_BENCH_BASELINE=1,
 * and it answers 404 unless the app also runs with that variable, so it never ships.
 */
import { json } from "@remix-run/node";

export function loader() {
  if (process.env.RAPPORT_BENCH_BASELINE !== "1") throw new Response("Not found", { status: 404 });
  return json(null);
}

export default function BenchBaseline() {
  return (
    <main className="mx-auto max-w-3xl p-4">
      <h1 className="text-2xl font-bold">A static page</h1>
      <p className="mt-2 text-slate-700">The baseline the survey page is compared to.</p>
    </main>
  );
}
