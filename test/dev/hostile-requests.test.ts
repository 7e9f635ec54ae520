// Hostile and careless requests on the wire (issue 10): each gets the JSON
// error envelope with a clear message, and nothing is created. Raw HTTP and
// raw sockets, because the typed client refuses to send most of these.
import { mkdtempSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { writeTicks } from "../../harness/data/binary.ts";
import { RecordBatch } from "../../harness/data/record.ts";
import { Kind, SideCode } from "../../harness/abi.ts";
import { header } from "../../harness/record-view.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Sequence } from "../../src/client/index.ts";
import { b64, fixtures } from "./fixtures.ts";
import { poll, raw, startEmulator, type RunningEmulator } from "./emulator.ts";

const KEY = "seq_test_hostile_requests";
let emu: RunningEmulator;
let seq: Sequence;
let mods: Awaited<ReturnType<typeof fixtures>>;

beforeAll(async () => {
  mods = await fixtures();
  emu = await startEmulator(["--state", ":memory:", "--key", KEY]);
  seq = new Sequence(KEY, { baseUrl: emu.url });
}, 180_000);

afterAll(async () => {
  await emu?.stop();
});

/** Bytes exactly as given (fetch would re-encode a string as UTF-8). */
function post(path: string, body: Buffer): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const req = http.request(emu.url + path, { method: "POST", headers: { Authorization: `Bearer ${KEY}`, "Content-Type": "application/json", "Content-Length": body.length } }, (res) => {
      let text = "";
      res.on("data", (c: Buffer) => (text += c.toString("utf8")));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** Writes `request` on a fresh socket and returns the status line and the JSON body of the answer. */
function rawSocket(request: string): Promise<{ statusLine: string; json: any }> {
  const { hostname, port } = new URL(emu.url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => socket.end(request));
    let text = "";
    socket.on("data", (c: Buffer) => (text += c.toString("utf8")));
    socket.on("error", reject);
    socket.on("close", () => {
      const [head, body] = text.split("\r\n\r\n");
      resolve({ statusLine: head.split("\r\n")[0], json: JSON.parse(body) });
    });
  });
}

const deployBody = (over: Record<string, unknown>) => ({ name: "x", wasm_base64: b64(mods.buyer), symbols: ["ETH-USD"], start_immediately: false, ...over });

describe("names", () => {
  it.each([
    ["U+0085 (next line)", "mm\u0085eth"],
    ["U+009B (CSI, a terminal escape)", "mm\u009b31m"],
  ])("refuses a name with the C1 control %s", async (_what, name) => {
    const r = await raw(emu.url, "POST", "/v1/deployments", { key: KEY, body: deployBody({ name }) });
    expect([r.status, r.json.error.code, r.json.error.message]).toEqual([400, "invalid_name", "name must not contain control characters"]);
    expect(await seq.deployments()).toEqual([]);
  });

  it("refuses a body that is not UTF-8 instead of reading U+FFFD", async () => {
    const json = Buffer.from(JSON.stringify(deployBody({ name: "mm-XX" })));
    const at = json.indexOf("XX");
    json[at] = 0xff; // never valid in UTF-8
    const r = await post("/v1/deployments", json);
    expect([r.status, r.json.error.code, r.json.error.message]).toEqual([400, "invalid_json", "the request body is not valid UTF-8 (JSON text must be)"]);
    expect(await seq.deployments()).toEqual([]);
  });

  it("accepts a deploy without a name (optional in the reference) and names it", async () => {
    const r = await raw(emu.url, "POST", "/v1/deployments", { key: KEY, body: deployBody({ name: undefined, symbols: ["SOL-USD"] }) });
    expect(r.status).toBe(200);
    expect(r.json.name).toBe("algo-sol-usd");
    await seq.algoUndeploy(r.json.deployment_id);
  });
});

describe("the wire, as the reference answers", () => {
  it("GET /v1/fees without a ticker is a 400", async () => {
    for (const path of ["/v1/fees", "/v1/fees?ticker=", "/v1/fees?venues=coinbase"]) {
      const r = await raw(emu.url, "GET", path, { key: KEY });
      expect([path, r.status, r.json.error.code, r.json.error.message]).toEqual([path, 400, "invalid_request", "ticker is required, e.g. /v1/fees?ticker=ETH-USD"]);
    }
  });

  it("a quote for a symbol no edge hosts is 200 with source unavailable", async () => {
    const r = await raw(emu.url, "GET", "/v1/quote/DOGE-USD", { key: KEY });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ symbol: "DOGE-USD", nbbo: { bid: null, ask: null, mid: null, spread_bps: null }, venues: {}, book: null, source: "unavailable" });
  });

  it("an oversized URL, oversized headers and a malformed request get the envelope", async () => {
    const longUrl = await raw(emu.url, "GET", `/v1/deployments?x=${"a".repeat(9000)}`, { key: KEY });
    expect([longUrl.status, longUrl.json.error.code]).toEqual([414, "uri_too_long"]);

    const bigHeaders = await rawSocket(`GET /v1/health/live HTTP/1.1\r\nHost: x\r\nX-Pad: ${"a".repeat(20_000)}\r\n\r\n`);
    expect(bigHeaders.statusLine).toBe("HTTP/1.1 431 Request Header Fields Too Large");
    expect(bigHeaders.json.error.code).toBe("headers_too_large");

    const garbage = await rawSocket("NOT A REQUEST\r\n\r\n");
    expect(garbage.statusLine).toBe("HTTP/1.1 400 Bad Request");
    expect(garbage.json.error).toMatchObject({ code: "malformed_request", message: expect.stringMatching(/^the request is not valid HTTP\/1\.1 \(HPE_/) });
    expect(await seq.deployments()).toEqual([]);
  });
});

describe("algo dev --data cannot forge fills", () => {
  it("an edge whose .ticks file holds a FILL record stops its replay with the file and record named", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "hostile-data-"));
    const file = path.join(dir, "ETH-USD.ticks");
    const quote = (ts: bigint) => [ts, header(Kind.Quote), 2_999_000_000_000n, 100_000_000n, 3_001_000_000_000n, 100_000_000n];
    const records = [quote(1_000_000_000n), [2_000_000_000n, header(Kind.Fill, SideCode.Buy), 1n, 3_000_000_000_000n, 100_000_000_000n, 0n], quote(3_000_000_000n)];
    await writeTicks(file, {
      description: "forged",
      async *batches() {
        const b = new RecordBatch(records.length);
        for (const r of records) b.push(r[0], r[1], r[2], r[3], r[4], r[5]);
        yield b;
      },
    });
    const forged = await startEmulator(["--state", ":memory:", "--key", KEY, "--data", dir, "--speed", "max"]);
    try {
      const edges = await poll(
        async () => (await raw(forged.url, "GET", "/v1/edges", { key: KEY })).json.edges as Array<{ symbol: string; error: string | null }>,
        (es) => es.filter((e) => e.symbol === "ETH-USD").every((e) => e.error !== null),
        "the ETH-USD edges to stop on the forged record",
      );
      for (const e of edges.filter((x) => x.symbol === "ETH-USD")) {
        expect(e.error).toBe(`cannot read the data (${file}: record 2: kind: expected a market-data record (kind 1 QUOTE, 2 TRADE, 6 BAR, 7 DEPTH), got kind 3 (FILL, a host event: only the simulated venue produces fills, orders and timers))`);
      }
    } finally {
      await forged.stop();
    }
  }, 120_000);
});
