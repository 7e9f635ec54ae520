/**
 * The simulated venue's settings: one type for a backtest (`algo backtest`
 * and `algo sweep` flags, the project's sequence.backtest: see
 * src/cli/backtest-settings.ts) and the emulator's edges (dev.json: see
 * src/dev/edges.ts). Plain text, so it crosses to a worker thread as it is;
 * `venueModels` builds the models of one run from it, in that thread.
 */
import { BpsFees, type FeeModel } from "./fees.ts";
import { parseInstrument } from "./instrument.ts";
import { DEFAULT_LATENCY_SEED, Latencies, type LatencyModel } from "./latency.ts";
import { parseMarketRemainder } from "./market-remainder.ts";
import { ProbQueue, QUEUE_MODELS, type QueueModel, type QueueModelName } from "./queue.ts";
import type { VenueRules } from "./venue.ts";

export interface VenueSettings {
  /** Maker fee in basis points (negative = rebate). */
  makerBps: string;
  /** Taker fee in basis points. */
  takerBps: string;
  /** Exchange time → the algo sees a market event: a delay in latency.ts's grammar (default 0). */
  feedLatency?: string;
  /** The algo's place/cancel → the venue (default 0). */
  entryLatency?: string;
  /** The venue → the algo hears of the ack, fill, cancel or reject (default 0). */
  responseLatency?: string;
  /** Seed of every random draw: the latency distributions and the prob queue model (default DEFAULT_LATENCY_SEED). */
  seed?: string;
  /** Fills at a resting order's own price: a QUEUE_MODELS name (default "through"). */
  queue?: string;
  /** A market order's part beyond the displayed size (market-remainder.ts; default cancel). */
  marketRemainder?: string;
  /** Exchange rules, e.g. tick=0.01,lot=0.001 (instrument.ts; default none). */
  instrument?: string;
  /** Where `instrument` came from, for the report's venue. */
  instrumentFrom?: string;
  /** Count taker fills against a quote older than this many ns. */
  staleNs?: string;
  /** With staleNs: reject such orders instead (stale_book). */
  refuseStale?: boolean;
}

/** The models one run's venue is built with (the engine's options of the same names). */
export interface VenueModels {
  fees: FeeModel;
  /** Feed, entry and response latency (latency.ts). */
  latency: LatencyModel;
  /** What happens when the market trades exactly at a resting order's price (queue.ts). */
  queue: QueueModel;
  /** Instrument spec, market-order remainder, stale-book threshold (venue.ts). */
  venueRules: VenueRules;
}

/** The models for these settings; a value that does not parse is a RangeError saying what was expected. */
export function venueModels(settings: VenueSettings): VenueModels {
  const seed = settings.seed === undefined ? DEFAULT_LATENCY_SEED : BigInt(settings.seed);
  return {
    fees: new BpsFees(settings.makerBps, settings.takerBps),
    latency: new Latencies({ feed: settings.feedLatency, entry: settings.entryLatency, response: settings.responseLatency, seed }),
    queue: queueModel(settings.queue ?? "through", Number(seed)),
    venueRules: {
      instrument: settings.instrument ? parseInstrument(settings.instrument) : undefined,
      instrumentFrom: settings.instrument ? settings.instrumentFrom : undefined,
      marketRemainder: settings.marketRemainder ? parseMarketRemainder(settings.marketRemainder) : undefined,
      staleNs: settings.staleNs ? BigInt(settings.staleNs) : undefined,
      refuseStale: settings.refuseStale,
    },
  };
}

export function isQueueModelName(name: string): name is QueueModelName {
  return Object.hasOwn(QUEUE_MODELS, name);
}

function queueModel(name: string, seed: number): QueueModel {
  if (!isQueueModelName(name)) throw new RangeError(`queue model ${name}: expected one of ${Object.keys(QUEUE_MODELS).join(", ")}`);
  if (name === "prob") return new ProbQueue({ seed });
  return new QUEUE_MODELS[name]();
}
