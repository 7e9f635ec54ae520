// Drives a SimulatedVenue the way the engine does, without a module: market
// records go through crosses → match → syncBook, requests arrive when due,
// and everything the venue says is kept as short readable lines.
import { RecordBatch } from "../../harness/data/record.ts";
import { halves, header } from "../../harness/record-view.ts";
import { parseFixed } from "../../harness/data/decimal.ts";
import { BpsFees } from "../../harness/venue/fees.ts";
import { ConstantLatency } from "../../harness/venue/latency.ts";
import type { QueueModel } from "../../harness/venue/queue.ts";
import { SimulatedVenue, type VenueListener, type VenueRules } from "../../harness/venue/venue.ts";
import { LIQUIDITY_NAMES, REJECT_REASONS, type Liquidity } from "../../harness/abi.ts";
import { big } from "../../harness/venue/i64.ts";

/** Price text → 1e9. */
export const px = (text: string): bigint => parseFixed(text, 9);
/** Quantity text → 1e8. */
export const qty = (text: string): bigint => parseFixed(text, 8);

export const BUY = 1;
export const SELL = 2;
export const GTC = 0;
export const IOC = 1;
export const FOK = 2;
export const POST_ONLY = 3;
export const REDUCE_ONLY = 0x100;
export const MARKET = 0x200;

const STATUS = ["", "accepted", "rejected", "cancelled"];

export class VenueDriver implements VenueListener {
  readonly venue: SimulatedVenue;
  readonly events: string[] = [];
  /** Net position from the fills (what the engine's ledger would say). */
  pos = 0n;
  now = 0n;

  constructor(options: { queue?: QueueModel; rules?: VenueRules; latencyNs?: bigint; makerBps?: number; takerBps?: number } = {}) {
    this.venue = new SimulatedVenue(
      new BpsFees(options.makerBps ?? 0, options.takerBps ?? 0),
      new ConstantLatency(options.latencyNs ?? 0n),
      this,
      options.queue,
      options.rules,
    );
  }

  onFill(ts: bigint, orderId: bigint, side: number, price: bigint, q: bigint, fee: bigint, liquidity: Liquidity): void {
    this.pos += side === BUY ? q : -q;
    this.events.push(`${ts} fill #${orderId} ${side === BUY ? "buy" : "sell"} ${q} @ ${price} fee ${fee} ${LIQUIDITY_NAMES[liquidity]}`);
  }

  onOrder(ts: bigint, orderId: number, _side: number, status: number, reason: number, _px: Int32Array, _pi: number, q: Int32Array, qi: number): void {
    this.events.push(`${ts} ${STATUS[status]} #${orderId}${reason ? " " + REJECT_REASONS[reason] : ""} qty ${big(q, qi)}`);
  }

  position(): bigint {
    return this.pos;
  }

  /** Sends an order at `now` (text prices and sizes); it arrives when `advance` reaches its time. */
  place(side: number, price: string, size: string, tif = GTC): bigint {
    const id = this.venue.submit(this.now, side, price === "market" ? 0n : px(price), qty(size), price === "market" ? tif | MARKET : tif);
    this.arrive(this.now);
    return id;
  }

  cancel(id: bigint): number {
    const known = this.venue.cancel(this.now, id);
    this.arrive(this.now);
    return known;
  }

  quote(ts: number, bidPx: string, bidQty: string, askPx: string, askQty: string): void {
    this.record(BigInt(ts), 1, px(bidPx), qty(bidQty), px(askPx), qty(askQty));
  }

  /** One DEPTH record (L2): side 1 bids / 2 asks, flags 1 clear the side first, 2 last of the update; size 0 removes the level. */
  depth(ts: number, side: number, price: string, size: string, flags = 0): void {
    this.venue.useDepth(); // as the engine does on a batch that holds DEPTH records
    this.record(BigInt(ts), 7, px(price), qty(size), 0n, 0n, side, flags);
  }

  trade(ts: number, price: string, size: string): void {
    this.record(BigInt(ts), 2, px(price), qty(size), 0n, 0n);
  }

  /** Requests due by t reach the venue. */
  arrive(t: bigint): void {
    while (this.venue.arriveNext(t));
  }

  private record(ts: bigint, kind: number, a: bigint, b: bigint, c: bigint, d: bigint, side = 0, sub = 0): void {
    this.arrive(ts - 1n); // orders due before this record meet the book before it
    const batch = new RecordBatch(1);
    batch.push(ts, header(kind, side, sub), a, b, c, d);
    const words = batch.words;
    const heads = halves(words, 1);
    this.now = ts;
    if (this.venue.hasResting && this.venue.crosses(heads, kind, 0)) this.venue.match(words, heads, kind, 0);
    this.venue.syncBook(words, heads, 0, 0);
    this.arrive(ts);
  }
}
