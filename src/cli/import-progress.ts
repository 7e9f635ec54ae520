/**
 * The progress bar of `algo data import` on stderr (shown as progress.ts
 * decides: a terminal, never under --json): records written, their rate, and
 * the share done with an ETA when the inputs can tell it. A text reader
 * tells the bytes of its file it has read; a .ticks input its record count,
 * known from its header. The share of each input is weighted by its file
 * size; when one input can tell neither, the line shows count and rate only.
 */
import { TicksSource, type TickSource } from "../../harness/data/index.ts";
import { compact, eta, redrawnLine, type ProgressLine } from "./progress.ts";
import { count } from "./format.ts";

export interface ImportInput {
  readonly source: TickSource;
  /** File size in bytes. */
  readonly size: number;
}

/**
 * Share of the work done, 0..1: Σ size × share of each input / Σ size, where
 * `taken[i]` is the records the merge has taken from input i. Undefined when
 * an input cannot tell how far it is.
 */
export function importFraction(inputs: readonly ImportInput[], taken: readonly number[]): number | undefined {
  let total = 0;
  let done = 0;
  for (let i = 0; i < inputs.length; i++) {
    const { source, size } = inputs[i];
    const share = shareRead(source, taken[i] ?? 0, size);
    if (share === undefined) return undefined;
    total += size;
    done += size * share;
  }
  return total > 0 ? done / total : undefined;
}

function shareRead(source: TickSource, taken: number, size: number): number | undefined {
  const bytesRead = (source as { bytesRead?: unknown }).bytesRead;
  if (typeof bytesRead === "number") return size > 0 ? Math.min(1, bytesRead / size) : 1;
  if (source instanceof TicksSource) return source.header.records > 0 ? Math.min(1, taken / source.header.records) : 1;
  return undefined;
}

export interface ImportSnapshot {
  records: number;
  /** Share done, 0..1, when known. */
  fraction?: number;
  elapsedMs: number;
}

const BAR_CELLS = 20;

/** `  importing ████████░░░░░░░░░░░░ 40% · 1,200,000 records · 600.0k records/s · ETA 3.0 s` */
export function formatImportProgress(s: ImportSnapshot): string {
  const rate = s.elapsedMs > 0 ? (s.records * 1000) / s.elapsedMs : 0;
  const parts = [`${count(s.records)} records`, `${compact(rate)} records/s`];
  if (s.fraction === undefined) return `  importing ${parts.join(" · ")}`;
  const f = Math.min(1, Math.max(0, s.fraction));
  const filled = Math.floor(f * BAR_CELLS);
  const bar = "█".repeat(filled) + "░".repeat(BAR_CELLS - filled);
  if (f > 0 && s.elapsedMs > 0) parts.push(`ETA ${eta(((1 - f) / f) * (s.elapsedMs / 1000))}`);
  return `  importing ${bar} ${Math.floor(f * 100)}% · ${parts.join(" · ")}`;
}

/** The bar on `stream`: drawn at the first update, then rewritten at most every `intervalMs`; `fraction` is asked at each redraw. */
export function importProgressLine(
  stream: NodeJS.WritableStream,
  fraction: () => number | undefined,
  clock: () => number = Date.now,
  intervalMs = 200,
): ProgressLine {
  return redrawnLine(stream, (records, elapsedMs) => formatImportProgress({ records, fraction: fraction(), elapsedMs }), clock, intervalMs);
}
