/**
 * A deployment's log: the newest `capacity` lines from all its edges — the
 * algo's own `log.*` calls and the emulator's lifecycle lines (started,
 * stopped, faulted with the reason, undeployed). Kept in memory only; a
 * restart keeps each edge's fault reason (state file) and starts a new log.
 * What a tenant can make the emulator keep is bounded (docs/emulator.md,
 * "What is kept"): an undeployed deployment keeps its newest
 * UNDEPLOYED_LOG_LINES lines, and only a client's newest UNDEPLOYED_WITH_LOGS
 * undeployed deployments keep any.
 */
export interface LogEntry {
  ts_ns: bigint;
  edge_id: string;
  level: string;
  message: string;
}

export const LOG_CAPACITY = 10_000;
export const UNDEPLOYED_LOG_LINES = 200;
export const UNDEPLOYED_WITH_LOGS = 20;

export class LogRing {
  private lines: LogEntry[] = [];
  private start = 0;

  constructor(private cap = LOG_CAPACITY) {}

  get capacity(): number {
    return this.cap;
  }

  /** Keeps only the newest `capacity` lines from now on (an undeployed deployment's log shrinks). */
  shrink(capacity: number): void {
    if (capacity >= this.cap) return;
    this.lines = this.last(capacity);
    this.start = 0;
    this.cap = capacity;
  }

  push(entry: LogEntry): void {
    if (this.cap === 0) return;
    if (this.lines.length < this.cap) this.lines.push(entry);
    else {
      this.lines[this.start] = entry;
      this.start = (this.start + 1) % this.cap;
    }
  }

  get size(): number {
    return this.lines.length;
  }

  /** The newest `limit` lines (optionally only those `keep` accepts), oldest first. */
  last(limit: number, keep?: (e: LogEntry) => boolean): LogEntry[] {
    const out: LogEntry[] = [];
    const n = this.lines.length;
    for (let k = n - 1; k >= 0 && out.length < limit; k--) {
      const e = this.lines[(this.start + k) % n];
      if (!keep || keep(e)) out.push(e);
    }
    return out.reverse();
  }
}
