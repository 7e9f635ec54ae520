/**
 * Tick data for the harness: readers per format, the .ticks binary format,
 * the synthetic generator and the bundled real series. The engine needs only
 * `openSource` (or one of the named sources) and the TickSource interface.
 */
export { RecordBatch } from "./record.ts";
export { RECORD_WORDS, RECORD_BYTES, Kind, SideCode, DepthFlag } from "../abi.ts";
export { header, headerKind, headerSide, headerSub, headerAux } from "../record-view.ts";
export type { TickSource, SourceFormat, OpenOptions } from "./source.ts";
export { openSource } from "./source.ts";
export { DataError, type Where, type DataErrorInit } from "./errors.ts";
export { parseFixed, parseFixedAt, formatFixed, scanFixed, scanInteger, FixedFail, type Rounding, type FinerDigits, type ParseFixedOptions } from "./decimal.ts";
export { CsvSource, openCsv, type CsvOptions } from "./csv.ts";
export { detectLayout, type CsvLayout, type CsvLayoutOptions } from "./csv-layouts.ts";
export { writeCombinedCsv, COMBINED_CSV_HEADER, type WriteCsvOptions } from "./csv-write.ts";
export { PriceHistorySource, openPriceHistory, type PriceHistoryOptions } from "./price-history-json.ts";
export { BookJsonlSource, openBookJsonl, type BookJsonlOptions } from "./book-jsonl.ts";
export { TicksSource, openTicks, writeTicks, readTicksHeader, TICKS_MAGIC, TICKS_VERSION, type TicksHeader, type TicksChunk, type WriteTicksOptions } from "./binary.ts";
export { SyntheticSource, writeSyntheticCsv, MAX_SYNTHETIC_COUNT, type SyntheticOptions } from "./synthetic.ts";
export { sp500Source, sp500Path, SP500_DESCRIPTION } from "./sp500.ts";
export { Xoshiro128, splitmix64 } from "./prng.ts";
export { inferTimeUnit, daysFromCivil, TimeGuard, type TimeUnit } from "./time.ts";
export { DEFAULT_BATCH_SIZE } from "./batching.ts";
