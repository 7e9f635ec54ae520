/**
 * What a run recorded, as hftbacktest's recorder.rs keeps it apart from the
 * loop: the counters the report prints, the fill log and log lines (each
 * capped), and the first and last data times. The engine tells it what
 * happened; the report (report/report.ts) reads it.
 */
import { BAR_VOLUME, Kind, LIQUIDITY_NAMES, Liquidity, OrderStatus, REJECT_REASONS, SideCode, type LiquidityName, type RejectReason } from "./abi.ts";
import { kindAt, recordStart, subAt } from "./record-view.ts";

export interface LogLine {
  ts_ns: bigint;
  level: "debug" | "info" | "warn" | "error";
  message: string;
}

export interface FillRecord {
  ts_ns: bigint;
  order_id: bigint;
  side: "buy" | "sell";
  price_1e9: bigint;
  qty_1e8: bigint;
  fee_1e9: bigint;
  liquidity: LiquidityName;
}

/** Counters the report prints. */
export interface Counters {
  ticks: number;
  quotes: number;
  trades: number;
  /** Whole bars (BAR record pairs) sent to the module. */
  bars: number;
  ordersPlaced: number;
  ordersAccepted: number;
  ordersCancelled: number;
  rejects: Record<string, number>;
  makerFills: number;
  takerFills: number;
  timersFired: number;
}

export interface RecorderOptions {
  /** Keep at most this many log lines (default 1000). */
  maxLogLines?: number;
  /** Keep at most this many fills in the fill log (default 100,000; the counters cover all). */
  maxFillLog?: number;
  /** Every log line as it happens, kept or not. */
  onLog?: (line: LogLine) => void;
  /** Every fill as it happens, kept or not. */
  onFill?: (fill: FillRecord) => void;
}

const MAX_LOG_LINES = 1000;
const MAX_FILL_LOG = 100_000;

export class Recorder {
  readonly counters: Counters = {
    ticks: 0, quotes: 0, trades: 0, bars: 0, ordersPlaced: 0, ordersAccepted: 0, ordersCancelled: 0,
    rejects: {}, makerFills: 0, takerFills: 0, timersFired: 0,
  };
  readonly fills: FillRecord[] = [];
  readonly logs: LogLine[] = [];
  logsDropped = 0;
  /** Time of the first data record replayed; null before any. */
  firstTs: bigint | null = null;
  /** Time of the last data record replayed. */
  lastTs = 0n;

  private readonly maxLogLines: number;
  private readonly maxFillLog: number;

  constructor(private readonly options: RecorderOptions = {}) {
    this.maxLogLines = options.maxLogLines ?? MAX_LOG_LINES;
    this.maxFillLog = options.maxFillLog ?? MAX_FILL_LOG;
  }

  /** Counts a batch's n records by kind (the batch's ticks are added by `replayed`); true when it holds depth records. */
  countKinds(heads: Int32Array, n: number): boolean {
    // Counted in locals: a property increment per record costs more than the loop.
    let quotes = 0;
    let trades = 0;
    let bars = 0;
    let depth = false;
    for (let j = 0; j < n; j++) {
      const b = recordStart(j);
      const kind = kindAt(heads, b);
      if (kind === Kind.Quote) quotes++;
      else if (kind === Kind.Trade) trades++;
      else if (kind === Kind.Bar && subAt(heads, b) === BAR_VOLUME) bars++;
      else if (kind === Kind.Depth) depth = true;
    }
    const c = this.counters;
    c.quotes += quotes;
    c.trades += trades;
    c.bars += bars;
    return depth;
  }

  /** A batch of n records was replayed. */
  replayed(n: number): void {
    this.counters.ticks += n;
  }

  placed(): void {
    this.counters.ordersPlaced++;
  }

  /** The last order refused: its reason and when (for AlgoLoop's message); reason null until one is. */
  lastReject: string | null = null;
  lastRejectTs = 0n;

  /** The venue's answer to an order at `ts`: accepted, cancelled or rejected (counted per reason). */
  order(status: OrderStatus, reason: RejectReason, ts = 0n): void {
    const c = this.counters;
    if (status === OrderStatus.Accepted) c.ordersAccepted++;
    else if (status === OrderStatus.Cancelled) c.ordersCancelled++;
    else {
      const name = REJECT_REASONS[reason] ?? String(reason);
      c.rejects[name] = (c.rejects[name] ?? 0) + 1;
      this.lastReject = name;
      this.lastRejectTs = ts;
    }
  }

  fill(ts: bigint, orderId: bigint, side: SideCode, px: bigint, qty: bigint, fee: bigint, liquidity: Liquidity): void {
    if (liquidity === Liquidity.Maker) this.counters.makerFills++;
    else this.counters.takerFills++;
    // The fill with names, as the report and JSON write it: made only when someone keeps it.
    const logged = this.fills.length < this.maxFillLog;
    if (logged || this.options.onFill) {
      const fill: FillRecord = { ts_ns: ts, order_id: orderId, side: side === SideCode.Buy ? "buy" : "sell", price_1e9: px, qty_1e8: qty, fee_1e9: fee, liquidity: LIQUIDITY_NAMES[liquidity] };
      if (logged) this.fills.push(fill);
      this.options.onFill?.(fill);
    }
  }

  timerFired(): void {
    this.counters.timersFired++;
  }

  log(line: LogLine): void {
    this.options.onLog?.(line);
    if (this.logs.length >= this.maxLogLines) this.logsDropped++;
    else this.logs.push(line);
  }
}
