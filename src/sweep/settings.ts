/**
 * What every run of a sweep shares (the module, the data, the venue's
 * settings) and the content address of one run: a SHA-256 over the module's
 * bytes, the data's identity, the settings and the run's params, so the same
 * run computed twice (a retry, another machine) is known to be the same.
 */
import { createHash } from "node:crypto";
import { createReadStream, existsSync } from "node:fs";
import path from "node:path";
import type { QueueModelName } from "../../harness/venue/queue.ts";

export interface RunSettings {
  /** `--data` as given: a file (relative to baseDir), "sp500" or "synthetic:…". */
  data: string;
  baseDir: string;
  makerBps: string;
  takerBps: string;
  latencyNs: string;
  fillQueue: QueueModelName;
  /** Starting cash, USD (`--capital`): returns in % of it, orders it cannot pay for refused. */
  capital?: string;
  /** `--from`/`--to` as typed (data/time-range.ts). */
  from?: string;
  to?: string;
}

/** The settings as the manifest and the content address see them (no machine-specific path). */
export function describeSettings(s: RunSettings): Record<string, string> {
  const optional = { capital: s.capital, from: s.from, to: s.to };
  const set = Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)) as Record<string, string>;
  return { data: s.data, maker_bps: s.makerBps, taker_bps: s.takerBps, latency_ns: s.latencyNs, fill_queue: s.fillQueue, ...set };
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

/** The content address of one run. */
export function runKey(moduleSha256: string, dataId: string, settings: RunSettings, params: Record<string, string>): string {
  const sorted = Object.fromEntries(Object.entries(params).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const { data: _spec, ...venue } = describeSettings(settings);
  return sha256(JSON.stringify({ module: moduleSha256, data: dataId, venue, params: sorted }));
}
