/**
 * Market data from the edges' replays: price history, quote, fees (wire.md,
 * "Data the harness reads"), plus two emulator extras — `GET /v1/symbols`
 * (the reference's Symbol rows) and `GET /v1/edges` (each edge, its data and
 * its replay clock).
 */
import type { App } from "../app.ts";
import { badRequest, HttpError } from "../errors.ts";
import type { Router } from "../router.ts";

export function marketRoutes(router: Router, app: App): void {
  const { market, edges, config } = app;

  router.get("/v1/market/price-history", ({ query }) => ({ body: market.priceHistory(query) }));

  router.get("/v1/quote/:symbol", ({ params }) => ({ body: market.quote(params.symbol) }));

  router.get("/v1/fees", ({ query }) => {
    const ticker = query.get("ticker")?.trim() ?? "";
    if (ticker === "") throw badRequest("invalid_request", "ticker is required, e.g. /v1/fees?ticker=ETH-USD");
    const hosting = edges.edgesFor(ticker).map((e) => e.venue);
    const asked = (query.get("venues") ?? "").split(",").map((v) => v.trim()).filter(Boolean);
    if (hosting.length === 0 && asked.length === 0) {
      throw new HttpError(404, "unknown_symbol", `unknown ticker "${ticker}": this emulator's edges host ${edges.symbols().join(", ")}`);
    }
    const venues = asked.length > 0 ? asked : hosting;
    const fees = venues.map((venue) => {
      const f = hosting.includes(venue) ? config.fees[venue] : undefined;
      return { venue, taker_bps: f ? f.taker_bps : null, maker_bps: f ? f.maker_bps : null };
    });
    return { body: { fees } };
  });

  router.get("/v1/symbols", () => ({
    body: {
      symbols: edges.symbols().map((symbol) => {
        const [base, quote] = symbol.includes("-") ? symbol.split("-", 2) : [symbol, ""];
        return { symbol, base, quote, venues: edges.edgesFor(symbol).map((e) => e.venue), instrument_type: "spot" };
      }),
    },
  }));

  router.get("/v1/edges", () => {
    const now = performance.now();
    return {
      body: {
        speed: config.speed,
        edges: market.allFeeds().map((f) => ({
          edge_id: f.spec.edgeId,
          venue: f.spec.venue,
          symbol: f.spec.symbol,
          venue_id: f.spec.venueId,
          data: f.data.description,
          synthetic: f.data.synthetic,
          clock_ns: f.clock,
          origin_ns: f.originTs,
          published: f.published,
          loops: f.loops,
          pace_behind_ns: config.speed === "max" || f.published === 0 ? 0n : f.targetAt(now, config.speed) - f.clock,
          capacity: config.edgeCapacity,
          error: f.error ?? null,
        })),
      },
    };
  });
}
