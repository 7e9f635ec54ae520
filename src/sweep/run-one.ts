/**
 * One run of a sweep: the module (compiled once per thread) over the data
 * with one set of params. The same code runs in a local worker thread and in
 * `algo worker` taking jobs from a queue.
 */
import { runBacktest } from "../../harness/engine.ts";
import { Params, paramsOfModule } from "../../harness/params.ts";
import { toExactJson } from "../../harness/report/json.ts";
import { BpsFees } from "../../harness/venue/fees.ts";
import { ConstantLatency } from "../../harness/venue/latency.ts";
import { QUEUE_MODELS } from "../../harness/venue/queue.ts";
import { resolveData } from "../cli/data-spec.ts";
import { readMetrics } from "./metrics.ts";
import type { RunSettings } from "./settings.ts";
import { withinTimeRange } from "../../harness/data/time-range.ts";
import { parseFixed } from "../../harness/fixed.ts";
import { rangeFromFlags } from "../cli/backtest-settings.ts";

export interface RunRequest {
  /** The run's position in the sweep's run list. */
  position: number;
  /** The swept params of this run (the module's own sequence.params lie under them). */
  params: Record<string, string>;
  /** Another module and settings than the thread's own (a queue worker serves many sweeps). */
  job?: { moduleSha256: string; moduleBytes: Uint8Array; settings: RunSettings };
}

export type RunOutcome =
  | {
      position: number;
      ok: true;
      /** The report's deterministic part as exact JSON (without the fill log, as `algo backtest --json`). */
      report: string;
      metrics: Record<string, string>;
      /** Params given but never read by the algo. */
      unused: string[];
      ticks: number;
      elapsedNs: number;
    }
  | { position: number; ok: false; error: string };

export async function runOne(module: WebAssembly.Module, settings: RunSettings, request: RunRequest): Promise<RunOutcome> {
  const started = process.hrtime.bigint();
  try {
    const report = await runBacktest({
      module,
      source: withinTimeRange(await resolveData(settings.data, settings.baseDir), rangeFromFlags(settings.from, settings.to)),
      capitalUsd_1e9: settings.capital === undefined ? undefined : parseFixed(settings.capital, 9),
      params: new Params({ ...paramsOfModule(module), ...request.params }),
      fees: new BpsFees(settings.makerBps, settings.takerBps),
      latency: new ConstantLatency(BigInt(settings.latencyNs)),
      queue: new QUEUE_MODELS[settings.fillQueue](),
    });
    const result = report.result;
    return {
      position: request.position,
      ok: true,
      report: toExactJson({ ...result, fill_log: undefined }),
      metrics: readMetrics(result),
      unused: result.unused_params,
      ticks: result.data.ticks,
      elapsedNs: Number(process.hrtime.bigint() - started),
    };
  } catch (e) {
    return { position: request.position, ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}
