// A sweep's data decoded once into shared memory gives every run the records
// the source gives, batch for batch; data over the limit is not shared.
import { describe, expect, it } from "vitest";
import { RECORD_BYTES, RECORD_WORDS, SyntheticSource, type TickSource } from "../../harness/data/index.ts";
import { decodeShared, sharedSource } from "../../src/sweep/shared-data.ts";

async function all(source: TickSource, batchSize: number): Promise<{ words: bigint[]; sizes: number[] }> {
  const words: bigint[] = [];
  const sizes: number[] = [];
  for await (const b of source.batches(batchSize)) {
    sizes.push(b.length);
    words.push(...b.words.subarray(0, b.length * RECORD_WORDS));
  }
  return { words, sizes };
}

describe("shared records", () => {
  it("replay the source's records in batches of the size asked for", async () => {
    const source = new SyntheticSource({ seed: 3n, count: 10_000 });
    const shared = await decodeShared(source);
    expect(shared!.count).toBe(10_000);
    expect(shared!.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(shared!.description).toBe(source.description);
    const replayed = await all(sharedSource(shared!), 4000);
    expect(replayed.sizes).toEqual([4000, 4000, 2000]);
    expect(replayed.words).toEqual((await all(new SyntheticSource({ seed: 3n, count: 10_000 }), 4000)).words);
  });

  it("are not made for data larger than the limit", async () => {
    const source = new SyntheticSource({ seed: 3n, count: 10_000 });
    expect(await decodeShared(source, 9_999 * RECORD_BYTES)).toBeUndefined();
    expect((await decodeShared(source, 10_000 * RECORD_BYTES))!.count).toBe(10_000);
  });
});
