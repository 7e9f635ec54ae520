/**
 * Progress of a long replay on stderr: only when stderr is a terminal and the
 * output is for a person (never under --json), one line rewritten in place,
 * at most 5 times a second, with the rate, and the percentage and ETA when
 * the number of ticks is known up front.
 */
import { SyntheticSource, TicksSource, type TickSource } from "../../harness/data/index.ts";
import { ParquetSource } from "../../harness/data/parquet.ts";
import { count } from "./format.ts";

export interface ProgressSnapshot {
  /** Ticks replayed so far. */
  done: number;
  /** Ticks in all, when known before the run. */
  total?: number;
  /** Wall-clock milliseconds since the replay started. */
  elapsedMs: number;
}

/** Whether to show progress: `--no-progress` and `--json` turn it off; otherwise only on a terminal. */
export function wantsProgress(opts: { progress?: boolean; json?: boolean }, stderrIsTTY: boolean | undefined): boolean {
  return opts.progress !== false && !opts.json && stderrIsTTY === true;
}

/** How many ticks a source holds, when that is known without reading it (synthetic, .ticks, Parquet). */
export function knownTickCount(source: TickSource): number | undefined {
  if (source instanceof SyntheticSource) return source.options.count;
  if (source instanceof TicksSource) return Number(source.header.records);
  if (source instanceof ParquetSource) return source.rows; // one record a row
  return undefined;
}

/** `  replayed 1,200,000 of 4,000,000 ticks (30%) · 2.1M ticks/s · ETA 1.3 s` */
export function formatProgress(s: ProgressSnapshot): string {
  const rate = s.elapsedMs > 0 ? (s.done * 1000) / s.elapsedMs : 0;
  const parts = [
    s.total !== undefined && s.total > 0
      ? `replayed ${count(s.done)} of ${count(s.total)} ticks (${Math.min(100, Math.floor((s.done * 100) / s.total))}%)`
      : `replayed ${count(s.done)} ticks`,
    `${compact(rate)} ticks/s`,
  ];
  if (s.total !== undefined && s.total > 0 && rate > 0) parts.push(`ETA ${eta(Math.max(0, s.total - s.done) / rate)}`);
  return `  ${parts.join(" · ")}`;
}

export interface ProgressLine {
  /** Called with the ticks replayed so far (the engine's onProgress). */
  update(done: number): void;
  /** Erases the line. */
  clear(): void;
}

/** A progress line on `stream`: drawn at the first update, then rewritten at most every `intervalMs`. */
export function progressLine(
  stream: NodeJS.WritableStream,
  total: number | undefined,
  clock: () => number = Date.now,
  intervalMs = 200,
): ProgressLine {
  return redrawnLine(stream, (done, elapsedMs) => formatProgress({ done, total, elapsedMs }), clock, intervalMs);
}

/** One line on `stream` that `render` draws: at the first update, then at most every `intervalMs`; cleared at the end. */
export function redrawnLine(
  stream: NodeJS.WritableStream,
  render: (done: number, elapsedMs: number) => string,
  clock: () => number = Date.now,
  intervalMs = 200,
): ProgressLine {
  const started = clock();
  let last = Number.NEGATIVE_INFINITY;
  let shown = false;
  return {
    update(done) {
      const now = clock();
      if (now - last < intervalMs) return;
      last = now;
      shown = true;
      stream.write(`\r${render(done, now - started)}\x1b[K`);
    },
    clear() {
      if (shown) stream.write("\r\x1b[K");
    },
  };
}

/** 950 → "950", 12_300 → "12.3k", 2_100_000 → "2.1M". */
export function compact(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)}G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return String(Math.round(n));
}

/** Seconds left → "0.4 s", "42 s", "3 min 5 s", "1 h 2 min". */
export function eta(seconds: number): string {
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}
