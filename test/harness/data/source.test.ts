import { describe, expect, it } from "vitest";
import { openSource } from "../../../harness/data/source.ts";
import { CsvSource } from "../../../harness/data/csv.ts";
import { PriceHistorySource } from "../../../harness/data/price-history-json.ts";
import { TicksSource, writeTicks } from "../../../harness/data/binary.ts";
import { SyntheticSource } from "../../../harness/data/synthetic.ts";
import { DataError } from "../../../harness/data/errors.ts";
import { collect, failure, tempDir } from "./helpers.ts";

const file = tempDir();

describe("openSource", () => {
  it("picks the reader by content and extension", async () => {
    expect(await openSource(file("a.csv", "ts_ns,price\n1,1\n"))).toBeInstanceOf(CsvSource);
    expect(await openSource(file("a.txt", "ts_ns,price\n1,1\n"))).toBeInstanceOf(CsvSource);
    expect(await openSource(file("a.json", ` \n{"symbol":"X","points":[]}`))).toBeInstanceOf(PriceHistorySource);
    expect(await openSource(file("noext", `{"symbol":"X","points":[]}`))).toBeInstanceOf(PriceHistorySource);
    const ticks = file("t.bin");
    await writeTicks(ticks, new SyntheticSource({ count: 3 }));
    expect(await openSource(ticks)).toBeInstanceOf(TicksSource);
    const forced = await openSource(file("x.dat", "ts_ns,price\n1,1\n"), { format: "csv" });
    expect((await collect(forced)).records).toHaveLength(1);
  });

  it("describes JSON sources with their symbol", async () => {
    const s = await openSource(file("d.json", `{"symbol":"ETH-USD","source":"kraken","points":[]}`));
    expect(s.description).toBe(`price_history ETH-USD from kraken (JSON ${file("d.json")})`);
  });

  it("fails clearly on unknown formats", async () => {
    const cases: [string, string | Uint8Array, RegExp][] = [
      ["x.bin", new Uint8Array([0x51, 0x41, 0x52, 0x31, 0, 0, 1, 2]), /expected a \.ticks file .* a Parquet file .* or a CSV .*, got binary data/],
      ["x.parquet", new Uint8Array([0x50, 0x41, 0x52, 0x31, 0, 0, 1, 2]), /x\.parquet: expected a Parquet file \(PAR1 … footer … PAR1\), got parquet file invalid/],
      ["cut.parquet", "", /cut\.parquet: expected a Parquet file/],
      ["empty.csv", "", /got an empty file/],
      ["list.json", "[1,2]", /expected a price_history JSON object starting with \{/],
      ["odd.csv", "foo,bar\n1,2\n", /odd\.csv:1: expected a CSV header/],
      ["bad.ticks", Buffer.concat([Buffer.from("SQTICKS1"), Buffer.from([3, 0, 0, 0]), Buffer.alloc(36)]), /bad\.ticks: header: expected version 1 or 2, got "3"/],
      ["other.ticks", "SQTICKS9........................................", /expected a \.ticks file starting with "SQTICKS1", got "SQTICKS9"/],
    ];
    for (const [name, content, msg] of cases) {
      const e = await failure(openSource(file(name, content)));
      expect(e, name).toBeInstanceOf(DataError);
      expect(e.message, name).toMatch(msg);
    }
  });
});
