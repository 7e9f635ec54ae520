/**
 * Where the deployment verbs connect, and with which key.
 *
 * Sources, strongest first:
 *
 * | setting  | 1                | 2                                    | 3                   | 4                                | 5          |
 * |----------|------------------|--------------------------------------|---------------------|----------------------------------|------------|
 * | base URL | `--base-url`     | the chosen profile's `base_url`      | `SEQUENCE_BASE_URL` | the default profile's `base_url` | production |
 * | API key  | —                | the chosen profile's `api_key`       | `SEQUENCE_API_KEY`  | the default profile's `api_key`  | (error)    |
 *
 * A profile is *chosen* with `--profile <name>` or `SEQUENCE_PROFILE`; then its
 * key and URL win over the environment, so a key is never sent to another
 * profile's URL by accident. Otherwise the file's `default_profile` (or the
 * profile named `default`) only fills what the environment leaves unset.
 *
 * The profile file is `$SEQUENCE_CONFIG`, else `$XDG_CONFIG_HOME/sequence/config.json`,
 * else `~/.config/sequence/config.json`:
 *
 * ```json
 * { "default_profile": "local",
 *   "profiles": {
 *     "prod":  { "api_key": "seq_live_…" },
 *     "local": { "api_key": "seq_test_…", "base_url": "http://localhost:50052" } } }
 * ```
 *
 * Its shape is declared in src/schemas/profile-file.ts. The key is never
 * printed: only where it came from.
 */
import { readFileSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { CommandUnknownOpts } from "@commander-js/extra-typings";
import { DEFAULT_BASE_URL, Sequence } from "../client/index.ts";
import { describeProblem, firstProblem } from "../schemas/problem.ts";
import { profileFileSchema, type Profile, type ProfileFile } from "../schemas/profile-file.ts";
import { UsageError } from "./errors.ts";

export interface GlobalOptions {
  baseUrl?: string;
  profile?: string;
  verbose?: boolean;
}

export interface ResolvedConfig {
  readonly apiKey: string;
  readonly baseUrl: string;
  /** Where the base URL came from, e.g. `SEQUENCE_BASE_URL` or `profile "local" (~/.config/sequence/config.json)`. */
  readonly baseUrlSource: string;
  /** Where the key came from (never the key itself). */
  readonly keySource: string;
  readonly profile?: string;
  readonly configFile: string;
}

/** Adds `--base-url`, `--profile`, `--verbose` to the program (they apply to the API verbs). */
export function addGlobalOptions(program: CommandUnknownOpts): void {
  program
    .option("--base-url <url>", `API root (default: SEQUENCE_BASE_URL, the profile's, or ${DEFAULT_BASE_URL})`)
    .option("--profile <name>", "named profile from the config file (default: SEQUENCE_PROFILE or the file's default)")
    .option("--verbose", "say which API URL, profile and key source are used")
    .configureHelp({ showGlobalOptions: true });
}

/** The config file path (`SEQUENCE_CONFIG`, else XDG, else `~/.config/sequence/config.json`). */
export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SEQUENCE_CONFIG) return path.resolve(env.SEQUENCE_CONFIG);
  const base = env.XDG_CONFIG_HOME ? env.XDG_CONFIG_HOME : path.join(os.homedir(), ".config");
  return path.join(base, "sequence", "config.json");
}

function readConfigFile(file: string): ProfileFile | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new UsageError(`cannot read the config file ${file}: ${(e as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`the config file ${file} is not valid JSON (${(e as Error).message})`);
  }
  const parsed = profileFileSchema.safeParse(raw);
  if (!parsed.success) throw new UsageError(`${file}: ${describeProblem(firstProblem(parsed.error), "whole")}`);
  warnIfShared(file, parsed.data.profiles);
  return parsed.data;
}

function warnIfShared(file: string, profiles: Record<string, Profile>): void {
  if (process.platform === "win32" || !Object.values(profiles).some((p) => p.api_key)) return;
  try {
    if ((statSync(file).mode & 0o077) !== 0) {
      console.error(`warning: ${file} holds API keys and is readable by other users; run: chmod 600 ${file}`);
    }
  } catch {
    /* not fatal */
  }
}

function checkUrl(url: string, source: string): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || (parsed.protocol !== "http:" && parsed.protocol !== "https:")) {
    throw new UsageError(`${source}: ${JSON.stringify(url)} is not an http(s) URL (e.g. http://localhost:50052)`);
  }
  return parsed.href.replace(/\/+$/, "");
}

function howToSetKey(file: string): string {
  return (
    "set SEQUENCE_API_KEY (export SEQUENCE_API_KEY=seq_live_…, or seq_test_… for the sandbox), " +
    `or add a profile with an "api_key" to ${file} (another file: SEQUENCE_CONFIG)`
  );
}

/** Resolve key, base URL and profile from flags, environment and the config file. */
export function resolveConfig(opts: GlobalOptions, env: NodeJS.ProcessEnv = process.env): ResolvedConfig {
  const file = configPath(env);
  const config = readConfigFile(file);
  const fileLabel = file.startsWith(os.homedir() + path.sep) ? "~" + file.slice(os.homedir().length) : file;

  const chosen = opts.profile ?? (env.SEQUENCE_PROFILE || undefined);
  const chosenFrom = opts.profile !== undefined ? "--profile" : "SEQUENCE_PROFILE";
  let profileName: string | undefined;
  let profile: Profile | undefined;
  if (chosen !== undefined) {
    if (config === undefined) {
      throw new UsageError(`${chosenFrom} ${chosen}: there is no config file at ${file} (set SEQUENCE_CONFIG to use another file)`);
    }
    profile = Object.hasOwn(config.profiles, chosen) ? config.profiles[chosen] : undefined;
    if (profile === undefined) {
      const names = Object.keys(config.profiles);
      throw new UsageError(
        `${chosenFrom} ${chosen}: no such profile in ${file}; ${names.length ? `profiles: ${names.join(", ")}` : "it defines no profiles"}`,
      );
    }
    profileName = chosen;
  } else if (config !== undefined) {
    const name = config.default_profile ?? "default";
    if (config.default_profile !== undefined && !Object.hasOwn(config.profiles, name)) {
      throw new UsageError(`${file}: "default_profile" names "${name}", which is not among the profiles`);
    }
    if (Object.hasOwn(config.profiles, name)) {
      profile = config.profiles[name];
      profileName = name;
    }
  }
  const explicit = chosen !== undefined;
  const profileLabel = `profile "${profileName}" (${fileLabel})`;
  const fromProfileKey = profile?.api_key?.trim() ? profile.api_key.trim() : undefined;
  const fromProfileUrl = profile?.base_url?.trim() ? profile.base_url.trim() : undefined;
  const envKey = env.SEQUENCE_API_KEY?.trim() ? env.SEQUENCE_API_KEY.trim() : undefined;
  const envUrl = env.SEQUENCE_BASE_URL?.trim() ? env.SEQUENCE_BASE_URL.trim() : undefined;

  let baseUrl: string;
  let baseUrlSource: string;
  if (opts.baseUrl !== undefined) [baseUrl, baseUrlSource] = [opts.baseUrl, "--base-url"];
  else if (explicit && fromProfileUrl) [baseUrl, baseUrlSource] = [fromProfileUrl, profileLabel];
  else if (envUrl) [baseUrl, baseUrlSource] = [envUrl, "SEQUENCE_BASE_URL"];
  else if (fromProfileUrl) [baseUrl, baseUrlSource] = [fromProfileUrl, profileLabel];
  else [baseUrl, baseUrlSource] = [DEFAULT_BASE_URL, "the built-in default"];
  baseUrl = checkUrl(baseUrl, baseUrlSource);

  let apiKey: string | undefined;
  let keySource = "";
  if (explicit && fromProfileKey) [apiKey, keySource] = [fromProfileKey, profileLabel];
  else if (envKey) [apiKey, keySource] = [envKey, "SEQUENCE_API_KEY"];
  else if (fromProfileKey) [apiKey, keySource] = [fromProfileKey, profileLabel];
  if (apiKey === undefined) {
    const where = profileName !== undefined ? ` (${profileLabel} has no "api_key")` : "";
    throw new UsageError(`no API key for ${baseUrl}${where}: ${howToSetKey(fileLabel)}`);
  }
  return { apiKey, baseUrl, baseUrlSource, keySource, profile: profileName, configFile: file };
}

/** What the error printer needs to know about the connection in use (never the key itself). */
interface ActiveConnection {
  readonly baseUrl: string;
  readonly baseUrlSource: string;
  readonly keySource: string;
  readonly redact: (text: string) => string;
}

let active: ActiveConnection | undefined;

/** The connection the current command uses, once {@link connect} ran. */
export function activeConnection(): ActiveConnection | undefined {
  return active;
}

/** `seq_test_…` → "sandbox key", `seq_live_…` → "live key"; never more of the key. */
export function keyKind(key: string): string {
  if (key.startsWith("seq_test_")) return "sandbox key (seq_test_…)";
  if (key.startsWith("seq_live_")) return "live key (seq_live_…)";
  return "key";
}

/**
 * A client for the command's global options. `--verbose` prints (to stderr)
 * which URL, profile and key source are used.
 */
export function connect(command: CommandUnknownOpts): { seq: Sequence; config: ResolvedConfig } {
  const opts: GlobalOptions = command.optsWithGlobals();
  const config = resolveConfig(opts);
  const key = config.apiKey;
  active = {
    baseUrl: config.baseUrl,
    baseUrlSource: config.baseUrlSource,
    keySource: config.keySource,
    redact: (text) => (key.length >= 4 ? text.split(key).join("[redacted]") : text),
  };
  if (opts.verbose) {
    console.error(`using ${config.baseUrl} (from ${config.baseUrlSource}); ${keyKind(key)} from ${config.keySource}`);
  }
  return { seq: new Sequence(key, { baseUrl: config.baseUrl }), config };
}
