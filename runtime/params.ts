import { host_param } from "./host";
import { Px, Qty, Usd } from "./fixed";

// `bool` inside the namespace would name the function, not the type.
type Bool = bool;

// Typed parameters by name with defaults, set by the host (`--param name=value`
// in a backtest or a sweep, deployment settings on an edge), so one compiled
// module serves many settings. Read them once, in a field initialiser or onStart.
export namespace params {
  /** A whole number, e.g. a window length. */
  export function int(name: string, fallback: i64): i64 {
    return host_param(changetype<usize>(name), name.length << 1, fallback, 0);
  }
  /** A price, USD 1e9: "--param edge=0.25" gives 250_000_000. */
  export function px(name: string, fallback: Px): Px {
    return host_param(changetype<usize>(name), name.length << 1, fallback, 9);
  }
  /** A USD amount, 1e9. */
  export function usd(name: string, fallback: Usd): Usd {
    return host_param(changetype<usize>(name), name.length << 1, fallback, 9);
  }
  /** A quantity, 1e8: "--param size=0.5" gives 50_000_000. */
  export function qty(name: string, fallback: Qty): Qty {
    return host_param(changetype<usize>(name), name.length << 1, fallback, 8);
  }
  /** A fixed-point value with `decimals` implied decimals, e.g. a z-score at 1e9 or bps at 1e2. */
  export function fixed(name: string, fallback: i64, decimals: i32): i64 {
    return host_param(changetype<usize>(name), name.length << 1, fallback, decimals);
  }
  /** A flag: 0 or 1 ("true"/"false" accepted by the host). */
  export function bool(name: string, fallback: Bool): Bool {
    return host_param(changetype<usize>(name), name.length << 1, fallback ? 1 : 0, 0) != 0;
  }
}
