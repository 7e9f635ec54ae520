// Queue models told each order's lifecycle, by hand. A bid of 1 joins 3
// displayed at 99.00; prints and size changes at 99.00 move it up.
import { describe, expect, it } from "vitest";
import { ProbQueue, RiskAverseQueue, ThroughOnly, type QueueModel } from "../../harness/venue/queue.ts";
import { big } from "../../harness/venue/i64.ts";
import { BUY, VenueDriver } from "./venue-driver.ts";

/** The bid joins at t=1000 (3 ahead), then `steps` run; returns the fill lines. */
function run(queue: QueueModel, steps: (d: VenueDriver) => void): string[] {
  const d = new VenueDriver({ queue });
  d.quote(1000, "99.00", "3", "99.50", "2");
  d.place(BUY, "99.00", "1");
  steps(d);
  return d.events.filter((e) => e.includes("fill"));
}

describe("risk-averse", () => {
  it("moves up only by prints at its price; cancels ahead (the size shrinking) do not move it", () => {
    const fills = run(new RiskAverseQueue(), (d) => {
      d.quote(2000, "99.00", "1", "99.50", "2"); // 2 cancelled ahead: still 3 ahead
      d.trade(3000, "99.00", "2.5"); // 0.5 ahead
      d.trade(4000, "99.00", "1"); // 0.5 passes the front: fills 0.5
    });
    expect(fills).toEqual(["4000 fill #1 buy 50000000 @ 99000000000 fee 0 maker"]);
  });

  it("forgets an order when it is cancelled (onDone), and a later order joins afresh", () => {
    const q = new RiskAverseQueue();
    const fills = run(q, (d) => {
      d.cancel(1n);
      d.place(BUY, "99.00", "1"); // joins behind the 3 displayed again
      d.trade(3000, "99.00", "3.5");
    });
    expect(fills).toEqual(["3000 fill #2 buy 50000000 @ 99000000000 fee 0 maker"]);
    const reached = new Int32Array([7, 7, 10, 0]); // out at 0 (not yet 0), 10 printed at 2
    q.onTrade(1, reached, 2, reached, 0);
    expect(big(reached, 0)).toBe(0n); // #1 is gone: no state, nothing reaches it
  });
});

describe("through", () => {
  it("is told nothing and never fills at its own price", () => {
    expect(run(new ThroughOnly(), (d) => d.trade(2000, "99.00", "10"))).toEqual([]);
  });
});

describe("prob (power-law, seeded)", () => {
  it("p = back^n / (back^n + front^n): the chance a cancel was behind the order", () => {
    const q = new ProbQueue({ power: 2 });
    expect(q.probBehind(3, 4)).toBe(16 / 25); // 4² / (4² + 3²)
    expect(q.probBehind(3, 0)).toBe(0); // nothing behind: the cancel was ahead
    expect(q.probBehind(0, 0)).toBe(1);
  });

  it("a cancel drawn ahead moves the order up; one drawn behind does not; trades explain shrinks first", () => {
    const asked: number[] = [];
    const draws = [true, false]; // behind, then ahead
    const q = new ProbQueue({ power: 2, chance: (p) => (asked.push(p), draws.shift()!) });
    const fills = run(q, (d) => {
      d.quote(2000, "99.00", "7", "99.50", "2"); // 4 joined behind: front 3, back 4
      d.quote(3000, "99.00", "5", "99.50", "2"); // 2 cancelled, p = 4²/(4²+3²) = 0.64; drawn behind: front stays 3
      d.trade(4000, "99.00", "1"); // front 2; 1 printed at the level
      d.quote(5000, "99.00", "4", "99.50", "2"); // shrank 1: the print explains it, no draw
      d.quote(6000, "99.00", "1", "99.50", "2"); // 3 cancelled, front 2, back 4 − 2 = 2: p = 4/(4+4) = 0.5; drawn ahead: front 2 − 3 → 0
      d.trade(7000, "99.00", "0.25"); // front 0: all 0.25 reach the order
    });
    expect(asked).toEqual([16 / 25, 0.5]);
    expect(fills).toEqual(["7000 fill #1 buy 25000000 @ 99000000000 fee 0 maker"]);
  });

  it("the level emptying (the bid moving below the order) leaves nothing ahead", () => {
    const q = new ProbQueue({ chance: () => true });
    const fills = run(q, (d) => {
      d.quote(2000, "98.90", "5", "99.50", "2"); // 99.00 no longer shown: those ahead left
      d.trade(3000, "99.00", "0.4");
    });
    expect(fills).toEqual(["3000 fill #1 buy 40000000 @ 99000000000 fee 0 maker"]);
  });

  it("the same seed gives the same fills", () => {
    const steps = (d: VenueDriver) => {
      for (let k = 0; k < 40; k++) {
        d.quote(2000 + k * 10, "99.00", String(3 + ((k * 7) % 5)), "99.50", "2");
        if (k % 3 === 0) d.trade(2005 + k * 10, "99.00", "0.3");
      }
    };
    const a = run(new ProbQueue({ seed: 7 }), steps);
    expect(run(new ProbQueue({ seed: 7 }), steps)).toEqual(a);
    expect(a.length).toBeGreaterThan(0);
  });
});
