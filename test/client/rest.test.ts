/**
 * Every REST method against a real local server: HTTP method, path, query,
 * Authorization header, JSON body, and the typed answer.
 */
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { Sequence } from "../../src/client/index.ts";
import { FakeServer, type Reply } from "./fake-server.ts";
import {
  API_KEY,
  BIG_PNL,
  DEPLOYMENT_TEXT,
  EXPECTED_DEPLOYMENT,
  EXPECTED_LOGS,
  LOGS_TEXT,
  TS_NS,
  WASM,
  ZIP,
} from "./fixtures.ts";

let server: FakeServer;
let seq: Sequence;

beforeEach(async () => {
  server = await FakeServer.start();
  seq = new Sequence(API_KEY).baseUrl(server.url);
});

afterEach(async () => {
  await server.close();
});

interface Case {
  readonly name: string;
  readonly call: (s: Sequence) => Promise<unknown>;
  readonly method: "GET" | "POST" | "DELETE";
  readonly path: string;
  readonly query?: Record<string, string>;
  readonly reply: Reply;
  readonly expected: unknown;
}

const FREE = { json: { anything: [1, "two", null], nested: { at_ns: 1 } } };
const FREE_PARSED = { anything: [1, "two", null], nested: { at_ns: 1n } };

const cases: Case[] = [
  {
    name: "deployments",
    call: (s) => s.deployments(),
    method: "GET",
    path: "/v1/deployments",
    reply: { body: `{"deployments":[${DEPLOYMENT_TEXT}]}` },
    expected: [EXPECTED_DEPLOYMENT],
  },
  {
    name: "algoStatus (id is URL-encoded)",
    call: (s) => s.algoStatus("dep/1 x"),
    method: "GET",
    path: "/v1/deployments/dep%2F1%20x",
    reply: { body: DEPLOYMENT_TEXT },
    expected: EXPECTED_DEPLOYMENT,
  },
  {
    name: "algoStart",
    call: (s) => s.algoStart("dep_1"),
    method: "POST",
    path: "/v1/deployments/dep_1/start",
    reply: { body: DEPLOYMENT_TEXT },
    expected: EXPECTED_DEPLOYMENT,
  },
  {
    name: "algoStop",
    call: (s) => s.algoStop("dep_1"),
    method: "POST",
    path: "/v1/deployments/dep_1/stop",
    reply: { body: DEPLOYMENT_TEXT },
    expected: EXPECTED_DEPLOYMENT,
  },
  {
    name: "algoUndeploy",
    call: (s) => s.algoUndeploy("dep_1"),
    method: "DELETE",
    path: "/v1/deployments/dep_1",
    reply: { json: { deployment_id: "dep_1", status: "undeployed" } },
    expected: { deployment_id: "dep_1", status: "undeployed" },
  },
  {
    name: "algoLogs",
    call: (s) => s.algoLogs("dep_1", 5),
    method: "GET",
    path: "/v1/deployments/dep_1/logs",
    query: { limit: "5" },
    reply: { body: LOGS_TEXT },
    expected: EXPECTED_LOGS,
  },
  {
    name: "algoLogs (default limit)",
    call: (s) => s.algoLogs("dep_1"),
    method: "GET",
    path: "/v1/deployments/dep_1/logs",
    query: { limit: "100" },
    reply: { body: LOGS_TEXT },
    expected: EXPECTED_LOGS,
  },
  {
    name: "algoMesh",
    call: (s) => s.algoMesh("dep_1"),
    method: "GET",
    path: "/v1/deployments/dep_1/mesh",
    reply: FREE,
    expected: FREE_PARSED,
  },
  {
    name: "algoMetrics",
    call: (s) => s.algoMetrics("dep_1"),
    method: "GET",
    path: "/v1/deployments/dep_1/metrics",
    reply: FREE,
    expected: FREE_PARSED,
  },
  {
    name: "algos",
    call: (s) => s.algos(),
    method: "GET",
    path: "/v1/algos",
    reply: { json: { algos: [{ symbol: "ETH-USD", deployment_id: "dep_1" }] } },
    expected: [{ symbol: "ETH-USD", deployment_id: "dep_1" }],
  },
  {
    name: "algosPerEdge",
    call: (s) => s.algosPerEdge(),
    method: "GET",
    path: "/v1/algos",
    query: { detail: "edge" },
    reply: { json: { algos: [{ symbol: "ETH-USD", edge_id: "edge-fra-1" }] } },
    expected: [{ symbol: "ETH-USD", edge_id: "edge-fra-1" }],
  },
  {
    name: "algo (symbol is URL-encoded)",
    call: (s) => s.algo("KXBTC-26:YES"),
    method: "GET",
    path: "/v1/algos/KXBTC-26%3AYES",
    reply: { json: { symbol: "KXBTC-26:YES", deployment: { deployment_id: "dep_1" } } },
    expected: { symbol: "KXBTC-26:YES", deployment: { deployment_id: "dep_1" } },
  },
  {
    name: "algoStartBySymbol",
    call: (s) => s.algoStartBySymbol("ETH-USD"),
    method: "POST",
    path: "/v1/algos/ETH-USD/start",
    reply: { json: { symbol: "ETH-USD", status: "running" } },
    expected: { symbol: "ETH-USD", status: "running" },
  },
  {
    name: "algoStopBySymbol",
    call: (s) => s.algoStopBySymbol("ETH-USD"),
    method: "POST",
    path: "/v1/algos/ETH-USD/stop",
    reply: { json: { symbol: "ETH-USD", status: "stopped" } },
    expected: { symbol: "ETH-USD", status: "stopped" },
  },
  {
    name: "algoLogsBySymbol",
    call: (s) => s.algoLogsBySymbol("ETH-USD"),
    method: "GET",
    path: "/v1/algos/ETH-USD/logs",
    reply: { body: LOGS_TEXT },
    expected: EXPECTED_LOGS,
  },
  {
    name: "algoStats",
    call: (s) => s.algoStats("ETH-USD"),
    method: "GET",
    path: "/v1/algos/ETH-USD/stats",
    reply: FREE,
    expected: FREE_PARSED,
  },
  {
    name: "strategies",
    call: (s) => s.strategies(),
    method: "GET",
    path: "/v1/strategies",
    reply: { json: { strategies: [{ strategy_id: "strat_abc", name: "s" }] } },
    expected: [{ strategy_id: "strat_abc", name: "s" }],
  },
  {
    name: "strategy",
    call: (s) => s.strategy("strat_abc"),
    method: "GET",
    path: "/v1/strategies/strat_abc",
    reply: { json: { strategy_id: "strat_abc", status: "stopped" } },
    expected: { strategy_id: "strat_abc", status: "stopped" },
  },
  {
    name: "strategyStart",
    call: (s) => s.strategyStart("strat_abc"),
    method: "POST",
    path: "/v1/strategies/strat_abc/start",
    reply: { json: { strategy_id: "strat_abc", status: "running" } },
    expected: { strategy_id: "strat_abc", status: "running" },
  },
  {
    name: "strategyStop",
    call: (s) => s.strategyStop("strat_abc"),
    method: "POST",
    path: "/v1/strategies/strat_abc/stop",
    reply: { json: { strategy_id: "strat_abc", status: "stopped" } },
    expected: { strategy_id: "strat_abc", status: "stopped" },
  },
  {
    name: "strategyLogs",
    call: (s) => s.strategyLogs("strat_abc"),
    method: "GET",
    path: "/v1/strategies/strat_abc/logs",
    reply: { body: `{"logs":[{"ts_ns":${TS_NS},"message":"hi"}]}` },
    expected: { logs: [{ ts_ns: TS_NS, message: "hi" }] },
  },
  {
    name: "strategyDelete (204, empty body)",
    call: (s) => s.strategyDelete("strat_abc"),
    method: "DELETE",
    path: "/v1/strategies/strat_abc",
    reply: { status: 204 },
    expected: null,
  },
  {
    name: "quote",
    call: (s) => s.quote("BTC-USD"),
    method: "GET",
    path: "/v1/quote/BTC-USD",
    reply: {
      json: {
        symbol: "BTC-USD",
        nbbo: { bid: 73984.57, ask: 73990.1, mid: 73987.335, spread_bps: 0.75 },
        venues: { binance: { bid: 73984.57, ask: 73990.1, age_ms: 12 }, kraken: { bid: null, ask: 73991, age_ms: 40 } },
        book: { bids: [[73984.57, 0.5]], asks: [{ price: 73990.1, qty: 1.25 }] },
        source: "edge_nbbo",
      },
    },
    expected: {
      symbol: "BTC-USD",
      nbbo: { bid: 73984.57, ask: 73990.1, mid: 73987.335, spread_bps: 0.75 },
      venues: { binance: { bid: 73984.57, ask: 73990.1, age_ms: 12 }, kraken: { bid: null, ask: 73991, age_ms: 40 } },
      book: { bids: [{ price: 73984.57, qty: 0.5 }], asks: [{ price: 73990.1, qty: 1.25 }] },
      source: "edge_nbbo",
    },
  },
  {
    name: "quote (one-sided, no book)",
    call: (s) => s.quote("KXNBA-26-TOR"),
    method: "GET",
    path: "/v1/quote/KXNBA-26-TOR",
    reply: {
      json: { symbol: "KXNBA-26-TOR", nbbo: { bid: 0.41, ask: null, mid: null, spread_bps: null }, venues: {}, book: null, source: "unavailable" },
    },
    expected: { symbol: "KXNBA-26-TOR", nbbo: { bid: 0.41, ask: null, mid: null, spread_bps: null }, venues: {}, book: null, source: "unavailable" },
  },
  {
    name: "fees (null bps kept: do not route)",
    call: (s) => s.fees("KXMLB-26:YES", ["kalshi", "polymarket"]),
    method: "GET",
    path: "/v1/fees",
    query: { ticker: "KXMLB-26:YES", venues: "kalshi,polymarket" },
    reply: {
      json: {
        fees: [
          { venue: "kalshi", taker_bps: 7, maker_bps: 1.75 },
          { venue: "polymarket", taker_bps: null, maker_bps: null },
        ],
        fee_model: "ignored",
      },
    },
    expected: {
      fees: [
        { venue: "kalshi", taker_bps: 7, maker_bps: 1.75 },
        { venue: "polymarket", taker_bps: null, maker_bps: null },
      ],
    },
  },
  {
    name: "fees (no venues)",
    call: (s) => s.fees("BTC-USD"),
    method: "GET",
    path: "/v1/fees",
    query: { ticker: "BTC-USD" },
    reply: { json: { fees: [] } },
    expected: { fees: [] },
  },
];

describe("REST methods", () => {
  test.each(cases)("$name → $method $path", async (c) => {
    server.reply(c.method, c.path, c.reply);
    const result = await c.call(seq);
    const req = server.only();
    expect(req.method).toBe(c.method);
    expect(req.path).toBe(c.path);
    expect(req.query).toEqual(c.query ?? {});
    expect(req.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(req.body).toBe("");
    expect(result).toEqual(c.expected);
  });

  test("deployAlgo posts name, base64 wasm, symbols, start_immediately and reads the Deployment", async () => {
    server.reply("POST", "/v1/deployments", { status: 201, body: DEPLOYMENT_TEXT });
    const dep = await seq.deployAlgo("mm-eth", WASM, ["ETH-USD", "BTC-USD"]);
    const req = server.only();
    expect(req.method).toBe("POST");
    expect(req.path).toBe("/v1/deployments");
    expect(req.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(req.headers["content-type"]).toBe("application/json");
    const body = JSON.parse(req.body) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(["name", "start_immediately", "symbols", "wasm_base64"]);
    expect(body.name).toBe("mm-eth");
    expect(new Uint8Array(Buffer.from(body.wasm_base64 as string, "base64"))).toEqual(WASM);
    expect(body.symbols).toEqual(["ETH-USD", "BTC-USD"]);
    expect(body.start_immediately).toBe(true);
    expect(dep).toEqual(EXPECTED_DEPLOYMENT);
    expect(dep.edges[0]?.realized_pnl_1e9).toBe(BIG_PNL);
    expect(dep.edges[0]?.callback_latency_ns).toBe(TS_NS);
  });

  test("deployAlgo with startImmediately false, from a subarray view", async () => {
    server.reply("POST", "/v1/deployments", { body: DEPLOYMENT_TEXT });
    const padded = new Uint8Array([9, 9, ...WASM, 9]);
    await seq.deployAlgo("mm-eth", padded.subarray(2, 2 + WASM.length), ["ETH-USD"], { startImmediately: false });
    const body = JSON.parse(server.only().body) as Record<string, unknown>;
    expect(body.start_immediately).toBe(false);
    expect(new Uint8Array(Buffer.from(body.wasm_base64 as string, "base64"))).toEqual(WASM);
  });

  test("strategyPush posts name and base64 artifact", async () => {
    server.reply("POST", "/v1/strategies", { status: 201, json: { strategy_id: "strat_abc", name: "basis" } });
    const strat = await seq.strategyPush("basis", ZIP);
    const req = server.only();
    expect(req.method).toBe("POST");
    expect(req.path).toBe("/v1/strategies");
    expect(req.headers.authorization).toBe(`Bearer ${API_KEY}`);
    const body = JSON.parse(req.body) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(["artifact_base64", "name"]);
    expect(body.name).toBe("basis");
    expect(new Uint8Array(Buffer.from(body.artifact_base64 as string, "base64"))).toEqual(ZIP);
    expect(strat).toEqual({ strategy_id: "strat_abc", name: "basis" });
  });
});

describe("health", () => {
  test("is unauthenticated and true on 2xx", async () => {
    server.reply("GET", "/v1/health/live", { status: 200, body: "ok" });
    expect(await seq.health()).toBe(true);
    const req = server.only();
    expect(req.path).toBe("/v1/health/live");
    expect(req.headers.authorization).toBeUndefined();
  });

  test("works without an API key, with 204", async () => {
    server.reply("GET", "/v1/health/live", { status: 204 });
    expect(await new Sequence("").baseUrl(server.url).health()).toBe(true);
  });

  test("is false on a non-2xx, without retrying a 503", async () => {
    server.reply("GET", "/v1/health/live", { status: 503, json: { error: { code: "unavailable", message: "draining" } } });
    expect(await seq.health()).toBe(false);
    expect(server.requests).toHaveLength(1);
  });
});

describe("priceHistory", () => {
  const HISTORY_TEXT = `{"symbol":"BTC-USDC","source":"tape","window":{"start_ns":1705406400000000000,"end_ns":${TS_NS}},"points":[{"ts_ns":${TS_NS},"price_1e9":74000123456789000,"qty_1e8":150000000,"side":"buy","venue_id":3},{"ts_ns":1705406460000000000,"price_1e9":74001000000000000}],"underlying":null}`;

  test("defaults: range 1d, fidelity 60; typed points with optional tick fields", async () => {
    server.reply("GET", "/v1/market/price-history", { body: HISTORY_TEXT });
    const h = await seq.priceHistory("BTC-USDC").fetch();
    const req = server.only();
    expect(req.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(req.query).toEqual({ symbol: "BTC-USDC", range: "1d", fidelity_secs: "60" });
    expect(h).toEqual({
      symbol: "BTC-USDC",
      source: "tape",
      window: { start_ns: 1705406400000000000n, end_ns: TS_NS },
      points: [
        { ts_ns: TS_NS, price_1e9: 74000123456789000n, qty_1e8: 150000000n, side: "buy", venue_id: 3 },
        { ts_ns: 1705406460000000000n, price_1e9: 74001000000000000n },
      ],
      underlying: null,
    });
  });

  test("ticks(n) is fidelity_secs=0 and limit=n", async () => {
    server.reply("GET", "/v1/market/price-history", { body: HISTORY_TEXT });
    await seq.priceHistory("BTC-USDC").ticks(500).fetch();
    expect(server.only().query).toEqual({ symbol: "BTC-USDC", range: "1d", fidelity_secs: "0", limit: "500" });
  });

  test("every builder option reaches the query", async () => {
    server.reply("GET", "/v1/market/price-history", { body: HISTORY_TEXT });
    const base = seq.priceHistory("btc-updown-5m-1776537600");
    const q = base.range("1y").fidelitySecs(300).venue("binance").limit(50_000).startTs(1_700_000_000).endTs(1_700_086_400).paginated().underlying();
    await q.fetch();
    expect(server.only().query).toEqual({
      symbol: "btc-updown-5m-1776537600",
      range: "1y",
      fidelity_secs: "300",
      venue: "binance",
      limit: "50000",
      start_ts: "1700000000",
      end_ts: "1700086400",
      paginated: "true",
      underlying: "true",
    });
    // builders are immutable: the base query is unchanged
    expect(base.toQuery()).toEqual({ symbol: "btc-updown-5m-1776537600", range: "1d", fidelity_secs: 60 });
  });

  test("accepts every wire range", async () => {
    const ranges = ["1h", "6h", "1d", "1w", "1m", "3m", "6m", "1y", "2y", "5y", "max"] as const;
    ranges.forEach(() => server.reply("GET", "/v1/market/price-history", { body: HISTORY_TEXT }));
    for (const r of ranges) await seq.priceHistory("X").range(r).fetch();
    expect(server.requests.map((r) => r.query.range)).toEqual([...ranges]);
  });
});

describe("client object", () => {
  test("defaults to the production base URL, trims a trailing slash, and baseUrl returns a new client", () => {
    const prod = new Sequence(API_KEY);
    expect(prod.url).toBe("https://api.sequencemkts.com");
    const local = prod.baseUrl("http://localhost:50052/");
    expect(local).toBeInstanceOf(Sequence);
    expect(local.url).toBe("http://localhost:50052");
    expect(prod.url).toBe("https://api.sequencemkts.com");
  });

  test("a base URL with a path prefix keeps it", async () => {
    server.reply("GET", "/api/v1/deployments", { json: { deployments: [] } });
    expect(await seq.baseUrl(`${server.url}/api`).deployments()).toEqual([]);
    expect(server.only().path).toBe("/api/v1/deployments");
  });

  test("keep-alive: sequential calls reuse one connection", async () => {
    server.reply("GET", "/v1/deployments", { json: { deployments: [] } }, { json: { deployments: [] } }, { json: { deployments: [] } });
    for (let i = 0; i < 3; i++) await seq.deployments();
    expect(server.requests.map((r) => r.headers.connection)).toEqual(["keep-alive", "keep-alive", "keep-alive"]);
    expect(new Set(server.requests.map((r) => r.remotePort)).size).toBe(1);
  });
});
