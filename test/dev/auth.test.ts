// Keys and tenants: every call but health needs a known key (401 otherwise,
// with the error envelope); each key is a client that never sees or controls
// another client's deployments (404, exactly as for a missing one).
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Sequence } from "../../src/client/index.ts";
import { fixtures } from "./fixtures.ts";
import { raw, startEmulator, type RunningEmulator } from "./emulator.ts";

const ALICE = "seq_test_alice_key_1";
const BOB = "seq_test_bob_key_2";
let emu: RunningEmulator;
let alice: Sequence;
let bob: Sequence;
let buyer: Uint8Array;

beforeAll(async () => {
  buyer = (await fixtures()).buyer;
  const dir = await mkdtemp(path.join(tmpdir(), "dev-auth-"));
  const config = path.join(dir, "dev.json");
  await writeFile(config, JSON.stringify({ keys: { [ALICE]: "alice", [BOB]: "bob" }, venues: { "ETH-USD": ["coinbase", "kraken"] } }));
  emu = await startEmulator(["--state", ":memory:", "--config", config, "--budget-ms", "2000"]);
  alice = new Sequence(ALICE, { baseUrl: emu.url });
  bob = new Sequence(BOB, { baseUrl: emu.url });
}, 180_000);

afterAll(async () => {
  await emu?.stop();
});

describe("authentication", () => {
  it("serves health without a key", async () => {
    expect(await new Sequence("seq_test_nobody_at_all", { baseUrl: emu.url }).health()).toBe(true);
    const r = await raw(emu.url, "GET", "/v1/health/live");
    expect(r.status).toBe(200);
  });

  it("answers 401 with the error envelope without a key, with a malformed header and with an unknown key", async () => {
    for (const headers of [{}, { Authorization: "Basic abc" }, { Authorization: "Bearer" }] as Record<string, string>[]) {
      const r = await raw(emu.url, "GET", "/v1/deployments", { headers });
      expect(r.status).toBe(401);
      expect(r.json.error.code).toBe("unauthorized");
      expect(typeof r.json.error.message).toBe("string");
    }
    const wrong = await raw(emu.url, "GET", "/v1/deployments", { key: "seq_test_not_a_key" });
    expect(wrong.status).toBe(401);
    expect(wrong.json).toEqual({ error: { code: "unauthorized", message: "unknown API key" } });
    expect(wrong.text).not.toContain("seq_test_not_a_key");

    const viaClient = await new Sequence("seq_test_not_a_key", { baseUrl: emu.url }).deployments().catch((e) => e);
    expect(viaClient).toMatchObject({ kind: "api", status: 401, code: "unauthorized" });
    const stream = await new Sequence("seq_test_not_a_key", { baseUrl: emu.url }).stream().prices(false).fills().connect().catch((e) => e);
    expect(stream).toMatchObject({ kind: "api", status: 401 });
  });
});

describe("tenant isolation", () => {
  it("keeps each client's deployments its own", async () => {
    const dep = await alice.deployAlgo("alice-eth", buyer, ["ETH-USD"]);
    const id = dep.deployment_id;
    expect(dep.pushed_to).toBe(2); // the config's venue map: coinbase, kraken
    expect(dep.capable_edges).toBe(2);

    // Bob cannot see, read or control it: 404, as for an id that does not exist.
    const missing = await bob.algoStatus("dep_0000000000000000").catch((e) => e);
    expect(missing).toMatchObject({ kind: "api", status: 404, code: "not_found" });
    for (const call of [
      () => bob.algoStatus(id),
      () => bob.algoStop(id),
      () => bob.algoStart(id),
      () => bob.algoUndeploy(id),
      () => bob.algoLogs(id),
      () => bob.algoMetrics(id),
      () => bob.algoMesh(id),
      () => bob.algo("ETH-USD"),
      () => bob.algoStopBySymbol("ETH-USD"),
    ]) {
      const e = await call().catch((x) => x);
      expect(e).toMatchObject({ kind: "api", status: 404, code: "not_found" });
      expect(e.apiMessage).not.toContain("alice");
    }
    expect(await bob.deployments()).toEqual([]);
    expect(await bob.algos()).toEqual([]);

    // Nor subscribe to its traces (refused like an unknown deployment).
    const frames = await new Promise<any[]>((resolve, reject) => {
      const ws = new WebSocket(emu.url.replace("http", "ws") + "/v1/stream", { headers: { Authorization: `Bearer ${BOB}` } });
      const got: any[] = [];
      ws.on("open", () => ws.send(JSON.stringify({ op: "subscribe", channels: [`traces:${id}`, "traces:dep_0000000000000000"] })));
      ws.on("message", (m) => {
        got.push(JSON.parse(m.toString()));
        if (got.length === 2) {
          ws.close();
          resolve(got);
        }
      });
      ws.on("error", reject);
    });
    expect(frames).toEqual([
      { op: "error", error: { code: "not_found", message: `traces:${id}: no deployment "${id}"` } },
      { op: "error", error: { code: "not_found", message: 'traces:dep_0000000000000000: no deployment "dep_0000000000000000"' } },
    ]);

    // Alice's deployment is untouched; Bob may run his own module on the same symbol.
    const mine = await alice.algoStatus(id);
    expect(mine.status).toBe("running");
    const bobs = await bob.deployAlgo("bob-eth", buyer, ["ETH-USD"]);
    expect(bobs.status).toBe("running");
    expect((await alice.deployments()).map((d) => d.deployment_id)).toEqual([id]);
    expect((await bob.deployments()).map((d) => d.deployment_id)).toEqual([bobs.deployment_id]);
    expect((await alice.algo("ETH-USD")).deployment_id).toBe(id);
    expect((await bob.algo("ETH-USD")).deployment_id).toBe(bobs.deployment_id);
  });
});
