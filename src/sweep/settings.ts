/**
 * What every run of a sweep shares (the module, the data, the settings of
 * `algo backtest`: range, fees, latencies, queue model, capital, venue rules,
 * statistics, params not swept) and the content address of one run: a SHA-256
 * over the module's bytes, the data's identity, the settings and the run's
 * params, so the same run computed twice (a retry, another machine) is known
 * to be the same.
 */
import { createHash } from "node:crypto";
import { createReadStream, existsSync } from "node:fs";
import path from "node:path";
import { ENGINE_FLAG_NAMES, type DataInstrument, type EngineFlags } from "../cli/backtest-settings.ts";

export interface RunSettings {
  /** `--data` as given: a file (relative to baseDir), "sp500" or "synthetic:…". */
  data: string;
  baseDir: string;
  /** `--from`/`--to` as typed (data/time-range.ts). */
  from?: string;
  to?: string;
  /** The engine's flags, as `algo backtest` reads them (cli/backtest-settings.ts). */
  flags: EngineFlags;
  /** Params every run gets under its swept ones (the project's sequence.backtest.params that are not swept). */
  params: Record<string, string>;
  /** The per-callback budget (--callback-budget-ms): a run whose callback outruns it fails. Not part of a run's identity. */
  budgetMs: number;
  /** Facts about the module and data, for each run's saved report (computed once): not settings. */
  dataSha256: string;
  callbacks: string[];
  /** The instrument's rules the data file carries (a .ticks header), applied when the flags name none, as in a backtest. */
  dataInstrument?: DataInstrument;
}

/** "makerBps" → "maker-bps": the flag's name, as in package.json's sequence.backtest. */
function flagName(attribute: string): string {
  return attribute.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/**
 * The settings as the manifest and the content address see them: the keys of
 * `sequence.backtest` (flag names), no machine-specific path, nothing that
 * does not change a run's result.
 */
export function describeSettings(s: RunSettings): Record<string, unknown> {
  const out: Record<string, unknown> = { data: s.data };
  if (s.from !== undefined) out.from = s.from;
  if (s.to !== undefined) out.to = s.to;
  for (const name of ENGINE_FLAG_NAMES) if (s.flags[name] !== undefined) out[flagName(name)] = s.flags[name];
  if (Object.keys(s.params).length) out.params = sortedKeys(s.params);
  return out;
}

function sortedKeys(o: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function sha256(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** A data spec's identity: a file's SHA-256 (its content, wherever it lies), or the spec of generated/bundled data. */
export async function dataIdentity(spec: string, baseDir: string): Promise<string> {
  const file = path.resolve(baseDir, spec);
  if (spec === "sp500" || spec.startsWith("synthetic") || !existsSync(file)) return `spec:${spec}`;
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return `sha256:${hash.digest("hex")}`;
}

/** The content address of one run: the module, the data, every setting and the run's params (the swept ones over the shared ones). */
export function runKey(moduleSha256: string, dataId: string, settings: RunSettings, params: Record<string, string>): string {
  const { data: _spec, params: _shared, ...rest } = describeSettings(settings);
  return sha256(JSON.stringify({ module: moduleSha256, data: dataId, settings: rest, params: sortedKeys({ ...settings.params, ...params }) }));
}
