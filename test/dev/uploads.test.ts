// Bad uploads: each is a 400 with the error envelope and a message that says
// what is wrong, and nothing is created (the deployment list is unchanged).
// Raw HTTP, because the typed client refuses some of these before sending.
import { strToU8, zipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Sequence } from "../../src/client/index.ts";
import { b64, fixtures, handModule } from "./fixtures.ts";
import { raw, startEmulator, type RunningEmulator } from "./emulator.ts";

const KEY = "seq_test_uploads_key";
let emu: RunningEmulator;
let seq: Sequence;
let mods: Awaited<ReturnType<typeof fixtures>>;

beforeAll(async () => {
  mods = await fixtures();
  emu = await startEmulator(["--state", ":memory:", "--key", KEY, "--budget-ms", "2000"]);
  seq = new Sequence(KEY, { baseUrl: emu.url });
}, 180_000);

afterAll(async () => {
  await emu?.stop();
});

const deploy = (body: unknown) => raw(emu.url, "POST", "/v1/deployments", { key: KEY, body });
const good = () => ({ name: "ok", wasm_base64: b64(mods.buyer), symbols: ["ETH-USD"], start_immediately: false });

describe("deploy validation", () => {
  const cases: Array<[string, () => unknown, string, RegExp]> = [
    ["bad base64", () => ({ ...good(), wasm_base64: "AGFzbQ$$!!" }), "invalid_base64", /not valid base64: character "\$" at offset 6/],
    ["base64 with bad padding", () => ({ ...good(), wasm_base64: "AGFzbQ=" }), "invalid_base64", /length or padding/],
    ["bytes that are not WASM", () => ({ ...good(), wasm_base64: b64(strToU8("hello, this is not a module")) }), "invalid_module", /not a WebAssembly module/],
    ["corrupt WASM", () => ({ ...good(), wasm_base64: b64(mods.buyer.slice(0, 200)) }), "invalid_module", /not valid WebAssembly/],
    ["an unknown ABI version", () => ({ ...good(), wasm_base64: b64(handModule({ abiVersion: 2 << 16 })) }), "invalid_module", /speaks ABI v2\.0, but this host speaks ABI v1\.3/],
    ["imports outside the host namespace", () => ({ ...good(), wasm_base64: b64(handModule({ imports: ["env.abort"] })) }), "invalid_module", /imports "env\.abort", outside the host namespace "sequence"/],
    ["a module over 4 MiB", () => ({ ...good(), wasm_base64: b64(Uint8Array.from({ length: 4 * 1024 * 1024 + 1 }, (_, i) => [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0][i] ?? 0)) }), "invalid_module", /4194305 bytes; the limit is 4194304 bytes \(4 MiB\)/],
    ["memory over the cap", () => ({ ...good(), wasm_base64: b64(handModule({ memory: { min: 1, max: 1024 } })) }), "invalid_module", /maximum memory of at most 256 pages \(16 MiB\); it declares 1024 pages/],
    ["no declared maximum memory", () => ({ ...good(), wasm_base64: b64(handModule({ memory: { min: 1 } })) }), "invalid_module", /maximum memory of at most 256 pages \(16 MiB\); it declares none/],
    ["a start function", () => ({ ...good(), wasm_base64: b64(handModule({ startFunction: true })) }), "invalid_module", /start function/],
    ["an empty symbol list", () => ({ ...good(), symbols: [] }), "invalid_symbols", /symbols is empty/],
    ["symbols not a list", () => ({ ...good(), symbols: "ETH-USD" }), "invalid_symbols", /must be an array/],
    ["an unknown symbol", () => ({ ...good(), symbols: ["ETH-USD", "DOGE-USD"] }), "unknown_symbol", /unknown symbol "DOGE-USD".*ETH-USD, BTC-USD, SOL-USD/],
    ["an empty name", () => ({ ...good(), name: "  " }), "invalid_name", /name must not be empty/],
    ["a non-string name", () => ({ ...good(), name: 42 }), "invalid_name", /name must be a string/],
    ["a name with control characters", () => ({ ...good(), name: "a\u0007b" }), "invalid_name", /control characters/],
    ["a missing module", () => ({ ...good(), wasm_base64: undefined }), "invalid_request", /wasm_base64 is required/],
    ["a non-boolean start_immediately", () => ({ ...good(), start_immediately: "yes" }), "invalid_request", /start_immediately must be true or false/],
    ["a body that is not an object", () => ["ETH-USD"], "invalid_request", /must be a JSON object/],
  ];

  it.each(cases)("refuses %s with a 400 and creates nothing", async (_what, body, code, message) => {
    const before = await seq.deployments();
    const r = await deploy(body());
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe(code);
    expect(r.json.error.message).toMatch(message);
    expect(await seq.deployments()).toEqual(before);
  });

  it("refuses a body that is not JSON", async () => {
    const r = await raw(emu.url, "POST", "/v1/deployments", { key: KEY, rawBody: "{nope", headers: { "Content-Type": "application/json" } });
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe("invalid_json");
  });

  it("refuses a body over 6 MiB with 413", async () => {
    const r = await raw(emu.url, "POST", "/v1/deployments", { key: KEY, rawBody: Buffer.alloc(6 * 1024 * 1024 + 10, 0x61) });
    expect(r.status).toBe(413);
    expect(r.json.error.code).toBe("payload_too_large");
    expect(await seq.deployments()).toEqual([]);
  });

  it("accepts the good upload after all that", async () => {
    const r = await deploy(good());
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ name: "ok", status: "deployed", pushed_to: 3, capable_edges: 3 });
    expect((await seq.deployments()).map((d) => d.deployment_id)).toEqual([r.json.deployment_id]);
    await seq.algoUndeploy(r.json.deployment_id);
  });
});

describe("strategy push validation", () => {
  const manifest = (over: Record<string, unknown> = {}) => ({ format: 1, name: "s", symbols: ["SOL-USD"], module: "algo.wasm", ...over });
  const artifact = (files: Record<string, Uint8Array>) => b64(zipSync(files));
  const push = (body: unknown) => raw(emu.url, "POST", "/v1/strategies", { key: KEY, body });

  it.each([
    ["an artifact that is not a zip", () => ({ name: "s", artifact_base64: b64(mods.buyer) }), /not a zip archive/],
    ["no manifest", () => ({ name: "s", artifact_base64: artifact({ "algo.wasm": mods.buyer }) }), /no manifest\.json \(it has: algo\.wasm\)/],
    ["a manifest that is not JSON", () => ({ name: "s", artifact_base64: artifact({ "manifest.json": strToU8("{"), "algo.wasm": mods.buyer }) }), /manifest\.json is not a JSON object/],
    ["a manifest naming a missing module", () => ({ name: "s", artifact_base64: artifact({ "manifest.json": strToU8(JSON.stringify(manifest({ module: "x.wasm" }))), "algo.wasm": mods.buyer }) }), /names module "x\.wasm", but the archive has no such file/],
    ["a wrong sha256", () => ({ name: "s", artifact_base64: artifact({ "manifest.json": strToU8(JSON.stringify(manifest({ sha256: "00" }))), "algo.wasm": mods.buyer }) }), /sha256 does not match/],
    ["a module that is not WASM", () => ({ name: "s", artifact_base64: artifact({ "manifest.json": strToU8(JSON.stringify(manifest())), "algo.wasm": strToU8("nope nope") }) }), /not a WebAssembly module/],
    ["an unknown symbol", () => ({ name: "s", artifact_base64: artifact({ "manifest.json": strToU8(JSON.stringify(manifest({ symbols: ["XYZ"] }))), "algo.wasm": mods.buyer }) }), /unknown symbol "XYZ"/],
  ])("refuses %s", async (_what, body, message) => {
    const r = await push(body());
    expect(r.status).toBe(400);
    expect(r.json.error.message).toMatch(message);
    expect(await seq.strategies()).toEqual([]);
  });

  it("refuses a zip bomb whose headers lie, answering health meanwhile", async () => {
    // 32 MiB of zeros (the limit is 8 MiB an entry) in a ~32 KB zip whose headers claim 18,000 bytes.
    const zip = zipSync({ "manifest.json": strToU8(JSON.stringify(manifest())), "algo.wasm": new Uint8Array(32 * 1024 * 1024) }, { level: 9 });
    const v = new DataView(zip.buffer);
    for (let i = 0; i + 4 < zip.length; i++) {
      if (v.getUint32(i, true) === 0x04034b50 && zip[i + 30] === 0x61) v.setUint32(i + 22, 18_000, true);
      if (v.getUint32(i, true) === 0x02014b50 && zip[i + 46] === 0x61) v.setUint32(i + 24, 18_000, true);
    }
    const order: string[] = [];
    const upload = push({ name: "bomb", artifact_base64: b64(zip) }).then((r) => (order.push("upload"), r));
    const health = raw(emu.url, "GET", "/v1/health/live").then((r) => (order.push("health"), r));
    const [u, h] = await Promise.all([upload, health]);
    expect(h.status).toBe(200);
    expect(u.status).toBe(400);
    expect(u.json.error.message).toBe("artifact_base64 refused: algo.wasm unpacks to more than 8388608 bytes");
    expect(order).toEqual(["health", "upload"]);
    expect(await seq.strategies()).toEqual([]);
  });

  it("stores a valid artifact and runs it through the deployment machinery", async () => {
    const zip = zipSync({ "manifest.json": strToU8(JSON.stringify(manifest())), "algo.wasm": mods.buyer });
    const s = await seq.strategyPush("sol-buyer", zip);
    expect(s).toMatchObject({ name: "sol-buyer", status: "pushed", symbols: ["SOL-USD"], size_bytes: mods.buyer.length, deployment_id: null });
    const id = s.strategy_id as string;
    expect((await seq.strategies()).map((x) => x.strategy_id)).toEqual([id]);
    expect(await seq.strategyStart(id)).toMatchObject({ strategy_id: id, status: "running" });
    const depId = (await seq.strategy(id)).deployment_id as string;
    expect((await seq.algoStatus(depId)).pushed_to).toBe(2);
    expect(await seq.strategyStop(id)).toMatchObject({ status: "stopped" });
    expect(await seq.strategyLogs(id)).toMatchObject({ strategy_id: id, deployment_id: depId });
    expect(await seq.strategyDelete(id)).toEqual({ strategy_id: id, status: "deleted" });
    expect(await seq.strategies()).toEqual([]);
    expect((await seq.algoStatus(depId)).status).toBe("undeployed");
  });
});
