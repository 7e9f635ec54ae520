/**
 * How a Parquet file starts (and ends): the four bytes "PAR1". Apart from
 * parquet.ts so that recognising a file does not load the Parquet library.
 */
export const PARQUET_MAGIC = "PAR1";

/** True when `head` starts with Parquet's magic. */
export function looksLikeParquet(head: Uint8Array): boolean {
  return head.length >= 4 && head[0] === 0x50 && head[1] === 0x41 && head[2] === 0x52 && head[3] === 0x31;
}
