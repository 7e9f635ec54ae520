// Order updates enter the event queue as the venue's i64 halves (pushHalves):
// the record must hold the same words a BigInt push would have written.
import { describe, expect, it } from "vitest";
import { EventQueue } from "../../harness/event-queue.ts";
import { RECORD_WORDS } from "../../harness/abi.ts";
import { put } from "../../harness/venue/i64.ts";

describe("EventQueue.pushHalves", () => {
  it("writes the id, a negative price and a size past 2^53 as push would, also after the queue grows", () => {
    const halves = new EventQueue();
    const bigints = new EventQueue();
    const v = new Int32Array(4);
    const n = 600; // past the first 256 records: the queue's words are replaced
    for (let k = 0; k < n; k++) {
      const id = 2 ** 32 + k * 7919; // above one half
      const px = -37_630_000_000n - BigInt(k);
      const qty = (1n << 62n) + BigInt(k);
      put(v, 0, px);
      put(v, 2, qty);
      halves.pushHalves(BigInt(1000 + k), 5n, id, v, 0, v, 2);
      bigints.push(BigInt(1000 + k), 5n, BigInt(id), px, qty, 0n);
    }
    const a = new BigInt64Array(n * RECORD_WORDS);
    const b = new BigInt64Array(n * RECORD_WORDS);
    expect(halves.copyTo(a, 0, n)).toBe(n);
    expect(bigints.copyTo(b, 0, n)).toBe(n);
    expect(a).toEqual(b);
    expect(a.subarray((n - 1) * RECORD_WORDS, n * RECORD_WORDS)).toEqual(
      BigInt64Array.of(1599n, 5n, BigInt(2 ** 32 + 599 * 7919), -37_630_000_599n, (1n << 62n) + 599n, 0n),
    );
  });
});
