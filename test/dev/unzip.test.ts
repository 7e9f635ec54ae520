// The upload unzip does not trust a zip's headers: a bomb whose local header
// claims a tiny entry is stopped once the limit is passed, after at most one
// slice's worth of output beyond it, and a lying archive is never unpacked whole.
import { strToU8, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { unzipCapped, UnzipError } from "../../src/dev/unzip.ts";

const LIMITS = { maxEntryBytes: 1024 * 1024, maxTotalBytes: 2 * 1024 * 1024, maxEntries: 4 };
/** Largest output one 256-byte slice of deflate can produce (deflate's ratio is at most 1032:1). */
const ONE_SLICE = 256 * 1032;

/** A zip of one entry of `size` zero bytes whose local and central headers claim `claimed` bytes. */
function lyingBomb(size: number, claimed: number): Uint8Array {
  const zip = zipSync({ "algo.wasm": new Uint8Array(size) }, { level: 9 });
  const v = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  // local header: uncompressed size at offset 22; central header (signature PK\x01\x02): at +24
  v.setUint32(22, claimed, true);
  for (let i = 0; i + 4 < zip.length; i++) if (v.getUint32(i, true) === 0x02014b50) v.setUint32(i + 24, claimed, true);
  return zip;
}

async function refusal(zip: Uint8Array): Promise<UnzipError> {
  const e = await unzipCapped(zip, LIMITS).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(UnzipError);
  return e as UnzipError;
}

describe("unzipCapped", () => {
  it("unpacks an honest archive", async () => {
    const r = await unzipCapped(zipSync({ "manifest.json": strToU8("{}"), "algo.wasm": new Uint8Array([0, 97, 115, 109]) }), LIMITS);
    expect(Object.keys(r.files).sort()).toEqual(["algo.wasm", "manifest.json"]);
    expect([...r.files["algo.wasm"]]).toEqual([0, 97, 115, 109]);
    expect(r.produced).toBe(6);
  });

  it("stops a bomb whose headers claim 18 KB after at most the limit plus one slice", async () => {
    const zip = lyingBomb(8 * 1024 * 1024, 18_000);
    expect(zip.length).toBeLessThan(16 * 1024);
    const e = await refusal(zip);
    expect(e.message).toBe("algo.wasm unpacks to more than 1048576 bytes");
    expect(e.produced).toBeGreaterThan(LIMITS.maxEntryBytes);
    expect(e.produced).toBeLessThanOrEqual(LIMITS.maxEntryBytes + ONE_SLICE);
  });

  it("counts every entry against the total", async () => {
    const entry = new Uint8Array(900 * 1024);
    const e = await refusal(zipSync({ a: entry, b: entry, c: entry }));
    expect(e.message).toBe("the archive unpacks to more than 2097152 bytes");
    expect(e.produced).toBeLessThanOrEqual(LIMITS.maxTotalBytes + ONE_SLICE);
  });

  it("refuses too many entries, a truncated archive and a corrupt stream", async () => {
    const many = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`f${i}`, strToU8("x")]));
    expect((await refusal(zipSync(many))).message).toBe("the archive holds more than 4 entries");
    const whole = zipSync({ "algo.wasm": new Uint8Array(10_000).fill(7) }, { level: 9 });
    expect((await refusal(whole.subarray(0, 40))).message).toMatch(/ends inside algo\.wasm|not a readable zip/);
    const corrupt = whole.slice();
    corrupt.fill(0xff, 30 + "algo.wasm".length, 30 + "algo.wasm".length + 8);
    expect((await refusal(corrupt)).message).toMatch(/algo\.wasm cannot be unpacked/);
  });
});
