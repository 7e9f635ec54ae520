/** Exit codes (README "Exit codes"): 0 ok, 1 failure (build, backtest, API), 2 usage, 3 network. */
export const EXIT = { ok: 0, failure: 1, usage: 2, network: 3 } as const;

/** Bad input from the user: wrong flag, missing file, not a project. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** A server the command needs could not be reached (exit 3), e.g. the Redis of `algo sweep --queue`. */
export class NetworkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NetworkError";
  }
}

/** A backtest that failed for a reason the user can act on: bad data, a trap, a callback over budget (exit 1). */
export class BacktestFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BacktestFailure";
  }
}

/** A backtest that replayed no tick: the data is empty (exit 1; no report is printed). */
export class EmptyReplayError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EmptyReplayError";
  }
}

/**
 * Exit code for a client `SequenceError` kind: `api`, `deserialize` and
 * `capability_missing` → 1 (the API said no, or answered something unreadable),
 * `validation` → 2 (bad input; nothing was sent), `network` → 3.
 */
export function exitCodeForKind(kind: string): number {
  if (kind === "validation") return EXIT.usage;
  if (kind === "network") return EXIT.network;
  return EXIT.failure;
}
