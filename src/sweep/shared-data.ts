/**
 * A sweep's data, decoded once and shared by every run: the records (the
 * time range applied) in one SharedArrayBuffer that every worker thread
 * reads, instead of each run parsing the file (or drawing the synthetic
 * walk) again. Decoding is a third of a market-maker run's CPU time on
 * synthetic data, more on CSV, and it is the same for every run. Data larger
 * than MAX_SHARED_BYTES is read by each run itself, as before.
 */
import { DEFAULT_BATCH_SIZE } from "../../harness/data/batching.ts";
import { RecordBatch } from "../../harness/data/record.ts";
import { RECORD_BYTES, RECORD_WORDS } from "../../harness/abi.ts";
import { recordRange } from "../../harness/record-view.ts";
import type { TickSource } from "../../harness/data/source.ts";
import { withinTimeRange } from "../../harness/data/time-range.ts";
import { rangeFromFlags } from "../cli/backtest-settings.ts";
import { resolveData } from "../cli/data-spec.ts";
import type { RunSettings } from "./settings.ts";

/** Records up to this size are shared (≈ 11 million records); larger data is streamed by each run. */
export const MAX_SHARED_BYTES = 512 * 1024 * 1024;

/** Decoded records in shared memory: posting it to a thread shares the memory, it is not copied. */
export interface SharedRecords {
  description: string;
  buffer: SharedArrayBuffer;
  count: number;
}

/** Reads `source` to the end into shared memory; undefined when it holds more than `maxBytes`. */
export async function decodeShared(source: TickSource, maxBytes = MAX_SHARED_BYTES): Promise<SharedRecords | undefined> {
  const chunks: BigInt64Array[] = [];
  let count = 0;
  for await (const batch of source.batches()) {
    count += batch.length;
    if (count * RECORD_BYTES > maxBytes) return undefined; // stops the source's loop (its file is closed)
    chunks.push(batch.words.slice(0, batch.length * RECORD_WORDS)); // a batch may be reused: copy it
  }
  const buffer = new SharedArrayBuffer(count * RECORD_BYTES);
  const words = new BigInt64Array(buffer);
  let at = 0;
  for (const chunk of chunks) {
    words.set(chunk, at);
    at += chunk.length;
  }
  return { description: source.description, buffer, count };
}

/** The shared records as a source: each batch copied into the run's own RecordBatch (a memcpy, far cheaper than decoding). */
export function sharedSource(records: SharedRecords): TickSource {
  return {
    description: records.description,
    async *batches(batchSize = DEFAULT_BATCH_SIZE) {
      const all = new BigInt64Array(records.buffer);
      const batch = new RecordBatch(batchSize);
      for (let start = 0; start < records.count; start += batchSize) {
        const n = Math.min(batchSize, records.count - start);
        batch.words.set(recordRange(all, start, start + n));
        batch.length = n;
        yield batch;
      }
    },
  };
}

/** The data of `settings` (its time range applied), decoded once; undefined when it is too large to share. */
export async function decodeSettingsData(settings: RunSettings): Promise<SharedRecords | undefined> {
  return decodeShared(withinTimeRange(await resolveData(settings.data, settings.baseDir), rangeFromFlags(settings.from, settings.to)));
}
