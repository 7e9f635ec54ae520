// dev.json fee rates: basis points with up to 4 decimals, counted in the
// number's text, so 0.07 bps (0.07·1e4 = 700.0000000000001 as floats) is accepted.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { resolveConfig } from "../../src/dev/config.ts";
import { tempDir } from "../cli/run.ts";

function withFees(fees: unknown): string {
  const dir = tempDir();
  writeFileSync(path.join(dir, "dev.json"), JSON.stringify({ fees: { coinbase: fees } }));
  return path.join(dir, "dev.json");
}

describe("dev.json fee rates", () => {
  it.each([0.07, 2.5, -1, 0.0001, 10000])("accepts %s bps", (rate) => {
    const config = resolveConfig({ config: withFees({ maker_bps: rate, taker_bps: rate }) });
    expect(config.fees.coinbase).toEqual({ maker_bps: rate, taker_bps: rate });
  });

  it.each([0.00001, 1e-7, 10001, "2"])("refuses %s bps, naming the key", (rate) => {
    expect(() => resolveConfig({ config: withFees({ maker_bps: rate, taker_bps: 1 }) })).toThrow(/dev\.json: "fees"\.coinbase\.maker_bps: expected basis points \(at most 4 decimals\)/);
  });
});
