/**
 * Latency models: how long an order takes from the algo's call to the venue.
 * What the algo sees and what the exchange does are separated by exactly this.
 */
export interface LatencyModel {
  /** Nanoseconds from place/cancel to its arrival at the venue. */
  orderEntryNs(nowNs: bigint): bigint;
  /** For the report: the model's settings. */
  describe(): Record<string, string>;
}

/** The same delay for every order; 0 means the order meets the book the algo just saw. */
export class ConstantLatency implements LatencyModel {
  constructor(private readonly ns: bigint = 0n) {
    if (ns < 0n) throw new RangeError("latency must be >= 0 ns");
  }
  orderEntryNs(): bigint {
    return this.ns;
  }
  describe(): Record<string, string> {
    return { latency: "constant", order_entry_ns: this.ns.toString() };
  }
}
