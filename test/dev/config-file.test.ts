// dev.json and the flags that set the same settings: one declaration
// (src/schemas/dev-config.ts), so a value means the same from either place and
// every refusal names the flag or the key path.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { resolveConfig } from "../../src/dev/config.ts";
import { tempDir } from "../cli/run.ts";

function devJson(content: unknown): string {
  const file = path.join(tempDir(), "dev.json");
  writeFileSync(file, JSON.stringify(content));
  return file;
}

describe("dev.json", () => {
  it("reads every key, flags winning over the file", () => {
    const file = devJson({
      keys: { seq_test_alice: "alice" },
      venues: { "ETH-USD": ["kraken", "coinbase"] },
      fees: { kraken: { maker_bps: 0.07, taker_bps: 2.5 } },
      latency_ns: { kraken: "2000000" },
      port: 50060, host: "0.0.0.0", speed: "MAX", state: ":memory:", budget_ms: 300,
      max_memory_pages: 64, edge_capacity: 4, checkpoint_ms: 500,
    });
    const c = resolveConfig({ config: file, port: "50061", speed: "2.5", key: ["seq_test_bobbybob"] });
    expect(c).toMatchObject({
      host: "0.0.0.0", port: 50061, speed: 2.5, statePath: ":memory:", budgetMs: 300, maxMemoryPages: 64, edgeCapacity: 4, checkpointMs: 500,
      venues: { "ETH-USD": ["kraken", "coinbase"] },
      fees: { kraken: { maker_bps: 0.07, taker_bps: 2.5 }, coinbase: { maker_bps: 40, taker_bps: 60 } },
      latencyNs: { kraken: 2_000_000n, coinbase: 0n },
    });
    expect([...c.keys]).toEqual([["seq_test_alice", "alice"], ["seq_test_bobbybob", "client-" + c.keys.get("seq_test_bobbybob")!.slice(7)]]);
    expect(resolveConfig({ config: file }).speed).toBe("max");
  });

  it.each([
    [{ prot: 1 }, `"prot": not a setting; expected one of keys, venues, fees, latency_ns, port, host, data, speed, state, budget_ms, max_memory_pages, edge_capacity, checkpoint_ms`],
    [[], "expected a JSON object"],
    [{ port: 70000 }, `"port": expected a whole number in 0..65535`],
    [{ speed: 0 }, `"speed": expected a positive multiple of real time (e.g. 10) or "max"`],
    [{ host: " " }, `"host": expected a host name or address`],
    [{ max_memory_pages: 512 }, `"max_memory_pages": expected a whole number in 1..256 (it can only lower the harness's cap)`],
    [{ venues: {} }, `"venues": at least one symbol is needed`],
    [{ venues: { "eth-usd": ["kraken"] } }, `"venues".eth-usd: expected a symbol like ETH-USD (capitals, digits, "._/-")`],
    [{ venues: { "ETH-USD": ["kraken", "kraken"] } }, `"venues".ETH-USD: lists a venue twice`],
    [{ venues: { "ETH-USD": ["Kraken"] } }, `"venues".ETH-USD[0]: expected a non-empty list of lower-case venue names, e.g. ["coinbase", "kraken"]`],
    [{ fees: { kraken: { maker_bps: 1 } } }, `"fees".kraken.taker_bps: expected basis points (at most 4 decimals), got undefined`],
    [{ latency_ns: { kraken: -1 } }, `"latency_ns".kraken: expected a whole number in 0..60000000000`],
    [{ keys: { short: "alice" } }, `"keys": key "short" must be 8..200 printable characters without spaces`],
    [{ keys: { seq_test_S3CRET_key: "a b" } }, `"keys": client name for seq_test_S3C… must be 1..64 letters, digits, "_.@-"`],
  ])("refuses %j, naming the key path", (content, message) => {
    const file = devJson(content);
    expect(() => resolveConfig({ config: file })).toThrow(`--config ${file}: ${message}`);
  });

  it.each([
    [{ port: "abc" }, `--port "abc": expected a whole number in 0..65535`],
    [{ budgetMs: "5" }, `--budget-ms "5": expected a whole number in 10..600000`],
    [{ speed: "fast" }, `--speed fast: expected a positive multiple of real time (e.g. 10) or "max"`],
    [{ key: ["a b"] }, `--key "a b": must be 8..200 printable characters without spaces`],
  ])("refuses the flags %j with the same field's words", (flags, message) => {
    expect(() => resolveConfig(flags)).toThrow(message);
  });
});
