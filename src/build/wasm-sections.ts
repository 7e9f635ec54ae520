// Custom sections (id 0) of a WebAssembly binary: the module carries its
// metadata, source map and params in them (docs/abi.md "Module shape").

/** Appends a custom section (id 0) to a WebAssembly binary. */
export function appendCustomSection(wasm: Uint8Array, name: string, payload: Uint8Array): Uint8Array {
  const nameBytes = new TextEncoder().encode(name);
  const body = [...leb128(nameBytes.length), ...nameBytes, ...payload];
  const section = Uint8Array.from([0, ...leb128(body.length), ...body]);
  const out = new Uint8Array(wasm.length + section.length);
  out.set(wasm);
  out.set(section, wasm.length);
  return out;
}

function leb128(value: number): number[] {
  const bytes: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (value !== 0);
  return bytes;
}

/**
 * `wasm` without any custom section called `name` (the other sections byte for
 * byte). Custom sections appended after the code move no code offset, so an
 * embedded source map stays true.
 */
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
