/**
 * `algo backtest`'s engine settings from its flags: one function, used on the
 * main thread to check the flags before anything is compiled and in the
 * backtest worker (backtest-worker.ts) to build the engine's options. The
 * flags are plain strings, so they cross to the worker as they are.
 */
import type { BacktestOptions } from "../../harness/engine.ts";
import { parseFixed } from "../../harness/fixed.ts";
import { BpsFees } from "../../harness/venue/fees.ts";
import { parseInstrument } from "../../harness/venue/instrument.ts";
import { DEFAULT_LATENCY_SEED, Latencies } from "../../harness/venue/latency.ts";
import { parseMarketRemainder } from "../../harness/venue/market-remainder.ts";
import { ProbQueue, QUEUE_MODELS, type QueueModel, type QueueModelName } from "../../harness/venue/queue.ts";
import type { VenueRules } from "../../harness/venue/venue.ts";
import { parseTimeBound, type TimeRange } from "../../harness/data/time-range.ts";
import { TicksSource, type TickSource } from "../../harness/data/index.ts";
import { basename } from "node:path";
import { UsageError } from "./errors.ts";

/** The flags that shape the engine; values were checked by their option parsers (option-values.ts). */
export interface EngineFlags {
  makerBps: string;
  takerBps: string;
  /** The old name of --entry-latency (whole ns). */
  latencyNs?: string;
  feedLatency?: string;
  entryLatency?: string;
  responseLatency?: string;
  seed?: string;
  queue?: string;
  capital?: string;
  marketRemainder?: string;
  instrument?: string;
  staleNs?: string;
  refuseStale?: boolean;
  exactLatency?: boolean;
  sample?: string;
  periodsPerYear?: string;
  riskFree?: string;
}

export const ENGINE_FLAG_NAMES = [
  "makerBps", "takerBps", "latencyNs", "feedLatency", "entryLatency", "responseLatency", "seed", "queue", "capital",
  "marketRemainder", "instrument", "staleNs", "refuseStale", "exactLatency", "sample", "periodsPerYear", "riskFree",
] as const satisfies readonly (keyof EngineFlags)[];

/** Just the engine's flags of a command's options (what is sent to the worker). */
export function engineFlagsOf(opts: EngineFlags): EngineFlags {
  const out: Record<string, unknown> = {};
  for (const name of ENGINE_FLAG_NAMES) if (opts[name] !== undefined) out[name] = opts[name];
  return out as unknown as EngineFlags;
}

export type EngineSettings = Pick<BacktestOptions, "fees" | "latency" | "queue" | "capitalUsd_1e9" | "venueRules" | "exactLatency" | "stats">;

/** The engine's options for these flags; a combination that makes no sense is a UsageError. */
export function engineSettings(flags: EngineFlags): EngineSettings {
  const seed = flags.seed === undefined ? DEFAULT_LATENCY_SEED : BigInt(flags.seed);
  return {
    fees: new BpsFees(flags.makerBps, flags.takerBps),
    latency: latencies(flags, seed),
    queue: queueModel(flags.queue ?? "through", Number(seed)),
    capitalUsd_1e9: flags.capital === undefined ? undefined : parseFixed(flags.capital, 9),
    venueRules: venueRules(flags),
    exactLatency: flags.exactLatency,
    stats: {
      sampleNs: flags.sample === undefined ? undefined : BigInt(flags.sample),
      periodsPerYear: flags.periodsPerYear === undefined ? undefined : Number(flags.periodsPerYear),
      riskFreePct: flags.riskFree === undefined ? undefined : Number(flags.riskFree),
    },
  };
}

function latencies(flags: EngineFlags, seed: bigint): Latencies {
  if (flags.latencyNs !== undefined && flags.entryLatency !== undefined)
    throw new UsageError("--latency-ns is the old name of --entry-latency: give one of them");
  return new Latencies({ feed: flags.feedLatency, entry: flags.entryLatency ?? flags.latencyNs, response: flags.responseLatency, seed });
}

function queueModel(name: string, seed: number): QueueModel {
  if (!(name in QUEUE_MODELS)) throw new UsageError(`--queue ${name}: expected one of ${Object.keys(QUEUE_MODELS).join(", ")}`);
  if (name === "prob") return new ProbQueue({ seed });
  return new QUEUE_MODELS[name as Exclude<QueueModelName, "prob">]();
}

function venueRules(flags: EngineFlags): VenueRules {
  if (flags.refuseStale && !flags.staleNs) throw new UsageError("--refuse-stale needs --stale-ns <ns>: the age above which a quote is stale");
  return {
    instrument: flags.instrument ? parseInstrument(flags.instrument) : undefined,
    instrumentFrom: flags.instrument ? "--instrument or sequence.backtest.instrument" : undefined,
    marketRemainder: flags.marketRemainder ? parseMarketRemainder(flags.marketRemainder) : undefined,
    staleNs: flags.staleNs ? BigInt(flags.staleNs) : undefined,
    refuseStale: flags.refuseStale,
  };
}

/**
 * The instrument's rules when the settings give none: the data's own, from a
 * .ticks header (issue 9). `--instrument` (or sequence.backtest.instrument)
 * wins; the report's venue says which applied (instrument_from).
 */
export function withDataInstrument(settings: EngineSettings, source: TickSource): EngineSettings {
  if (settings.venueRules?.instrument || !(source instanceof TicksSource) || !source.instrument) return settings;
  const instrumentFrom = `data file header (${basename(source.path)})`;
  return { ...settings, venueRules: { ...settings.venueRules, instrument: source.instrument, instrumentFrom } };
}

/** `--from`/`--to` as a range (each value already checked by its option parser); an empty range is a UsageError. */
export function rangeFromFlags(from: string | undefined, to: string | undefined): TimeRange {
  const range: TimeRange = {
    fromNs: from === undefined ? undefined : parseTimeBound(from, false),
    untilNs: to === undefined ? undefined : parseTimeBound(to, true),
  };
  if (range.fromNs !== undefined && range.untilNs !== undefined && range.fromNs >= range.untilNs)
    throw new UsageError(`--from ${from} --to ${to}: the range is empty; --from must come before --to`);
  return range;
}
