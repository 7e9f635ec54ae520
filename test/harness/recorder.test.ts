// What a run records for its report: counters, the capped fill log and log lines.
import { describe, expect, it } from "vitest";
import { RecordBatch } from "../../harness/data/record.ts";
import { BAR_PRICES, BAR_VOLUME, Kind, RECORD_WORDS, SideCode } from "../../harness/abi.ts";
import { header } from "../../harness/record-view.ts";
import { Liquidity, OrderStatus, RejectReason } from "../../harness/abi.ts";
import { Recorder, type FillRecord, type LogLine } from "../../harness/recorder.ts";

/** Fill n: order n at $100 (1e9), 1 unit (1e8), fee n × $0.01. */
function fill(rec: Recorder, n: number, side: SideCode, liquidity: Liquidity): void {
  rec.fill(BigInt(n), BigInt(n), side, 100_000_000_000n, 100_000_000n, BigInt(n) * 10_000_000n, liquidity);
}

describe("Recorder", () => {
  it("counts quotes, trades and whole bars (a bar is two records); says when depth arrived", () => {
    const batch = new RecordBatch(8);
    batch.push(1n, header(Kind.Quote));
    batch.push(2n, header(Kind.Trade));
    batch.push(3n, header(Kind.Quote));
    batch.push(4n, header(Kind.Bar, 0, BAR_PRICES));
    batch.push(4n, header(Kind.Bar, 0, BAR_VOLUME));
    const heads = new Int32Array(batch.words.buffer, batch.words.byteOffset, batch.length * RECORD_WORDS * 2);
    const rec = new Recorder();
    expect(rec.countKinds(heads, batch.length)).toBe(false);
    rec.replayed(batch.length);
    expect(rec.counters).toMatchObject({ ticks: 5, quotes: 2, trades: 1, bars: 1 });

    const depth = new RecordBatch(2);
    depth.push(5n, header(Kind.Depth));
    expect(rec.countKinds(new Int32Array(depth.words.buffer, 0, RECORD_WORDS * 2), 1)).toBe(true);
  });

  it("keeps at most maxFillLog fills, named as the report writes them; counts and forwards every one", () => {
    const forwarded: FillRecord[] = [];
    const rec = new Recorder({ maxFillLog: 2, onFill: (f) => forwarded.push(f) });
    fill(rec, 1, SideCode.Buy, Liquidity.Maker);
    fill(rec, 2, SideCode.Sell, Liquidity.Taker);
    fill(rec, 3, SideCode.Buy, Liquidity.Maker);
    expect(rec.fills).toEqual([
      { ts_ns: 1n, order_id: 1n, side: "buy", price_1e9: 100_000_000_000n, qty_1e8: 100_000_000n, fee_1e9: 10_000_000n, liquidity: "maker" },
      { ts_ns: 2n, order_id: 2n, side: "sell", price_1e9: 100_000_000_000n, qty_1e8: 100_000_000n, fee_1e9: 20_000_000n, liquidity: "taker" },
    ]);
    expect(forwarded.map((f) => f.order_id)).toEqual([1n, 2n, 3n]);
    expect(rec.counters.makerFills).toBe(2);
    expect(rec.counters.takerFills).toBe(1);
  });

  it("keeps at most maxLogLines log lines and counts the rest as dropped; forwards all", () => {
    const forwarded: LogLine[] = [];
    const rec = new Recorder({ maxLogLines: 1, onLog: (l) => forwarded.push(l) });
    rec.log({ ts_ns: 1n, level: "info", message: "a" });
    rec.log({ ts_ns: 2n, level: "warn", message: "b" });
    rec.log({ ts_ns: 3n, level: "error", message: "c" });
    expect(rec.logs.map((l) => l.message)).toEqual(["a"]);
    expect(rec.logsDropped).toBe(2);
    expect(forwarded.map((l) => l.message)).toEqual(["a", "b", "c"]);
  });

  it("counts orders placed, accepted, cancelled, rejections by reason, and timers fired", () => {
    const rec = new Recorder();
    rec.placed();
    rec.placed();
    rec.order(OrderStatus.Accepted, RejectReason.None);
    rec.order(OrderStatus.Cancelled, RejectReason.None);
    rec.order(OrderStatus.Rejected, RejectReason.TickSize);
    rec.order(OrderStatus.Rejected, RejectReason.TickSize);
    rec.order(OrderStatus.Rejected, RejectReason.InsufficientFunds);
    rec.timerFired();
    expect(rec.counters).toMatchObject({
      ordersPlaced: 2, ordersAccepted: 1, ordersCancelled: 1, rejects: { tick_size: 2, insufficient_funds: 1 }, timersFired: 1,
    });
  });
});
