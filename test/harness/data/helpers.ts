import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { type RecordBatch } from "../../../harness/data/record.ts";
import { recordRange } from "../../../harness/record-view.ts";
import type { TickSource } from "../../../harness/data/source.ts";

/** A temp directory removed after the file's tests. */
export function tempDir(): (name: string, content?: string | Uint8Array) => string {
  const dir = mkdtempSync(join(tmpdir(), "sq-data-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return (name, content) => {
    const p = join(dir, name);
    if (content !== undefined) writeFileSync(p, content);
    return p;
  };
}

export type Rec = bigint[];

export interface Collected {
  records: Rec[];
  batchLengths: number[];
  distinctBatches: number;
}

/** Reads a whole source, copying each record out (batches are reused). */
export async function collect(src: TickSource, batchSize?: number): Promise<Collected> {
  const records: Rec[] = [];
  const batchLengths: number[] = [];
  const seen = new Set<RecordBatch>();
  for await (const b of src.batches(batchSize)) {
    seen.add(b);
    batchLengths.push(b.length);
    for (let i = 0; i < b.length; i++) records.push(Array.from(recordRange(b.words, i, i + 1)));
  }
  return { records, batchLengths, distinctBatches: seen.size };
}

/** The error a promise rejects with. */
export async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected a rejection");
}
