/**
 * Runs the real CLI (`node bin/algo.mjs …`, bundled by test/global-setup.ts)
 * as a child process with a clean environment: no SEQUENCE_* variable from the
 * developer's shell, HOME and SEQUENCE_CONFIG pointing into a temp folder.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const BIN = fileURLToPath(new URL("../../bin/algo.mjs", import.meta.url));
export const API_KEY = "seq_test_cli_S3CRET_do_not_print_42";

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  /** Added to the clean environment; `undefined` removes a variable. */
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
}

const isolatedHome = mkdtempSync(path.join(os.tmpdir(), "algo-cli-home-"));

function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("SEQUENCE_") && !k.startsWith("XDG_")) env[k] = v;
  env.HOME = isolatedHome;
  env.SEQUENCE_CONFIG = path.join(isolatedHome, "no-config.json");
  env.NO_COLOR = "1";
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

export interface RunningCli {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  readonly done: Promise<CliResult>;
}

/** Start the CLI; read its output as it comes. */
export function startCli(args: string[], options: CliOptions = {}): RunningCli {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? process.cwd(),
    env: cleanEnv(options.env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout!.on("data", (c: Buffer) => (out += c.toString("utf8")));
  child.stderr!.on("data", (c: Buffer) => (err += c.toString("utf8")));
  const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 45_000);
  const done = new Promise<CliResult>((resolve) => {
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: out, stderr: err });
    });
  });
  return { child, stdout: () => out, stderr: () => err, done };
}

/** Run the CLI to completion. */
export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return startCli(args, options).done;
}

/** The environment for talking to a test server with the test key. */
export function apiEnv(baseUrl: string, key = API_KEY): Record<string, string> {
  return { SEQUENCE_API_KEY: key, SEQUENCE_BASE_URL: baseUrl };
}

/**
 * An algo project in a fresh temp folder: package.json with a "sequence"
 * block (entry assembly/algo.ts, symbols ETH-USD) and the scripted fixture algo.
 */
export async function makeProject(name = "cli-proj"): Promise<string> {
  const { mkdir, copyFile, writeFile } = await import("node:fs/promises");
  const root = path.join(mkdtempSync(path.join(os.tmpdir(), "algo-cli-")), name);
  await mkdir(path.join(root, "assembly"), { recursive: true });
  await copyFile(fileURLToPath(new URL("../fixtures/scripted-algo.ts", import.meta.url)), path.join(root, "assembly", "algo.ts"));
  const pkg = { name, private: true, sequence: { entry: "assembly/algo.ts", symbols: ["ETH-USD"] } };
  await writeFile(path.join(root, "package.json"), JSON.stringify(pkg, null, 2) + "\n");
  return root;
}

/** A temp folder for files a test writes. */
export function tempDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), "algo-cli-"));
}
