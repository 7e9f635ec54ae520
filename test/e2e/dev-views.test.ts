// `algo dev` and the deployment views tell the truth (issue 8), driven as a
// user does: the real CLI in child processes against `algo dev` in another.
//
// - `status` and `metrics` show fees and net PnL per edge and in total, equal
//   to the emulator's ledger, and the fees equal the sum of the fills' fees,
//   each computed by hand from price, quantity and the venue's taker fee;
// - `logs -f` prints fills and status changes in human units and ends on
//   Ctrl-C with exit 0; `metrics --watch` ends with exit 0 on undeploy;
// - `algo dev` prints one line per deploy, start, stop, undeploy and fault,
//   the fault line with the same reason the edge's status carries.
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseLossless } from "lossless-json";
import { apiEnv, runCli, startCli, tempDir } from "../cli/run.ts";
import { until } from "../client/fake-server.ts";
import { fixtures } from "../dev/fixtures.ts";
import { poll, startEmulator, type RunningEmulator } from "../dev/emulator.ts";
import { DEFAULT_FEES } from "../../src/dev/config.ts";

const KEY = "seq_test_dev_views";
let emulator: RunningEmulator;
let env: Record<string, string>;
let dir: string;

/** JSON with every integer as a bigint (the CLI prints *_1e9 as exact integers). */
function json(text: string): any {
  return parseLossless(text, undefined, (s: string) => (/^-?\d+$/.test(s) ? BigInt(s) : Number(s)));
}

/** USD 1e9 → "$1,234.56", rounded half-even to the cent: an independent copy of what the CLI promises. */
function usd(v: bigint): string {
  const neg = v < 0n;
  const a = neg ? -v : v;
  let cents = a / 10_000_000n;
  const rest = a % 10_000_000n;
  if (rest > 5_000_000n || (rest === 5_000_000n && cents % 2n === 1n)) cents += 1n;
  const whole = (cents / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${neg ? "-" : ""}$${whole}.${(cents % 100n).toString().padStart(2, "0")}`;
}

const cli = (...args: string[]) => runCli(args, { cwd: dir, env });

beforeAll(async () => {
  const mods = await fixtures();
  dir = tempDir();
  await writeFile(path.join(dir, "buyer.wasm"), mods.buyer);
  await writeFile(path.join(dir, "trap.wasm"), mods.trap);
  emulator = await startEmulator(["--speed", "50", "--key", KEY, "--state", ":memory:", "--budget-ms", "2000"]);
  env = apiEnv(emulator.url, KEY);
}, 180_000);

afterAll(async () => {
  await emulator?.stop();
});

describe("algo dev and the deployment views", () => {
  it("fees and net PnL match the ledger and the fills; logs -f in human units; a line per lifecycle event", async () => {
    // Deploy without starting, so the followers see every fill from the first.
    const deploy = await cli("deploy", "ETH-USD", "--wasm", "buyer.wasm", "--name", "buyer", "--no-start", "--json");
    expect(deploy.code, deploy.stderr).toBe(0);
    const id: string = json(deploy.stdout).deployment_id;
    await until(() => emulator.output().includes(`deploy    ${id} "buyer"`), "the deploy line", 15_000);
    expect(emulator.output()).toMatch(new RegExp(`\\d\\d:\\d\\d:\\d\\d  deploy    ${id} "buyer"  ETH-USD on edge-\\S+, edge-\\S+, edge-\\S+; not started\\n`));

    const human = startCli(["logs", id, "-f"], { cwd: dir, env });
    const machine = startCli(["logs", id, "-f", "--json"], { cwd: dir, env });
    await until(() => human.stderr().includes("following") && machine.stderr().includes("following"), "both followers to subscribe", 20_000);

    expect((await cli("start", id)).code).toBe(0);
    await until(() => emulator.output().includes(`start     ${id} "buyer"`), "the start line", 15_000);
    await poll(
      async () => json((await cli("status", id, "--json")).stdout),
      (d) => d.edges.every((e: any) => e.fill_count >= 3n),
      "three fills on every edge",
      60_000,
    );
    expect((await cli("stop", id)).code).toBe(0);
    await until(() => emulator.output().includes(`stop      ${id} "buyer"`), "the stop line", 15_000);
    await until(() => (human.stdout().match(/STATUS  stopped/g) ?? []).length === 3, "three stopped events in logs -f", 20_000);
    await until(() => (machine.stdout().match(/"status":"stopped"/g) ?? []).length === 3, "three stopped events in logs -f --json", 20_000);

    // Ctrl-C ends both followers: exit 0, no stack.
    human.child.kill("SIGINT");
    machine.child.kill("SIGINT");
    const [h, m] = await Promise.all([human.done, machine.done]);
    for (const r of [h, m]) {
      expect(r.code).toBe(0);
      expect(r.signal).toBeNull();
      expect(r.stderr).not.toMatch(/error|\n\s+at /);
    }

    // The figures after the stop: fees and realized PnL no longer change.
    const status = json((await cli("status", id, "--json")).stdout);
    const ledger = json((await cli("metrics", id, "--raw")).stdout);
    const events = m.stdout.trim().split("\n").map(json);
    const fills = events.filter((e: any) => e.type === "fill");
    expect(fills.length).toBeGreaterThanOrEqual(9);
    for (const e of status.edges) {
      const own = ledger.edges.find((x: any) => x.edge_id === e.edge_id);
      expect(e.fees_1e9).toBe(own.fees_1e9);
      expect(e.realized_pnl_1e9).toBe(own.realized_pnl_1e9);
      expect(e.net_pnl_1e9).toBe(e.realized_pnl_1e9 + e.unrealized_pnl_1e9 - e.fees_1e9);
      // By hand: every fill is a market buy of 0.01, fee = qty·px·taker bps / 1e4, rounded up to 1e-9 USD.
      const taker = BigInt(DEFAULT_FEES[e.venue as string].taker_bps);
      const mine = fills.filter((f: any) => f.edge_id === e.edge_id);
      expect(BigInt(mine.length)).toBe(e.fill_count);
      for (const f of mine as { side: string; qty_1e8: bigint; price_1e9: bigint; fee_1e9: bigint; liquidity: string }[]) {
        expect([f.side, f.qty_1e8, f.liquidity]).toEqual(["buy", 1_000_000n, "taker"]);
        expect(f.fee_1e9).toBe((f.qty_1e8 * f.price_1e9 * taker + 10n ** 12n - 1n) / 10n ** 12n);
      }
      expect(mine.reduce((a: bigint, f: any) => a + f.fee_1e9, 0n)).toBe(e.fees_1e9);
      expect(e.fees_1e9).toBeGreaterThan(0n);
    }
    const sum = (k: string) => status.edges.reduce((a: bigint, e: any) => a + e[k], 0n);
    expect(status.totals.fees_1e9).toBe(sum("fees_1e9"));
    expect(status.totals.fees_1e9).toBe(ledger.totals.fees_1e9);
    expect(status.totals.net_pnl_1e9).toBe(sum("net_pnl_1e9"));
    expect(status.totals.fill_count).toBe(sum("fill_count"));

    // The table shows the same fees, per edge and in total.
    const table = (await cli("status", id)).stdout;
    expect(table).toMatch(/POSITION\s+REALIZED PNL\s+UNREALIZED PNL\s+FEES\s+NET PNL\s+FILLS/);
    for (const e of status.edges) {
      expect(table).toMatch(new RegExp(`${e.edge_id}\\s+${e.venue}\\s+stopped\\s+\\S+\\s+\\$0\\.00\\s+\\S+\\s+${usd(e.fees_1e9).replace(/[$.]/g, "\\$&")}\\s+-\\$`));
    }
    expect(table).toMatch(new RegExp(`total\\s+\\S+\\s+\\$0\\.00\\s+\\S+\\s+${usd(status.totals.fees_1e9).replace(/[$.]/g, "\\$&")}\\s+-\\$`));

    // The human follower printed each fill in human units, and the stop of each edge.
    const f0 = fills[0];
    expect(h.stdout).toContain(`${f0.edge_id}  FILL   buy 0.01 ETH-USD @ `);
    expect(h.stdout).toMatch(/FILL {3}buy 0\.01 ETH-USD @ \d+\.\d{1,9}  fee \$\d+\.\d\d  taker  order \d+\n/);
    expect(h.stdout).not.toContain("price_1e9");
    expect(h.stdout).toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z  edge-\S+  STATUS  running\n/);

    // metrics --watch ends by itself when the deployment is undeployed.
    const watch = startCli(["metrics", id, "--watch", "--interval", "200"], { cwd: dir, env });
    await until(() => watch.stdout().includes("NET PNL"), "the first metrics block", 20_000);
    const undeploy = await cli("undeploy", id);
    expect(undeploy.code, undeploy.stderr).toBe(0);
    const w = await watch.done;
    expect(w.code).toBe(0);
    expect(w.stderr).toBe(`${id} was undeployed; stopped watching\n`);

    // The buyer's $1 bid rested on each of the 3 edges; undeploy cancelled them.
    await until(() => emulator.output().includes(`undeploy  ${id} "buyer"`), "the undeploy line", 15_000);
    expect(emulator.output()).toContain(`undeploy  ${id} "buyer"  (3 resting orders cancelled)\n`);
    const lines = emulator.output().split("\n").filter((l) => l.includes(id));
    expect(lines.map((l) => l.slice(10, 18).trim())).toEqual(["deploy", "start", "stop", "undeploy"]);
  }, 240_000);

  it("prints a line per faulted edge with the reason its status carries", async () => {
    const deploy = await cli("deploy", "SOL-USD", "--wasm", "trap.wasm", "--name", "trap", "--json");
    expect(deploy.code, deploy.stderr).toBe(0);
    const id: string = json(deploy.stdout).deployment_id;
    await poll(async () => json((await cli("status", id, "--json")).stdout), (d) => d.status === "faulted", "the trap to fault", 60_000);
    const ledger = json((await cli("metrics", id, "--raw")).stdout);
    expect(ledger.edges).toHaveLength(2);
    for (const e of ledger.edges) {
      expect(e.fault_reason).toMatch(/boom/);
      expect(emulator.output()).toContain(`fault     ${id} "trap"  ${e.edge_id}: ${e.fault_reason}\n`);
    }
    expect(emulator.output()).toMatch(new RegExp(`deploy    ${id} "trap"  SOL-USD on edge-\\S+, edge-\\S+; started\\n`));
  }, 120_000);
});
