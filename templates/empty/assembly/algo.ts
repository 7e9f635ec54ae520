// The smallest algo: it receives every quote and trade and does nothing.
// Used to measure the harness's own overhead (ticks/second with no strategy).
import { Algo, Quote, Trade, register } from "sequence-algo/runtime";

class EmptyAlgo extends Algo {
  onQuote(quote: Quote): void {}
  onTrade(trade: Trade): void {}
}

register(new EmptyAlgo());
