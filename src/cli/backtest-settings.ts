/**
 * `algo backtest`'s engine settings from its flags: one function, used on the
 * main thread to check the flags before anything is compiled and in the
 * backtest worker (backtest-worker.ts) to build the engine's options. The
 * flags are plain strings, so they cross to the worker as they are.
 */
import { InvalidArgumentError, Option } from "commander";
import type { BacktestOptions } from "../../harness/engine.ts";
import { parseFixed } from "../../harness/fixed.ts";
import { formatInstrument, parseInstrument } from "../../harness/venue/instrument.ts";
import { DEFAULT_LATENCY_SEED } from "../../harness/venue/latency.ts";
import { parseMarketRemainder } from "../../harness/venue/market-remainder.ts";
import { QUEUE_MODELS } from "../../harness/venue/queue.ts";
import { isQueueModelName, venueModels, type VenueModels, type VenueSettings } from "../../harness/venue/settings.ts";
import { parseTimeBound, type TimeRange } from "../../harness/data/time-range.ts";
import { TicksSource, type TickSource } from "../../harness/data/index.ts";
import { basename } from "node:path";
import { UsageError } from "./errors.ts";
import { bps, delay, oneOf, positiveWhole, timeBound, usdAmount, whole } from "./option-values.ts";
import { annualPct, periodsPerYear, samplingInterval } from "./stats-options.ts";

/**
 * The flags that shape the engine; values were checked by their option parsers (option-values.ts).
 * The venue's flags are named as the venue settings an emulator's edge takes too (harness/venue/settings.ts).
 */
export interface EngineFlags extends Omit<VenueSettings, "instrumentFrom"> {
  /** The old name of --entry-latency (whole ns). */
  latencyNs?: string;
  capital?: string;
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

export type EngineSettings = VenueModels & Pick<BacktestOptions, "capitalUsd_1e9" | "exactLatency" | "stats">;

/** The engine's options for these flags; a combination that makes no sense is a UsageError. */
export function engineSettings(flags: EngineFlags): EngineSettings {
  return {
    ...venueModels(venueSettingsOf(flags)),
    capitalUsd_1e9: flags.capital === undefined ? undefined : parseFixed(flags.capital, 9),
    exactLatency: flags.exactLatency,
    stats: {
      sampleNs: flags.sample === undefined ? undefined : BigInt(flags.sample),
      periodsPerYear: flags.periodsPerYear === undefined ? undefined : Number(flags.periodsPerYear),
      riskFreePct: flags.riskFree === undefined ? undefined : Number(flags.riskFree),
    },
  };
}

/** The venue's settings these flags give (checked here for what the option parsers cannot see alone). */
function venueSettingsOf(flags: EngineFlags): VenueSettings {
  if (flags.latencyNs !== undefined && flags.entryLatency !== undefined)
    throw new UsageError("--latency-ns is the old name of --entry-latency: give one of them");
  if (flags.queue !== undefined && !isQueueModelName(flags.queue)) throw new UsageError(`--queue ${flags.queue}: expected one of ${Object.keys(QUEUE_MODELS).join(", ")}`);
  if (flags.refuseStale && !flags.staleNs) throw new UsageError("--refuse-stale needs --stale-ns <ns>: the age above which a quote is stale");
  return {
    makerBps: flags.makerBps,
    takerBps: flags.takerBps,
    feedLatency: flags.feedLatency,
    entryLatency: flags.entryLatency ?? flags.latencyNs,
    responseLatency: flags.responseLatency,
    seed: flags.seed,
    queue: flags.queue,
    marketRemainder: flags.marketRemainder,
    instrument: flags.instrument,
    instrumentFrom: flags.instrument ? "--instrument or sequence.backtest.instrument" : undefined,
    staleNs: flags.staleNs,
    refuseStale: flags.refuseStale,
  };
}

/** The instrument's rules a data file carries (a .ticks header), as `--instrument` text, and where they came from. */
export interface DataInstrument {
  readonly text: string;
  readonly from: string;
}

export function dataInstrumentOf(source: TickSource): DataInstrument | undefined {
  if (!(source instanceof TicksSource) || !source.instrument) return undefined;
  return { text: formatInstrument(source.instrument), from: `data file header (${basename(source.path)})` };
}

/**
 * The instrument's rules when the settings give none: the data's own, from a
 * .ticks header (issue 9). `--instrument` (or sequence.backtest.instrument)
 * wins; the report's venue says which applied (instrument_from).
 */
export function withDataInstrument(settings: EngineSettings, data: DataInstrument | undefined): EngineSettings {
  if (settings.venueRules?.instrument || data === undefined) return settings;
  return { ...settings, venueRules: { ...settings.venueRules, instrument: parseInstrument(data.text), instrumentFrom: data.from } };
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

/**
 * The flags of a run's settings (the time range and every engine flag), declared
 * once for `algo backtest` and `algo sweep`, so both read the same values the
 * same way. `sweep` has its own `--queue` (a Redis URL), so it names the fill
 * queue model another way (`queueFlag`); that option's attribute is then
 * `fillQueue`, not `queue`.
 */
export function engineOptions(queueFlag = "--queue"): Option[] {
  const option = (flags: string, about: string, parse?: (value: string) => string, preset?: string): Option => {
    const o = new Option(flags, about);
    if (parse) o.argParser(parse);
    if (preset !== undefined) o.default(preset);
    return o;
  };
  return [
    option("--from <time>", "replay only from this UTC date (2020-03-01), instant (2020-03-01T14:30:00Z) or ns on", timeBound),
    option("--to <time>", "replay only up to this date (the whole day), instant (included) or ns", timeBound),
    option("--maker-bps <bps>", "maker fee in basis points (negative = rebate)", bps, "0"),
    option("--taker-bps <bps>", "taker fee in basis points", bps, "0"),
    option("--feed-latency <delay>", "exchange time → the algo sees a market event: ns, or uniform:<min>:<max>, normal:<mean>:<sd>, lognormal:<median>:<sigma> (default 0)", delay),
    option("--entry-latency <delay>", "the algo's place/cancel → the venue (same forms; default 0)", delay),
    option("--response-latency <delay>", "the venue → the algo hears of the ack, fill, cancel or reject (same forms; default 0)", delay),
    option("--seed <n>", `seed of every random draw: the latency distributions and the prob queue model (default ${DEFAULT_LATENCY_SEED})`, whole),
    option("--latency-ns <ns>", "order entry latency in whole ns (the old name of --entry-latency)", whole),
    option(
      `${queueFlag} <model>`,
      "fills at a resting order's own price: through (never; default), risk-averse (after the displayed queue ahead trades) or prob (cancels ahead also move it up, drawn with --seed)",
      oneOf(Object.keys(QUEUE_MODELS)),
      "through",
    ),
    option("--capital <usd>", "starting cash: orders the account cannot pay for are rejected (insufficient_funds), returns in % of it", usdAmount),
    option("--market-remainder <rule>", "a market order's part beyond the displayed size: cancel (default), rest (at the touch price) or impact:<bps> (fills that many bps worse)", checkedBy(parseMarketRemainder)),
    option("--instrument <spec>", "exchange rules, e.g. tick=0.01,lot=0.001,min_notional=10 (orders breaking them are rejected)", checkedBy(parseInstrument)),
    option("--stale-ns <ns>", "count taker fills against a quote older than this (shown in the report)", whole),
    option("--refuse-stale", "with --stale-ns: reject such orders (stale_book) instead"),
    option("--sample <interval>", "sampling interval of the returns behind Sharpe and Sortino: 1d (default), 4h, 15m, 30s, 500ms", samplingInterval),
    option("--periods-per-year <n>", "annualisation: periods per year (default 252 with 1d sampling, else a 365-day year of intervals)", periodsPerYear),
    option("--risk-free <pct>", "annual risk-free rate in percent for Sharpe and Sortino (default 0)", annualPct),
    option("--exact-latency", "time each callback on its own (slower replay)"),
  ];
}

/** `--callback-budget-ms`: a run whose callback outruns it is stopped (an endless loop), in a backtest and in every run of a sweep. */
export function callbackBudgetOption(defaultMs: number): Option {
  return new Option("--callback-budget-ms <ms>", "stop the run when one callback runs longer than this (an endless loop)").argParser(positiveWhole).default(String(defaultMs));
}

/** Runs a harness parser at option-parsing time: its RangeError becomes a one-line usage error. */
function checkedBy(parse: (text: string) => unknown): (value: string) => string {
  return (value) => {
    try {
      parse(value);
    } catch (e) {
      throw new InvalidArgumentError((e as Error).message);
    }
    return value;
  };
}
