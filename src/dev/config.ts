/**
 * The emulator's settings: command-line flags over an optional JSON config
 * file over the defaults below. Everything is validated here, once, with
 * messages that name the flag or config key at fault.
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
import { MAX_MEMORY_PAGES } from "../../harness/abi.ts";
import { ConfigError } from "./errors.ts";

/** Replay pace: a multiple of real time, or as fast as the emulator can. */
export type Speed = number | "max";

export interface VenueFees {
  maker_bps: number;
  taker_bps: number;
}

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

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const SYMBOL = /^[A-Z0-9][A-Z0-9._/-]{0,31}$/;
const VENUE = /^[a-z0-9][a-z0-9_-]{0,31}$/;
const KEY = /^[\x21-\x7e]{8,200}$/;

export function parseSpeed(text: string, where: string): Speed {
  const t = text.trim().toLowerCase();
  if (t === "max") return "max";
  const n = Number(t);
  if (t === "" || !Number.isFinite(n) || n <= 0 || n > 1e9) throw new ConfigError(`${where} ${text}: expected a positive multiple of real time (e.g. 10) or "max"`);
  return n;
}

function int(value: unknown, where: string, min: number, max: number): number {
  const n = typeof value === "string" && /^\d+$/.test(value.trim()) ? Number(value.trim()) : value;
  if (typeof n !== "number" || !Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`${where} ${JSON.stringify(value)}: expected a whole number in ${min}..${max}`);
  }
  return n;
}

function obj(value: Json | undefined, where: string): Record<string, Json> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new ConfigError(`${where}: expected a JSON object`);
  return value;
}

function bps(value: Json | undefined, where: string): number {
  // Decimals are counted in the number's shortest text ("0.07"), not by scaling a float (0.07·1e4 = 700.0000000000001).
  if (typeof value !== "number" || Math.abs(value) > 10_000 || !/^-?\d+(\.\d{1,4})?$/.test(String(value))) {
    throw new ConfigError(`${where}: expected basis points (at most 4 decimals), got ${JSON.stringify(value)}`);
  }
  return value;
}

function readConfigFile(file: string): Record<string, Json> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new ConfigError(`--config ${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let parsed: Json;
  try {
    parsed = JSON.parse(text) as Json;
  } catch (e) {
    throw new ConfigError(`--config ${file}: not valid JSON (${(e as Error).message})`);
  }
  return obj(parsed, `--config ${file}`);
}

const KNOWN_KEYS = new Set([
  "keys", "venues", "fees", "latency_ns", "port", "host", "data", "speed", "state", "budget_ms",
  "max_memory_pages", "edge_capacity", "checkpoint_ms",
]);

/** Flags over the config file over the defaults. */
export function resolveConfig(flags: DevFlags, cwd = process.cwd()): DevConfig {
  const file = flags.config !== undefined ? readConfigFile(path.resolve(cwd, flags.config)) : {};
  const where = (key: string) => `--config ${flags.config}: "${key}"`;
  for (const k of Object.keys(file)) if (!KNOWN_KEYS.has(k)) throw new ConfigError(`${where(k)} is not a setting (known: ${[...KNOWN_KEYS].join(", ")})`);

  const keys = new Map<string, string>();
  if (file.keys !== undefined) {
    for (const [key, client] of Object.entries(obj(file.keys, where("keys")))) {
      if (!KEY.test(key)) throw new ConfigError(`${where("keys")}: key ${JSON.stringify(key)} must be 8..200 printable characters without spaces`);
      if (typeof client !== "string" || !/^[\w.@-]{1,64}$/.test(client)) {
        throw new ConfigError(`${where("keys")}: client name for ${key.slice(0, 12)}… must be 1..64 letters, digits, "_.@-"`);
      }
      keys.set(key, client);
    }
  }
  for (const key of flags.key ?? []) {
    if (!KEY.test(key)) throw new ConfigError(`--key ${JSON.stringify(key)}: must be 8..200 printable characters without spaces`);
    if (!keys.has(key)) keys.set(key, clientNameFor(key));
  }

  const venues: Record<string, string[]> = {};
  const venueSource = file.venues !== undefined ? obj(file.venues, where("venues")) : (DEFAULT_VENUES as Record<string, Json>);
  for (const [symbol, list] of Object.entries(venueSource)) {
    if (!SYMBOL.test(symbol)) throw new ConfigError(`${where("venues")}: symbol ${JSON.stringify(symbol)} must look like ETH-USD (capitals, digits, "._/-")`);
    if (!Array.isArray(list) || list.length === 0 || list.some((v) => typeof v !== "string" || !VENUE.test(v))) {
      throw new ConfigError(`${where("venues")}: ${symbol} needs a non-empty list of lower-case venue names, e.g. ["coinbase", "kraken"]`);
    }
    const names = list as string[];
    if (new Set(names).size !== names.length) throw new ConfigError(`${where("venues")}: ${symbol} lists a venue twice`);
    venues[symbol] = names;
  }
  if (Object.keys(venues).length === 0) throw new ConfigError(`${where("venues")}: at least one symbol is needed`);

  const fees: Record<string, VenueFees> = {};
  const feeFile = file.fees !== undefined ? obj(file.fees, where("fees")) : {};
  for (const venue of new Set(Object.values(venues).flat())) {
    const given = feeFile[venue];
    if (given === undefined) fees[venue] = DEFAULT_FEES[venue] ?? FALLBACK_FEES;
    else {
      const f = obj(given, `${where("fees")}.${venue}`);
      fees[venue] = { maker_bps: bps(f.maker_bps, `${where("fees")}.${venue}.maker_bps`), taker_bps: bps(f.taker_bps, `${where("fees")}.${venue}.taker_bps`) };
    }
  }

  const latencyNs: Record<string, bigint> = {};
  const latFile = file.latency_ns !== undefined ? obj(file.latency_ns, where("latency_ns")) : {};
  for (const venue of Object.keys(fees)) {
    const v = latFile[venue];
    latencyNs[venue] = v === undefined ? 0n : BigInt(int(v, `${where("latency_ns")}.${venue}`, 0, 60_000_000_000));
  }

  const pick = <T>(flag: T | undefined, key: string): T | Json | undefined => (flag !== undefined ? flag : file[key]);
  const portValue = pick(flags.port, "port");
  const hostValue = pick(flags.host, "host");
  const dataValue = pick(flags.data, "data");
  const speedValue = pick(flags.speed, "speed");
  const stateValue = pick(flags.state, "state");
  const budgetValue = pick(flags.budgetMs, "budget_ms");

  if (hostValue !== undefined && (typeof hostValue !== "string" || hostValue.trim() === "")) throw new ConfigError(`--host ${JSON.stringify(hostValue)}: expected a host name or address`);
  if (dataValue !== undefined && (typeof dataValue !== "string" || dataValue.trim() === "")) throw new ConfigError(`--data ${JSON.stringify(dataValue)}: expected a directory`);
  if (stateValue !== undefined && (typeof stateValue !== "string" || stateValue.trim() === "")) throw new ConfigError(`--state ${JSON.stringify(stateValue)}: expected a file path or :memory:`);

  const dataDir = dataValue === undefined ? undefined : path.resolve(cwd, dataValue as string);
  if (dataDir !== undefined) {
    const stat = statSync(dataDir, { throwIfNoEntry: false });
    if (!stat) throw new ConfigError(`--data ${dataValue}: no such directory (${dataDir})`);
    if (!stat.isDirectory()) throw new ConfigError(`--data ${dataValue}: is a file; algo dev reads a directory of <SYMBOL>.<venue>.csv or <SYMBOL>.csv files (.ticks, .json too)`);
  }

  const state = (stateValue as string | undefined) ?? DEFAULT_STATE;
  return {
    host: (hostValue as string | undefined) ?? DEFAULT_HOST,
    port: portValue === undefined ? DEFAULT_PORT : int(portValue, "--port", 0, 65535),
    dataDir,
    speed: speedValue === undefined ? DEFAULT_SPEED : parseSpeed(String(speedValue), "--speed"),
    keys,
    statePath: state === ":memory:" ? state : path.resolve(cwd, state),
    venues,
    fees,
    latencyNs,
    budgetMs: budgetValue === undefined ? DEFAULT_BUDGET_MS : int(budgetValue, "--budget-ms", 10, 600_000),
    maxMemoryPages: file.max_memory_pages === undefined ? DEFAULT_MAX_MEMORY_PAGES : int(file.max_memory_pages, `${where("max_memory_pages")} (it can only lower the harness's cap)`, 1, DEFAULT_MAX_MEMORY_PAGES),
    edgeCapacity: file.edge_capacity === undefined ? DEFAULT_EDGE_CAPACITY : int(file.edge_capacity, where("edge_capacity"), 1, 1000),
    checkpointMs: file.checkpoint_ms === undefined ? DEFAULT_CHECKPOINT_MS : int(file.checkpoint_ms, where("checkpoint_ms"), 50, 3_600_000),
  };
}

/** A stable client name for a key given with --key (or generated): "client-" and 12 hex digits of its SHA-256. */
export function clientNameFor(key: string): string {
  return `client-${createHash("sha256").update(key).digest("hex").slice(0, 12)}`;
}
