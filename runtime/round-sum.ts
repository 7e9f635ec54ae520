// Internal to the indicators (not exported by index.ts).

/**
 * round(base + q + r/den) HalfEven, given q and 0 ≤ r < den: rounds the exact
 * sum once (rounding r/den on its own and adding `base` afterwards would get
 * the ties wrong whenever base is odd). Traps `what` when the sum overflows.
 */
// @ts-ignore: decorator
@inline export function roundHalfEvenSum(base: i64, q: i64, r: i64, den: i64, what: string): i64 {
  let t = base + q;
  // `what` is a static string, so the trap path does not allocate either
  if (((base ^ t) & (q ^ t)) < 0) { abort(what); unreachable(); }
  let h = den - r;
  if (r > h || (r == h && r != 0 && (t & 1) != 0)) {
    if (t == i64.MAX_VALUE) { abort(what); unreachable(); }
    t += 1;
  }
  return t;
}
