/**
 * Latency models, as hftbacktest separates them: three delays on one clock.
 *
 * - feed: exchange time of a market event → when the algo sees it
 *   (its on_quote/on_trade run then, and `now()` reads that time);
 * - entry: the algo's place/cancel → its arrival at the venue;
 * - response: the venue's ack, fill, cancel or reject → when the algo hears of it.
 *
 * Each is a constant or a seeded distribution (grammar in parseDelay). A drawn
 * delay never reorders a lane: a message leaves no earlier than the one sent
 * before it on the same lane, as on one network connection.
 */
import { Xoshiro128 } from "../data/prng.ts";

export interface LatencyModel {
  /** Nanoseconds from place/cancel at `nowNs` to its arrival at the venue. */
  orderEntryNs(nowNs: bigint): bigint;
  /** Nanoseconds from a market event at exchange time `exchangeNs` to the algo seeing it (0 if absent). */
  feedNs?(exchangeNs: bigint): bigint;
  /** Nanoseconds from a venue event at `venueNs` to the algo hearing of it (0 if absent). */
  responseNs?(venueNs: bigint): bigint;
  /** True when feed or response latency can be non-zero: the engine then keeps the algo's clock apart from the venue's. */
  readonly delaysAlgo?: boolean;
  /** A copy for one run: seeded draws start again from the seed. */
  start?(): LatencyModel;
  /** For the report: the model's settings. */
  describe(): Record<string, string>;
}

/** One delay: a constant, or a distribution of nanoseconds drawn per message. */
export type Delay =
  | { kind: "constant"; ns: bigint }
  | { kind: "uniform"; min: bigint; max: bigint }
  | { kind: "normal"; mean: number; sd: number }
  | { kind: "lognormal"; median: number; sigma: number };

export const DELAY_HELP = "<ns>, uniform:<min_ns>:<max_ns>, normal:<mean_ns>:<sd_ns> (clipped at 0) or lognormal:<median_ns>:<sigma>";

/** A delay the user wrote that does not parse; the message says what was expected. */
export class DelaySpecError extends Error {
  constructor(spec: string, why: string) {
    super(`"${spec}": ${why}; expected ${DELAY_HELP}`);
    this.name = "DelaySpecError";
  }
}

const WHOLE = /^\d+$/;
const DECIMAL = /^\d+(\.\d+)?$/;

/**
 * Parses a delay: `250000` (constant ns), `uniform:100000:300000` (whole ns,
 * both ends included), `normal:200000:50000` (mean and standard deviation in
 * ns, negative draws become 0), `lognormal:200000:0.5` (median in ns and the
 * standard deviation of its logarithm).
 */
export function parseDelay(spec: string): Delay {
  if (WHOLE.test(spec)) return { kind: "constant", ns: BigInt(spec) };
  const [kind, a, b, ...rest] = spec.split(":");
  if (rest.length > 0 || a === undefined || b === undefined) {
    if (["uniform", "normal", "lognormal"].includes(kind)) throw new DelaySpecError(spec, `${kind} takes two numbers`);
    throw new DelaySpecError(spec, "not a whole number of nanoseconds or a known distribution");
  }
  if (kind === "uniform") {
    if (!WHOLE.test(a) || !WHOLE.test(b)) throw new DelaySpecError(spec, "uniform's bounds are whole nanoseconds");
    if (BigInt(a) > BigInt(b)) throw new DelaySpecError(spec, "uniform's min is above its max");
    return { kind, min: BigInt(a), max: BigInt(b) };
  }
  if (kind === "normal") {
    if (!DECIMAL.test(a) || !DECIMAL.test(b)) throw new DelaySpecError(spec, "normal's mean and sd are nanoseconds ≥ 0");
    return { kind, mean: Number(a), sd: Number(b) };
  }
  if (kind === "lognormal") {
    if (!DECIMAL.test(a) || !DECIMAL.test(b)) throw new DelaySpecError(spec, "lognormal's median (ns) and sigma are numbers ≥ 0");
    return { kind, median: Number(a), sigma: Number(b) };
  }
  throw new DelaySpecError(spec, `unknown distribution "${kind}"`);
}

/** The delay written back in parseDelay's grammar. */
export function formatDelay(d: Delay): string {
  switch (d.kind) {
    case "constant":
      return d.ns.toString();
    case "uniform":
      return `uniform:${d.min}:${d.max}`;
    case "normal":
      return `normal:${d.mean}:${d.sd}`;
    case "lognormal":
      return `lognormal:${d.median}:${d.sigma}`;
  }
}

type DelayInput = Delay | bigint | string;

function toDelay(input: DelayInput): Delay {
  if (typeof input === "bigint") {
    if (input < 0n) throw new RangeError("latency must be >= 0 ns");
    return { kind: "constant", ns: input };
  }
  return typeof input === "string" ? parseDelay(input) : input;
}

const isZero = (d: Delay) => d.kind === "constant" && d.ns === 0n;

/** Draws one lane's delays and keeps the lane in order. */
class Lane {
  private last = -(1n << 62n);
  private readonly rng: Xoshiro128 | null;

  constructor(
    private readonly delay: Delay,
    seed: bigint,
  ) {
    this.rng = delay.kind === "constant" ? null : Xoshiro128.fromSeed(seed);
  }

  /** The delay for a message sent at `t`: drawn, then lengthened so it does not overtake the one before. */
  after(t: bigint): bigint {
    const d = this.delay;
    let ns: bigint;
    if (d.kind === "constant") return d.ns; // a constant delay cannot reorder
    if (d.kind === "uniform") ns = d.min + BigInt(Math.floor(this.unit() * Number(d.max - d.min + 1n)));
    else if (d.kind === "normal") ns = roundNs(d.mean + d.sd * this.gaussian());
    else ns = roundNs(d.median * Math.exp(d.sigma * this.gaussian()));
    const at = t + ns;
    if (at < this.last) return this.last - t;
    this.last = at;
    return ns;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  private unit(): number {
    const rng = this.rng!;
    return ((rng.next() >>> 5) * 67108864 + (rng.next() >>> 6)) / 9007199254740992;
  }

  /** Standard normal (Box–Muller; one of the pair is used, so each draw costs the same). */
  private gaussian(): number {
    const u = 1 - this.unit(); // (0, 1]: log is finite
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.unit());
  }
}

function roundNs(x: number): bigint {
  return x <= 0 ? 0n : BigInt(Math.round(x));
}

/** The seed when none is given: runs are reproducible by default. */
export const DEFAULT_LATENCY_SEED = 1n;

export interface LatencySettings {
  feed?: DelayInput;
  entry?: DelayInput;
  response?: DelayInput;
  /** Seed of the draws (any integer, modulo 2^64); each lane draws from its own stream. */
  seed?: bigint;
}

/** Feed, entry and response latency (each 0 unless given). One instance per run, or call start(). */
export class Latencies implements LatencyModel {
  readonly feed: Delay;
  readonly entry: Delay;
  readonly response: Delay;
  readonly seed: bigint;
  readonly delaysAlgo: boolean;
  private readonly lanes: [Lane, Lane, Lane];

  constructor(settings: LatencySettings = {}) {
    this.feed = toDelay(settings.feed ?? 0n);
    this.entry = toDelay(settings.entry ?? 0n);
    this.response = toDelay(settings.response ?? 0n);
    this.seed = BigInt.asUintN(64, settings.seed ?? DEFAULT_LATENCY_SEED);
    this.delaysAlgo = !isZero(this.feed) || !isZero(this.response);
    // Separate streams: changing one lane's distribution leaves the others' draws alone.
    this.lanes = [new Lane(this.feed, this.seed), new Lane(this.entry, this.seed ^ 0x5eedn), new Lane(this.response, this.seed ^ 0xace5n)];
  }

  start(): Latencies {
    return new Latencies(this);
  }

  feedNs(exchangeNs: bigint): bigint {
    return this.lanes[0].after(exchangeNs);
  }

  orderEntryNs(nowNs: bigint): bigint {
    return this.lanes[1].after(nowNs);
  }

  responseNs(venueNs: bigint): bigint {
    return this.lanes[2].after(venueNs);
  }

  describe(): Record<string, string> {
    const out: Record<string, string> = {
      latency: [this.feed, this.entry, this.response].every((d) => d.kind === "constant") ? "constant" : "seeded",
      feed_latency: formatDelay(this.feed),
      entry_latency: formatDelay(this.entry),
      response_latency: formatDelay(this.response),
    };
    if (this.entry.kind === "constant") out.order_entry_ns = this.entry.ns.toString(); // kept for readers of ABI 1.0 reports
    if (out.latency === "seeded") out.latency_seed = this.seed.toString();
    return out;
  }
}

/** The same order entry delay for every order, nothing else delayed; 0 means the order meets the book the algo just saw. */
export class ConstantLatency extends Latencies {
  constructor(ns: bigint = 0n) {
    super({ entry: ns });
  }
}
