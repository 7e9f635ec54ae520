/**
 * `algo strategy push|list|show|start|stop|logs|rm` against a real local
 * server; the pushed artifact is unzipped and checked.
 */
import { createHash } from "node:crypto";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { unzipSync } from "fflate";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { rawModule } from "../fixtures/raw-modules.ts";
import { API_KEY, apiEnv, runCli, tempDir } from "./run.ts";
import { WireServer } from "./wire-server.ts";

let server: WireServer;

beforeEach(async () => {
  server = await WireServer.start({ apiKey: API_KEY });
});

afterEach(async () => {
  await server.close();
});

const algo = (...args: string[]) => runCli(args, { env: apiEnv(server.url) });

describe("algo strategy", () => {
  test("push sends a zip whose manifest.json and module are right", async () => {
    const dir = tempDir();
    const file = path.join(dir, "mm.wasm");
    const wasm = rawModule();
    await writeFile(file, wasm);
    const r = await algo("strategy", "push", "--name", "mm-eth", "--wasm", file, "--symbols", "ETH-USD,BTC-USD");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('pushed strategy strat_1 "mm-eth" for ETH-USD, BTC-USD');

    expect(server.routes()).toEqual(["POST /v1/strategies"]);
    const body = JSON.parse(server.requests[0]!.body) as { name: string; artifact_base64: string };
    expect(body.name).toBe("mm-eth");
    const files = unzipSync(new Uint8Array(Buffer.from(body.artifact_base64, "base64")));
    expect(Object.keys(files).sort()).toEqual(["manifest.json", "mm.wasm"]);
    expect(Buffer.from(files["mm.wasm"]!).equals(Buffer.from(wasm))).toBe(true);
    const manifest = JSON.parse(new TextDecoder().decode(files["manifest.json"]));
    expect(manifest).toEqual({
      format: 1,
      name: "mm-eth",
      symbols: ["ETH-USD", "BTC-USD"],
      abi_version: "1.0",
      callbacks: [],
      module: "mm.wasm",
      size_bytes: wasm.length,
      sha256: createHash("sha256").update(wasm).digest("hex"),
      tool: "sequence-algo 0.1.0",
    });
  });

  test("push refuses a bad module locally (exit 1, nothing sent)", async () => {
    const dir = tempDir();
    const file = path.join(dir, "bad.wasm");
    await writeFile(file, rawModule({ version: 2 << 16 }));
    const r = await algo("strategy", "push", "--wasm", file, "--symbols", "ETH-USD");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("speaks ABI v2.0");
    expect(server.requests).toHaveLength(0);
  });

  test("list, show, start, stop, logs, rm", async () => {
    const dir = tempDir();
    const file = path.join(dir, "algo.wasm");
    await writeFile(file, rawModule());
    expect((await algo("strategy", "push", "--wasm", file, "--symbols", "ETH-USD")).code).toBe(0);

    const list = await algo("strategy", "list");
    expect(list.stdout).toMatch(/STRATEGY ID\s+NAME\s+STATUS/);
    expect(list.stdout).toMatch(/strat_1\s+algo\s+stopped/);
    const show = await algo("strategy", "show", "strat_1", "--json");
    expect(JSON.parse(show.stdout)).toMatchObject({ strategy_id: "strat_1", name: "algo", status: "stopped" });
    const start = await algo("strategy", "start", "strat_1");
    expect(start.stdout).toContain("started strategy strat_1: status running");
    const logs = await algo("strategy", "logs", "strat_1");
    expect(logs.stdout).toMatch(/^2024-01-16T12:00:00\.000000001Z\s+edge-binance-1\s+INFO\s+strategy running$/m);
    const stop = await algo("strategy", "stop", "strat_1");
    expect(stop.stdout).toContain("stopped strategy strat_1: status stopped");
    const rm = await algo("strategy", "rm", "strat_1");
    expect(rm.stdout).toContain("deleted strategy strat_1");
    const gone = await algo("strategy", "show", "strat_1");
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain('no strategy "strat_1"');
    expect(server.routes()).toEqual([
      "POST /v1/strategies",
      "GET /v1/strategies",
      "GET /v1/strategies/strat_1",
      "POST /v1/strategies/strat_1/start",
      "GET /v1/strategies/strat_1/logs",
      "POST /v1/strategies/strat_1/stop",
      "DELETE /v1/strategies/strat_1",
      "GET /v1/strategies/strat_1",
    ]);
  });
});
