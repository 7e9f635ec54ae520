/**
 * The saved runs of a project (`backtests/*` with a report.json): listed
 * newest first with their headline figures, and found by name or prefix.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { DataError } from "../../harness/data/errors.ts";
import { parseJson, type JsonObject, type JsonValue } from "../client/json.ts";
import { UsageError } from "../cli/errors.ts";
import { RESULTS_DIR, RUN_FILES } from "./run-folder.ts";

export interface RunSummary {
  /** The folder's name: what `algo report <run>` takes. */
  run: string;
  path: string;
  data: string;
  net_pnl_1e9: bigint;
  return_pct: number | null;
  sharpe: number | null;
  max_drawdown_pct: number | null;
  fills: number;
  run_sha256: string;
}

/** Folder names of the saved runs, newest first (names start with the UTC time). */
export function runNames(root: string): string[] {
  const dir = path.join(root, RESULTS_DIR);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw e;
  }
  return names.filter((n) => !n.startsWith(".") && isFile(path.join(dir, n, RUN_FILES.report))).sort().reverse();
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The run named `name` (its folder, or a unique prefix of it); the newest without a name. */
export function findRun(root: string, name?: string): string {
  const names = runNames(root);
  const where = path.relative(process.cwd(), path.join(root, RESULTS_DIR)) || RESULTS_DIR;
  if (names.length === 0) throw new UsageError(`no saved runs in ${where}/ (every \`algo backtest\` without --no-save saves one)`);
  if (name === undefined) return names[0];
  const wanted = path.basename(name.replace(/[\\/]+$/, ""));
  if (names.includes(wanted)) return wanted;
  const matches = names.filter((n) => n.startsWith(wanted));
  if (matches.length === 1) return matches[0];
  if (matches.length === 0) throw new UsageError(`no saved run "${name}" in ${where}/ (\`algo results\` lists them)`);
  throw new UsageError(`"${name}" matches ${matches.length} runs (${matches.slice(0, 3).join(", ")}${matches.length > 3 ? ", …" : ""}): give more of the name`);
}

/** A saved run's report.json, parsed with its big integers exact. */
export function readSavedReport(root: string, run: string): { file: string; text: string; report: JsonObject } {
  return readReportIn(path.join(root, RESULTS_DIR, run));
}

/** Whether `dir` is a saved run's folder (anywhere: a sweep keeps its runs in `<sweep>/runs/`). */
export function isRunFolder(dir: string): boolean {
  return isFile(path.join(dir, RUN_FILES.report));
}

/** The report.json of the run folder `dir`. */
export function readReportIn(dir: string): { file: string; text: string; report: JsonObject } {
  const file = path.join(dir, RUN_FILES.report);
  const text = readFileSync(file, "utf8");
  let value: JsonValue;
  try {
    value = parseJson(text);
  } catch (e) {
    throw new DataError({ file, line: 0, expected: "a saved backtest report (JSON)", found: (e as Error).message });
  }
  if (value === null || typeof value !== "object" || Array.isArray(value) || typeof value.result !== "object")
    throw new DataError({ file, line: 0, expected: 'a saved backtest report: an object with "result" and "run"' });
  return { file, text, report: value };
}

export function summarize(root: string, run: string): RunSummary {
  const { file, report } = readSavedReport(root, run);
  const get = (...keys: string[]): JsonValue | undefined => keys.reduce<JsonValue | undefined>((v, k) => (v && typeof v === "object" && !Array.isArray(v) ? v[k] : undefined), report);
  const num = (v: JsonValue | undefined) => (typeof v === "number" ? v : typeof v === "bigint" ? Number(v) : null);
  const net = get("result", "pnl", "net_pnl_1e9");
  if (typeof net !== "bigint") throw new DataError({ file, line: 0, field: "result.pnl.net_pnl_1e9", expected: "an integer (USD × 1e9)" });
  const source = get("source", "description");
  const hash = get("run", "run_sha256");
  return {
    run,
    path: path.join(root, RESULTS_DIR, run),
    data: typeof source === "string" ? source : "",
    net_pnl_1e9: net,
    return_pct: num(get("result", "statistics", "return_pct")),
    sharpe: num(get("result", "statistics", "sharpe")),
    max_drawdown_pct: num(get("result", "statistics", "max_drawdown_pct")),
    fills: num(get("result", "fills", "count")) ?? 0,
    run_sha256: typeof hash === "string" ? hash : "",
  };
}
