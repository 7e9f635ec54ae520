/**
 * The profile file (`~/.config/sequence/config.json`, src/cli/config.ts):
 * named profiles of API key and base URL, and which one is the default.
 */
import * as z from "zod";

const SHAPE = `expected {"profiles": {"<name>": {"api_key": "seq_…", "base_url": "https://…"}}}`;

export const profileSchema = z.looseObject(
  {
    api_key: z.string({ error: 'expected the API key as a string, e.g. "seq_test_…"' }).optional(),
    base_url: z.string({ error: 'expected the API root as a string, e.g. "http://localhost:50052"' }).optional(),
  },
  { error: `expected a profile, e.g. {"api_key": "seq_test_…", "base_url": "http://localhost:50052"}` },
);

export const profileFileSchema = z.looseObject(
  {
    default_profile: z.string({ error: "expected a profile name" }).optional(),
    // null or missing: no profiles (the file may hold only a default_profile, to be filled later)
    profiles: z
      .record(z.string(), profileSchema, { error: SHAPE })
      .nullish()
      .transform((p) => p ?? {}),
  },
  { error: SHAPE },
);

export type Profile = z.infer<typeof profileSchema>;
export type ProfileFile = z.infer<typeof profileFileSchema>;
