// What a tenant can make the emulator keep is bounded (docs/emulator.md,
// "What is kept"): an undeployed deployment keeps the newest 200 log lines,
// and only the client's 20 newest undeployed deployments keep any.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Sequence } from "../../src/client/index.ts";
import { LogRing, UNDEPLOYED_LOG_LINES, UNDEPLOYED_WITH_LOGS } from "../../src/dev/logs.ts";
import { fixtures } from "./fixtures.ts";
import { poll, startEmulator, type RunningEmulator } from "./emulator.ts";

describe("LogRing.shrink", () => {
  it("keeps the newest lines, oldest first, and stays bounded afterwards", () => {
    const ring = new LogRing(5);
    const line = (n: number) => ({ ts_ns: BigInt(n), edge_id: "e", level: "info", message: `m${n}` });
    for (let n = 1; n <= 7; n++) ring.push(line(n)); // wrapped: holds 3..7
    ring.shrink(3);
    expect(ring.last(10).map((e) => e.message)).toEqual(["m5", "m6", "m7"]);
    ring.push(line(8));
    expect(ring.last(10).map((e) => e.message)).toEqual(["m6", "m7", "m8"]);
    ring.shrink(0);
    ring.push(line(9));
    expect([ring.size, ring.capacity]).toEqual([0, 0]);
  });
});

const KEY = "seq_test_retention_key";
let emu: RunningEmulator;
let seq: Sequence;
let mods: Awaited<ReturnType<typeof fixtures>>;

beforeAll(async () => {
  mods = await fixtures();
  emu = await startEmulator(["--state", ":memory:", "--key", KEY, "--speed", "max"]);
  seq = new Sequence(KEY, { baseUrl: emu.url });
}, 180_000);

afterAll(async () => {
  await emu?.stop();
});

describe("undeployed deployments", () => {
  it("keep their newest 200 log lines, and only the 20 newest keep any", async () => {
    const chatty = await seq.deployAlgo("chatty", mods.chatty, ["ETH-USD"]);
    await poll(() => seq.algoLogs(chatty.deployment_id, 10_000), (r) => r.logs.length > UNDEPLOYED_LOG_LINES + 50, "more than 250 log lines");
    await seq.algoUndeploy(chatty.deployment_id);
    const kept = (await seq.algoLogs(chatty.deployment_id, 10_000)).logs;
    expect(kept).toHaveLength(UNDEPLOYED_LOG_LINES);
    expect(kept.at(-1)!.message).toBe("undeployed"); // the newest lines are the ones kept

    // 20 more undeployed deployments: the first one's log is now dropped, theirs kept.
    const later: string[] = [];
    for (let i = 0; i < UNDEPLOYED_WITH_LOGS; i++) {
      const d = await seq.deployAlgo(`quiet-${i}`, mods.buyer, ["SOL-USD"], { startImmediately: false });
      await seq.algoUndeploy(d.deployment_id);
      later.push(d.deployment_id);
    }
    expect((await seq.algoLogs(chatty.deployment_id, 10_000)).logs).toEqual([]);
    expect((await seq.algoStatus(chatty.deployment_id)).status).toBe("undeployed");
    for (const id of later) expect((await seq.algoLogs(id, 10_000)).logs.length).toBeGreaterThan(0);
  }, 120_000);
});
