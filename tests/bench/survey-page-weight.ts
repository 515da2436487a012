/**
 * What a customer's browser downloads to show the survey: every script, module preload and
 * stylesheet the HTML of a real `GET /s/:token` references, each gzipped at level 9, and how
 * much of the JavaScript is SurveyJS and React (which the page cannot do without) rather
 * than ours and the framework's.
 *
 * A bundle may mix libraries (the survey route's chunk holds SurveyJS and our route code),
 * so each file's gzipped size is split in proportion to the bytes each input contributes to
 * it, from esbuild's metafile (build/metafile.js.json).
 *
 * Baseline: SurveyJS's own prebuilt minified files, as its packages ship them
 * (survey-core/survey.core.min.js and survey-react-ui/survey-react-ui.min.js, and the
 * stylesheet the page imports, survey-core/survey-core.fontless.min.css), each gzipped at
 * level 9 the same way. The ratio of our SurveyJS share to it is informative: below 1 means
 * the bundler left some of SurveyJS out, about 1 that the page carries all of it.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { gzipSync } from "node:zlib";
import type { Benchmark } from "./benchmark";
import type { Figure } from "./figures";

const JS_BEYOND_SURVEYJS_AND_REACT_BUDGET_KB = 60;
const KB = 1024;

/** SurveyJS's prebuilt minified bundles, and the stylesheet the survey route imports. */
const SURVEYJS_MINIFIED_JS = [
  "node_modules/survey-core/survey.core.min.js",
  "node_modules/survey-react-ui/survey-react-ui.min.js",
];
const SURVEYJS_MINIFIED_CSS = ["node_modules/survey-core/survey-core.fontless.min.css"];

type Library = "surveyjs" | "react" | "other";

const LIBRARIES: [Library, RegExp][] = [
  ["surveyjs", /(^|\/)node_modules\/(survey-core|survey-react-ui)\//],
  ["react", /(^|\/)node_modules\/(react|react-dom|scheduler)\//],
];

interface Metafile {
  outputs: Record<string, { bytes: number; inputs: Record<string, { bytesInOutput: number }> }>;
}

export interface PageAssets {
  scripts: URL[];
  stylesheets: URL[];
  /** Scripts and stylesheets from another origin: the page waits for a server that is not ours. */
  thirdPartyBlocking: URL[];
}

export const surveyPageWeight: Benchmark = {
  name: "survey page weight",
  async run(context) {
    const { token } = (await context.createInvitations(1))[0]!;
    const pageUrl = new URL(`/s/${token}`, context.baseUrl);
    const page = await fetch(pageUrl);
    const html = await page.text();
    if (page.status !== 200) throw new Error(`GET /s/:token returned ${page.status}: ${html.slice(0, 200)}`);

    const assets = findPageAssets(html, pageUrl);
    const metafile = JSON.parse(await readFile(path.resolve("build/metafile.js.json"), "utf8")) as Metafile;
    const weigh = async (urls: URL[]) => {
      const shares: Record<Library, number> = { surveyjs: 0, react: 0, other: 0 };
      for (const url of urls.filter((u) => u.origin === pageUrl.origin)) {
        const response = await fetch(url);
        if (response.status !== 200) throw new Error(`GET ${url.pathname} returned ${response.status}`);
        const bytes = Buffer.from(await response.arrayBuffer());
        const gzipped = gzipSync(bytes, { level: 9 }).length;
        for (const [library, fraction] of librarySplit(metafile, url, bytes.length)) {
          shares[library] += (gzipped * fraction) / KB;
        }
      }
      return shares;
    };
    const js = await weigh(assets.scripts);
    const css = await weigh(assets.stylesheets);
    if (js.surveyjs === 0)
      context.problem("no SurveyJS code found in the survey page's scripts: is the metafile stale?");
    const ownJs = await gzippedKb(SURVEYJS_MINIFIED_JS);
    const ownCss = await gzippedKb(SURVEYJS_MINIFIED_CSS);
    const kb = (name: string, value: number, extra: Partial<Figure> = {}): Figure => ({
      name,
      unit: "KB gz",
      value,
      ...extra,
    });

    return [
      // The document itself carries the survey's JSON and Remix's route manifest.
      kb("Survey page HTML", gzipSync(html, { level: 9 }).length / KB),
      kb("Survey page JS", js.surveyjs + js.react + js.other),
      kb("JS of which SurveyJS (survey-core, survey-react-ui)", js.surveyjs, {
        baseline: ownJs,
        ratio: js.surveyjs / ownJs,
      }),
      kb("JS of which React (react, react-dom, scheduler)", js.react),
      kb("JS beyond SurveyJS + React", js.other, { budget: JS_BEYOND_SURVEYJS_AND_REACT_BUDGET_KB }),
      kb("Survey page CSS", css.surveyjs + css.react + css.other),
      kb("CSS of which SurveyJS", css.surveyjs, { baseline: ownCss, ratio: css.surveyjs / ownCss }),
      {
        name: "Survey page script and stylesheet files",
        unit: "files",
        value: assets.scripts.length + assets.stylesheets.length,
      },
      {
        name: "Render-blocking third-party requests",
        unit: "requests",
        value: assets.thirdPartyBlocking.length,
        budget: 0,
      },
    ];
  },
};

/** The files' gzipped (level 9) sizes in KB, summed: each is a separate download. */
async function gzippedKb(files: readonly string[]): Promise<number> {
  let total = 0;
  for (const file of files) total += gzipSync(await readFile(path.resolve(file)), { level: 9 }).length;
  return total / KB;
}

/**
 * The fraction of a built file each library accounts for. Files the metafile does not know
 * (Remix's route manifest) and the bundle's own glue count as "other".
 */
function librarySplit(metafile: Metafile, url: URL, size: number): [Library, number][] {
  const outputPath = path.posix.join("public", decodeURIComponent(url.pathname));
  const output = metafile.outputs[outputPath];
  if (!output) return [["other", 1]];
  if (output.bytes !== size) {
    throw new Error(
      `${url.pathname} is ${size} bytes but the metafile says ${output.bytes}: build and server differ`,
    );
  }
  const split: [Library, number][] = [];
  let attributed = 0;
  for (const [library, pattern] of LIBRARIES) {
    const bytes = Object.entries(output.inputs)
      .filter(([input]) => pattern.test(input))
      .reduce((sum, [, { bytesInOutput }]) => sum + bytesInOutput, 0);
    split.push([library, bytes / size]);
    attributed += bytes;
  }
  split.push(["other", (size - attributed) / size]);
  return split;
}

/** Scripts (src, module preloads, inline module imports) and stylesheets the HTML loads. */
export function findPageAssets(html: string, pageUrl: URL): PageAssets {
  const scripts = new Map<string, URL>();
  const stylesheets = new Map<string, URL>();
  const thirdPartyBlocking: URL[] = [];
  const add = (into: Map<string, URL>, href: string) => {
    const url = new URL(decodeEntities(href), pageUrl);
    into.set(url.href, url);
    return url;
  };

  for (const match of html.matchAll(/<(script|link)\b([^>]*)>/gi)) {
    const tag = match[1]!.toLowerCase();
    const attrs = parseAttributes(match[2]!);
    if (tag === "script") {
      if (attrs.src) {
        const url = add(scripts, attrs.src);
        if (url.origin !== pageUrl.origin) thirdPartyBlocking.push(url);
      } else if (attrs.type === "module") {
        const body = html.slice(match.index! + match[0].length, html.indexOf("</script>", match.index));
        // `import "…"`, `import * as x from "…"` and `import("…")`
        for (const imported of body.matchAll(
          /\bimport\s*(?:[\w*{}\s,$]+\s*from\s*|\(\s*)?["']([^"']+)["']/g,
        )) {
          add(scripts, imported[1]!);
        }
      }
    } else {
      const rel = (attrs.rel ?? "").toLowerCase().split(/\s+/);
      if (!attrs.href) continue;
      if (rel.includes("modulepreload")) add(scripts, attrs.href);
      if (rel.includes("stylesheet")) {
        const url = add(stylesheets, attrs.href);
        if (url.origin !== pageUrl.origin) thirdPartyBlocking.push(url);
      }
    }
  }
  return { scripts: [...scripts.values()], stylesheets: [...stylesheets.values()], thirdPartyBlocking };
}

function parseAttributes(text: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const m of text.matchAll(/([^\s"'=<>/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g)) {
    attrs[m[1]!.toLowerCase()] = m[2] ?? m[3] ?? m[4] ?? "";
  }
  return attrs;
}

function decodeEntities(text: string): string {
  return text
    .replace(/&amp;/g, "&")
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'");
}
