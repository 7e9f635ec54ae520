/**
 * Writes an algo's params into its module as the `sequence.params` custom
 * section (docs/abi.md "Parameters"): a JSON object of name → exact decimal
 * string, keys sorted, so the module stays the one artifact an edge receives
 * and the same params give the same bytes. `harness/params.ts` reads it.
 */
import { PARAMS_SECTION } from "../../harness/abi.ts";
import { paramsOfModule } from "../../harness/params.ts";
import { appendCustomSection, withoutCustomSection } from "./wasm-sections.ts";

/**
 * `wasm` with `params` merged over the params it already carries (a given
 * name wins); `wasm` itself when `params` is empty.
 */
export async function withParams(wasm: Uint8Array, params: Record<string, string>): Promise<Uint8Array> {
  if (Object.keys(params).length === 0) return wasm;
  const existing = paramsOfModule(await WebAssembly.compile(wasm as BufferSource));
  const merged: Record<string, string> = { ...existing, ...params };
  const sorted = Object.fromEntries(Object.keys(merged).sort().map((k) => [k, merged[k]]));
  const payload = new TextEncoder().encode(JSON.stringify(sorted));
  return appendCustomSection(withoutCustomSection(wasm, PARAMS_SECTION), PARAMS_SECTION, payload);
}
