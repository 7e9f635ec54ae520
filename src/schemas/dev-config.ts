/**
 * `algo dev --config dev.json`: the emulator's settings file (src/dev/config.ts
 * lays flags over it and fills the defaults). Every key is optional; the
 * flags that set the same thing (--port, --speed, …) are checked with the
 * same field, so a value means the same from either place.
 */
import * as z from "zod";
import { parseBps } from "../../harness/venue/fees.ts";
import { MAX_MEMORY_PAGES } from "../../harness/abi.ts";

/** An API key: 8..200 printable ASCII characters, no spaces. */
export const API_KEY = /^[\x21-\x7e]{8,200}$/;
export const API_KEY_EXPECTED = "must be 8..200 printable characters without spaces";
const CLIENT = /^[\w.@-]{1,64}$/;
const SYMBOL = /^[A-Z0-9][A-Z0-9._/-]{0,31}$/;
const VENUE = /^[a-z0-9][a-z0-9_-]{0,31}$/;

const digitsToNumber = (v: unknown) => (typeof v === "string" && /^\d+$/.test(v.trim()) ? Number(v.trim()) : v);

/** A whole number in min..max; digit strings count (flags arrive as text). */
export function wholeNumber(min: number, max: number, note = "") {
  const error = `expected a whole number in ${min}..${max}${note}`;
  return z.preprocess(digitsToNumber, z.int({ error }).min(min, { error }).max(max, { error }));
}

/**
 * Basis points as a JSON number, read as the fee model reads every rate
 * (parseBps: at most 4 decimals counted in the number's shortest text, so
 * 0.07 is exact; |bps| ≤ 10000).
 */
const bps = z.custom<number>(
  (v) => {
    if (typeof v !== "number" || !Number.isFinite(v)) return false;
    try {
      parseBps(v);
      return true;
    } catch {
      return false;
    }
  },
  { error: (iss) => `expected basis points (at most 4 decimals), got ${JSON.stringify(iss.input)}` },
);

export const venueFeesSchema = z.object({ maker_bps: bps, taker_bps: bps }, { error: "expected a JSON object" });
export type VenueFees = z.infer<typeof venueFeesSchema>;

const SPEED = 'expected a positive multiple of real time (e.g. 10) or "max"';
/** Replay pace: a positive multiple of real time, or "max" (as fast as the emulator can). */
export const speedSchema = z.preprocess(
  (v) => {
    if (typeof v !== "string") return v;
    const t = v.trim().toLowerCase();
    return t === "max" ? "max" : t === "" ? v : Number(t);
  },
  z.union([z.literal("max", { error: SPEED }), z.number({ error: SPEED }).gt(0, { error: SPEED }).max(1e9, { error: SPEED })], { error: SPEED }),
);
export type Speed = z.infer<typeof speedSchema>;

const nonEmpty = (expected: string) =>
  z.string({ error: expected }).refine((s) => s.trim() !== "", { error: expected });

/** API key → client name. Checked as a whole so no message quotes more of a valid key than its first 12 characters. */
const keysSchema = z
  .record(z.string(), z.unknown(), { error: "expected a JSON object" })
  .superRefine((keys, ctx) => {
    for (const [key, client] of Object.entries(keys)) {
      if (!API_KEY.test(key)) ctx.addIssue({ code: "custom", message: `key ${JSON.stringify(key)} ${API_KEY_EXPECTED}` });
      else if (typeof client !== "string" || !CLIENT.test(client)) {
        ctx.addIssue({ code: "custom", message: `client name for ${key.slice(0, 12)}… must be 1..64 letters, digits, "_.@-"` });
      }
    }
  })
  .transform((keys) => keys as Record<string, string>);

const VENUE_LIST = 'expected a non-empty list of lower-case venue names, e.g. ["coinbase", "kraken"]';
const venueList = z
  .array(z.string({ error: VENUE_LIST }).regex(VENUE, { error: VENUE_LIST }), { error: VENUE_LIST })
  .min(1, { error: VENUE_LIST })
  .refine((names) => new Set(names).size === names.length, { error: "lists a venue twice" });

/** The settings a flag can also give, each checked the same way from either place. */
export const devSettingFields = {
  port: wholeNumber(0, 65535),
  host: nonEmpty("expected a host name or address"),
  data: nonEmpty("expected a directory"),
  speed: speedSchema,
  state: nonEmpty("expected a file path or :memory:"),
  budget_ms: wholeNumber(10, 600_000),
};

const devConfigShape = {
  keys: keysSchema.optional(),
  venues: z
    .record(z.string().regex(SYMBOL, { error: 'expected a symbol like ETH-USD (capitals, digits, "._/-")' }), venueList, { error: "expected a JSON object" })
    .refine((v) => Object.keys(v).length > 0, { error: "at least one symbol is needed" })
    .optional(),
  fees: z.record(z.string(), venueFeesSchema, { error: "expected a JSON object" }).optional(),
  latency_ns: z.record(z.string(), wholeNumber(0, 60_000_000_000), { error: "expected a JSON object" }).optional(),
  port: devSettingFields.port.optional(),
  host: devSettingFields.host.optional(),
  data: devSettingFields.data.optional(),
  speed: devSettingFields.speed.optional(),
  state: devSettingFields.state.optional(),
  budget_ms: devSettingFields.budget_ms.optional(),
  max_memory_pages: wholeNumber(1, MAX_MEMORY_PAGES, " (it can only lower the harness's cap)").optional(),
  edge_capacity: wholeNumber(1, 1000).optional(),
  checkpoint_ms: wholeNumber(50, 3_600_000).optional(),
};

export const devConfigFileSchema = z.strictObject(devConfigShape, {
  error: (iss) =>
    iss.code === "unrecognized_keys" ? `not a setting; expected one of ${Object.keys(devConfigShape).join(", ")}`
    : iss.code === "invalid_type" ? "expected a JSON object"
    : undefined,
});

export type DevConfigFile = z.infer<typeof devConfigFileSchema>;

