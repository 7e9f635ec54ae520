/**
 * `algo deploy` against a real local server: what is built, checked and sent;
 * a bad module never leaves the machine.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { checkModule } from "../../harness/module-check.ts";
import { rawModule } from "../fixtures/raw-modules.ts";
import { API_KEY, apiEnv, makeProject, runCli, tempDir } from "./run.ts";
import { WireServer } from "./wire-server.ts";

let server: WireServer;
let project: string;

beforeAll(async () => {
  project = await makeProject("mm-eth");
});

beforeEach(async () => {
  server = await WireServer.start({ apiKey: API_KEY });
});

afterEach(async () => {
  await server.close();
});

function deployBody(): { name: string; wasm_base64: string; symbols: string[]; start_immediately: boolean } {
  const posts = server.requests.filter((r) => r.method === "POST" && r.path === "/v1/deployments");
  expect(posts).toHaveLength(1);
  return JSON.parse(posts[0]!.body);
}

describe("algo deploy", () => {
  test("builds the project when needed, checks it, uploads it, and prints the deployment; then reuses the up-to-date build", async () => {
    const r = await runCli(["deploy", "ETH-USD"], { cwd: project, env: apiEnv(server.url) });
    expect(r.stderr).toContain("building");
    expect(r.code).toBe(0);

    const body = deployBody();
    expect(body.name).toBe("mm-eth");
    expect(body.symbols).toEqual(["ETH-USD"]);
    expect(body.start_immediately).toBe(true);
    const sent = Buffer.from(body.wasm_base64, "base64");
    const built = await readFile(path.join(project, "build", "algo.wasm"));
    expect(sent.equals(built)).toBe(true);
    const info = await checkModule(new Uint8Array(sent));
    expect(info.callbacks).toContain("on_quote");
    expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${API_KEY}`);

    expect(r.stdout).toContain("deployed dep_1 \"mm-eth\"");
    expect(r.stdout).toContain("pushed to 2 of 2 capable edges");
    expect(r.stdout).toMatch(/edge-binance-1\s+binance\s+running\s+0/);
    expect(r.stdout).toMatch(/edge-coinbase-1\s+coinbase\s+running/);
    expect(r.stdout + r.stderr).not.toContain(API_KEY);

    // Second deploy (another symbol): the build is up to date, nothing is recompiled.
    const again = await runCli(["deploy", "BTC-USD", "--name", "mm-btc"], { cwd: project, env: apiEnv(server.url) });
    expect(again.code).toBe(0);
    expect(again.stderr).toContain("up to date");
    expect(again.stderr).not.toContain("building");
  }, 60_000);

  test("--wasm, --symbols, --name, --no-start and --json", async () => {
    const dir = tempDir();
    const wasmFile = path.join(dir, "algo.wasm");
    const bytes = rawModule();
    await writeFile(wasmFile, bytes);
    const r = await runCli(["deploy", "BTC-USD", "--symbols", "ETH-USD, SOL-USD,BTC-USD", "--name", "multi", "--no-start", "--wasm", wasmFile, "--json"], {
      cwd: dir,
      env: apiEnv(server.url),
    });
    expect(r.stderr).toBe(r.stderr.replace(API_KEY, "")); // never the key
    expect(r.code).toBe(0);
    const body = deployBody();
    expect(body).toMatchObject({ name: "multi", symbols: ["BTC-USD", "ETH-USD", "SOL-USD"], start_immediately: false });
    expect(Buffer.from(body.wasm_base64, "base64").equals(Buffer.from(bytes))).toBe(true);
    const printed = JSON.parse(r.stdout);
    expect(printed).toMatchObject({ deployment_id: "dep_1", status: "stopped", pushed_to: 2, capable_edges: 2 });
    expect(printed.edges[0]).toMatchObject({ venue: "binance", position_1e8: 0, realized_pnl_1e9: 0 });
  });

  test("a file that is not WebAssembly is refused locally: exit 1, the server saw nothing", async () => {
    const dir = tempDir();
    const file = path.join(dir, "notes.wasm");
    await writeFile(file, "this is not a module\n");
    const r = await runCli(["deploy", "ETH-USD", "--wasm", file], { cwd: dir, env: apiEnv(server.url) });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("notes.wasm is not a WebAssembly module");
    expect(server.requests).toHaveLength(0);
  });

  test("a module importing outside the host namespace is refused locally: exit 1, the server saw nothing", async () => {
    const dir = tempDir();
    const file = path.join(dir, "foreign.wasm");
    await writeFile(file, rawModule({ imports: [["env", "seed"]] }));
    const r = await runCli(["deploy", "ETH-USD", "--wasm", file], { cwd: dir, env: apiEnv(server.url) });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('imports "env.seed", outside the host namespace "sequence"');
    expect(server.requests).toHaveLength(0);
  });

  test("a module with a start function is refused before it is instantiated (it would hang the check)", async () => {
    const dir = tempDir();
    const file = path.join(dir, "spin.wasm");
    await writeFile(file, rawModule({ start: true }));
    const r = await runCli(["deploy", "ETH-USD", "--wasm", file], { cwd: dir, env: apiEnv(server.url), timeoutMs: 20_000 });
    expect(r.signal).toBeNull();
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("spin.wasm has a start function");
    expect(server.requests).toHaveLength(0);
  });

  test("an API error is exit 1 with the server's message", async () => {
    const dir = tempDir();
    const file = path.join(dir, "algo.wasm");
    await writeFile(file, rawModule());
    server.addDeployment("older", ["ETH-USD"], rawModule());
    const r = await runCli(["deploy", "ETH-USD", "--wasm", file], { cwd: dir, env: apiEnv(server.url) });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("409 conflict: ETH-USD already runs deployment dep_1; undeploy it first");
    expect(r.stderr).toContain(`API: ${server.url} (from SEQUENCE_BASE_URL)`);
  });

  test("--dry-run checks the module and sends nothing, without a key", async () => {
    const dir = tempDir();
    const file = path.join(dir, "algo.wasm");
    await writeFile(file, rawModule());
    const r = await runCli(["deploy", "ETH-USD", "--wasm", file, "--dry-run", "--json"], {
      cwd: dir,
      env: { SEQUENCE_BASE_URL: server.url },
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ dry_run: true, symbols: ["ETH-USD"], name: "algo", start_immediately: true });
    expect(server.requests).toHaveLength(0);
  });

  test("usage errors: no symbol anywhere, a .wasm given as SYMBOL", async () => {
    const dir = tempDir();
    const file = path.join(dir, "algo.wasm");
    await writeFile(file, rawModule());
    const noSymbol = await runCli(["deploy", "--wasm", file], { cwd: dir, env: apiEnv(server.url) });
    expect(noSymbol.code).toBe(2);
    expect(noSymbol.stderr).toContain("which symbol does the algo trade?");
    const swapped = await runCli(["deploy", file], { cwd: dir, env: apiEnv(server.url) });
    expect(swapped.code).toBe(2);
    expect(swapped.stderr).toContain("looks like a module file; pass it with --wasm");
    expect(server.requests).toHaveLength(0);
  });
});
