import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { sp500Path, sp500Source } from "../../../harness/data/sp500.ts";
import { Kind, header } from "../../../harness/data/record.ts";
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
    expect(records).toHaveLength(5105);
    expect(distinctBatches).toBe(1);
    // 2000-01-03: close 1455.219971, volume 931800000
    expect(records[0]).toEqual([day(2000, 1, 3), header(Kind.Trade), 1_455_219_971_000n, 93_180_000_000_000_000n, 0n, 0n]);
    // 2020-04-17: close 2874.560059, volume 5792140000 (last line has no newline)
    expect(records[5104]).toEqual([day(2020, 4, 17), header(Kind.Trade), 2_874_560_059_000n, 579_214_000_000_000_000n, 0n, 0n]);
    for (let i = 1; i < records.length; i++) {
      if (!(records[i][0] > records[i - 1][0])) throw new Error(`dates not increasing at ${i}`);
    }
  });
});
