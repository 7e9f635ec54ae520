// The saved run's series: exact values per bucket, carried forward, and bounded however long the run.
import { describe, expect, it } from "vitest";
import { Kind, RECORD_WORDS, SideCode } from "../../harness/abi.ts";
import { header } from "../../harness/record-view.ts";
import { MAX_SERIES_POINTS, RunSeries } from "../../harness/report/run-series.ts";
import { equityRows } from "../../src/results/csv.ts";

const E9 = 1_000_000_000n;
const E8 = 100_000_000n;
const E17 = 10n ** 17n;

function records(rows: Array<[bigint, number, bigint, bigint, bigint, bigint]>): BigInt64Array {
  const words = new BigInt64Array(rows.length * RECORD_WORDS);
  rows.forEach(([ts, kind, a, b, c, d], i) => words.set([ts, header(kind), a, b, c, d], i * RECORD_WORDS));
  return words;
}

describe("RunSeries", () => {
  it("keeps the last price, equity and position of each 1 µs bucket, carrying values forward", () => {
    const s = new RunSeries();
    s.observeRecords(
      records([
        [1000n, Kind.Quote, 99n * E9, E8, 101n * E9, E8], // mid 100
        [1500n, Kind.Trade, 102n * E9, E8, 0n, 0n], // the bucket's last price: 102
        [2500n, Kind.Quote, 100n * E9, E8, 100_500_000_000n, E8], // mid (100 + 100.5) / 2 = 100.25
      ]),
      3,
    );
    s.onFill(1200n, SideCode.Buy, 2n * E8); // position 2
    s.onEquity(1200n, 5n * E17);
    s.onFill(2600n, SideCode.Sell, E8 / 2n); // position 2 − 0.5 = 1.5; equity unchanged, carried forward
    expect(s.points()).toEqual([
      { ts_ns: 1500n, equity_1e17: 5n * E17, position_1e8: 2n * E8, price_1e9: 102n * E9 },
      { ts_ns: 2600n, equity_1e17: 5n * E17, position_1e8: 150_000_000n, price_1e9: 100_250_000_000n },
    ]);
  });

  it("stays within MAX_SERIES_POINTS on a long run, the latest values kept", () => {
    const s = new RunSeries();
    const n = 200_000;
    for (let i = 1; i <= n; i++) s.onEquity(BigInt(i) * 1_000_000n, BigInt(i)); // one change per ms
    const points = s.points();
    expect(points.length).toBeLessThanOrEqual(MAX_SERIES_POINTS);
    expect(points.length).toBeGreaterThanOrEqual(MAX_SERIES_POINTS / 2);
    expect(points.at(-1)).toEqual({ ts_ns: BigInt(n) * 1_000_000n, equity_1e17: BigInt(n), position_1e8: 0n, price_1e9: null });
    for (let i = 1; i < points.length; i++) expect(points[i].ts_ns > points[i - 1].ts_ns).toBe(true);
    // Each point is the state at the end of its bucket: equity i at time i ms.
    for (const p of points) expect(p.equity_1e17).toBe(p.ts_ns / 1_000_000n);
  });

  it("files an event stamped before the newest bucket (a batch's records are observed before its fills) in its own bucket", () => {
    const s = new RunSeries();
    s.observeRecords(records([[1000n, Kind.Trade, 10n * E9, E8, 0n, 0n], [5000n, Kind.Trade, 11n * E9, E8, 0n, 0n]]), 2);
    s.onEquity(3000n, 7n);
    expect(s.points().map((p) => [p.ts_ns, p.equity_1e17, p.price_1e9])).toEqual([
      [1000n, 0n, 10n * E9],
      [3000n, 7n, 10n * E9],
      [5000n, 7n, 11n * E9],
    ]);
    s.onFill(500n, SideCode.Buy, E8); // before the first bucket: a bucket of its own, first
    expect(s.points().map((p) => [p.ts_ns, p.position_1e8])).toEqual([
      [500n, E8],
      [1000n, E8],
      [3000n, E8],
      [5000n, E8],
    ]);
  });
});

describe("equityRows", () => {
  it("gives the fall from the running peak, exact", () => {
    // equity 0, 5, 3, 7, 6 (USD): peaks 0, 5, 5, 7, 7 → drawdown 0, 0, −2, 0, −1
    const points = [0n, 5n, 3n, 7n, 6n].map((e, i) => ({ ts_ns: BigInt(i), equity_1e17: e * E17, position_1e8: 0n, price_1e9: null }));
    expect(equityRows(points).map((r) => [r.equity, r.drawdown])).toEqual([
      ["0", "0"],
      ["5", "0"],
      ["3", "-2"],
      ["7", "0"],
      ["6", "-1"],
    ]);
  });
});
