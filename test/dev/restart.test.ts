// State survives a restart: a deploy acknowledged just before `kill -9` is
// there afterwards with its status, a stopped deployment keeps its counters,
// and what was running is resumed. A graceful stop (SIGTERM) keeps it too.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Sequence } from "../../src/client/index.ts";
import { fixtures } from "./fixtures.ts";
import { poll, startEmulator, type RunningEmulator } from "./emulator.ts";

const KEY = "seq_test_restart_key";
let state: string;
let buyer: Uint8Array;
const running: RunningEmulator[] = [];

async function boot(): Promise<{ emu: RunningEmulator; seq: Sequence }> {
  const emu = await startEmulator(["--state", state, "--key", KEY, "--speed", "200", "--budget-ms", "2000"]);
  running.push(emu);
  return { emu, seq: new Sequence(KEY, { baseUrl: emu.url }) };
}

beforeAll(async () => {
  buyer = (await fixtures()).buyer;
  state = path.join(await mkdtemp(path.join(tmpdir(), "dev-restart-")), "state.sqlite");
}, 180_000);

afterAll(async () => {
  for (const emu of running) await emu.kill9();
});

describe("restart with the state file", () => {
  it("loses no acknowledged deploy across kill -9 and resumes what was running", async () => {
    const first = await boot();
    // A stopped deployment with counters: stop answers after the counters are written.
    const eth = await first.seq.deployAlgo("eth", buyer, ["ETH-USD"]);
    await poll(() => first.seq.algoStatus(eth.deployment_id), (d) => d.edges.every((e) => e.fill_count > 0), "fills before the stop");
    const ethStopped = await first.seq.algoStop(eth.deployment_id);
    // A running one, and one never started, acknowledged right before the kill.
    const sol = await first.seq.deployAlgo("sol", buyer, ["SOL-USD"]);
    const btc = await first.seq.deployAlgo("btc", buyer, ["BTC-USD"], { startImmediately: false });
    await first.emu.kill9();

    const second = await boot();
    const listed = await second.seq.deployments();
    expect(listed.map((d) => d.deployment_id).sort()).toEqual([eth.deployment_id, sol.deployment_id, btc.deployment_id].sort());

    const ethAfter = await second.seq.algoStatus(eth.deployment_id);
    expect(ethAfter.status).toBe("stopped");
    expect(ethAfter.edges.map((e) => [e.edge_id, e.status, e.fill_count, e.position_1e8, e.realized_pnl_1e9])).toEqual(
      ethStopped.edges.map((e) => [e.edge_id, "stopped", e.fill_count, e.position_1e8, e.realized_pnl_1e9]),
    );
    const ethMetrics = (await second.seq.algoMetrics(eth.deployment_id)) as any;
    expect(ethMetrics.edges.every((e: any) => e.resting_orders.length === 1)).toBe(true); // still left resting

    const btcAfter = await second.seq.algoStatus(btc.deployment_id);
    expect(btcAfter.status).toBe("deployed");
    expect(btcAfter).toMatchObject({ name: "btc", symbols: ["BTC-USD"], size_bytes: buyer.length, pushed_to: 3, capable_edges: 3 });

    const solAfter = await second.seq.algoStatus(sol.deployment_id);
    expect(solAfter.status).toBe("running");
    expect((await second.seq.algoLogs(sol.deployment_id, 50)).logs.some((l) => l.message.includes("resumed after an emulator restart"))).toBe(true);
    await poll(() => second.seq.algoStatus(sol.deployment_id), (d) => d.edges.every((e) => e.fill_count > 0), "the resumed deployment trading");

    // SIGTERM: a clean stop (exit 0); what runs still resumes on the next start, counters kept.
    const solBefore = await second.seq.algoStatus(sol.deployment_id);
    expect(await second.emu.stop()).toBe(0);
    const third = await boot();
    const solThird = await third.seq.algoStatus(sol.deployment_id);
    expect(solThird.status).toBe("running");
    solThird.edges.forEach((e, i) => expect(e.fill_count).toBeGreaterThanOrEqual(solBefore.edges[i].fill_count));
    expect((await third.seq.algoStatus(eth.deployment_id)).status).toBe("stopped");
    await third.emu.stop();
  });

  it("refuses a second emulator on the same state file", async () => {
    const { emu } = await boot();
    const clash = await startEmulator(["--state", state, "--key", KEY]).catch((e: Error) => e);
    expect(clash).toBeInstanceOf(Error);
    expect((clash as Error).message).toMatch(/in use by another `algo dev`/);
    await emu.stop();
  });
});
