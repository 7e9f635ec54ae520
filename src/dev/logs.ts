/**
 * A deployment's log: the newest `capacity` lines from all its edges — the
 * algo's own `log.*` calls and the emulator's lifecycle lines (started,
 * stopped, faulted with the reason, undeployed). Kept in memory only; a
 * restart keeps each edge's fault reason (state file) and starts a new log.
 */
export interface LogEntry {
  ts_ns: bigint;
  edge_id: string;
  level: string;
  message: string;
}

export const LOG_CAPACITY = 10_000;

export class LogRing {
  private readonly lines: LogEntry[] = [];
  private start = 0;

  constructor(readonly capacity = LOG_CAPACITY) {}

  push(entry: LogEntry): void {
    if (this.lines.length < this.capacity) this.lines.push(entry);
    else {
      this.lines[this.start] = entry;
      this.start = (this.start + 1) % this.capacity;
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
