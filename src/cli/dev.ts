/** `algo dev`: run the local Sequence platform emulator (src/dev/, docs/emulator.md) until Ctrl-C. */
import type { Command } from "@commander-js/extra-typings";
import { ConfigError, lifecycleLine, resolveConfig, startEmulator, type DevFlags } from "../dev/index.ts";
import { UsageError } from "./errors.ts";
import { collect } from "./options.ts";

export async function devCommand(flags: DevFlags): Promise<void> {
  let emulator;
  try {
    const config = resolveConfig(flags);
    // One line per deploy, start, stop, undeploy and fault, as it happens.
    emulator = await startEmulator(config, { onLifecycle: (e) => console.log(lifecycleLine(e)) });
    const speed = config.speed === "max" ? "as fast as possible" : `${config.speed}× real time`;
    const lines = [
      "algo dev — local Sequence platform emulator",
      `  listening on ${emulator.url}`,
      ...(emulator.generatedKey
        ? [`  api key    ${emulator.generatedKey}  (generated; kept in the state file)`]
        : [`  api keys   ${emulator.clients.size} configured (clients: ${[...new Set(emulator.clients.values())].join(", ")})`]),
      `  edges      ${emulator.edges.describe()}`,
      `  data       ${config.dataDir ? `--data ${config.dataDir} (edges without a file replay SYNTHETIC ticks)` : "SYNTHETIC ticks (seeded random walks, not market data)"}, ${speed}, looping`,
      `  state      ${config.statePath}  (${emulator.restored.deployments} deployment(s) restored, ${emulator.restored.resumed} edge(s) resumed)`,
      `  try        curl -H "Authorization: Bearer <key>" ${emulator.url}/v1/deployments`,
      "Ctrl-C stops it. Deploys, starts, stops, undeploys and faults are printed below as they happen.",
    ];
    console.log(lines.join("\n"));
  } catch (e) {
    if (e instanceof ConfigError) throw new UsageError(e.message);
    throw e;
  }
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      process.off("SIGINT", onInt);
      process.off("SIGTERM", onTerm);
      console.log(`\n${signal}: stopping (engines run on_stop; running deployments resume on the next start)…`);
      resolve();
    };
    const onInt = () => stop("SIGINT");
    const onTerm = () => stop("SIGTERM");
    process.on("SIGINT", onInt);
    process.on("SIGTERM", onTerm);
  });
  await emulator.close();
  console.log("stopped.");
}

export function register(program: Command): void {
  program
    .command("dev")
    .description("run the local Sequence platform emulator: the wire API over HTTP/WebSocket, edges that run deployed modules on replayed data")
    .option("--port <n>", "port to listen on; 0 picks a free one (default 50052)")
    .option("--host <host>", "address to listen on (default 127.0.0.1)")
    .option("--data <dir>", "tick files per symbol: <SYMBOL>.<venue>.csv or <SYMBOL>.csv (.ticks, .json too); else synthetic ticks")
    .option("--speed <x|max>", 'replay pace: a multiple of real time, or "max" (default 10)')
    .option("--key <key>", "an accepted API key, one client per key (repeatable; default: one generated key)", collect, [])
    .option("--config <file>", "JSON settings: keys → clients, venues, fees, latency, limits (docs/emulator.md)")
    .option("--state <file>", 'SQLite state file, or ":memory:" (default .algo/dev.sqlite)')
    .option("--budget-ms <ms>", "time a batch of callbacks may take before the edge's engine is terminated (default 250)")
    .addHelpText(
      "after",
      "\nExamples:\n  $ algo dev\n  $ algo dev --port 0 --speed 100 --key seq_test_alice\n  $ algo dev --data ./ticks --speed max --state :memory:\n  $ algo dev --config dev.json",
    )
    .action(async (opts) => {
      await devCommand(opts);
    });
}
