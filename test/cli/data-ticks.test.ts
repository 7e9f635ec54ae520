// .ticks files as a user meets them, through bin/algo.mjs: `algo data info`
// answers from the header (or one scan of any other format), and
// `algo backtest` applies the instrument rules a .ticks header carries unless
// --instrument is given; the report says where the rules came from.
import { copyFile, mkdir, writeFile } from "node:fs/promises";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { writeTicks } from "../../harness/data/binary.ts";
import { RecordBatch } from "../../harness/data/record.ts";
import { Kind } from "../../harness/abi.ts";
import { header } from "../../harness/record-view.ts";
import type { TickSource } from "../../harness/data/source.ts";
import { runCli, tempDir } from "./run.ts";

let project: string;
const algo = (args: string[]) => runCli(args, { cwd: project, timeoutMs: 90_000 });
const T0 = 1_704_205_800_000_000_000n; // 2024-01-02T14:30:00Z

/** Three quotes, 99.00 bid / 100.00 ask, 10 each side, one second apart. */
const quotes: TickSource = {
  description: "hand-made quotes",
  async *batches() {
    const b = new RecordBatch(3);
    for (let i = 0n; i < 3n; i++) b.push(T0 + i * 1_000_000_000n, header(Kind.Quote), 99_000_000_000n, 1_000_000_000n, 100_000_000_000n, 1_000_000_000n);
    yield b;
  },
};

beforeAll(async () => {
  project = path.join(tempDir(), "ticks-proj");
  await mkdir(path.join(project, "assembly"), { recursive: true });
  await copyFile(fileURLToPath(new URL("../fixtures/scripted-algo.ts", import.meta.url)), path.join(project, "assembly", "algo.ts"));
  await writeFile(path.join(project, "package.json"), JSON.stringify({ name: "ticks-proj", private: true, sequence: { entry: "assembly/algo.ts", symbols: ["ETH-USD"] } }));
  // The exchange trades ETH-USD in whole dollars: tick 1.00.
  await writeTicks(path.join(project, "eth.ticks"), quotes, { symbol: "ETH-USD", venue: "hand", instrument: { tickPx: 1_000_000_000n, lotQty: 0n, minNotional: 0n } });
});

describe("algo data info", () => {
  it("prints a .ticks file's header: symbol, venue, records per kind, range, scales, instrument, chunks", async () => {
    const r = await algo(["data", "info", "eth.ticks"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^eth\.ticks\n  format       ticks v2 \(1 chunk of up to 65,536 records: columns, ts deltas, deflate\)\n  symbol       ETH-USD\n  venue        hand\n/);
    expect(r.stdout).toContain("  records      3 (3 QUOTE)\n");
    expect(r.stdout).toContain("  time range   2024-01-02T14:30:00.000000000Z → 2024-01-02T14:30:02.000000000Z\n               1704205800000000000 → 1704205802000000000 ns\n");
    expect(r.stdout).toContain("  scales       price 1e-9, quantity 1e-8, time ns\n  instrument   tick 1\n");
    expect(r.stdout).toContain("  read from    the header (instant)\n");

    const j = await algo(["data", "info", "eth.ticks", "--json"]);
    expect(j.code, j.stderr).toBe(0);
    const info = JSON.parse(j.stdout);
    expect(info).toMatchObject({
      format: "ticks v2",
      symbol: "ETH-USD",
      venue: "hand",
      records: 3,
      kinds: { QUOTE: 3 },
      first_ts_ns: 1704205800000000000,
      first_iso: "2024-01-02T14:30:00.000000000Z",
      scales: { price_decimals: 9, qty_decimals: 8, time: "ns" },
      instrument: { tick_1e9: 1000000000, lot_1e8: 0, min_notional_1e9: 0 },
      chunks: { count: 1, records_per_chunk: 65536 },
      read_from: "header",
    });
    // Exact integers: the ns timestamp is not rounded through a float.
    expect(j.stdout).toContain('"last_ts_ns": 1704205802000000000');
  });

  it("scans a CSV once for the same figures", async () => {
    writeFileSync(path.join(project, "trades.csv"), "time,price,qty,side\n1704205800000,100.5,1,buy\n1704205801000,100.25,2,sell\n");
    const j = await algo(["data", "info", "trades.csv", "--json"]);
    expect(j.code, j.stderr).toBe(0);
    expect(JSON.parse(j.stdout)).toMatchObject({ format: "csv", symbol: null, records: 2, kinds: { TRADE: 2 }, first_iso: "2024-01-02T14:30:00.000000000Z", last_iso: "2024-01-02T14:30:01.000000000Z", instrument: null, chunks: null, read_from: "scan" });
  });

  it("names the file and line of a bad row (exit 1), a cut .ticks (exit 1), and a usage error (exit 2), never a stack", async () => {
    writeFileSync(path.join(project, "bad.csv"), "time,price,qty\n1704205800000,100.5,1\n1704205801000,abc,2\n");
    const bad = await algo(["data", "info", "bad.csv"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error: bad\.csv:3: column 2 \(price\): expected .*, got "abc"\n$/);

    const bytes = readFileSync(path.join(project, "eth.ticks"));
    writeFileSync(path.join(project, "cut.ticks"), bytes.subarray(0, bytes.length - 5));
    const cut = await algo(["data", "info", "cut.ticks"]);
    expect(cut.code).toBe(1);
    expect(cut.stderr).toMatch(/^error: cut\.ticks: header: expected a file of \d+ bytes for 1 chunk and the chunk index \(truncated or unfinished write\?\), got "\d+ bytes"\n$/);

    const missing = await algo(["data", "info", "nope.ticks"]);
    expect([missing.code, missing.stderr]).toEqual([2, "error: nope.ticks: no such file\n"]);
    expect((await algo(["data", "info"])).code).toBe(2);
  });
});

describe("the instrument spec from a .ticks header", () => {
  it("refuses an off-tick order (tick_size) when no --instrument is given, and says the rules came from the file", async () => {
    // scripted-algo on the first quote: buy 2 at market, sell 1 @ 101.00, bid 1 @ 98.50 (post-only), bid 1 @ 100 (post-only).
    // Tick 1.00: 98.50 / 1.00 is not whole → order #3 is refused tick_size (reason 11); 101 and 100 are whole.
    const r = await algo(["backtest", "--data", "eth.ticks", "--json", "--no-save", "--no-progress"]);
    expect(r.code, r.stderr).toBe(0);
    const { result } = JSON.parse(r.stdout);
    expect(result.venue).toMatchObject({ tick_1e9: "1000000000", instrument_from: "data file header (eth.ticks)" });
    expect(result.orders.rejected.tick_size).toBe(1);
    expect(result.logs.map((l: { message: string }) => l.message)).toContain("rejected 3 reason 11");

    const text = await algo(["backtest", "--data", "eth.ticks", "--no-save", "--no-progress"]);
    expect(text.stdout).toMatch(/venue .*tick_1e9 1000000000, instrument_from data file header \(eth\.ticks\)/);
  }, 120_000);

  it("applies the file's rules to every sweep run too, as a backtest does", async () => {
    // The scripted algo with its market buy's size read from a param, so there is something to sweep.
    const swept = path.join(tempDir(), "ticks-sweep");
    await mkdir(path.join(swept, "assembly"), { recursive: true });
    const source = readFileSync(fileURLToPath(new URL("../fixtures/scripted-algo.ts", import.meta.url)), "utf8");
    const withParam = source.replace("this.buy(Qty.fromInt(2));", 'this.buy(params.qty("size", Qty.fromInt(2)));').replace("import { Algo,", "import { params, Algo,");
    expect(withParam).not.toBe(source);
    writeFileSync(path.join(swept, "assembly", "algo.ts"), withParam);
    writeFileSync(path.join(swept, "package.json"), readFileSync(path.join(project, "package.json")));
    await copyFile(path.join(project, "eth.ticks"), path.join(swept, "eth.ticks"));
    const r = await runCli(["sweep", "--data", "eth.ticks", "--param", "size=1,2", "-o", "sweep-out", "--json"], { cwd: swept, timeoutMs: 90_000 });
    expect(r.code, r.stderr).toBe(0);
    const runs = readdirSync(path.join(swept, "sweep-out", "runs"));
    expect(runs).toHaveLength(2);
    for (const run of runs) {
      const { result } = JSON.parse(readFileSync(path.join(swept, "sweep-out", "runs", run, "report.json"), "utf8"));
      expect(result.venue).toMatchObject({ tick_1e9: "1000000000", instrument_from: "data file header (eth.ticks)" });
      expect(result.orders.rejected.tick_size).toBe(1);
    }
  }, 120_000);

  it("lets --instrument win over the file's rules", async () => {
    // lot 0.5: every order (2, 1, 1, 1) is a whole number of lots, and no tick rule: nothing refused for the instrument.
    const r = await algo(["backtest", "--data", "eth.ticks", "--instrument", "lot=0.5", "--json", "--no-save", "--no-progress"]);
    expect(r.code, r.stderr).toBe(0);
    const { result } = JSON.parse(r.stdout);
    expect(result.venue.tick_1e9).toBeUndefined();
    expect(result.venue).toMatchObject({ lot_1e8: "50000000", instrument_from: "--instrument or sequence.backtest.instrument" });
    expect(result.orders.rejected.tick_size).toBeUndefined();
  }, 120_000);
});
