// Test helper: runs `algo dev` as a child process (the bundled CLI, as users
// run it; test/global-setup.ts bundles dist/ first) on a free port and parses
// the URL it prints. Also: polling without timing assertions.
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../../bin/algo.mjs", import.meta.url));

export interface RunningEmulator {
  url: string;
  proc: ChildProcess;
  /** Everything it printed so far (stdout + stderr). */
  output(): string;
  /** SIGTERM, then wait for the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL (no cleanup at all), then wait for the exit. */
  kill9(): Promise<void>;
}

export async function startEmulator(args: string[], deadlineMs = 45_000): Promise<RunningEmulator> {
  const proc = spawn(process.execPath, [BIN, "dev", "--port", "0", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  const exited = new Promise<number | null>((resolve) => proc.once("exit", (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`algo dev printed no URL within ${deadlineMs} ms:\n${out}`)), deadlineMs);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    proc.stdout!.on("data", onData);
    proc.stderr!.on("data", (c: Buffer) => (out += c.toString()));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`algo dev exited (code ${code}) before listening:\n${out}`));
    });
  });
  return {
    url,
    proc,
    output: () => out,
    stop: async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGTERM");
      return exited;
    },
    kill9: async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGKILL");
      await exited;
    },
  };
}

/** Calls `probe` until `done` accepts its value; fails after `deadlineMs` (generous: this is not a timing assertion). */
export async function poll<T>(probe: () => Promise<T>, done: (v: T) => boolean, what: string, deadlineMs = 25_000): Promise<T> {
  const until = Date.now() + deadlineMs;
  let last: T | undefined;
  for (;;) {
    last = await probe();
    if (done(last)) return last;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(last, (_k, v) => (typeof v === "bigint" ? `${v}n` : v))}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** Raw HTTP, for what the typed client refuses to send (bad uploads, missing keys). */
export async function raw(
  url: string,
  method: string,
  path: string,
  options: { key?: string; body?: unknown; rawBody?: string | Buffer; headers?: Record<string, string> } = {},
): Promise<{ status: number; json: any; text: string }> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key !== undefined) headers.Authorization = `Bearer ${options.key}`;
  let body: string | undefined = typeof options.rawBody === "string" || options.rawBody === undefined ? options.rawBody : options.rawBody.toString("latin1");
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers["Content-Type"] = "application/json";
  }
  const res = await fetch(url + path, { method, headers, body });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text };
}
