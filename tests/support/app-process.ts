import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";

export interface AppProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves when the output matches, rejects if the process exits first. */
  waitFor(pattern: RegExp): Promise<RegExpMatchArray>;
  exited: Promise<number | null>;
}

/**
 * The arguments `npm start` gives node (package.json's start script without its "node"), so
 * tests and benchmarks run the app with the same flags (its heap limit) a person gets.
 */
export function npmStartArguments(): string[] {
  const scripts = (JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string> })
    .scripts;
  const [command, ...args] = scripts.start!.split(/\s+/);
  if (command !== "node") throw new Error(`package.json's start script does not run node: ${scripts.start}`);
  return args;
}

/**
 * Runs `npm start`'s command as its own process, as a person would from a terminal.
 * `nodeFlags` go before it (a profiler's, say: `npm run bench` passes BENCH_APP_NODE_FLAGS).
 */
export function startApp(env: Record<string, string>, nodeFlags: string[] = []): AppProcess {
  const child = spawn(process.execPath, [...nodeFlags, ...npmStartArguments()], {
    env: { ...process.env, NODE_ENV: "production", DATABASE_URL: "", LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    text += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return {
    child,
    output: () => text,
    exited,
    waitFor(pattern) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = text.match(pattern);
          if (match) {
            listeners.delete(check);
            resolve(match);
          }
        };
        listeners.add(check);
        check();
        void exited.then((code) => {
          if (!text.match(pattern))
            reject(new Error(`the app exited (code ${code}) before printing ${pattern}:\n${text}`));
        });
      });
    },
  };
}
