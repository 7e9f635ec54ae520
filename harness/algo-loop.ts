/**
 * The algo answered its own events with new orders at one instant, round
 * after round without end: time cannot move, so the run stops. The usual
 * cause is an order re-sent as soon as the venue refuses it (it is refused
 * again at the same instant). The algo's doing, not the toolkit's: a
 * failure that says what it kept doing and the way out.
 */
import { isoNs } from "./data/time.ts";

export class AlgoLoop extends Error {
  constructor(
    readonly ts: bigint,
    readonly rounds: number,
    /** The reason of the last order refused before the run stopped, if the loop refused any. */
    readonly lastReject: string | null,
    phase: "run" | "stop" = "run",
  ) {
    const where = phase === "stop" ? "after on_stop" : `at ${isoNs(ts)}`;
    const refused = lastReject === null ? "" : `; the venue kept refusing them (${lastReject})`;
    super(
      `the algo kept sending orders in answer to its own order updates and fills ${where}: stopped after ${rounds} rounds at one instant${refused}. ` +
        "An order sent again as soon as it is refused is refused again at the same time: wait for the next quote or a timer before sending it again",
    );
    this.name = "AlgoLoop";
  }
}
