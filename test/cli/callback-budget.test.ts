// `algo backtest` has a per-callback time budget: an endless loop stops with
// one line naming the callback, the event and the budget (exit 1), while a
// run whose callbacks are each within budget completes as before.
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { makeProject, runCli } from "./run.ts";

const SPIN = `import { Algo, Quote, Trade, register } from "sequence-algo/runtime";
class Spin extends Algo {
  quotes: i32 = 0;
  n: i64 = 0;
  onQuote(q: Quote): void {
    this.quotes++;
  }
  onTrade(t: Trade): void {
    if (this.quotes >= 3) while (true) this.n++;
  }
}
register(new Spin());
`;

const STUCK_START = `import { Algo, register } from "sequence-algo/runtime";
class Stuck extends Algo {
  n: i64 = 0;
  onStart(): void {
    while (true) this.n++;
  }
}
register(new Stuck());
`;

let project: string;
const T0 = 1_735_689_600_000_000_000n; // 2025-01-01T00:00:00Z

beforeAll(async () => {
  project = await makeProject("budget");
  await writeFile(path.join(project, "assembly", "spin.ts"), SPIN);
  await writeFile(path.join(project, "assembly", "stuck.ts"), STUCK_START);
  // quote, trade, quote, trade, quote, trade: the trade after the third quote (event 6, at T0 + 5 ms) never returns
  const rows = Array.from({ length: 6 }, (_, i) => (i % 2 === 0 ? `${T0 + BigInt(i) * 1_000_000n},quote,99.9,5,100.1,5,,,` : `${T0 + BigInt(i) * 1_000_000n},trade,,,,,100.0,1,buy`));
  await writeFile(path.join(project, "ticks.csv"), `ts_ns,type,bid_px,bid_qty,ask_px,ask_qty,price,qty,side\n${rows.join("\n")}\n`);
}, 60_000);

describe("algo backtest --callback-budget-ms", () => {
  it("stops an endless loop in onTrade, naming the callback, the event and the budget", async () => {
    const r = await runCli(["backtest", "--entry", "assembly/spin.ts", "--data", "ticks.csv", "--callback-budget-ms", "200", "--no-progress"], { cwd: project, timeoutMs: 120_000 });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n").at(-1)).toBe(
      "error: onTrade (the event at 2025-01-01T00:00:00.005000000Z) ran for over 200 ms, the per-callback budget: an endless loop or a very slow callback; the run was stopped (--callback-budget-ms sets the budget)",
    );
    expect(r.stdout).toBe("");
  }, 120_000);

  it("stops an endless onStart the same way", async () => {
    const r = await runCli(["backtest", "--entry", "assembly/stuck.ts", "--data", "ticks.csv", "--callback-budget-ms", "200", "--json"], { cwd: project, timeoutMs: 120_000 });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n").at(-1)).toMatch(/^error: onStart \(the event at 2025-01-01T00:00:00\.000000000Z\) ran for over 200 ms, the per-callback budget/);
    expect(r.stdout).toBe("");
  }, 120_000);

  it("refuses a budget that is not a whole number of at least 1 ms", async () => {
    const r = await runCli(["backtest", "--data", "ticks.csv", "--callback-budget-ms", "0"], { cwd: project });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/'--callback-budget-ms <ms>' argument '0' is invalid\. expected a whole number of at least 1/);
  });

  it("leaves a normal run alone: the same report as before, exit 0", async () => {
    const r = await runCli(["backtest", "--data", "synthetic:5:3000", "--json", "--callback-budget-ms", "1000"], { cwd: project, timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).result.data.ticks).toBe(3000);
  }, 120_000);
});
