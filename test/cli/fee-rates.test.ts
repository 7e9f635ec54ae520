// A fee rate of 0.07 bps (as floats, 0.07·1e4 = 700.0000000000001) is read
// exactly everywhere a rate is read: the fee model, --maker-bps/--taker-bps,
// package.json's sequence.backtest (a number or a string) and dev.json. The
// profile file holds no rates. Every one goes through parseBps (venue/fees.ts).
import { readFile, writeFile } from "node:fs/promises";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { Liquidity } from "../../harness/abi.ts";
import { BpsFees, formatBps, parseBps } from "../../harness/venue/fees.ts";
import { resolveConfig } from "../../src/dev/config.ts";
import { makeProject, runCli, tempDir } from "./run.ts";

describe("a fee rate of 0.07 bps", () => {
  it("is 700 × 1e-4 bps in the fee model, from text or a number, and charged exactly", () => {
    expect(parseBps("0.07")).toBe(700n);
    expect(parseBps(0.07)).toBe(700n);
    expect(parseBps("-0.07")).toBe(-700n);
    expect(parseBps("-10000")).toBe(-100_000_000n); // a whole notional, the most a rate may be
    expect(formatBps(700n)).toBe("0.07");
    const fees = new BpsFees(0.07, "0.07");
    // 3 @ 2000 = 6000 USD; 6000 × 0.07 / 10_000 = 0.042 USD
    expect(fees.fee(300_000_000n, 2_000_000_000_000n, Liquidity.Taker)).toBe(42_000_000n);
    expect(fees.describe()).toEqual({ maker_bps: "0.07", taker_bps: "0.07" });
  });

  it("while a rate with more than 4 decimals, an exponent or no digits is refused", () => {
    for (const bad of ["0.00001", 1e-7, "1e2", "abc", "", "10000.0001", -10001]) {
      expect(() => parseBps(bad)).toThrow(`fee rate "${String(bad)}": expected basis points from -10000 to 10000 with at most 4 decimals, e.g. 2.5`);
    }
  });

  it("is accepted from --maker-bps and from package.json's sequence.backtest", async () => {
    const project = await makeProject("fee-rates");
    const file = path.join(project, "package.json");
    const pkg = JSON.parse(await readFile(file, "utf8"));
    pkg.sequence.backtest = { "taker-bps": 0.07 }; // a JSON number
    await writeFile(file, JSON.stringify(pkg, null, 2) + "\n");
    const r = await runCli(["backtest", "--data", "synthetic:3:2000", "--json", "--no-save", "--maker-bps", "0.07"], { cwd: project, timeoutMs: 90_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).result.venue).toMatchObject({ maker_bps: "0.07", taker_bps: "0.07" });
  }, 120_000);

  it("is accepted from dev.json", () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, "dev.json"), JSON.stringify({ fees: { coinbase: { maker_bps: 0.07, taker_bps: 0.07 } } }));
    const config = resolveConfig({ config: path.join(dir, "dev.json") });
    expect(new BpsFees(config.fees.coinbase.maker_bps, config.fees.coinbase.taker_bps).describe()).toEqual({ maker_bps: "0.07", taker_bps: "0.07" });
  });
});
