// The main job, over real HTTP and WebSocket with the typed client: deploy a
// module built by `compileAlgo` to ETH-USD, watch it trade on all three edges,
// read its logs and traces, stop it (resting orders are left resting, on_stop
// runs), start it again, undeploy it. Plus the market data the edges replay.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Sequence, SequenceError, type StreamEvent } from "../../src/client/index.ts";
import { fixtures } from "./fixtures.ts";
import { poll, startEmulator, type RunningEmulator } from "./emulator.ts";

const KEY = "seq_test_lifecycle_alice";
let emu: RunningEmulator;
let seq: Sequence;
let buyer: Uint8Array;

beforeAll(async () => {
  buyer = (await fixtures()).buyer;
  emu = await startEmulator(["--state", ":memory:", "--speed", "200", "--budget-ms", "2000", "--key", KEY]);
  seq = new Sequence(KEY, { baseUrl: emu.url });
}, 180_000);

afterAll(async () => {
  const code = await emu?.stop();
  expect(code).toBe(0); // Ctrl-C / SIGTERM stops cleanly
});

const ETH_EDGES = ["edge-coinbase-eth-usd", "edge-kraken-eth-usd", "edge-binance-eth-usd"];

describe("a deployment's life on the emulator", () => {
  it("deploys, trades on every edge, logs, traces, stops, restarts and undeploys", async () => {
    expect(await seq.health()).toBe(true);

    const dep = await seq.deployAlgo("buyer", buyer, ["ETH-USD"]);
    expect(dep.name).toBe("buyer");
    expect(dep.symbols).toEqual(["ETH-USD"]);
    expect(dep.size_bytes).toBe(buyer.length);
    expect(dep.status).toBe("running");
    expect(dep.pushed_to).toBe(3);
    expect(dep.capable_edges).toBe(3);
    expect(dep.edges.map((e) => e.edge_id).sort()).toEqual([...ETH_EDGES].sort());
    expect(dep.edges.map((e) => e.venue).sort()).toEqual(["binance", "coinbase", "kraken"]);
    expect(dep.edges.every((e) => e.status === "running")).toBe(true);
    const id = dep.deployment_id;

    // Traces: log lines and fills as they happen.
    const stream = await seq.stream().prices(false).traces(id).connect();
    const seen: StreamEvent[] = [];
    const reading = (async () => {
      for await (const ev of stream) {
        seen.push(ev);
        const kinds = new Set(seen.map((e) => (e.type === "trace" && e.data && typeof e.data === "object" && !Array.isArray(e.data) ? e.data.type : "")));
        if (kinds.has("fill") && kinds.has("log")) break;
      }
    })();

    // Fills on every edge (the algo buys at market every 20th quote).
    const trading = await poll(
      () => seq.algoStatus(id),
      (d) => d.edges.every((e) => e.fill_count > 0 && e.position_1e8 > 0n && e.callback_latency_ns > 0n),
      "fills on all three edges",
    );
    expect(trading.edges).toHaveLength(3);

    const metrics = (await seq.algoMetrics(id)) as any;
    expect(metrics.deployment_id).toBe(id);
    for (const e of metrics.edges) {
      expect(e.fills.count).toBeGreaterThan(0);
      expect(e.fills.taker).toBe(e.fills.count); // market orders take
      expect(e.ticks).toBeGreaterThan(0);
      expect(e.fees_1e9).toBeGreaterThan(0n); // each venue's taker fee
      expect(e.orders.open).toBe(1); // the $1 bid rests
      expect(e.callback_latency.p99_ns).toBeGreaterThan(0n);
    }
    const mesh = (await seq.algoMesh(id)) as any;
    expect(Object.keys(mesh.venues).sort()).toEqual(["binance", "coinbase", "kraken"]);

    const logs = await seq.algoLogs(id, 20);
    expect(logs.deployment_id).toBe(id);
    expect(logs.logs.length).toBeLessThanOrEqual(20);
    expect(logs.logs.some((l) => /^fill 1000000 @ \d+$/.test(l.message) && ETH_EDGES.includes(l.edge_id))).toBe(true);
    expect(logs.logs.every((l) => typeof l.ts_ns === "bigint")).toBe(true);

    await reading;
    await stream.close();
    const fill = seen.find((e) => e.type === "trace" && (e.data as any).type === "fill");
    expect(fill).toMatchObject({ type: "trace", deploymentId: id });
    expect((fill as any).data).toMatchObject({ side: "buy", qty_1e8: 1_000_000n, liquidity: "taker" });
    expect(ETH_EDGES).toContain((fill as any).data.edge_id);

    // One running module per symbol per client.
    const busy = await seq.deployAlgo("buyer-2", buyer, ["ETH-USD"]).catch((e) => e);
    expect(busy).toBeInstanceOf(SequenceError);
    expect(busy).toMatchObject({ kind: "api", status: 409, code: "symbol_busy" });
    expect((await seq.deployments()).map((d) => d.deployment_id)).toEqual([id]);

    // Algos by symbol.
    const algos = await seq.algos();
    expect(algos).toEqual([expect.objectContaining({ symbol: "ETH-USD", deployment_id: id, status: "running", edges: 3 })]);
    expect(await seq.algosPerEdge()).toHaveLength(3);
    expect(await seq.algo("ETH-USD")).toMatchObject({ symbol: "ETH-USD", deployment: { deployment_id: id } });
    expect(await seq.algoStats("ETH-USD")).toMatchObject({ symbol: "ETH-USD", deployment_id: id, edges: 3 });
    expect((await seq.algoLogsBySymbol("ETH-USD")).deployment_id).toBe(id);

    // Stop: on_stop runs, the $1 bid is left resting, counters stay.
    const stopped = await seq.algoStop(id);
    expect(stopped.status).toBe("stopped");
    expect(stopped.edges.every((e) => e.status === "stopped" && e.fill_count > 0)).toBe(true);
    const afterStop = (await seq.algoMetrics(id)) as any;
    for (const e of afterStop.edges) {
      expect(e.resting_orders).toEqual([expect.objectContaining({ side: "buy", price_1e9: 1_000_000_000n, qty_1e8: 100_000_000n })]);
    }
    const stopLogs = (await seq.algoLogs(id, 200)).logs.map((l) => l.message);
    expect(stopLogs.filter((m) => /^stop pos \d+ open 1$/.test(m))).toHaveLength(3); // the algo's on_stop, per edge
    expect(stopLogs.filter((m) => m.includes("1 order(s) left resting"))).toHaveLength(3);
    const fillsAtStop = stopped.edges.map((e) => e.fill_count);
    await new Promise((r) => setTimeout(r, 500));
    expect((await seq.algoStatus(id)).edges.map((e) => e.fill_count)).toEqual(fillsAtStop);

    // Start again: a fresh engine per edge; counters carry on from the stop.
    const restarted = await seq.algoStartBySymbol("ETH-USD");
    expect(restarted).toMatchObject({ symbol: "ETH-USD", status: "running" });
    await poll(
      () => seq.algoStatus(id),
      (d) => d.edges.every((e, i) => e.fill_count > fillsAtStop[i]),
      "fills after the restart",
    );
    expect((await seq.algoLogs(id, 500)).logs.some((l) => l.message.includes("left resting by the previous run were cancelled"))).toBe(true);

    // Undeploy: stopped, resting orders cancelled, edges freed, gone from the list.
    expect(await seq.algoUndeploy(id)).toEqual({ deployment_id: id, status: "undeployed" });
    const gone = await seq.algoStatus(id);
    expect(gone.status).toBe("undeployed");
    expect(gone.edges.every((e) => e.status === "undeployed")).toBe(true);
    expect(await seq.deployments()).toEqual([]);
    expect(await seq.algos()).toEqual([]);
    expect(await seq.algoUndeploy(id)).toEqual({ deployment_id: id, status: "undeployed" }); // idempotent
    const again = await seq.algoStart(id).catch((e) => e);
    expect(again).toMatchObject({ kind: "api", status: 409, code: "undeployed" });
  });

  it("answers quote, price history and fees from the edges' replays", async () => {
    const q = await seq.quote("ETH-USD");
    expect(q.source).toBe("edge_nbbo");
    expect(Object.keys(q.venues).sort()).toEqual(["binance", "coinbase", "kraken"]);
    expect(q.nbbo.bid).toBeGreaterThan(0);
    expect(q.nbbo.ask).toBeGreaterThan(0);

    const ticks = await seq.priceHistory("ETH-USD").ticks(50).fetch();
    expect(ticks.source).toBe("venue_ticks");
    expect(ticks.points.length).toBeGreaterThan(0);
    expect(ticks.points.length).toBeLessThanOrEqual(50);
    for (const p of ticks.points) {
      expect([1, 2, 3]).toContain(p.venue_id);
      expect(p.qty_1e8).toBeGreaterThan(0n);
      expect(["buy", "sell"]).toContain(p.side);
    }
    expect(ticks.points.map((p) => p.ts_ns)).toEqual([...ticks.points.map((p) => p.ts_ns)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect((ticks.window as { data: string[] }).data.join("\n")).toContain("SYNTHETIC");

    const bars = await seq.priceHistory("ETH-USD").venue("kraken").fidelitySecs(1).range("1h").fetch();
    expect(bars.source).toBe("tape");
    expect(bars.points.length).toBeGreaterThan(0);
    expect(bars.points.every((p) => p.ts_ns % 1_000_000_000n === 0n && p.qty_1e8 === undefined)).toBe(true);

    const fees = await seq.fees("ETH-USD", ["coinbase", "kalshi"]);
    expect(fees.fees).toEqual([
      { venue: "coinbase", taker_bps: 60, maker_bps: 40 },
      { venue: "kalshi", taker_bps: null, maker_bps: null },
    ]);

    // wire.md: a symbol no path can serve is 200 with source "unavailable" and no book
    expect(await seq.quote("DOGE-USD")).toMatchObject({ symbol: "DOGE-USD", nbbo: { bid: null, ask: null, mid: null }, venues: {}, book: null, source: "unavailable" });
  });
});
