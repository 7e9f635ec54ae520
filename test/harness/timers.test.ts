// The algo's timers: earliest first, and at one instant in the order they were set.
import { describe, expect, it } from "vitest";
import { TimerQueue } from "../../harness/timers.ts";

const NONE = -1n;

function drain(q: TimerQueue): Array<[bigint, number]> {
  const out: Array<[bigint, number]> = [];
  while (q.length > 0) {
    const t = q.pop();
    out.push([t.at, t.id]);
  }
  return out;
}

describe("TimerQueue", () => {
  it("pops the earliest due first; timers due at the same instant in the order they were set", () => {
    const q = new TimerQueue();
    q.push(300n, 1);
    q.push(100n, 2);
    q.push(300n, 3);
    q.push(200n, 4);
    q.push(100n, 5);
    q.push(300n, 6);
    expect(q.nextAt(NONE)).toBe(100n);
    expect(drain(q)).toEqual([[100n, 2], [100n, 5], [200n, 4], [300n, 1], [300n, 3], [300n, 6]]);
    expect(q.nextAt(NONE)).toBe(NONE);
  });

  it("a timer set after others were popped still goes after those due at its instant", () => {
    const q = new TimerQueue();
    q.push(50n, 1);
    q.push(80n, 2);
    expect(q.pop()).toEqual({ at: 50n, id: 1 });
    q.push(80n, 3);
    q.push(60n, 4);
    expect(drain(q)).toEqual([[60n, 4], [80n, 2], [80n, 3]]);
  });

  it("changes its version on every push and pop (the engine's scan cache reads it), not on reads", () => {
    const q = new TimerQueue();
    const v0 = q.version;
    q.push(10n, 1);
    const v1 = q.version;
    expect(v1).not.toBe(v0);
    q.nextAt(NONE);
    expect(q.length).toBe(1);
    expect(q.version).toBe(v1);
    q.pop();
    expect(q.version).not.toBe(v1);
  });
});
