/**
 * `algo backtest`'s engine settings from its flags: one function, used on the
 * main thread to check the flags before anything is compiled and in the
 * backtest worker (backtest-worker.ts) to build the engine's options. The
 * flags are plain strings, so they cross to the worker as they are.
 */
import { Option, type Command, type OptionValues } from "@commander-js/extra-typings";
import type { BacktestOptions } from "../../harness/engine.ts";
import { parseFixed } from "../../harness/data/decimal.ts";
import { formatInstrument, parseInstrument } from "../../harness/venue/instrument.ts";
import { DEFAULT_LATENCY_SEED } from "../../harness/venue/latency.ts";
import { parseMarketRemainder } from "../../harness/venue/market-remainder.ts";
import { QUEUE_MODELS, type QueueModelName } from "../../harness/venue/queue.ts";
import { isQueueModelName, venueModels, type VenueModels, type VenueSettings } from "../../harness/venue/settings.ts";
import { parseTimeBound, type TimeRange } from "../../harness/data/time-range.ts";
import { TicksSource, type TickSource } from "../../harness/data/index.ts";
import { basename } from "node:path";
import { UsageError } from "./errors.ts";
import { annualPct, bps, checkedBy, choiceOption, delay, periodsPerYear, samplingInterval, timeBound, usdAmount, wholeNumber, wholeText } from "./options.ts";

/** Every option `withEngineOptions` declares, typed from the declaration. */
type EngineOptionValues = ReturnType<ReturnType<typeof withEngineOptions<[], {}, {}>>["opts"]>;

export const ENGINE_FLAG_NAMES = [
  "makerBps", "takerBps", "latencyNs", "feedLatency", "entryLatency", "responseLatency", "seed", "queue", "capital",
  "marketRemainder", "instrument", "staleNs", "refuseStale", "exactLatency", "sample", "periodsPerYear", "riskFree",
] as const satisfies readonly (keyof EngineOptionValues)[];

/**
 * The flags that shape the engine (not the time range, which is the data's):
 * checked text, as commander's parsers left them; this is what crosses to a
 * backtest's worker and, for a sweep, into each run's key.
 */
export type EngineFlags = Pick<EngineOptionValues, "makerBps" | "takerBps"> & Partial<Pick<EngineOptionValues, (typeof ENGINE_FLAG_NAMES)[number]>>;

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
 * same way; their types are the command's options. Values stay text (as typed,
 * checked), so they cross to a worker and into a sweep's run key as they are.
 * `sweep` has its own `--queue` (a Redis URL), so it names the fill queue
 * model `--fill-queue` (`queueFlag`); that option's attribute is then
 * `fillQueue`, not `queue`. `seedNote` adds to `--seed`'s description.
 */
export function withEngineOptions<A extends unknown[], O extends OptionValues, G extends OptionValues, const Q extends string = "--queue">(
  command: Command<A, O, G>,
  queueFlag: Q = "--queue" as Q,
  seedNote = "",
) {
  return command
    .addOption(new Option("--from <time>", "replay only from this UTC date (2020-03-01), instant (2020-03-01T14:30:00Z) or ns on").argParser(timeBound))
    .addOption(new Option("--to <time>", "replay only up to this date (the whole day), instant (included) or ns").argParser(timeBound))
    .addOption(new Option("--maker-bps <bps>", "maker fee in basis points (negative = rebate)").argParser(bps).default("0"))
    .addOption(new Option("--taker-bps <bps>", "taker fee in basis points").argParser(bps).default("0"))
    .addOption(new Option("--feed-latency <delay>", "exchange time → the algo sees a market event: ns, or uniform:<min>:<max>, normal:<mean>:<sd>, lognormal:<median>:<sigma> (default 0)").argParser(delay))
    .addOption(new Option("--entry-latency <delay>", "the algo's place/cancel → the venue (same forms; default 0)").argParser(delay))
    .addOption(new Option("--response-latency <delay>", "the venue → the algo hears of the ack, fill, cancel or reject (same forms; default 0)").argParser(delay))
    .addOption(new Option("--seed <n>", `seed of every random draw: the latency distributions and the prob queue model (default ${DEFAULT_LATENCY_SEED})${seedNote}`).argParser(wholeText(AS_GIVEN)))
    .addOption(new Option("--latency-ns <ns>", "order entry latency in whole ns (the old name of --entry-latency)").argParser(wholeText(AS_GIVEN)))
    .addOption(
      choiceOption(
        `${queueFlag} <model>`,
        "fills at a resting order's own price: through (never; default), risk-averse (after the displayed queue ahead trades) or prob (cancels ahead also move it up, drawn with --seed)",
        QUEUE_MODEL_NAMES,
      ).default("through"),
    )
    .addOption(new Option("--capital <usd>", "starting cash: orders the account cannot pay for are rejected (insufficient_funds), returns in % of it").argParser(usdAmount))
    .addOption(new Option("--market-remainder <rule>", "a market order's part beyond the displayed size: cancel (default), rest (at the touch price) or impact:<bps> (fills that many bps worse)").argParser(checkedBy(parseMarketRemainder)))
    .addOption(new Option("--instrument <spec>", "exchange rules, e.g. tick=0.01,lot=0.001,min_notional=10 (orders breaking them are rejected)").argParser(checkedBy(parseInstrument)))
    .addOption(new Option("--stale-ns <ns>", "count taker fills against a quote older than this (shown in the report)").argParser(wholeText(AS_GIVEN)))
    .addOption(new Option("--refuse-stale", "with --stale-ns: reject such orders (stale_book) instead"))
    .addOption(new Option("--sample <interval>", "sampling interval of the returns behind Sharpe and Sortino: 1d (default), 4h, 15m, 30s, 500ms").argParser(samplingInterval))
    .addOption(new Option("--periods-per-year <n>", "annualisation: periods per year (default 252 with 1d sampling, else a 365-day year of intervals)").argParser(periodsPerYear))
    .addOption(new Option("--risk-free <pct>", "annual risk-free rate in percent for Sharpe and Sortino (default 0)").argParser(annualPct))
    .addOption(new Option("--exact-latency", "time each callback on its own (slower replay)"));
}

const QUEUE_MODEL_NAMES = Object.keys(QUEUE_MODELS) as QueueModelName[];

/** `--callback-budget-ms`: a run whose callback outruns it is stopped (an endless loop), in a backtest and in every run of a sweep. */
export function callbackBudgetOption(defaultMs: number) {
  return new Option("--callback-budget-ms <ms>", "stop the run when one callback runs longer than this (an endless loop)")
    .argParser(wholeNumber({ min: 1, expected: "a whole number of at least 1", example: "1000" }))
    .default(defaultMs);
}

/** Whole ns or a seed: any length, kept as text. */
const AS_GIVEN = { example: "250" } as const;
