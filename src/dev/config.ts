/**
 * The emulator's settings: command-line flags over an optional JSON config
 * file over the defaults below. The file is declared (and checked) by
 * src/schemas/dev-config.ts; a flag goes through the same field as its key,
 * and every message names the flag or config key at fault.
 *
 * Config file (`--config dev.json`), every key optional:
 * ```json
 * {
 *   "keys": { "seq_test_alice": "alice", "seq_test_bob": "bob" },
 *   "venues": { "ETH-USD": ["coinbase", "kraken", "binance"] },
 *   "fees": { "coinbase": { "maker_bps": 40, "taker_bps": 60 } },
 *   "latency_ns": { "coinbase": 2000000 },
 *   "port": 50052, "host": "127.0.0.1", "data": "./ticks", "speed": 10,
 *   "state": ".algo/dev.sqlite", "budget_ms": 250, "max_memory_pages": 256,
 *   "edge_capacity": 16, "checkpoint_ms": 1000
 * }
 * ```
 */
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import type * as z from "zod";
import { MAX_MEMORY_PAGES } from "../../harness/abi.ts";
import { API_KEY, API_KEY_EXPECTED, devConfigFileSchema, devSettingFields, type DevConfigFile, type Speed, type VenueFees } from "../schemas/dev-config.ts";
import { describeProblem, firstProblem } from "../schemas/problem.ts";
import { ConfigError } from "./errors.ts";

export type { Speed, VenueFees };

export interface DevConfig {
  host: string;
  port: number;
  /** Tick files per symbol (see data.ts); undefined = synthetic data everywhere. */
  dataDir: string | undefined;
  speed: Speed;
  /** API key → client id. Empty means "generate (or reuse) one key at startup". */
  keys: Map<string, string>;
  /** SQLite file, or ":memory:" for a throwaway emulator. */
  statePath: string;
  /** Symbol → venues whose edges can host it, in order (the first is the symbol's primary venue). */
  venues: Record<string, string[]>;
  fees: Record<string, VenueFees>;
  /** Order entry latency per venue, ns (the harness's ConstantLatency). */
  latencyNs: Record<string, bigint>;
  /** Longest a batch of callbacks may run before the edge's engine is terminated. */
  budgetMs: number;
  /** Largest declared maximum linear memory a module may have, in 64 KiB pages (at most the harness's 256). */
  maxMemoryPages: number;
  /** Deployments one edge accepts (running or not); a full edge refuses the push. */
  edgeCapacity: number;
  /** How often per-edge counters are written to the state file. */
  checkpointMs: number;
}

export const DEFAULT_PORT = 50052;
export const DEFAULT_HOST = "127.0.0.1";
export const DEFAULT_SPEED = 10;
export const DEFAULT_STATE = path.join(".algo", "dev.sqlite");
export const DEFAULT_BUDGET_MS = 250;
/** The harness's cap, which `algo build` declares (256 pages = 16 MiB); the config may only lower it. */
export const DEFAULT_MAX_MEMORY_PAGES = MAX_MEMORY_PAGES;
export const DEFAULT_EDGE_CAPACITY = 16;
export const DEFAULT_CHECKPOINT_MS = 1000;

export const DEFAULT_VENUES: Readonly<Record<string, readonly string[]>> = {
  "ETH-USD": ["coinbase", "kraken", "binance"],
  "BTC-USD": ["coinbase", "kraken", "binance"],
  "SOL-USD": ["coinbase", "binance"],
};

/** A plausible retail tier per venue (bps of notional); not any venue's current schedule. */
export const DEFAULT_FEES: Readonly<Record<string, VenueFees>> = {
  coinbase: { maker_bps: 40, taker_bps: 60 },
  kraken: { maker_bps: 25, taker_bps: 40 },
  binance: { maker_bps: 10, taker_bps: 10 },
};
/** Fees for a venue configured without its own entry. */
export const FALLBACK_FEES: VenueFees = { maker_bps: 10, taker_bps: 20 };

/** What the command line gives (all strings, as commander parses them). */
export interface DevFlags {
  port?: string;
  host?: string;
  data?: string;
  speed?: string;
  key?: string[];
  config?: string;
  state?: string;
  budgetMs?: string;
}

function readConfigFile(file: string): DevConfigFile {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new ConfigError(`--config ${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`--config ${file}: not valid JSON (${(e as Error).message})`);
  }
  const parsed = devConfigFileSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(`--config ${file}: ${describeProblem(firstProblem(parsed.error), "head")}`);
  return parsed.data;
}

/**
 * A flag's value, checked by the config key's own field: `--port "abc": expected
 * a whole number in 0..65535` (`--speed fast: …` unquoted, as it always read).
 */
function flagValue<S extends z.ZodType>(field: S, flag: string, value: string | undefined, quoted = true): z.output<S> | undefined {
  if (value === undefined) return undefined;
  const parsed = field.safeParse(value);
  if (!parsed.success) throw new ConfigError(`${flag} ${quoted ? JSON.stringify(value) : value}: ${firstProblem(parsed.error).message}`);
  return parsed.data;
}

/** Flags over the config file over the defaults. */
export function resolveConfig(flags: DevFlags, cwd = process.cwd()): DevConfig {
  const file: DevConfigFile = flags.config !== undefined ? readConfigFile(path.resolve(cwd, flags.config)) : {};

  const keys = new Map<string, string>(Object.entries(file.keys ?? {}));
  for (const key of flags.key ?? []) {
    if (!API_KEY.test(key)) throw new ConfigError(`--key ${JSON.stringify(key)}: ${API_KEY_EXPECTED}`);
    if (!keys.has(key)) keys.set(key, clientNameFor(key));
  }

  const venues: Record<string, string[]> = file.venues ?? Object.fromEntries(Object.entries(DEFAULT_VENUES).map(([s, v]) => [s, [...v]]));
  const fees: Record<string, VenueFees> = {};
  for (const venue of new Set(Object.values(venues).flat())) fees[venue] = file.fees?.[venue] ?? DEFAULT_FEES[venue] ?? FALLBACK_FEES;
  const latencyNs: Record<string, bigint> = {};
  for (const venue of Object.keys(fees)) latencyNs[venue] = BigInt(file.latency_ns?.[venue] ?? 0);

  const f = devSettingFields;
  const port = flagValue(f.port, "--port", flags.port) ?? file.port;
  const host = flagValue(f.host, "--host", flags.host) ?? file.host;
  const data = flagValue(f.data, "--data", flags.data) ?? file.data;
  const speed = flagValue(f.speed, "--speed", flags.speed, false) ?? file.speed;
  const state = flagValue(f.state, "--state", flags.state) ?? file.state ?? DEFAULT_STATE;
  const budgetMs = flagValue(f.budget_ms, "--budget-ms", flags.budgetMs) ?? file.budget_ms;

  const dataDir = data === undefined ? undefined : path.resolve(cwd, data);
  if (dataDir !== undefined) {
    const stat = statSync(dataDir, { throwIfNoEntry: false });
    if (!stat) throw new ConfigError(`--data ${data}: no such directory (${dataDir})`);
    if (!stat.isDirectory()) throw new ConfigError(`--data ${data}: is a file; algo dev reads a directory of <SYMBOL>.<venue>.csv or <SYMBOL>.csv files (.ticks, .json too)`);
  }

  return {
    host: host ?? DEFAULT_HOST,
    port: port ?? DEFAULT_PORT,
    dataDir,
    speed: speed ?? DEFAULT_SPEED,
    keys,
    statePath: state === ":memory:" ? state : path.resolve(cwd, state),
    venues,
    fees,
    latencyNs,
    budgetMs: budgetMs ?? DEFAULT_BUDGET_MS,
    maxMemoryPages: file.max_memory_pages ?? DEFAULT_MAX_MEMORY_PAGES,
    edgeCapacity: file.edge_capacity ?? DEFAULT_EDGE_CAPACITY,
    checkpointMs: file.checkpoint_ms ?? DEFAULT_CHECKPOINT_MS,
  };
}

/** A stable client name for a key given with --key (or generated): "client-" and 12 hex digits of its SHA-256. */
export function clientNameFor(key: string): string {
  return `client-${createHash("sha256").update(key).digest("hex").slice(0, 12)}`;
}
