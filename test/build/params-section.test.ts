// The sequence.params custom section (docs/abi.md "Parameters"): written by
// deploy/strategy push --param, read by every host, below a run-time --param.
import { describe, expect, it } from "vitest";
import { META_SECTION, PARAMS_SECTION } from "../../harness/abi.ts";
import { checkModule } from "../../harness/module-check.ts";
import { ParamError, Params, paramsOfModule } from "../../harness/params.ts";
import { withParams } from "../../src/build/params-section.ts";
import { withoutCustomSection } from "../../src/build/wasm-sections.ts";
import { appendCustomSection } from "../../src/build/wasm-sections.ts";
import { rawModule } from "../fixtures/raw-modules.ts";

const text = (s: string) => new TextEncoder().encode(s);
const compile = (bytes: Uint8Array) => WebAssembly.compile(bytes as BufferSource);
const sections = async (bytes: Uint8Array, name: string) =>
  WebAssembly.Module.customSections(await compile(bytes), name).map((s) => new TextDecoder().decode(s));

describe("withParams", () => {
  it("writes one section of sorted name → decimal string that checkModule accepts and hosts read back", async () => {
    const bytes = await withParams(rawModule(), { window: "20", size: "0.5" });
    expect(await sections(bytes, PARAMS_SECTION)).toEqual(['{"size":"0.5","window":"20"}']);
    const info = await checkModule(bytes);
    expect(paramsOfModule(info.module)).toEqual({ size: "0.5", window: "20" });
  });

  it("merges over the params a module already carries, a given name winning, still one section", async () => {
    const once = await withParams(rawModule(), { a: "1", b: "2" });
    const twice = await withParams(once, { b: "3", c: "true" });
    expect(await sections(twice, PARAMS_SECTION)).toEqual(['{"a":"1","b":"3","c":"true"}']);
  });

  it("leaves a module alone when no param is given, and is deterministic", async () => {
    const raw = rawModule();
    expect(await withParams(raw, {})).toBe(raw);
    expect(Buffer.from(await withParams(raw, { x: "1" })).equals(Buffer.from(await withParams(raw, { x: "1" })))).toBe(true);
  });

  it("keeps every other section byte for byte", async () => {
    const withMeta = appendCustomSection(rawModule(), META_SECTION, text('{"abi":"1.0"}'));
    const bytes = await withParams(withMeta, { size: "1" });
    expect(await sections(bytes, META_SECTION)).toEqual(['{"abi":"1.0"}']);
    expect(Buffer.from(withoutCustomSection(bytes, PARAMS_SECTION)).equals(Buffer.from(withMeta))).toBe(true);
  });
});

describe("paramsOfModule", () => {
  it("is empty for a module without the section", async () => {
    expect(paramsOfModule(await compile(rawModule()))).toEqual({});
  });

  it.each([
    ["not JSON", ["{size"], /not valid JSON/],
    ["not an object", ['["size"]'], /must be one JSON object/],
    ["a number instead of a decimal string", ['{"size":0.5}'], /"size" is 0\.5/],
    ["a value that is not a decimal", ['{"size":"half"}'], /"size" is "half"/],
    ["two sections", ['{"a":"1"}', '{"b":"2"}'], /it has 2 such sections/],
  ])("refuses %s", async (_what, payloads, message) => {
    let bytes = rawModule();
    for (const p of payloads) bytes = appendCustomSection(bytes, PARAMS_SECTION, text(p));
    const module = await compile(bytes);
    expect(() => paramsOfModule(module)).toThrow(ParamError);
    expect(() => paramsOfModule(module)).toThrow(message);
  });
});

describe("precedence", () => {
  it("a run-time --param beats the module's section, which beats the algo's default", () => {
    const params = Params.parse(["size=2"], { size: "1", window: "30" });
    expect(params.read("size", 5n, 0)).toBe(2n);
    expect(params.read("window", 10n, 0)).toBe(30n);
    expect(params.read("skew", 7n, 0)).toBe(7n);
    expect(params.summary()).toEqual({
      size: { value: "2", default: false },
      skew: { value: "7", default: true },
      window: { value: "30", default: false },
    });
  });
});
