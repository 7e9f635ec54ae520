// Data cannot lie about what happened: every reader (.ticks, CSV,
// price_history JSON) refuses records that market data cannot carry, with the
// same invariants (record-check.ts), naming the file and the record or line.
import { describe, expect, it } from "vitest";
import { openTicks, readTicksHeader, writeTicks } from "../../../harness/data/binary.ts";
import { DataError } from "../../../harness/data/errors.ts";
import { RecordBatch } from "../../../harness/data/record.ts";
import { Kind, SideCode } from "../../../harness/abi.ts";
import { header } from "../../../harness/record-view.ts";
import { openSource } from "../../../harness/data/source.ts";
import type { TickSource } from "../../../harness/data/source.ts";
import { collect, failure, tempDir } from "./helpers.ts";

const file = tempDir();
const QUOTE = header(Kind.Quote);
const BUY = header(Kind.Trade, SideCode.Buy);

/** A .ticks file of exactly these records (w0..w5 each), written by the project's own writer. */
async function ticksOf(name: string, records: bigint[][]): Promise<string> {
  const source: TickSource = {
    description: "hand-made",
    async *batches() {
      const b = new RecordBatch(records.length);
      for (const r of records) b.push(r[0], r[1], r[2] ?? 0n, r[3] ?? 0n, r[4] ?? 0n, r[5] ?? 0n);
      yield b;
    },
  };
  const p = file(name);
  await writeTicks(p, source);
  return p;
}

async function readError(p: string): Promise<DataError> {
  const e = await failure(openSource(p).then((s) => collect(s)));
  expect(e).toBeInstanceOf(DataError);
  return e as DataError;
}

const quote = (ts: bigint, bidQty = 100n, askQty = 100n, bidPx = 99_000_000_000n, askPx = 101_000_000_000n) => [ts, QUOTE, bidPx, bidQty, askPx, askQty];

describe(".ticks files carry market events only", () => {
  it.each([
    [Kind.Fill, "FILL", [1n, 100_000_000_000n, 100_000_000_000n, 0n]],
    [Kind.Order, "ORDER", [1n, 100_000_000_000n, 100_000_000_000n, 0n]],
    [Kind.Timer, "TIMER", [1n, 0n, 0n, 0n]],
  ])("refuses a kind-%i record (%s), naming the file and record", async (kind, name, payload) => {
    const p = await ticksOf(`host-${name}.ticks`, [quote(1n), [2n, header(kind, SideCode.Buy), ...payload], quote(3n)]);
    const e = await readError(p);
    expect([e.line, e.unit, e.field]).toEqual([2, "record", "kind"]);
    expect(e.message).toBe(
      `${p}: record 2: kind: expected a market-data record (kind 1 QUOTE, 2 TRADE, 6 BAR, 7 DEPTH), got kind ${kind} (${name}, a host event: only the simulated venue produces fills, orders and timers)`,
    );
  });

  it("refuses a negative quantity, a crossed quote, a bad side and time before 1970", async () => {
    const cases: Array<[string, bigint[][], string]> = [
      ["negative bid qty", [quote(1n), quote(2n, -5n)], "record 2: bid_qty_1e8: expected a quantity >= 0, got \"-5\""],
      ["negative ask qty", [quote(1n, 100n, -1n)], "record 1: ask_qty_1e8: expected a quantity >= 0, got \"-1\""],
      // bid 102 > ask 101 with both sides present
      ["crossed", [quote(1n, 100n, 100n, 102_000_000_000n)], "record 1: bid_px_1e9: expected an uncrossed quote: bid price <= ask price (101000000000), got \"102000000000\""],
      ["negative trade qty", [[1n, BUY, 100_000_000_000n, -1000n]], "record 1: qty_1e8: expected a quantity >= 0, got \"-1000\""],
      ["bad side", [[1n, header(Kind.Trade, 7), 100_000_000_000n, 1n]], "record 1: side: expected a side 0 (none), 1 (buy) or 2 (sell), got \"7\""],
      ["negative time", [quote(-1n)], "record 1: ts_ns: expected a timestamp from 1970 on, got \"-1\""],
    ];
    for (const [name, records, message] of cases) {
      const p = await ticksOf(`${name.replace(/ /g, "-")}.ticks`, records);
      expect((await readError(p)).message, name).toBe(`${p}: ${message}`);
    }
  });

  it("still accepts one-sided and locked quotes (an absent side has qty 0)", async () => {
    // bid 102 with qty 0 (absent) above ask 101: not crossed; bid == ask: locked, allowed
    const p = await ticksOf("ok.ticks", [quote(1n, 0n, 100n, 102_000_000_000n), quote(2n, 5n, 5n, 101_000_000_000n)]);
    expect((await collect(await openTicks(p))).records.length).toBe(2);
  });

  it("says a file cut inside its header is truncated", async () => {
    const whole = await ticksOf("whole.ticks", [quote(1n)]);
    const bytes = (await import("node:fs")).readFileSync(whole);
    const cut = file("cut.ticks", bytes.subarray(0, 20));
    const e = await failure(readTicksHeader(cut));
    expect(e.message).toBe(`${cut}: header: expected a 40-byte header, got 20 bytes (the file is truncated)`);
    const cutStrings = file("cut-strings.ticks", bytes.subarray(0, 44));
    expect((await failure(readTicksHeader(cutStrings))).message).toMatch(/cut-strings\.ticks: header: expected a \d+-byte header, got 44 bytes \(the file is truncated\)$/);
    const notTicks = file("short.ticks", "SQT");
    expect((await failure(readTicksHeader(notTicks))).message).toBe(`${notTicks}: header: expected a .ticks file starting with "SQTICKS1", got "SQT"`);
  });
});

describe("every reader enforces the same quantity rule", () => {
  it("a negative quote quantity is refused in .ticks, CSV and price_history JSON", async () => {
    const ticks = await ticksOf("neg.ticks", [quote(1n, -1n)]);
    expect((await readError(ticks)).message).toMatch(/bid_qty_1e8: expected a quantity >= 0/);
    const csv = file("neg.csv", "ts_ns,bid_px,bid_qty,ask_px,ask_qty\n1,99,-1,101,1\n");
    expect((await readError(csv)).message).toBe(`${csv}:2: column 3 (bid_qty): expected a quantity >= 0, got "-1"`);
    const json = file("neg.json", `{"points":[{"ts_ns":1,"price_1e9":1,"qty_1e8":-1}]}`);
    expect((await readError(json)).message).toMatch(/points\[0\]\.qty_1e8: expected a qty_1e8 >= 0/);
  });
});
