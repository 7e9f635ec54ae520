/**
 * `algo logs <id|symbol> [-n N] [-f]`: a deployed algo's latest log lines;
 * with `-f`, then every new line and trace event from the `traces:{id}`
 * WebSocket channel until Ctrl-C (which ends it with exit code 0).
 */
import type { Command, CommandUnknownOpts } from "@commander-js/extra-typings";
import type { LogLine, Sequence, SequenceStream } from "../client/index.ts";
import { LOGS_LIMIT_MAX } from "../client/index.ts";
import { deploymentIdOf, explainNotFound, parseTarget, TARGET_HELP, targetOptions } from "./algos.ts";
import { connect } from "./config.ts";
import { helpFooter } from "./help-text.ts";
import { note, printJson } from "./print.ts";
import { formatLogLine, formatTrace } from "./trace-text.ts";
import { jsonOption, wholeOption, type OptionsOf } from "./options.ts";

export const DEFAULT_LINES = 50;

type LogsCliOptions = OptionsOf<typeof declareLogs>;

function lineKey(l: { ts_ns?: unknown; edge_id?: unknown; message?: unknown }): string {
  return `${String(l.ts_ns)}|${String(l.edge_id)}|${String(l.message)}`;
}

async function history(seq: Sequence, id: string, lines: number): Promise<LogLine[]> {
  try {
    const answer = await seq.algoLogs(id, lines);
    // Oldest first, like tail; a stable sort keeps the server's order for equal times.
    return [...answer.logs].sort((a, b) => (a.ts_ns < b.ts_ns ? -1 : a.ts_ns > b.ts_ns ? 1 : 0));
  } catch (e) {
    throw explainNotFound(e, { kind: "id", id });
  }
}

/**
 * Ctrl-C / SIGTERM end the follow: the stream (once connected) is closed and
 * the iteration ends normally, exit 0. A second signal before that (a second
 * Ctrl-C, or `timeout`, which signals the process and then its group) ends the
 * process at once, also with exit 0: the user asked for it to end.
 */
class Interrupt {
  interrupted = false;
  #stream: { close(): Promise<void> } | undefined;
  readonly #stop = () => {
    if (this.interrupted) process.exit(0);
    this.interrupted = true;
    note("");
    void this.#stream?.close();
  };

  constructor() {
    process.on("SIGINT", this.#stop);
    process.on("SIGTERM", this.#stop);
  }

  /** The stream to close on a signal (closed at once if one already came). */
  watch(stream: { close(): Promise<void> }): void {
    this.#stream = stream;
    if (this.interrupted) void stream.close();
  }

  /**
   * Done following. After a signal, exit now: left to wind down, Node drops its signal handlers
   * before the process ends, and a second signal in that moment would kill it instead of ending it with 0.
   */
  release(): void {
    if (this.interrupted) process.exit(0);
    process.off("SIGINT", this.#stop);
    process.off("SIGTERM", this.#stop);
  }
}

async function logsCommand(text: string, opts: LogsCliOptions, cmd: CommandUnknownOpts): Promise<void> {
  const target = parseTarget(text, opts);
  const lines = opts.lines;
  const { seq } = connect(cmd);
  const id = await deploymentIdOf(seq, target);

  if (!opts.follow) {
    const logs = await history(seq, id, lines);
    if (opts.json) return printJson({ deployment_id: id, logs });
    if (logs.length === 0) note(`no log lines yet for ${id}`);
    for (const l of logs) console.log(formatLogLine(l));
    return;
  }

  // Subscribe before reading the history, so no line falls between the two;
  // lines that arrive on both are printed once.
  const interrupt = new Interrupt();
  let stream: SequenceStream | undefined;
  try {
    stream = await seq.stream().traces(id).connect();
    interrupt.watch(stream);
    const past = await history(seq, id, lines);
    const seen = new Set(past.map(lineKey));
    for (const l of past) (opts.json ? printJson(l) : console.log(formatLogLine(l)));
    note(`following traces:${id} (Ctrl-C to stop)`);
    for await (const ev of stream) {
      if (ev.type !== "trace") continue;
      const data = ev.data;
      if (data !== null && typeof data === "object" && !Array.isArray(data) && seen.delete(lineKey(data))) continue;
      if (opts.json) printJson(data);
      else console.log(formatTrace(data));
    }
  } finally {
    await stream?.close();
    interrupt.release();
  }
}

function declareLogs(program: Command) {
  return targetOptions(
    program
      .command("logs")
      .description("print a deployed algo's latest log lines; -f follows new lines and trace events live")
      .argument("<target>", TARGET_HELP),
  )
    .addOption(
      wholeOption("-n, --lines <N>", `how many of the latest lines to print (1–${LOGS_LIMIT_MAX})`, {
        min: 1,
        max: LOGS_LIMIT_MAX,
        expected: `a whole number of lines from 1 to ${LOGS_LIMIT_MAX}`,
      }).default(DEFAULT_LINES),
    )
    .option("-f, --follow", "keep printing new lines and trace events (WebSocket traces:{id}) until Ctrl-C")
    .addOption(jsonOption("print JSON (with -f: one JSON object per line); exact integers"));
}

export function register(program: Command): void {
  declareLogs(program)
    .addHelpText(
      "after",
      `\nWith -f, Ctrl-C ends the command with exit code 0.${helpFooter("algo logs ETH-USD -n 20", "algo logs dep_1 -f", "algo logs ETH-USD -f --json | jq .message")}`,
    )
    .action(logsCommand);
}
