/**
 * The venue's orders as a struct of typed arrays, one slot per order from
 * submit until it ends (refused, filled or cancelled); ended slots are
 * reused through a free list. Prices and quantities are i64 halves (i64.ts)
 * at index slot × 2, so placing, matching and cancelling allocate nothing.
 */
export const enum OrderState {
  Free = 0,
  /** Sent, not yet at the venue. */
  InFlight = 1,
  /** At the venue, being handled (not resting yet, or never). */
  Arrived = 2,
  Resting = 3,
}

export class OrderTable {
  /** Order ids (whole numbers far below 2^53). */
  id = new Float64Array(0);
  side = new Int32Array(0);
  /** Time in force: the low 8 bits of the tif word. */
  tif = new Uint8Array(0);
  market = new Uint8Array(0);
  reduceOnly = new Uint8Array(0);
  state = new Uint8Array(0);
  /** Limit price, 1e9 (0 for a market order), at slot × 2. */
  px = new Int32Array(0);
  /** Quantity still open, 1e8, at slot × 2. */
  qty = new Int32Array(0);
  private used = 0;
  private readonly free: number[] = [];

  constructor(capacity = 64) {
    this.grow(capacity);
  }

  /** A slot for a new order (the arrays may be replaced: read them after this). */
  alloc(): number {
    const slot = this.free.pop();
    if (slot !== undefined) return slot;
    if (this.used === this.id.length) this.grow(this.used * 2);
    return this.used++;
  }

  release(slot: number): void {
    this.state[slot] = OrderState.Free;
    this.free.push(slot);
  }

  private grow(capacity: number): void {
    const widen = <T extends Float64Array | Int32Array | Uint8Array>(old: T, make: (n: number) => T, per = 1): T => {
      const next = make(capacity * per);
      next.set(old as never);
      return next;
    };
    this.id = widen(this.id, (n) => new Float64Array(n));
    this.side = widen(this.side, (n) => new Int32Array(n));
    this.tif = widen(this.tif, (n) => new Uint8Array(n));
    this.market = widen(this.market, (n) => new Uint8Array(n));
    this.reduceOnly = widen(this.reduceOnly, (n) => new Uint8Array(n));
    this.state = widen(this.state, (n) => new Uint8Array(n));
    this.px = widen(this.px, (n) => new Int32Array(n), 2);
    this.qty = widen(this.qty, (n) => new Int32Array(n), 2);
  }
}
