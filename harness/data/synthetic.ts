/**
 * SYNTHETIC tick data: generated, never market data. For tests, templates
 * and benchmarks that need tick-level quotes and trades, which no installable
 * package ships (see data/README.md).
 *
 * The model, one step at a time (`stepNs` apart, default 1 ms):
 *  1. Reference price `ref` (in ticks of `tickSize`) moves one tick up or down
 *     (equally likely) with probability `moveProbability`, otherwise stays.
 *     A move that would take ref below 2 ticks is skipped, so prices stay > 0.
 *  2. Spread s is 1, 2 or 3 ticks (uniform); bid = ref − ⌊s/2⌋ ticks,
 *     ask = bid + s ticks. Bid and ask sizes are 1..maxLots lots (uniform).
 *     A QUOTE record is emitted.
 *  3. With probability `tradeProbability` a TRADE follows, one step later:
 *     buy (lifts the ask, px = ask) or sell (hits the bid, px = bid), equally
 *     likely, for 1..(size shown at that touch) lots. The next step's quote is
 *     a fresh book, so no trade ever prints away from the touch it hit.
 * `count` records (quotes + trades) are produced in all, in time order.
 *
 * The randomness is xoshiro128** seeded through splitmix64 (prng.ts), and the
 * draw order is fixed, so the same options give identical records whatever
 * the batch size, and `writeSyntheticCsv` gives byte-identical files.
 */
import { Xoshiro128 } from "./prng.ts";
import { RecordBatch } from "./record.ts";
import { Kind, SideCode } from "../abi.ts";
import { header } from "../record-view.ts";
import type { TickSource } from "./source.ts";
import { batchSizeOf } from "./batching.ts";
import { formatFixed } from "./decimal.ts";
import { writeCombinedCsv } from "./csv-write.ts";

export interface SyntheticOptions {
  /** PRNG seed (any integer; taken modulo 2^64). Default 1. */
  readonly seed?: number | bigint;
  /** Records to produce, quotes and trades together. Default 100_000. */
  readonly count?: number;
  /** First reference price, price_1e9; a multiple of tickSize. Default $100. */
  readonly startPx?: bigint;
  /** Price grid, price_1e9. Default $0.01 = 10_000_000n. */
  readonly tickSize?: bigint;
  /** First timestamp, ns. Default 2024-01-02T14:30:00Z (a US open). */
  readonly startTs?: bigint;
  /** Time between records, ns. Default 1 ms. */
  readonly stepNs?: bigint;
  /** Chance a trade follows a quote. Default 0.25. */
  readonly tradeProbability?: number;
  /** Chance the reference price moves a tick per step. Default 0.3. */
  readonly moveProbability?: number;
  /** Sizes are 1..maxLots lots. Default 10. */
  readonly maxLots?: number;
  /** One lot, qty_1e8. Default 1.0 = 100_000_000n. */
  readonly lotQty?: bigint;
  /** Name used in descriptions. Default "SYN". */
  readonly symbol?: string;
}

type Resolved = Required<SyntheticOptions>;

const DEFAULTS: Resolved = {
  seed: 1,
  count: 100_000,
  startPx: 100_000_000_000n,
  tickSize: 10_000_000n,
  startTs: 1_704_205_800_000_000_000n,
  stepNs: 1_000_000n,
  tradeProbability: 0.25,
  moveProbability: 0.3,
  maxLots: 10,
  lotQty: 100_000_000n,
  symbol: "SYN",
};

/** Most records one synthetic source makes: ~3 GB of CSV, minutes of writing; more is a typo. */
export const MAX_SYNTHETIC_COUNT = 50_000_000;
const I64_MAX = (1n << 63n) - 1n;

function resolve(options: SyntheticOptions): Resolved {
  const o: Resolved = { ...DEFAULTS, ...stripUndefined(options) };
  const bad = (what: string) => new RangeError(`synthetic: ${what}`);
  if (!Number.isSafeInteger(o.count) || o.count < 0 || o.count > MAX_SYNTHETIC_COUNT) {
    throw bad(`count must be a whole number from 0 to ${MAX_SYNTHETIC_COUNT} (${MAX_SYNTHETIC_COUNT / 1e6} million records), got ${o.count}`);
  }
  if (o.tickSize <= 0n) throw bad(`tickSize must be > 0, got ${o.tickSize}`);
  if (o.startPx % o.tickSize !== 0n || o.startPx < 2n * o.tickSize) {
    throw bad(`startPx must be a multiple of tickSize and at least 2 ticks, got ${o.startPx}`);
  }
  if (o.startPx / o.tickSize > BigInt(Number.MAX_SAFE_INTEGER)) throw bad("startPx / tickSize is too large");
  if (o.stepNs <= 0n) throw bad(`stepNs must be > 0, got ${o.stepNs}`);
  if (o.startTs < 0n || o.startTs + BigInt(o.count) * o.stepNs > I64_MAX) throw bad("startTs + count × stepNs must fit i64 nanoseconds from 1970 on");
  for (const p of ["tradeProbability", "moveProbability"] as const) {
    if (!(o[p] >= 0 && o[p] <= 1)) throw bad(`${p} must be in [0, 1], got ${o[p]}`);
  }
  if (!Number.isInteger(o.maxLots) || o.maxLots < 1) throw bad(`maxLots must be a positive integer, got ${o.maxLots}`);
  if (o.lotQty <= 0n) throw bad(`lotQty must be > 0, got ${o.lotQty}`);
  return o;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const QUOTE = header(Kind.Quote);
const BUY = header(Kind.Trade, SideCode.Buy);
const SELL = header(Kind.Trade, SideCode.Sell);

/** The model's state; `fill` continues exactly where the last call stopped. */
class Generator {
  private readonly rng: Xoshiro128;
  private ref: number;
  private ts: bigint;
  private emitted = 0;
  private bid = 0n;
  private ask = 0n;
  private bidLots = 0;
  private askLots = 0;
  /** A trade decided after the last quote but not yet written (batch was full). */
  private pending: { head: bigint; px: bigint; qty: bigint } | undefined;

  constructor(private readonly o: Resolved) {
    this.rng = Xoshiro128.fromSeed(o.seed);
    this.ref = Number(o.startPx / o.tickSize);
    this.ts = o.startTs;
  }

  get done(): boolean {
    return this.emitted >= this.o.count;
  }

  fill(out: RecordBatch): void {
    const o = this.o;
    const rng = this.rng;
    while (!out.full && this.emitted < o.count) {
      if (this.pending) {
        out.push(this.ts, this.pending.head, this.pending.px, this.pending.qty);
        this.pending = undefined;
      } else {
        if (rng.chance(o.moveProbability)) {
          const next = this.ref + ((rng.next() & 1) === 1 ? 1 : -1);
          if (next >= 2) this.ref = next;
        }
        const spread = 1 + rng.below(3);
        this.bidLots = 1 + rng.below(o.maxLots);
        this.askLots = 1 + rng.below(o.maxLots);
        this.bid = BigInt(this.ref - (spread >> 1)) * o.tickSize;
        this.ask = this.bid + BigInt(spread) * o.tickSize;
        out.push(this.ts, QUOTE, this.bid, BigInt(this.bidLots) * o.lotQty, this.ask, BigInt(this.askLots) * o.lotQty);
        if (rng.chance(o.tradeProbability)) {
          const buy = (rng.next() & 1) === 1;
          const lots = 1 + rng.below(buy ? this.askLots : this.bidLots);
          this.pending = { head: buy ? BUY : SELL, px: buy ? this.ask : this.bid, qty: BigInt(lots) * o.lotQty };
        }
      }
      this.ts += o.stepNs;
      this.emitted++;
    }
  }
}

export class SyntheticSource implements TickSource {
  readonly options: Readonly<Resolved>;

  constructor(options: SyntheticOptions = {}) {
    this.options = resolve(options);
  }

  get description(): string {
    const o = this.options;
    return (
      `SYNTHETIC ${o.symbol} ticks, not market data: seeded random walk (seed ${o.seed}, ${o.count} records, ` +
      `start ${formatFixed(o.startPx, 9)}, tick ${formatFixed(o.tickSize, 9)}; harness/data/synthetic.ts)`
    );
  }

  /** Generates batch by batch; every call starts again from the seed. */
  async *batches(batchSize?: number): AsyncGenerator<RecordBatch> {
    const batch = new RecordBatch(batchSizeOf(batchSize));
    const gen = new Generator(this.options);
    while (!gen.done) {
      gen.fill(batch);
      yield batch;
      batch.clear();
    }
  }
}

/**
 * Writes synthetic ticks as a quotes+trades CSV (csv-write.ts) with a banner
 * line saying they are synthetic and how to regenerate them; openSource reads
 * it back and keeps the banner in the description.
 */
export async function writeSyntheticCsv(path: string, options: SyntheticOptions = {}): Promise<number> {
  const src = new SyntheticSource(options);
  return writeCombinedCsv(path, src, { notes: [`${src.description}`] });
}
