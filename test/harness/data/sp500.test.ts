import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { sp500Path, sp500Source } from "../../../harness/data/sp500.ts";
import { BAR_CLOSE_PRINT, BAR_PRICES, BAR_VOLUME, Kind } from "../../../harness/abi.ts";
import { header } from "../../../harness/record-view.ts";
import { collect } from "./helpers.ts";

const day = (y: number, m: number, d: number) => BigInt(Date.UTC(y, m - 1, d, 21)) * 1_000_000n;

describe("S&P 500 (vega-datasets, real)", () => {
  it("is the file the README describes (git blob sha1 from vega's datapackage.json)", () => {
    const bytes = readFileSync(sp500Path());
    expect(bytes.length).toBe(415_968);
    const blob = createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
    expect(blob).toBe("b82f20656d0521801db7c5599a6c990415a8aaff");
  });

  // The file has 5,105 data rows (header + 5,105 lines, the last without a
  // newline); "5,104" quoted elsewhere comes from `wc -l` minus the header.
  it("reads all 5,105 daily bars exactly", async () => {
    expect(sp500Path()).toMatch(/vega-datasets[/\\]data[/\\]sp500-2000\.csv$/);
    const src = await sp500Source();
    expect(src.description).toContain("real data");
    expect(src.description).toContain("vega-datasets sp500-2000.csv");
    expect(src.format).toBe("ohlcv");
    const { records, distinctBatches } = await collect(src, 1000);
    // Six records a bar: four prints and the BAR pair (ohlcv-layout.ts).
    expect(records).toHaveLength(5105 * 6);
    expect(distinctBatches).toBe(1);
    // 2000-01-03: close 1455.219971, volume 931800000
    expect(records[3]).toEqual([day(2000, 1, 3), header(Kind.Trade, 0, BAR_CLOSE_PRINT), 1_455_219_971_000n, 0n, 0n, 0n]);
    expect(records[5]).toEqual([day(2000, 1, 3), header(Kind.Bar, 0, BAR_VOLUME), 93_180_000_000_000_000n, day(2000, 1, 3) - 23_400_000_000_000n, 0n, 0n]);
    // 2020-04-17: open 2842.429932, high 2879.219971, low 2830.879883, close 2874.560059, volume 5792140000 (last line has no newline)
    expect(records[5104 * 6 + 4]).toEqual([day(2020, 4, 17), header(Kind.Bar, 0, BAR_PRICES), 2_842_429_932_000n, 2_879_219_971_000n, 2_830_879_883_000n, 2_874_560_059_000n]);
    expect(records[5104 * 6 + 5]).toEqual([day(2020, 4, 17), header(Kind.Bar, 0, BAR_VOLUME), 579_214_000_000_000_000n, day(2020, 4, 17) - 23_400_000_000_000n, 0n, 0n]);
    // Each bar's open is later than the previous bar's close: days increase.
    for (let i = 6; i < records.length; i += 6) {
      if (!(records[i][0] > records[i - 1][0])) throw new Error(`dates not increasing at ${i}`);
    }
  });
});
