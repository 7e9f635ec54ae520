// Misbehaving modules: a trap (`throw new Error("boom")`) and an endless loop
// each fault their own edges, with the reason in the logs, while a healthy
// deployment keeps trading and the server keeps answering.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Sequence } from "../../src/client/index.ts";
import { fixtures } from "./fixtures.ts";
import { poll, startEmulator, type RunningEmulator } from "./emulator.ts";
import { apiEnv, runCli } from "../cli/run.ts";

const KEY = "seq_test_faults_key";
let emu: RunningEmulator;
let seq: Sequence;
let mods: Awaited<ReturnType<typeof fixtures>>;

beforeAll(async () => {
  mods = await fixtures();
  // A 500 ms budget: an endless loop is caught quickly, a busy test machine does not fault healthy engines.
  emu = await startEmulator(["--state", ":memory:", "--key", KEY, "--speed", "200", "--budget-ms", "500"]);
  seq = new Sequence(KEY, { baseUrl: emu.url });
}, 180_000);

afterAll(async () => {
  await emu?.stop();
});

describe("faults stay on their edges", () => {
  it("faults a trapping and a looping module; a healthy deployment keeps running", async () => {
    const healthy = await seq.deployAlgo("healthy", mods.buyer, ["BTC-USD"]);
    await poll(() => seq.algoStatus(healthy.deployment_id), (d) => d.edges.every((e) => e.fill_count > 0), "the healthy deployment's first fills");

    const trap = await seq.deployAlgo("trap", mods.trap, ["ETH-USD"]);
    const spin = await seq.deployAlgo("spin", mods.spin, ["SOL-USD"]);
    expect(trap.status).toBe("running");
    expect(spin.status).toBe("running");

    const trapped = await poll(() => seq.algoStatus(trap.deployment_id), (d) => d.edges.every((e) => e.status === "faulted"), "the trap to fault");
    expect(trapped.status).toBe("faulted");
    // One reason per edge: the author's throw (fixtures.ts TRAP: line 7, column 28, in trap.ts), the callback, the event.
    const reason = /^algo trapped: boom \(at trap\.ts:7:28 in onQuote, event \d+ at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z\)$/;
    const trapLogs = (await seq.algoLogs(trap.deployment_id, 100)).logs;
    const trapMetrics = (await seq.algoMetrics(trap.deployment_id)) as any;
    const status = await runCli(["status", trap.deployment_id], { env: apiEnv(emu.url, KEY) });
    expect(status.code, status.stderr).toBe(0);
    for (const edge of trap.edges) {
      const line = trapLogs.find((l) => l.edge_id === edge.edge_id && l.level === "error");
      expect(line?.message.replace(/^faulted: /, "")).toMatch(reason);
      // the same text in the edge's metrics and in `algo status`
      expect(trapMetrics.edges.find((e: any) => e.edge_id === edge.edge_id).fault_reason).toBe(line!.message.replace(/^faulted: /, ""));
      expect(status.stdout).toContain(`${edge.edge_id} faulted: ${line!.message.replace(/^faulted: /, "")}\n`);
    }

    // The server answers while the loop spins (each engine is its own thread).
    expect(await seq.health()).toBe(true);
    const spun = await poll(() => seq.algoStatus(spin.deployment_id), (d) => d.edges.every((e) => e.status === "faulted"), "the endless loop to be stopped");
    expect(spun.status).toBe("faulted");
    const spinLogs = (await seq.algoLogs(spin.deployment_id, 100)).logs.filter((l) => l.level === "error");
    expect(spinLogs).toHaveLength(2);
    for (const l of spinLogs) expect(l.message).toMatch(/exceeded the time budget: a batch of callbacks ran for over 500 ms/);

    // The healthy deployment kept going through all of it.
    const before = await seq.algoStatus(healthy.deployment_id);
    expect(before.status).toBe("running");
    await poll(
      () => seq.algoStatus(healthy.deployment_id),
      (d) => d.status === "running" && d.edges.every((e, i) => e.status === "running" && e.fill_count > before.edges[i].fill_count),
      "more fills on the healthy deployment",
    );
    expect(await seq.health()).toBe(true);

    // A faulted deployment no longer holds its symbol: the client may start another module there, or restart this one.
    const restarted = await seq.algoStart(trap.deployment_id);
    expect(restarted.status).toBe("running");
    await poll(() => seq.algoStatus(trap.deployment_id), (d) => d.edges.every((e) => e.status === "faulted"), "the trap to fault again");
  });
});
