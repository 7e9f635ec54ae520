/**
 * The algo's timers (set_timer), earliest first; timers due at the same
 * instant fire in the order they were set.
 */

export interface Timer {
  readonly at: bigint;
  readonly id: number;
}

export class TimerQueue {
  /** Sorted by due time, then by order of setting. */
  private readonly queued: Timer[] = [];
  /** Changes on every push and pop: a cached "nothing due before …" answer holds while it is unchanged. */
  version = 0;

  get length(): number {
    return this.queued.length;
  }

  /** When the earliest timer is due, or `none` when no timer is set. */
  nextAt(none: bigint): bigint {
    return this.queued.length > 0 ? this.queued[0].at : none;
  }

  push(at: bigint, id: number): void {
    // After every timer due at or before `at`: at one instant, the one set first fires first.
    let lo = 0;
    let hi = this.queued.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.queued[mid].at <= at) lo = mid + 1;
      else hi = mid;
    }
    this.queued.splice(lo, 0, { at, id });
    this.version++;
  }

  /** Removes and returns the earliest timer; the caller checked that one is set. */
  pop(): Timer {
    this.version++;
    return this.queued.shift()!;
  }
}
