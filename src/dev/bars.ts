/**
 * One-second closes of an edge's replay, kept for `price_history` bars
 * (fidelity_secs > 0): the last mark (trade price, or quote mid when a second
 * has no trade) of each second of the edge's clock that saw any market event,
 * in a ring of `capacity` seconds. Coarser bars are built at query time.
 */
const NS_PER_SEC = 1_000_000_000n;

export interface BarPoint {
  ts_ns: bigint;
  price_1e9: bigint;
}

export class SecondBars {
  private readonly secs: Float64Array;
  private readonly close: BigInt64Array;
  private readonly traded: Uint8Array;
  private count = 0;
  private lastSec = -1;
  private nextBoundary = 0n;

  constructor(readonly capacity = 86_400) {
    this.secs = new Float64Array(capacity);
    this.close = new BigInt64Array(capacity);
    this.traded = new Uint8Array(capacity);
  }

  /** A market event at `ts`: `trade` prices win over quote mids within a second. */
  add(ts: bigint, price: bigint, trade: boolean): void {
    if (price <= 0n) return;
    if (this.count > 0 && ts < this.nextBoundary && ts >= this.nextBoundary - NS_PER_SEC) {
      const slot = (this.count - 1) % this.capacity;
      if (trade || this.traded[slot] === 0) {
        this.close[slot] = price;
        if (trade) this.traded[slot] = 1;
      }
      return;
    }
    const sec = Number(ts / NS_PER_SEC);
    if (sec <= this.lastSec) return; // time never runs backwards on an edge; ignore if it does
    this.lastSec = sec;
    this.nextBoundary = BigInt(sec + 1) * NS_PER_SEC;
    const slot = this.count++ % this.capacity;
    this.secs[slot] = sec;
    this.close[slot] = price;
    this.traded[slot] = trade ? 1 : 0;
  }

  /**
   * Bars of `fidelitySecs` over [fromNs, toNs]: each bar is stamped with its
   * start and carries the last close inside it; empty bars are left out.
   */
  bars(fromNs: bigint, toNs: bigint, fidelitySecs: number): BarPoint[] {
    const out: BarPoint[] = [];
    const first = Math.max(0, this.count - this.capacity);
    const from = Number(fromNs / NS_PER_SEC);
    const to = Number(toNs / NS_PER_SEC);
    let bucket = -1;
    for (let i = first; i < this.count; i++) {
      const slot = i % this.capacity;
      const sec = this.secs[slot];
      if (sec < from || sec > to) continue;
      const b = Math.floor(sec / fidelitySecs) * fidelitySecs;
      if (b !== bucket) {
        out.push({ ts_ns: BigInt(b) * NS_PER_SEC, price_1e9: this.close[slot] });
        bucket = b;
      } else out[out.length - 1].price_1e9 = this.close[slot];
    }
    return out;
  }

  /** Oldest second still held, as ns (undefined when empty). */
  oldestNs(): bigint | undefined {
    if (this.count === 0) return undefined;
    return BigInt(this.secs[Math.max(0, this.count - this.capacity) % this.capacity]) * NS_PER_SEC;
  }
}
