/**
 * Sizes shared by every reader. Memory use of a reader is bounded by these
 * numbers, not by the file: one batch of records plus one read chunk (plus
 * the tail of a line or JSON token carried across a chunk boundary).
 */

/** Records per batch when the consumer does not say: 4096 × 48 B = 192 KiB. */
export const DEFAULT_BATCH_SIZE = 4096;

/** Bytes read from disk at a time. */
export const CHUNK_BYTES = 1 << 20;

/** Longest line / JSON token a reader will carry across chunks before giving up. */
export const MAX_LINE_BYTES = 1 << 20;

/** Validates a batch size argument (a positive integer). */
export function batchSizeOf(n: number | undefined): number {
  const size = n ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`batchSize must be a positive integer, got ${size}`);
  return size;
}
