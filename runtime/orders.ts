// The algo's own view of its open orders, kept from what it placed and what
// the host reported back (fills, rejects, cancels). Fixed capacity so nothing
// is allocated after start; the host enforces the same limit (docs/abi.md).
import { Px, Qty } from "./fixed";
import { Side } from "./events";

export const MAX_OPEN_ORDERS: i32 = 256;

export class OpenOrders {
  private ids: StaticArray<i64> = new StaticArray<i64>(MAX_OPEN_ORDERS);
  private sides: StaticArray<i32> = new StaticArray<i32>(MAX_OPEN_ORDERS);
  private prices: StaticArray<i64> = new StaticArray<i64>(MAX_OPEN_ORDERS);
  private remaining: StaticArray<i64> = new StaticArray<i64>(MAX_OPEN_ORDERS);
  count: i32 = 0;

  add(id: i64, side: Side, px: Px, qty: Qty): void {
    if (this.count >= MAX_OPEN_ORDERS) return; // the host rejects it too
    const i = this.count++;
    unchecked((this.ids[i] = id));
    unchecked((this.sides[i] = side));
    unchecked((this.prices[i] = px));
    unchecked((this.remaining[i] = qty));
  }

  indexOf(id: i64): i32 {
    for (let i = 0; i < this.count; i++) if (unchecked(this.ids[i]) == id) return i;
    return -1;
  }

  remove(id: i64): void {
    const i = this.indexOf(id);
    if (i < 0) return;
    const last = --this.count;
    unchecked((this.ids[i] = this.ids[last]));
    unchecked((this.sides[i] = this.sides[last]));
    unchecked((this.prices[i] = this.prices[last]));
    unchecked((this.remaining[i] = this.remaining[last]));
  }

  /** Records a fill; drops the order once nothing remains. */
  fill(id: i64, qty: Qty): void {
    const i = this.indexOf(id);
    if (i < 0) return;
    const left = unchecked(this.remaining[i]) - qty;
    if (left <= 0) this.remove(id);
    else unchecked((this.remaining[i] = left));
  }

  id(i: i32): i64 {
    return this.ids[i];
  }
  side(i: i32): Side {
    return this.sides[i];
  }
  price(i: i32): Px {
    return this.prices[i];
  }
  remainingQty(i: i32): Qty {
    return this.remaining[i];
  }

  /** Open quantity on one side. */
  openQty(side: Side): Qty {
    let total: i64 = 0;
    for (let i = 0; i < this.count; i++) if (unchecked(this.sides[i]) == side) total += unchecked(this.remaining[i]);
    return total;
  }
}
