/**
 * The algo's side of feed and response latency: when it sees each market
 * event and when it hears of each venue event. The venue meets a market event
 * at its exchange time; the algo sees it feed latency later, and hears of a
 * fill or order update response latency after the venue made it. The engine
 * (replayDelayed) runs both sides on one clock, earliest event first.
 */
import { EventQueue } from "./event-queue.ts";
import type { LatencyModel } from "./venue/latency.ts";

export class AlgoDelays {
  /** Market records the venue has met and the algo has not seen yet, stamped with when it sees them. */
  readonly unseen = new EventQueue();

  constructor(private readonly latency: LatencyModel) {}

  /** When the algo sees a market event of exchange time `exchangeNs`. */
  sees(exchangeNs: bigint): bigint {
    return exchangeNs + (this.latency.feedNs?.(exchangeNs) ?? 0n);
  }

  /** When the algo hears of what the venue did at `venueNs`. */
  heard(venueNs: bigint): bigint {
    return venueNs + (this.latency.responseNs?.(venueNs) ?? 0n);
  }
}
