/**
 * Writes an algo's params into its module as the `sequence.params` custom
 * section (docs/abi.md "Parameters"): a JSON object of name → exact decimal
 * string, keys sorted, so the module stays the one artifact an edge receives
 * and the same params give the same bytes. `harness/params.ts` reads it.
 */
import { PARAMS_SECTION } from "../../harness/abi.ts";
import { paramsOfModule } from "../../harness/params.ts";
import { appendCustomSection } from "./wasm-sections.ts";

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

/** `wasm` without any custom section called `name` (the other sections byte for byte). */
export function withoutCustomSection(wasm: Uint8Array, name: string): Uint8Array {
  const keep: Uint8Array[] = [wasm.subarray(0, 8)];
  let at = 8;
  while (at < wasm.length) {
    const start = at;
    const id = wasm[at++];
    const [size, sizeBytes] = readLeb(wasm, at);
    at += sizeBytes;
    const end = at + size;
    let drop = false;
    if (id === 0) {
      const [nameLength, nameBytes] = readLeb(wasm, at);
      const sectionName = new TextDecoder().decode(wasm.subarray(at + nameBytes, at + nameBytes + nameLength));
      drop = sectionName === name;
    }
    if (!drop) keep.push(wasm.subarray(start, end));
    at = end;
  }
  const out = new Uint8Array(keep.reduce((n, part) => n + part.length, 0));
  let offset = 0;
  for (const part of keep) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function readLeb(bytes: Uint8Array, at: number): [value: number, length: number] {
  let value = 0;
  let shift = 0;
  let i = at;
  for (;;) {
    const byte = bytes[i++];
    value += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return [value, i - at];
    shift += 7;
  }
}
