// Every run of a sweep has `algo backtest`'s per-callback budget: a run whose
// callback never returns is stopped and recorded with the same one-line error
// (the callback and the event), its thread replaced, and the other runs go on.
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { makeProject, runCli } from "../cli/run.ts";

// With spin=1, the trade after the third quote never returns.
const SPIN = `import { Algo, Quote, Trade, params, register } from "sequence-algo/runtime";
class Spin extends Algo {
  spin: i64 = params.int("spin", 0);
  quotes: i32 = 0;
  n: i64 = 0;
  onQuote(q: Quote): void {
    this.quotes++;
  }
  onTrade(t: Trade): void {
    if (this.quotes >= 3 && this.spin > 0) while (true) this.n++;
  }
}
register(new Spin());
`;

let project: string;
const T0 = 1_735_689_600_000_000_000n; // 2025-01-01T00:00:00Z

beforeAll(async () => {
  project = await makeProject("sweep-budget");
  await writeFile(path.join(project, "assembly", "spin.ts"), SPIN);
  const rows = Array.from({ length: 6 }, (_, i) => (i % 2 === 0 ? `${T0 + BigInt(i) * 1_000_000n},quote,99.9,5,100.1,5,,,` : `${T0 + BigInt(i) * 1_000_000n},trade,,,,,100.0,1,buy`));
  await writeFile(path.join(project, "ticks.csv"), `ts_ns,type,bid_px,bid_qty,ask_px,ask_qty,price,qty,side\n${rows.join("\n")}\n`);
}, 60_000);

describe("algo sweep --callback-budget-ms", () => {
  it("stops a run whose callback never returns, names it, and runs the others (exit 1)", async () => {
    const args = ["sweep", "--entry", "assembly/spin.ts", "--data", "ticks.csv", "-p", "spin=1,0,2", "--callback-budget-ms", "200", "-j", "2", "-o", "spun", "--json"];
    const r = await runCli(args, { cwd: project, timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(1);
    const results = JSON.parse(r.stdout).results as Array<{ run: number; rank: number | null; error?: string }>;
    // Runs 0 and 2 spin (their threads are stopped and replaced); run 1 completes and ranks.
    expect(results.map((x) => [x.run, x.rank])).toEqual([
      [1, 1],
      [0, null],
      [2, null],
    ]);
    for (const failed of results.slice(1))
      expect(failed.error).toBe(
        "onTrade (the event at 2025-01-01T00:00:00.005000000Z) ran for over 200 ms, the per-callback budget: an endless loop or a very slow callback; the run was stopped (--callback-budget-ms sets the budget)",
      );
  }, 120_000);
});
