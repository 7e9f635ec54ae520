// Market data from `--data dir`: an edge with a file replays it (looping,
// re-timed so its clock never goes backwards), edges without one stay
// synthetic, and price history / quote answer from those replays. Plus the
// stream's ping/pong and market channels.
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Sequence } from "../../src/client/index.ts";
import { poll, raw, startEmulator, type RunningEmulator } from "./emulator.ts";

const KEY = "seq_test_market_key";
let emu: RunningEmulator;
let seq: Sequence;

// 4 quotes and 2 trades, 100 ms apart: the edge loops it over and over at --speed max.
const ETH_CSV = [
  "ts_ns,type,bid_px,bid_qty,ask_px,ask_qty,price,qty,side",
  "1700000000000000000,quote,2000.00,1,2000.50,2,,,",
  "1700000000100000000,trade,,,,,2000.50,0.5,buy",
  "1700000000200000000,quote,2000.10,3,2000.40,1,,,",
  "1700000000300000000,trade,,,,,2000.10,0.25,sell",
  "1700000000400000000,quote,2000.20,1,2000.30,1,,,",
  "1700000000500000000,quote,2000.00,1,2000.60,1,,,",
].join("\n");

beforeAll(async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "dev-data-"));
  await writeFile(path.join(dir, "ETH-USD.kraken.csv"), ETH_CSV);
  emu = await startEmulator(["--state", ":memory:", "--key", KEY, "--data", dir, "--speed", "max"]);
  seq = new Sequence(KEY, { baseUrl: emu.url });
}, 120_000);

afterAll(async () => {
  await emu?.stop();
});

describe("market data from --data", () => {
  it("replays the file on its edge, in a loop, with time always moving forward", async () => {
    const edges = await poll(
      async () => (await raw(emu.url, "GET", "/v1/edges", { key: KEY })).json.edges as any[],
      (list) => list.find((e) => e.edge_id === "edge-kraken-eth-usd").loops >= 25, // 2 trades a loop: 50 trades
      "the kraken edge to loop",
    );
    const kraken = edges.find((e) => e.edge_id === "edge-kraken-eth-usd");
    expect(kraken).toMatchObject({ synthetic: false, venue_id: 2, error: null });
    expect(kraken.data).toContain("ETH-USD.kraken.csv");
    expect(edges.find((e) => e.edge_id === "edge-coinbase-eth-usd")).toMatchObject({ synthetic: true });

    const ticks = await seq.priceHistory("ETH-USD").venue("kraken").range("max").ticks(40).fetch();
    expect(ticks.points).toHaveLength(40);
    for (const p of ticks.points) {
      expect([2_000_500_000_000n, 2_000_100_000_000n]).toContain(p.price_1e9);
      expect(p.side).toBe(p.price_1e9 === 2_000_500_000_000n ? "buy" : "sell");
      expect(p.qty_1e8).toBe(p.price_1e9 === 2_000_500_000_000n ? 50_000_000n : 25_000_000n);
      expect(p.venue_id).toBe(2);
    }
    for (let i = 1; i < ticks.points.length; i++) expect(ticks.points[i].ts_ns).toBeGreaterThan(ticks.points[i - 1].ts_ns);

    const q = await seq.quote("ETH-USD");
    expect([2000, 2000.1, 2000.2]).toContain(q.venues.kraken.bid);
    expect(q.venues.coinbase.bid).toBeGreaterThan(2500); // synthetic ETH starts at $3000

    const bad = await seq.priceHistory("ETH-USD").venue("okx").ticks(5).fetch().catch((e) => e);
    expect(bad).toMatchObject({ kind: "api", status: 400, code: "unknown_venue" });
  });

  it("streams: ping/pong, prices, and refuses unknown channels", async () => {
    const frames = await new Promise<any[]>((resolve, reject) => {
      const ws = new WebSocket(emu.url.replace("http", "ws") + "/v1/stream", { headers: { Authorization: `Bearer ${KEY}` } });
      const got: any[] = [];
      ws.on("open", () => {
        ws.send(JSON.stringify({ op: "ping" }));
        ws.send(JSON.stringify({ op: "subscribe", channels: ["prices:ETH-USD", "nonsense", "prices:DOGE-USD"] }));
      });
      ws.on("message", (m) => {
        got.push(JSON.parse(m.toString()));
        if (got.some((f) => f.channel === "prices:ETH-USD")) {
          ws.close();
          resolve(got);
        }
      });
      ws.on("error", reject);
    });
    expect(frames[0]).toEqual({ op: "pong" });
    // wire.md: a refusal is {"op":"error","error":{"code","message"}}, never a frame with "channel" (that is data)
    expect(frames).toContainEqual({ op: "error", error: { code: "invalid_channel", message: expect.stringMatching(/^nonsense: /) } });
    expect(frames).toContainEqual({ op: "error", error: { code: "unknown_symbol", message: expect.stringMatching(/^prices:DOGE-USD: /) } });
    expect(frames.filter((f) => f.op === "error" && "channel" in f)).toEqual([]);
    expect(frames).toContainEqual({ op: "subscribed", channels: ["prices:ETH-USD"] });
    const price = frames.find((f) => f.channel === "prices:ETH-USD");
    expect(price.data).toMatchObject({ symbol: "ETH-USD", source: "edge_nbbo" });
    expect(price.data.bid).toBeGreaterThan(0);
  });
});
