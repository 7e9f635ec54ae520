// The emulator's request bodies and the strategy manifest, each one zod
// declaration (src/schemas/request-body.ts, strategy-manifest.ts): a refusal is
// the wire's 400 envelope with the field's code and a message naming the field.
import { describe, expect, it } from "vitest";
import { HttpError } from "../../src/dev/errors.ts";
import { deployRequestSchema, parseRequestBody, strategyPushRequestSchema } from "../../src/schemas/request-body.ts";
import { parseManifest } from "../../src/schemas/strategy-manifest.ts";

const hosts = { hasSymbol: (s: string) => s === "ETH-USD" || s === "SOL-USD", symbols: () => ["ETH-USD", "SOL-USD"] };
const deploy = deployRequestSchema(hosts);

function refusal(f: () => unknown): [number, string, string] {
  try {
    f();
  } catch (e) {
    if (e instanceof HttpError) return [e.status, e.code, e.message];
    throw e;
  }
  throw new Error("accepted");
}

describe("POST /v1/deployments body", () => {
  it("reads the wire's fields: name trimmed, optional or null; start_immediately optional", () => {
    expect(parseRequestBody(deploy, { name: "  mm-eth ", symbols: ["ETH-USD"], wasm_base64: "AGFz", start_immediately: false })).toEqual({
      name: "mm-eth", symbols: ["ETH-USD"], wasm_base64: "AGFz", start_immediately: false,
    });
    expect(parseRequestBody(deploy, { name: null, symbols: ["SOL-USD"], wasm_base64: "AGFz" })).toEqual({ name: null, symbols: ["SOL-USD"], wasm_base64: "AGFz" });
  });

  const good = { name: "a", symbols: ["ETH-USD"], wasm_base64: "AGFz" };
  it.each([
    [{ ...good, name: "x".repeat(129) }, "invalid_name", "name is 129 characters; at most 128"],
    [{ ...good, symbols: undefined }, "invalid_symbols", 'symbols is required: the symbols the algo trades, e.g. ["ETH-USD"]'],
    [{ ...good, symbols: ["ETH-USD", " "] }, "invalid_symbols", 'symbols contains " ", which is not a symbol'],
    [{ ...good, symbols: ["ETH-USD", 7] }, "invalid_symbols", "symbols contains 7, which is not a symbol"],
    [{ ...good, symbols: ["ETH-USD", "ETH-USD"] }, "invalid_symbols", "symbols lists ETH-USD twice"],
    [{ ...good, symbols: ["BTC-USD"] }, "unknown_symbol", 'unknown symbol "BTC-USD": no edge here can host it (this emulator\'s edges host ETH-USD, SOL-USD)'],
    [{ ...good, wasm_base64: 12 }, "invalid_base64", "wasm_base64 must be a base64 string"],
    [{ ...good, wasm_base64: "" }, "invalid_base64", "wasm_base64 is empty"],
    [{ ...good, wasm_base64: null }, "invalid_request", "wasm_base64 is required (the bytes, base64-encoded)"],
    [null, "invalid_request", "the request body must be a JSON object"],
    // the first problem in the wire's field order
    [{ name: 1, symbols: [] }, "invalid_name", "name must be a string, got number"],
  ])("refuses %j: 400 %s", (body, code, message) => {
    expect(refusal(() => parseRequestBody(deploy, body))).toEqual([400, code, message]);
  });
});

describe("POST /v1/strategies body", () => {
  it.each([
    [{ artifact_base64: "UEsD" }, "invalid_name", 'name is required: a label for the deployment, e.g. "mm-eth"'],
    [{ name: "s" }, "invalid_request", "artifact_base64 is required (the bytes, base64-encoded)"],
  ])("refuses %j: 400 %s", (body, code, message) => {
    expect(refusal(() => parseRequestBody(strategyPushRequestSchema, body))).toEqual([400, code, message]);
  });
});

describe("manifest.json", () => {
  const bytes = (m: unknown) => new TextEncoder().encode(JSON.stringify(m));
  const manifest = { tool: "t", format: 1, module: "algo.wasm", symbols: ["SOL-USD"], extra: { kept: true } };

  it("reads it, keeping the pushed object (its key order and unknown keys) for echoing", () => {
    const { manifest: m, asPushed } = parseManifest(bytes(manifest), hosts);
    expect([m.format, m.module, m.symbols]).toEqual([1, "algo.wasm", ["SOL-USD"]]);
    expect(JSON.stringify(asPushed)).toBe(JSON.stringify(manifest));
  });

  it.each([
    [{ ...manifest, format: 2 }, "invalid_artifact", 'manifest.json: "format": expected 1, got 2'],
    [{ ...manifest, module: "" }, "invalid_artifact", 'manifest.json: "module": expected the module file in the archive, e.g. "algo.wasm"'],
    [{ ...manifest, size_bytes: "12" }, "invalid_artifact", `manifest.json: "size_bytes": expected the module's size in bytes`],
    [{ ...manifest, params: [] }, "invalid_artifact", 'manifest.json: "params": expected an object of name → value'],
    [{ ...manifest, params: { size: null } }, "invalid_artifact", 'manifest.json: "params.size": expected a string, number or boolean'],
    [{ ...manifest, symbols: [] }, "invalid_symbols", "manifest.json symbols is empty; an algo must trade at least one symbol"],
    [{ ...manifest, symbols: ["XYZ"] }, "unknown_symbol", 'unknown symbol "XYZ": no edge here can host it (this emulator\'s edges host ETH-USD, SOL-USD)'],
    [[1], "invalid_artifact", "manifest.json is not a JSON object (the request body must be a JSON object)"],
  ])("refuses %j: 400 %s", (m, code, message) => {
    expect(refusal(() => parseManifest(bytes(m), hosts))).toEqual([400, code, message]);
  });
});
