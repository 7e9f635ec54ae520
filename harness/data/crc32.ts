/**
 * CRC-32 (IEEE 802.3, the zlib/PNG one) of a byte range: the checksum of each
 * compressed .ticks chunk, so a flipped byte is named as a corrupt chunk
 * rather than decoded into plausible-looking wrong ticks. (Node 20 has no
 * zlib.crc32; fflate's raw deflate carries no checksum.)
 */
const TABLE = new Int32Array(256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  TABLE[n] = c;
}

/** The unsigned CRC-32 of `bytes`. */
export function crc32(bytes: Uint8Array): number {
  let c = -1;
  for (let i = 0; i < bytes.length; i++) c = TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}
