/**
 * Error kinds, the retry policy, and keeping the API key out of every error.
 */
import { inspect } from "node:util";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { Sequence, SequenceError, isSequenceError } from "../../src/client/index.ts";
import { backoffDelay, parseRetryAfter } from "../../src/client/http.ts";
import { FakeServer } from "./fake-server.ts";
import { API_KEY, DEPLOYMENT_TEXT, EXPECTED_DEPLOYMENT, WASM, ZIP } from "./fixtures.ts";

let server: FakeServer;
let seq: Sequence;

beforeEach(async () => {
  server = await FakeServer.start();
  seq = new Sequence(API_KEY, { retry: { baseDelayMs: 5, maxDelayMs: 20 } }).baseUrl(server.url);
});

afterEach(async () => {
  await server.close();
});

/** The rejection of `p`, which must be a SequenceError. */
async function failure(p: Promise<unknown>): Promise<SequenceError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(e instanceof SequenceError)) throw new Error(`expected a SequenceError, got ${inspect(e)}`);
  expect(e).toBeInstanceOf(Error);
  expect(e.name).toBe("SequenceError");
  return e;
}

/** Every rendering of the error, for the key-leak checks. */
function renderings(e: SequenceError): string[] {
  return [e.message, String(e), inspect(e, { depth: 10, showHidden: true }), JSON.stringify(e), e.stack ?? ""];
}

describe("api errors", () => {
  test("the envelope's code and message, the status, and where it happened", async () => {
    server.reply("POST", "/v1/deployments", {
      status: 409,
      json: { error: { code: "name_taken", message: "a deployment named mm-eth exists" } },
    });
    const e = await failure(seq.deployAlgo("mm-eth", WASM, ["ETH-USD"]));
    expect(e.kind).toBe("api");
    if (e.kind !== "api") return;
    expect(e.status).toBe(409);
    expect(e.code).toBe("name_taken");
    expect(e.apiMessage).toBe("a deployment named mm-eth exists");
    expect(e.operation).toBe("deployAlgo");
    expect(e.method).toBe("POST");
    expect(e.path).toBe("/v1/deployments");
    expect(e.message).toBe("deployAlgo: POST /v1/deployments → 409 name_taken: a deployment named mm-eth exists");
  });

  test("a body that is not an envelope falls back to http_<status> and a snippet", async () => {
    server.reply("GET", "/v1/deployments/dep_1", { status: 502, body: `<html>${"x".repeat(500)}</html>` });
    const e = await failure(seq.algoStatus("dep_1"));
    expect(e.kind).toBe("api");
    if (e.kind !== "api") return;
    expect(e.status).toBe(502);
    expect(e.code).toBe("http_502");
    expect(e.apiMessage.startsWith("<html>xxx")).toBe(true);
    expect(e.apiMessage.length).toBeLessThanOrEqual(201);
    expect(e.message).toContain("algoStatus: GET /v1/deployments/dep_1 → 502 http_502");
  });

  test("an empty error body uses the status text", async () => {
    server.reply("GET", "/v1/algos/ETH-USD", { status: 404 });
    const e = await failure(seq.algo("ETH-USD"));
    expect(e.kind === "api" && e.code === "http_404" && e.apiMessage === "Not Found").toBe(true);
  });

  test("capability_missing envelopes map to their own kind", async () => {
    server.reply("POST", "/v1/strategies/strat_1/start", {
      status: 422,
      json: { error: { code: "capability_missing", message: "no hosted strategies", verb: "strategy_start", venue: "kalshi", reason: "not enabled for this account" } },
    });
    const e = await failure(seq.strategyStart("strat_1"));
    expect(e.kind).toBe("capability_missing");
    if (e.kind !== "capability_missing") return;
    expect([e.verb, e.venue, e.reason]).toEqual(["strategy_start", "kalshi", "not enabled for this account"]);
    expect(e.message).toContain("strategy_start is not available on kalshi: not enabled for this account");
    expect(isSequenceError(e, "capability_missing")).toBe(true);
    expect(isSequenceError(e, "api")).toBe(false);
  });
});

describe("network errors", () => {
  test("connection refused on a closed port", async () => {
    const closed = await FakeServer.start();
    const url = closed.url;
    await closed.close();
    const e = await failure(seq.baseUrl(url).deployAlgo("mm", WASM, ["ETH-USD"]));
    expect(e.kind).toBe("network");
    if (e.kind !== "network") return;
    expect(e.mayHaveBeenApplied).toBe(false);
    expect(e.timedOut).toBe(false);
    expect(e.message).toContain("deployAlgo: POST /v1/deployments: cannot connect to");
    expect(e.message).toContain("ECONNREFUSED");
    expect((e.cause as { code?: string }).code).toBe("ECONNREFUSED");
  });

  test("a POST whose connection drops is sent exactly once and may have been applied", async () => {
    server.reply("POST", "/v1/deployments", { destroy: true }, { body: DEPLOYMENT_TEXT });
    const e = await failure(seq.deployAlgo("mm", WASM, ["ETH-USD"]));
    expect(server.requests).toHaveLength(1);
    expect(e.kind).toBe("network");
    if (e.kind !== "network") return;
    expect(e.mayHaveBeenApplied).toBe(true);
    expect(e.message).toContain("deployAlgo: POST /v1/deployments: connection dropped before an answer");
    expect(e.message).toContain("may have been applied");
  });

  test("a DELETE whose connection drops is sent exactly once", async () => {
    server.reply("DELETE", "/v1/deployments/dep_1", { destroy: true }, { json: { deployment_id: "dep_1", status: "undeployed" } });
    const e = await failure(seq.algoUndeploy("dep_1"));
    expect(server.requests).toHaveLength(1);
    expect(e.kind === "network" && e.mayHaveBeenApplied).toBe(true);
  });

  test("a GET whose connection drops is sent once more", async () => {
    server.reply("GET", "/v1/deployments/dep_1", { destroy: true }, { body: DEPLOYMENT_TEXT });
    expect(await seq.algoStatus("dep_1")).toEqual(EXPECTED_DEPLOYMENT);
    expect(server.requests).toHaveLength(2);
  });

  test("…but only once", async () => {
    server.reply("GET", "/v1/deployments/dep_1", { destroy: true }, { destroy: true }, { body: DEPLOYMENT_TEXT });
    const e = await failure(seq.algoStatus("dep_1"));
    expect(server.requests).toHaveLength(2);
    expect(e.kind === "network" && !e.mayHaveBeenApplied).toBe(true);
  });

  test("the per-request timeout", async () => {
    const quick = new Sequence(API_KEY, { timeoutMs: 100 }).baseUrl(server.url);
    server.reply("POST", "/v1/deployments/dep_1/start", { delayMs: 1000, body: DEPLOYMENT_TEXT });
    const e = await failure(quick.algoStart("dep_1"));
    expect(server.requests).toHaveLength(1);
    expect(e.kind).toBe("network");
    if (e.kind !== "network") return;
    expect(e.timedOut).toBe(true);
    expect(e.mayHaveBeenApplied).toBe(true);
    expect(e.message).toContain("algoStart: POST /v1/deployments/dep_1/start: timed out after 100 ms");
  });
});

describe("deserialize errors", () => {
  test("invalid JSON, with a snippet of the body", async () => {
    server.reply("GET", "/v1/deployments/dep_1", { body: "{not json" });
    const e = await failure(seq.algoStatus("dep_1"));
    expect(e.kind).toBe("deserialize");
    if (e.kind !== "deserialize") return;
    expect(e.snippet).toBe("{not json");
    expect(e.message).toContain("algoStatus: GET /v1/deployments/dep_1: answer 200 could not be read: invalid JSON");
  });

  test("a missing field names its JSON path", async () => {
    const withoutStatus = DEPLOYMENT_TEXT.replace(`"status":"running","pushed_to"`, `"pushed_to"`);
    server.reply("GET", "/v1/deployments/dep_1", { body: withoutStatus });
    const e = await failure(seq.algoStatus("dep_1"));
    expect(e.kind).toBe("deserialize");
    expect(e.message).toContain("$.status: expected a string, got nothing (field missing)");
  });

  test("a wrong type deep inside names its JSON path", async () => {
    const stringPnl = DEPLOYMENT_TEXT.replace(/"realized_pnl_1e9":\d+/, `"realized_pnl_1e9":"12"`);
    server.reply("GET", "/v1/deployments/dep_1", { body: stringPnl });
    const e = await failure(seq.algoStatus("dep_1"));
    expect(e.kind).toBe("deserialize");
    expect(e.message).toContain(`$.edges[0].realized_pnl_1e9: expected an integer (bigint field), got string "12"`);
  });

  test("a fractional fixed-point value is rejected, not rounded", async () => {
    const fractional = DEPLOYMENT_TEXT.replace(/"position_1e8":-?\d+/, `"position_1e8":1.5`);
    server.reply("GET", "/v1/deployments/dep_1", { body: fractional });
    const e = await failure(seq.algoStatus("dep_1"));
    expect(e.message).toContain("$.edges[0].position_1e8: expected an integer (bigint field), got number 1.5");
  });

  test("the snippet is at most ~200 characters", async () => {
    server.reply("GET", "/v1/deployments", { body: `{"deployments": 5, "pad": "${"y".repeat(1000)}"}` });
    const e = await failure(seq.deployments());
    expect(e.kind).toBe("deserialize");
    if (e.kind !== "deserialize") return;
    expect(e.snippet.length).toBeLessThanOrEqual(201);
    expect(e.snippet.startsWith(`{"deployments": 5`)).toBe(true);
    expect(e.message.length).toBeLessThan(400);
  });

  test("an empty 200 where a Deployment is expected", async () => {
    server.reply("GET", "/v1/deployments/dep_1", { status: 200 });
    const e = await failure(seq.algoStatus("dep_1"));
    expect(e.kind).toBe("deserialize");
  });
});

describe("validation errors send nothing", () => {
  const cases: [string, (s: Sequence) => Promise<unknown>, string][] = [
    ["deploy with no symbols", (s) => s.deployAlgo("mm", WASM, []), "deployAlgo: symbols is empty"],
    ["deploy with empty wasm", (s) => s.deployAlgo("mm", new Uint8Array(), ["ETH-USD"]), "deployAlgo: wasm is empty"],
    ["deploy with non-wasm bytes", (s) => s.deployAlgo("mm", new Uint8Array([1, 2, 3, 4, 5]), ["ETH-USD"]), "not a WebAssembly module"],
    ["deploy with an empty name", (s) => s.deployAlgo(" ", WASM, ["ETH-USD"]), "deployAlgo: name must be a non-empty string"],
    ["deploy with an empty symbol", (s) => s.deployAlgo("mm", WASM, ["ETH-USD", ""]), "symbols contains an invalid entry"],
    ["push an empty artifact", (s) => s.strategyPush("s", new Uint8Array()), "strategyPush: artifact is empty"],
    ["push a non-zip artifact", (s) => s.strategyPush("s", WASM), "not a zip archive"],
    ["push with no name", (s) => s.strategyPush("", ZIP), "strategyPush: name must be a non-empty string"],
    ["logs limit 0", (s) => s.algoLogs("dep_1", 0), "algoLogs: limit must be an integer in 1..10000, got 0"],
    ["logs limit too large", (s) => s.algoLogs("dep_1", 10_001), "got 10001"],
    ["logs limit fractional", (s) => s.algoLogs("dep_1", 1.5), "got 1.5"],
    ["empty deployment id", (s) => s.algoStatus(""), "algoStatus: deploymentId must be a non-empty string"],
    ["empty symbol", (s) => s.algoStats(""), "algoStats: symbol must be a non-empty string"],
    ["empty strategy id", (s) => s.strategyDelete(""), "strategyDelete: strategyId must be a non-empty string"],
    ["empty quote symbol", (s) => s.quote(""), "quote: symbol must be a non-empty string"],
    ["fees without ticker", (s) => s.fees(""), "fees: ticker must be a non-empty string"],
    ["fees with a comma in a venue", (s) => s.fees("X", ["a,b"]), "fees: venues must be non-empty names"],
    ["history limit 0", (s) => s.priceHistory("BTC").limit(0).fetch(), "priceHistory: limit must be an integer"],
    ["history unknown range", (s) => s.priceHistory("BTC").range("2d" as "1d").fetch(), `range "2d" is not one of 1h 6h 1d`],
    ["history negative fidelity", (s) => s.priceHistory("BTC").fidelitySecs(-1).fetch(), "fidelitySecs must be"],
    ["history start after end", (s) => s.priceHistory("BTC").startTs(20).endTs(10).fetch(), "startTs (20) must be before endTs (10)"],
    ["history empty symbol", (s) => s.priceHistory("").fetch(), "priceHistory: symbol must be a non-empty string"],
    ["no API key", () => new Sequence("").baseUrl(server.url).deployments(), "no API key"],
  ];

  test.each(cases)("%s", async (_name, call, expected) => {
    const e = await failure(call(seq));
    expect(e.kind).toBe("validation");
    expect(e.message).toContain(expected);
    expect(server.requests).toHaveLength(0);
  });

  test("a malformed base URL or option is refused at construction", () => {
    expect(() => new Sequence(API_KEY).baseUrl("ftp://x")).toThrow(/baseUrl: "ftp:\/\/x" is not an http\(s\) URL/);
    expect(() => new Sequence(API_KEY).baseUrl("not a url")).toThrow(SequenceError);
    expect(() => new Sequence(API_KEY, { timeoutMs: 0 })).toThrow(/timeoutMs must be a positive number/);
    expect(() => new Sequence(API_KEY, { retry: { maxAttempts: 0 } })).toThrow(/maxAttempts must be an integer/);
  });
});

describe("the API key never leaks", () => {
  test("not from the client object", () => {
    const s = new Sequence(API_KEY).baseUrl("http://127.0.0.1:1");
    for (const text of [String(s), inspect(s, { showHidden: true, depth: 10 }), JSON.stringify(s), Object.keys(s).join()]) {
      expect(text).not.toContain(API_KEY);
    }
    expect(String(s)).toBe("Sequence(http://127.0.0.1:1)");
  });

  test("not from an api error whose message echoes it", async () => {
    server.reply("GET", "/v1/deployments", {
      status: 401,
      json: { error: { code: "unauthorized", message: `key ${API_KEY} is revoked` } },
    });
    const e = await failure(seq.deployments());
    expect(e.kind === "api" && e.status === 401).toBe(true);
    expect(e.message).toContain("key [redacted] is revoked");
    for (const text of renderings(e)) expect(text).not.toContain(API_KEY);
  });

  test("not from a deserialize error whose body echoes it", async () => {
    server.reply("GET", "/v1/deployments/dep_1", { body: `{"deployment_id": 1, "name": "${API_KEY}"}` });
    const e = await failure(seq.algoStatus("dep_1"));
    expect(e.kind).toBe("deserialize");
    for (const text of renderings(e)) expect(text).not.toContain(API_KEY);
  });

  test("not from network, timeout or validation errors", async () => {
    const closed = await FakeServer.start();
    const url = closed.url;
    await closed.close();
    const errors = [
      await failure(seq.baseUrl(url).deployments()),
      await failure(seq.deployAlgo("mm", WASM, [])),
    ];
    server.reply("POST", "/v1/deployments", { destroy: true });
    errors.push(await failure(seq.deployAlgo("mm", WASM, ["ETH-USD"])));
    for (const e of errors) for (const text of renderings(e)) expect(text).not.toContain(API_KEY);
  });
});

describe("retries", () => {
  test("429 with Retry-After: 1 is waited for, then retried", async () => {
    server.reply(
      "GET",
      "/v1/deployments",
      { status: 429, headers: { "Retry-After": "1" }, json: { error: { code: "rate_limited", message: "slow down" } } },
      { json: { deployments: [] } },
    );
    expect(await seq.deployments()).toEqual([]);
    expect(server.requests).toHaveLength(2);
    const [first, second] = server.requests;
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(950);
  });

  test("503 is retried with backoff, for a POST too", async () => {
    const busy = { status: 503, json: { error: { code: "unavailable", message: "draining" } } };
    server.reply("POST", "/v1/deployments", busy, busy, { body: DEPLOYMENT_TEXT });
    expect(await seq.deployAlgo("mm-eth", WASM, ["ETH-USD"])).toEqual(EXPECTED_DEPLOYMENT);
    expect(server.requests).toHaveLength(3);
    expect(new Set(server.requests.map((r) => r.body)).size).toBe(1);
  });

  test("attempts are bounded: after maxAttempts the 429 surfaces", async () => {
    const limited = { status: 429, headers: { "Retry-After": "0" }, json: { error: { code: "rate_limited", message: "slow down" } } };
    server.reply("GET", "/v1/algos", limited, limited, limited, limited, limited);
    const e = await failure(seq.algos());
    expect(server.requests).toHaveLength(4);
    expect(e.kind === "api" && e.status === 429 && e.code === "rate_limited").toBe(true);
    expect(e.message).toContain("(after 4 attempts)");
  });

  test("a Retry-After beyond the limit is not waited for", async () => {
    server.reply("GET", "/v1/algos", { status: 429, headers: { "Retry-After": "3600" }, json: { error: { code: "rate_limited", message: "quota" } } });
    const e = await failure(seq.algos());
    expect(server.requests).toHaveLength(1);
    expect(e.kind === "api" && e.retryAfterMs === 3_600_000).toBe(true);
    expect(e.message).toContain("retry after 3600 s");
  });

  test("a 500 is not retried", async () => {
    server.reply("GET", "/v1/algos", { status: 500, json: { error: { code: "internal", message: "boom" } } }, { json: { algos: [] } });
    const e = await failure(seq.algos());
    expect(server.requests).toHaveLength(1);
    expect(e.kind === "api" && e.status === 500).toBe(true);
  });

  test("a 4xx is not retried", async () => {
    server.reply("POST", "/v1/deployments", { status: 400, json: { error: { code: "bad_request", message: "bad wasm" } } }, { body: DEPLOYMENT_TEXT });
    await failure(seq.deployAlgo("mm", WASM, ["ETH-USD"]));
    expect(server.requests).toHaveLength(1);
  });

  test("Retry-After parsing: seconds, HTTP date, garbage", () => {
    const now = Date.parse("2025-01-01T00:00:00Z");
    expect(parseRetryAfter("2", now)).toBe(2000);
    expect(parseRetryAfter("Wed, 01 Jan 2025 00:00:05 GMT", now)).toBe(5000);
    expect(parseRetryAfter("Tue, 31 Dec 2024 23:59:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  test("backoff doubles, is capped, and is jittered within [d/2, d]", () => {
    expect(backoffDelay(1, 100, 1000, () => 0)).toBe(50);
    expect(backoffDelay(1, 100, 1000, () => 1)).toBe(100);
    expect(backoffDelay(3, 100, 1000, () => 1)).toBe(400);
    expect(backoffDelay(10, 100, 1000, () => 1)).toBe(1000);
    expect(backoffDelay(10, 100, 1000, () => 0)).toBe(500);
  });
});
