/**
 * sequence-algo as a library: build an algo, backtest it, talk to Sequence.
 * The CLI (`algo`) is a thin layer over exactly these.
 */
export { compileAlgo, CompileError, type CompiledAlgo, type CompileOptions, type CompileDiagnostic } from "./build/compile.ts";
export { checkModule, ModuleError, type ModuleInfo } from "../harness/module-check.ts";
export { runBacktest, Backtest, type BacktestOptions } from "../harness/engine.ts";
export type { FillRecord, LogLine } from "../harness/recorder.ts";
export type { BacktestReport, BacktestResult, BacktestTiming } from "../harness/report/report.ts";
export { toExactJson } from "../harness/report/json.ts";
export { Params, ParamError } from "../harness/params.ts";
export { AlgoTrap, type TrapEvent } from "../harness/host.ts";
export type { TrapPosition } from "../harness/trap-location.ts";
export { BpsFees, type FeeModel } from "../harness/venue/fees.ts";
export { ConstantLatency, Latencies, parseDelay, formatDelay, DelaySpecError, type LatencyModel, type LatencySettings, type Delay } from "../harness/venue/latency.ts";
export { ThroughOnly, RiskAverseQueue, ProbQueue, QUEUE_MODELS, type QueueModel, type QueueModelName, type ProbQueueOptions } from "../harness/venue/queue.ts";
export { parseInstrument, type InstrumentSpec } from "../harness/venue/instrument.ts";
export { parseMarketRemainder, type MarketRemainder } from "../harness/venue/market-remainder.ts";
export type { VenueRules } from "../harness/venue/venue.ts";
export type { Book } from "../harness/venue/book.ts";
export { parseFixed, formatFixed } from "../harness/data/decimal.ts";
export { isoNs } from "../harness/data/time.ts";
export { openSource, SyntheticSource, sp500Source, sp500Path, DataError, type TickSource, type SyntheticOptions } from "../harness/data/index.ts";
export { RecordBatch } from "../harness/data/record.ts";
export { Kind, SideCode } from "../harness/abi.ts";
export { header } from "../harness/record-view.ts";
