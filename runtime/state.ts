import { Algo } from "./algo";

// Runtime state shared by the dispatch loop and the Algo base class.
export namespace state {
  export let algo: Algo | null = null;
  /** Time of the event being delivered. */
  export let now: i64 = 0;
  /**
   * Set when a callback talks to the host (order, cancel, timer): the run
   * loop then returns so the host can act before the next event is delivered.
   */
  export let halted: bool = false;
  /** False once the default Algo.onBook ran: the algo does not read depth, DEPTH records are skipped. */
  export let bookWanted: bool = true;
}
