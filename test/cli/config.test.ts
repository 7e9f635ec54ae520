/**
 * Key, base URL and profile resolution; exit codes for a missing key (2), a
 * closed port (3) and an API error (1). The key never appears in any output.
 */
import { chmod, writeFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { resolveConfig } from "../../src/cli/config.ts";
import { API_KEY, apiEnv, runCli, tempDir } from "./run.ts";
import { WireServer } from "./wire-server.ts";

let server: WireServer;

beforeEach(async () => {
  server = await WireServer.start({ apiKey: API_KEY });
});

afterEach(async () => {
  await server.close();
});

async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

async function profileFile(profiles: unknown): Promise<string> {
  const file = path.join(tempDir(), "config.json");
  await writeFile(file, JSON.stringify(profiles));
  await chmod(file, 0o600);
  return file;
}

describe("configuration", () => {
  test("no key: exit 2, says how to set it, nothing sent", async () => {
    const r = await runCli(["list"], { env: { SEQUENCE_BASE_URL: server.url } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`no API key for ${server.url}`);
    expect(r.stderr).toContain("export SEQUENCE_API_KEY=seq_live_");
    expect(server.requests).toHaveLength(0);
  });

  test("a refused key: exit 1 with the server's message; the key is never printed, even with --verbose", async () => {
    const wrong = "seq_live_WRONG_k3y_never_shown_999";
    const r = await runCli(["--verbose", "status", "dep_1"], { env: apiEnv(server.url, wrong) });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("401 unauthorized: invalid API key");
    expect(r.stderr).toContain(`using ${server.url} (from SEQUENCE_BASE_URL); live key (seq_live_…) from SEQUENCE_API_KEY`);
    expect(r.stderr).toContain("the API refused the key from SEQUENCE_API_KEY");
    expect(r.stdout + r.stderr).not.toContain(wrong);
    expect(r.stdout + r.stderr).not.toContain("WRONG_k3y");
  });

  test("a closed port: exit 3, naming the URL used", async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const r = await runCli(["list", "--base-url", url], { env: { SEQUENCE_API_KEY: API_KEY } });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`cannot connect to ${url} (ECONNREFUSED)`);
    expect(r.stderr).toContain(`API: ${url} (from --base-url)`);
    expect(r.stderr).not.toContain(API_KEY);
  });

  test("--base-url wins over SEQUENCE_BASE_URL; a bad URL is a usage error", async () => {
    const dead = `http://127.0.0.1:${await closedPort()}`;
    const ok = await runCli(["list", "--base-url", server.url], { env: apiEnv(dead) });
    expect(ok.code).toBe(0);
    const bad = await runCli(["list", "--base-url", "ftp://x"], { env: apiEnv(server.url) });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--base-url: "ftp://x" is not an http(s) URL');
  });

  test("profiles: --profile takes its key and URL; the default profile fills what the environment leaves", async () => {
    const dead = `http://127.0.0.1:${await closedPort()}`;
    const file = await profileFile({
      default_profile: "local",
      profiles: { local: { api_key: API_KEY, base_url: server.url }, other: { api_key: "seq_test_other", base_url: dead } },
    });
    // Default profile only: key and URL from the file.
    const viaDefault = await runCli(["list", "--json"], { env: { SEQUENCE_CONFIG: file } });
    expect(viaDefault.code).toBe(0);
    expect(JSON.parse(viaDefault.stdout)).toEqual({ algos: [] });
    // An explicit profile wins over the environment.
    const explicit = await runCli(["--profile", "local", "list"], { env: { SEQUENCE_CONFIG: file, ...apiEnv(dead, "seq_test_env") } });
    expect(explicit.code).toBe(0);
    expect(server.requests.at(-1)!.headers.authorization).toBe(`Bearer ${API_KEY}`);
    // Unknown profile: usage error listing the names.
    const unknown = await runCli(["list", "--profile", "prod"], { env: { SEQUENCE_CONFIG: file } });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("--profile prod: no such profile");
    expect(unknown.stderr).toContain("profiles: local, other");
    expect(unknown.stdout + unknown.stderr).not.toContain(API_KEY);
  });

  test("resolution rules (in-process)", async () => {
    const file = await profileFile({ profiles: { default: { api_key: "seq_test_file", base_url: "http://file.example" }, x: { base_url: "http://x.example" } } });
    const env = { SEQUENCE_CONFIG: file, SEQUENCE_API_KEY: "seq_test_env", SEQUENCE_BASE_URL: "http://env.example" };
    expect(resolveConfig({}, env)).toMatchObject({ apiKey: "seq_test_env", baseUrl: "http://env.example", profile: "default" });
    expect(resolveConfig({}, { SEQUENCE_CONFIG: file })).toMatchObject({ apiKey: "seq_test_file", baseUrl: "http://file.example" });
    // Profile x has no key: the environment's key is used with x's URL.
    expect(resolveConfig({ profile: "x" }, env)).toMatchObject({ apiKey: "seq_test_env", baseUrl: "http://x.example" });
    expect(resolveConfig({ baseUrl: "http://flag.example/" }, env)).toMatchObject({ baseUrl: "http://flag.example", baseUrlSource: "--base-url" });
    expect(resolveConfig({}, { SEQUENCE_CONFIG: path.join(tempDir(), "none.json"), SEQUENCE_API_KEY: "k_1234" })).toMatchObject({
      baseUrl: "https://api.sequencemkts.com",
    });
  });

  test.each([
    [[1], `expected {"profiles": {"<name>": {"api_key": "seq_…", "base_url": "https://…"}}}`],
    [{ default_profile: 3, profiles: {} }, `"default_profile": expected a profile name`],
    [{ profiles: { local: "seq_test_x" } }, `"profiles.local": expected a profile, e.g. {"api_key": "seq_test_…", "base_url": "http://localhost:50052"}`],
    [{ profiles: { local: { api_key: 42 } } }, `"profiles.local.api_key": expected the API key as a string, e.g. "seq_test_…"`],
    [{ profiles: { local: { api_key: API_KEY, base_url: ["http://x"] } } }, `"profiles.local.base_url": expected the API root as a string, e.g. "http://localhost:50052"`],
  ])("a malformed profile file %j: a usage error naming the file and the key, never the key's value", async (content, message) => {
    const file = await profileFile(content);
    let error: unknown;
    try {
      resolveConfig({}, { SEQUENCE_CONFIG: file, SEQUENCE_API_KEY: "seq_test_env" });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ name: "UsageError", message: `${file}: ${message}` });
    expect((error as Error).message).not.toContain(API_KEY);
  });

  test("a profile file with null profiles holds none", async () => {
    const file = await profileFile({ profiles: null });
    expect(resolveConfig({}, { SEQUENCE_CONFIG: file, SEQUENCE_API_KEY: "seq_test_env" })).toMatchObject({ apiKey: "seq_test_env", profile: undefined });
  });
});
