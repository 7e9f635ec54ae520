/**
 * Lossless JSON (big-integer fields) and the Qty/Px fixed-point helpers.
 */
import { describe, expect, test } from "vitest";
import { Px, Qty, SequenceError, parseJson, stringifyJson } from "../../src/client/index.ts";
import { Transport, DEFAULT_RETRY } from "../../src/client/http.ts";
import { json } from "../../src/client/decode.ts";
import { FakeServer } from "./fake-server.ts";
import { API_KEY, BIG_PNL, TS_NS } from "./fixtures.ts";

describe("parseJson", () => {
  test("*_1e8, *_1e9, *_ns integers are exact bigints; other numbers stay numbers", () => {
    const v = parseJson(
      `{"realized_pnl_1e9": 9007199254740993, "ts_ns": 1705406400000000001, "qty_1e8": -5, "fill_count": 7, "ratio": 0.5, "big_plain": 9007199254740993}`,
    );
    expect(v).toEqual({
      realized_pnl_1e9: BIG_PNL,
      ts_ns: TS_NS,
      qty_1e8: -5n,
      fill_count: 7,
      ratio: 0.5,
      big_plain: 9007199254740992, // not a big field: a plain (rounded) number, as documented
    });
  });

  test("arrays under a big field hold bigints; objects inside reset to their own keys", () => {
    const v = parseJson(`{"prices_1e9": [1, 9007199254740993], "points": [{"ts_ns": 1, "n": 2}], "window_ns": {"count": 3, "start_ns": 4}}`);
    expect(v).toEqual({
      prices_1e9: [1n, BIG_PNL],
      points: [{ ts_ns: 1n, n: 2 }],
      window_ns: { count: 3, start_ns: 4n },
    });
  });

  test("a non-integer under a big field stays a number (shape checks reject it)", () => {
    expect(parseJson(`{"price_1e9": 1.5, "qty_1e8": 1e3}`)).toEqual({ price_1e9: 1.5, qty_1e8: 1000 });
  });

  test("a __proto__ key is a plain own property", () => {
    const v = parseJson(`{"__proto__": {"polluted": 1}}`) as Record<string, unknown>;
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Object.keys(v)).toEqual(["__proto__"]);
    expect((v as { polluted?: unknown }).polluted).toBeUndefined();
  });

  test("invalid JSON throws", () => {
    expect(() => parseJson("{")).toThrow(SyntaxError);
  });
});

describe("stringifyJson", () => {
  test("bigints are bare integers; the round trip is exact", () => {
    const text = stringifyJson({ realized_pnl_1e9: BIG_PNL, ts_ns: TS_NS, n: 1, s: "x", skip: undefined });
    expect(text).toBe(`{"realized_pnl_1e9":9007199254740993,"ts_ns":1705406400000000001,"n":1,"s":"x"}`);
    expect(parseJson(text)).toEqual({ realized_pnl_1e9: BIG_PNL, ts_ns: TS_NS, n: 1, s: "x" });
  });

  test("a bigint in a request body reaches the server as the exact integer", async () => {
    const server = await FakeServer.start();
    try {
      server.reply("POST", "/v1/echo", { body: `{"qty_1e8": 9007199254740993}` });
      const t = new Transport(API_KEY, { baseUrl: server.url, timeoutMs: 5000, retry: DEFAULT_RETRY });
      const answer = await t.request({
        operation: "echo",
        method: "POST",
        path: "/v1/echo",
        body: { qty_1e8: BIG_PNL, ts_ns: TS_NS },
        decoder: json,
      });
      expect(server.only().body).toBe(`{"qty_1e8":9007199254740993,"ts_ns":1705406400000000001}`);
      expect(answer).toEqual({ qty_1e8: BIG_PNL });
    } finally {
      await server.close();
    }
  });
});

describe("Qty and Px", () => {
  test("fromHuman / human, as in the reference", () => {
    expect(Qty.fromHuman(1.5)).toBe(150_000_000n);
    expect(Qty.human(150_000_000n)).toBe(1.5);
    expect(Px.fromHuman(74_000)).toBe(74_000_000_000_000n);
    expect(Px.human(74_000_000_000_000n)).toBe(74_000);
  });

  test("fromHuman goes through the shortest decimal, not binary float error", () => {
    expect(Qty.fromHuman(0.1)).toBe(10_000_000n);
    expect(Qty.fromHuman(0.3)).toBe(30_000_000n); // 0.3 * 1e8 = 29999999.999999996 in floats
    expect(Px.fromHuman(1.005)).toBe(1_005_000_000n);
    expect(Qty.fromHuman(-2.25)).toBe(-225_000_000n);
    expect(Px.fromHuman(1e21)).toBe(10n ** 30n);
    expect(Qty.fromHuman(1e-7)).toBe(10n);
  });

  test("fromHuman rounds half away from zero beyond the scale", () => {
    expect(Qty.fromHuman(0.000000015)).toBe(2n);
    expect(Qty.fromHuman(-0.000000015)).toBe(-2n);
    expect(Qty.fromHuman(0.000000014)).toBe(1n);
  });

  test("fromHuman refuses NaN and Infinity", () => {
    expect(() => Qty.fromHuman(Number.NaN)).toThrow(/Qty.fromHuman: expected a finite number, got NaN/);
    expect(() => Px.fromHuman(Number.POSITIVE_INFINITY)).toThrow(SequenceError);
  });

  test("parse and format are exact and never use floats", () => {
    expect(Px.parse("74000.123456789")).toBe(74_000_123_456_789n);
    expect(Px.format(74_000_123_456_789n)).toBe("74000.123456789");
    expect(Px.parse("9007199.254740993")).toBe(BIG_PNL);
    expect(Px.format(BIG_PNL)).toBe("9007199.254740993");
    expect(Qty.parse("-0.5")).toBe(-50_000_000n);
    expect(Qty.format(-50_000_000n)).toBe("-0.5");
    expect(Qty.format(0n)).toBe("0");
    expect(Qty.format(100_000_000n)).toBe("1");
    expect(Qty.format(1n)).toBe("0.00000001");
    expect(Qty.parse("1.50000000")).toBe(150_000_000n);
    expect(Qty.parse(".5")).toBe(50_000_000n);
    expect(Qty.parse("1.5e3")).toBe(150_000_000_000n);
    expect(Qty.parse("+2")).toBe(200_000_000n);
  });

  test("parse refuses what it cannot represent exactly, and non-numbers", () => {
    expect(() => Qty.parse("0.000000001")).toThrow(/Qty.parse: "0.000000001" has more than 8 decimal places/);
    expect(() => Px.parse("1.0000000001")).toThrow(/more than 9 decimal places/);
    expect(() => Px.parse("abc")).toThrow(/Px.parse: "abc" is not a decimal number/);
    expect(() => Px.parse("")).toThrow(/is not a decimal number/);
    expect(() => Px.parse("1,5")).toThrow(SequenceError);
    // trailing zeros beyond the scale lose nothing, so they are accepted
    expect(Qty.parse("1.0000000000")).toBe(100_000_000n);
  });

  test("an exponent moves the mantissa: exact for parse, half away from zero for fromHuman", () => {
    expect(Qty.parse("1.5e-3")).toBe(150_000n); // 0.0015 × 1e8
    expect(Px.parse("1.5E+3")).toBe(1_500_000_000_000n);
    expect(Qty.parse("-0.0e-900")).toBe(0n);
    // 0.000000025 × 1e8 = 2.5 units: parse refuses it, fromHuman rounds the tie away from zero
    expect(() => Qty.parse("25e-9")).toThrow(/Qty.parse: "25e-9" has more than 8 decimal places/);
    expect(Qty.fromHuman(2.5e-8)).toBe(3n);
    expect(Qty.fromHuman(-2.5e-8)).toBe(-3n);
    expect(Qty.fromHuman(2.4e-8)).toBe(2n);
    expect(() => Px.parse("1e401")).toThrow(/out of range/);
    for (const bad of ["1e", "1e+-5", "1e--5", "1e5.5", "e5", "1.5e 3", "1ee5"]) {
      expect(() => Qty.parse(bad), bad).toThrow(/is not a decimal number/);
    }
  });

  test("format ∘ parse is the identity on canonical decimals", () => {
    for (const s of ["0", "1", "-1", "0.1", "123456789.987654321", "-0.000000001", "92233720368.547758079"]) {
      expect(Px.format(Px.parse(s))).toBe(s);
    }
  });
});
