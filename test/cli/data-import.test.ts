// `algo data import` as a user runs it (bin/algo.mjs): files merged by time
// into one .ticks, the summary, the refusals, nothing left behind on a bad
// row, the progress bar on a terminal only, and a backtest on the result.
import { execFile } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { openTicks, readTicksHeader, writeTicks } from "../../harness/data/binary.ts";
import { openSource } from "../../harness/data/source.ts";
import { parseInstrument } from "../../harness/venue/instrument.ts";
import { Kind, SideCode } from "../../harness/abi.ts";
import { header } from "../../harness/record-view.ts";
import { collect } from "../harness/data/helpers.ts";
import { BIN, makeProject, runCli, tempDir } from "./run.ts";

const run = promisify(execFile);
const PX = 1_000_000_000n;

let dir: string;
const algo = (args: string[], cwd = dir) => runCli(args, { cwd, timeoutMs: 90_000 });

// Binance spot aggTrades (aggTradeId,price,qty,firstTradeId,lastTradeId,time,isBuyerMaker,isBestMatch), no header;
// ms until 2024-12-31, µs from 2025-01-01. The rows interleave, and one µs row ties one ms row.
const MS_FILE = "BTCUSDT-aggTrades-2024-12-31.csv";
const US_FILE = "BTCUSDT-aggTrades-2025-01-01.csv";

beforeAll(async () => {
  dir = tempDir();
  await writeFile(path.join(dir, MS_FILE), [
    "1,93000.00,0.1,1,1,1735689599999,true,true", //     1735689599_999000000 ns, sell
    "2,93001.00,0.2,2,2,1735689600001,false,true", //    1735689600_001000000 ns, buy
  ].join("\n") + "\n");
  await writeFile(path.join(dir, US_FILE), [
    "10,93002.00,0.3,10,10,1735689600000000,true,true", // 1735689600_000000000 ns, sell
    "11,93003.00,0.4,11,11,1735689600001000,false,true", // 1735689600_001000000 ns: ties the ms file's 2nd row
    "12,93004.00,0.5,12,12,1735689600001500,false,true", // 1735689600_001500000 ns
  ].join("\n") + "\n");
});

describe("algo data import", () => {
  it("merges a Binance ms file and a µs file by time into one .ticks, symbol from the file names", async () => {
    const r = await algo(["data", "import", MS_FILE, US_FILE, "-o", "btc.ticks", "--venue", "binance", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      file: "btc.ticks",
      symbol: "BTCUSDT",
      symbol_from: "the file name",
      venue: "binance",
      description: `2 files merged by time: binance spot aggTrades CSV ${MS_FILE}; binance spot aggTrades CSV ${US_FILE}`,
      records: 5,
      first_ts_ns: 1735689599999000000,
      last_ts_ns: 1735689600001500000,
      kinds: { TRADE: 5 },
      inputs: [
        { file: MS_FILE, format: "binance spot aggTrades CSV", records: 2 },
        { file: US_FILE, format: "binance spot aggTrades CSV", records: 3 },
      ],
    });
    expect(r.stdout).toMatch(/"first_ts_ns":1735689599999000000,/); // exact, not through a float

    const out = path.join(dir, "btc.ticks");
    expect(await readTicksHeader(out)).toMatchObject({ records: 5, symbol: "BTCUSDT" });
    const T = (side: number) => header(Kind.Trade, side);
    expect((await collect(await openTicks(out))).records).toEqual([
      [1_735_689_599_999_000_000n, T(SideCode.Sell), 93_000n * PX, 10_000_000n, 0n, 0n],
      [1_735_689_600_000_000_000n, T(SideCode.Sell), 93_002n * PX, 30_000_000n, 0n, 0n],
      [1_735_689_600_001_000_000n, T(SideCode.Buy), 93_001n * PX, 20_000_000n, 0n, 0n], // the first file first at the tie
      [1_735_689_600_001_000_000n, T(SideCode.Buy), 93_003n * PX, 40_000_000n, 0n, 0n],
      [1_735_689_600_001_500_000n, T(SideCode.Buy), 93_004n * PX, 50_000_000n, 0n, 0n],
    ]);
  });

  it("prints a summary: records, time range, kinds and each input's records", async () => {
    const r = await algo(["data", "import", US_FILE, MS_FILE, "-o", "btc2.ticks"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(
      [
        "wrote btc2.ticks: 5 records of BTCUSDT (symbol from the file name)",
        "  time   2024-12-31T23:59:59.999000000Z → 2025-01-01T00:00:00.001500000Z",
        "  kinds  TRADE 5",
        "  input                             format                      records",
        `  ${US_FILE}  binance spot aggTrades CSV        3`,
        `  ${MS_FILE}  binance spot aggTrades CSV        2`,
        "backtest on it: algo backtest --data btc2.ticks",
        "",
      ].join("\n"),
    );
    expect(r.stderr).toBe(""); // no progress on a pipe
  });

  it("refuses files of different symbols, a missing file, a file given twice and an -o that is not .ticks (exit 2, nothing written)", async () => {
    await writeFile(path.join(dir, "ETHUSDT-aggTrades-2024-12-31.csv"), "1,3300.00,0.1,1,1,1735689599999,true,true\n");
    const cases: [string[], RegExp][] = [
      [[MS_FILE, "ETHUSDT-aggTrades-2024-12-31.csv"], /the files are of different symbols: BTCUSDT-aggTrades-2024-12-31\.csv is BTCUSDT \(from the file name\), ETHUSDT-aggTrades-2024-12-31\.csv is ETHUSDT/],
      [[MS_FILE, "nope.csv"], /nope\.csv: no such file/],
      [[MS_FILE, `./${MS_FILE}`], /given twice/],
      [[MS_FILE, "--format", "xml"], /option '--format <format>' argument 'xml' is invalid/],
    ];
    for (const [args, message] of cases) {
      const r = await algo(["data", "import", ...args, "-o", "refused.ticks"]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    const csv = await algo(["data", "import", MS_FILE, "-o", "out.csv"]);
    expect(csv.code).toBe(2);
    expect(csv.stderr).toMatch(/-o out\.csv: expected a file name ending in \.ticks/);
    expect(readdirSync(dir).filter((n) => n.startsWith("refused") || n.startsWith("out."))).toEqual([]);
  });

  it("takes the symbol from a .ticks header, and --symbol over it", async () => {
    expect((await algo(["data", "import", MS_FILE, US_FILE, "-o", "h.ticks"])).code).toBe(0);
    const again = await algo(["data", "import", "h.ticks", "-o", "copy.ticks", "--json"]);
    expect(again.code, again.stderr).toBe(0);
    const copied = JSON.parse(again.stdout);
    expect(copied).toMatchObject({ symbol: "BTCUSDT", symbol_from: "the .ticks header", records: 5, inputs: [{ format: ".ticks", records: 5 }] });
    expect(copied.description).toBe((await readTicksHeader(path.join(dir, "h.ticks"))).description); // kept as stored, not "[reloaded from …]"
    const renamed = await algo(["data", "import", "h.ticks", "-o", "renamed.ticks", "--symbol", "BTC-USDT", "--json"]);
    expect(JSON.parse(renamed.stdout)).toMatchObject({ symbol: "BTC-USDT", symbol_from: "--symbol" });
    expect((await readTicksHeader(path.join(dir, "renamed.ticks"))).symbol).toBe("BTC-USDT");
  });

  it("carries a .ticks input's venue and instrument over; inputs that disagree on either are refused (exit 2)", async () => {
    const ms = await openSource(path.join(dir, MS_FILE));
    const us = await openSource(path.join(dir, US_FILE));
    const rules = parseInstrument("tick=0.01,lot=0.001,min_notional=5");
    await writeTicks(path.join(dir, "v1.ticks"), ms, { symbol: "BTCUSDT", venue: "binance", instrument: rules });
    await writeTicks(path.join(dir, "v2.ticks"), us, { symbol: "BTCUSDT", venue: "binance", instrument: rules });
    await writeTicks(path.join(dir, "other.ticks"), us, { symbol: "BTCUSDT", venue: "okx" });
    const r = await algo(["data", "import", "v1.ticks", "v2.ticks", "-o", "both.ticks", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ venue: "binance", records: 5 });
    const both = await readTicksHeader(path.join(dir, "both.ticks"));
    expect(both.venue).toBe("binance");
    expect(both.instrument).toEqual(rules);
    const clash = await algo(["data", "import", "v1.ticks", "other.ticks", "-o", "clash.ticks"]);
    expect(clash.code).toBe(2);
    expect(clash.stderr).toMatch(/the inputs name different venues: v1\.ticks has "binance", other\.ticks has "okx"/);
    expect(existsSync(path.join(dir, "clash.ticks"))).toBe(false);
    const flagged = await algo(["data", "import", "v1.ticks", "other.ticks", "-o", "flagged.ticks", "--venue", "mixed"]);
    expect(flagged.code, flagged.stderr).toBe(0); // --venue names the merged file's venue
  });

  it("merges different formats of one symbol: price_history JSON (its symbol key) and a CSV named ETH-USD", async () => {
    const sub = tempDir();
    await writeFile(path.join(sub, "fetched.json"), '{"symbol":"ETH-USD","points":[{"ts_ns":1000,"price_1e9":3000000000000,"qty_1e8":5},{"ts_ns":3000,"price_1e9":3001000000000}]}');
    await writeFile(path.join(sub, "ETH-USD.csv"), "ts_ns,bid_px,bid_qty,ask_px,ask_qty\n2000,2999.5,1,3000.5,2\n3000,2999.6,1,3000.6,2\n");
    const r = await algo(["data", "import", "fetched.json", "ETH-USD.csv", "-o", "eth.ticks", "--json"], sub);
    expect(r.code, r.stderr).toBe(0);
    // Trades at 1000 and 3000 (JSON, input 1), quotes at 2000 and 3000 (CSV, input 2): the JSON's trade first at 3000.
    expect(JSON.parse(r.stdout)).toMatchObject({ symbol: "ETH-USD", symbol_from: "the inputs", records: 4, first_ts_ns: 1000, last_ts_ns: 3000, kinds: { QUOTE: 2, TRADE: 2 } });
    const kinds = (await collect(await openTicks(path.join(sub, "eth.ticks")))).records.map((rec) => [rec[0], Number(rec[1] & 0xffn)]);
    expect(kinds).toEqual([[1000n, Kind.Trade], [2000n, Kind.Quote], [3000n, Kind.Trade], [3000n, Kind.Quote]]);

    await writeFile(path.join(sub, "BTCUSDT-trades-2025-01.csv"), "1,93000.00,0.1,9300.0,1735689600000000,true,true\n");
    const mixed = await algo(["data", "import", "fetched.json", "BTCUSDT-trades-2025-01.csv", "-o", "x.ticks"], sub);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(/fetched\.json is ETH-USD \(from the price_history symbol key\), BTCUSDT-trades-2025-01\.csv is BTCUSDT \(from the file name\)/);
  });

  it("on a malformed row in the 2nd file: exit 1 naming file, line and column, and no output (an old one is kept)", async () => {
    const sub = tempDir();
    await writeFile(path.join(sub, "a.csv"), "ts_ns,price,qty\n1000,10,1\n3000,11,1\n");
    await writeFile(path.join(sub, "b.csv"), "ts_ns,price,qty\n2000,20,1\n4000,21,1\n5000,2x,1\n");
    const r = await algo(["data", "import", "a.csv", "b.csv", "-o", "out.ticks"], sub);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: b\.csv:4: column 2 \(price\): expected a decimal price/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack
    expect(readdirSync(sub).sort()).toEqual(["a.csv", "b.csv"]); // neither out.ticks nor its temporary file

    const ok = await algo(["data", "import", "a.csv", "-o", "out.ticks"], sub);
    expect(ok.code, ok.stderr).toBe(0);
    const before = await readFile(path.join(sub, "out.ticks"));
    const again = await algo(["data", "import", "a.csv", "b.csv", "-o", "out.ticks"], sub);
    expect(again.code).toBe(1);
    expect((await readFile(path.join(sub, "out.ticks"))).equals(before)).toBe(true);
    expect(readdirSync(sub).sort()).toEqual(["a.csv", "b.csv", "out.ticks"]);

    // No record at all: refused too (a .ticks of 0 records would only fail later, in a backtest).
    await writeFile(path.join(sub, "empty.json"), '{"symbol":"X","points":[]}');
    const empty = await algo(["data", "import", "empty.json", "-o", "empty.ticks"], sub);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toBe("error: empty.json: expected at least one record to import, got none\n");
    expect(existsSync(path.join(sub, "empty.ticks"))).toBe(false);
  });

  // util-linux `script` gives the CLI a terminal; skipped where it is missing.
  it.skipIf(!existsSync("/usr/bin/script"))("draws a progress bar with %, records, rate on a terminal, and none with --json", async () => {
    const synth = await algo(["data", "synth", "--seed", "2", "--count", "300000", "-o", "big.csv"]);
    expect(synth.code, synth.stderr).toBe(0);
    const command = (extra: string) => `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} data import big.csv -o big.ticks${extra}`;
    const { stdout } = await run("/usr/bin/script", ["-qec", command(""), "/dev/null"], { cwd: dir, timeout: 90_000 });
    // Drawn at the first batch; the share is of big.csv's bytes read.
    expect(stdout).toMatch(/\r {2}importing [█░]{20} \d+% · [\d,]+ records · [\d.]+[kMG]? records\/s/);
    expect(stdout).toMatch(/wrote big\.ticks: 300,000 records/);
    const json = await run("/usr/bin/script", ["-qec", command(" --json"), "/dev/null"], { cwd: dir, timeout: 90_000 });
    expect(json.stdout).not.toMatch(/importing/);
  }, 120_000);
});

describe("a backtest on imported data", () => {
  it("gives the same result as on the file the inputs were split from", async () => {
    const project = await makeProject("import-bt");
    const synth = await algo(["data", "synth", "--seed", "5", "--count", "20000", "-o", "whole.csv"], project);
    expect(synth.code, synth.stderr).toBe(0);
    // Split by timestamp group, alternately into two files: their rows interleave; the merge must restore the order.
    const lines = (await readFile(path.join(project, "whole.csv"), "utf8")).trimEnd().split("\n");
    const head = lines.filter((l) => l.startsWith("#") || l.startsWith("ts_ns"));
    const parts: string[][] = [[...head], [...head]];
    let group = -1;
    let last = "";
    for (const l of lines.slice(head.length)) {
      const ts = l.slice(0, l.indexOf(","));
      if (ts !== last) [group, last] = [group + 1, ts];
      parts[group % 2].push(l);
    }
    expect(parts[0].length - head.length).toBeGreaterThan(5000); // both halves substantial
    await writeFile(path.join(project, "even.csv"), parts[0].join("\n") + "\n");
    await writeFile(path.join(project, "odd.csv"), parts[1].join("\n") + "\n");

    const imported = await algo(["data", "import", "even.csv", "odd.csv", "-o", "merged.ticks", "--symbol", "SYN"], project);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/^wrote merged\.ticks: 20,000 records of SYN/);

    const backtest = async (data: string) => {
      const r = await algo(["backtest", "--data", data, "--no-save", "--json"], project);
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout);
    };
    const whole = await backtest("whole.csv");
    const merged = await backtest("merged.ticks");
    expect(whole.result.fills.count).toBeGreaterThan(0); // the algo traded: the comparison says something
    expect(merged.result).toEqual(whole.result);
    expect(merged.source.description).toMatch(/^2 files merged by time: quotes\+trades CSV even\.csv \(SYNTHETIC/); // the label travels
  }, 180_000);
});
