// The progress line (src/cli/progress.ts): its text, its pace, and when it is shown.
import { describe, expect, it } from "vitest";
import { SyntheticSource } from "../../harness/data/index.ts";
import { compact, eta, formatProgress, knownTickCount, progressLine, wantsProgress } from "../../src/cli/progress.ts";

describe("formatProgress", () => {
  it("shows count, percentage, rate and ETA when the size is known", () => {
    // 1,200,000 of 4,000,000 in 2 s: 600k ticks/s, 2,800,000 left → 4.7 s.
    expect(formatProgress({ done: 1_200_000, total: 4_000_000, elapsedMs: 2_000 })).toBe(
      "  replayed 1,200,000 of 4,000,000 ticks (30%) · 600.0k ticks/s · ETA 4.7 s",
    );
  });

  it("shows count and rate only when the size is unknown", () => {
    expect(formatProgress({ done: 5_105, elapsedMs: 500 })).toBe("  replayed 5,105 ticks · 10.2k ticks/s");
  });

  it("rounds the percentage down, never shows 100% early, and has no ETA before any time passed", () => {
    expect(formatProgress({ done: 999, total: 1000, elapsedMs: 0 })).toBe("  replayed 999 of 1,000 ticks (99%) · 0 ticks/s");
  });

  it("formats rates and durations for people", () => {
    expect([compact(950), compact(12_345), compact(2_100_000), compact(3.2e9)]).toEqual(["950", "12.3k", "2.1M", "3.2G"]);
    expect([eta(0.42), eta(42.4), eta(185), eta(3_720)]).toEqual(["0.4 s", "42 s", "3 min 5 s", "1 h 2 min"]);
  });
});

describe("progressLine", () => {
  it("draws at the first update, then rewrites one line at most every interval, and erases it at the end", () => {
    let now = 0;
    const out: string[] = [];
    const line = progressLine({ write: (s: string) => out.push(s) } as unknown as NodeJS.WritableStream, 1000, () => now, 200);
    line.update(10); // the first: drawn at once (no time has passed: no rate, no ETA)
    now = 150;
    line.update(300); // too soon after the last
    now = 250;
    line.update(500);
    now = 300;
    line.update(600); // too soon after the last
    now = 500;
    line.update(1000);
    line.clear();
    expect(out).toEqual([
      "\r  replayed 10 of 1,000 ticks (1%) · 0 ticks/s\x1b[K",
      "\r  replayed 500 of 1,000 ticks (50%) · 2.0k ticks/s · ETA 0.3 s\x1b[K",
      "\r  replayed 1,000 of 1,000 ticks (100%) · 2.0k ticks/s · ETA 0.0 s\x1b[K",
      "\r\x1b[K",
    ]);
  });

  it("writes nothing, not even the erase, when nothing was replayed", () => {
    const out: string[] = [];
    const line = progressLine({ write: (s: string) => out.push(s) } as unknown as NodeJS.WritableStream, undefined, () => 0);
    line.clear();
    expect(out).toEqual([]);
  });
});

describe("wantsProgress", () => {
  it("only on a terminal, never under --json or --no-progress", () => {
    expect(wantsProgress({}, true)).toBe(true);
    expect(wantsProgress({}, false)).toBe(false);
    expect(wantsProgress({}, undefined)).toBe(false);
    expect(wantsProgress({ json: true }, true)).toBe(false);
    expect(wantsProgress({ progress: false }, true)).toBe(false);
  });

  it("knows the size of synthetic data up front", () => {
    expect(knownTickCount(new SyntheticSource({ seed: 1, count: 1234 }))).toBe(1234);
  });
});
