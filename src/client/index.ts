/**
 * The typed Sequence API client: `new Sequence(key).baseUrl(url)`, Level 4
 * deployment verbs, price history, quote, fees and the WebSocket stream.
 */
export {
  Sequence,
  DEFAULT_BASE_URL,
  DEFAULT_TIMEOUT_MS,
  LOCAL_BASE_URL,
  LOGS_LIMIT_MAX,
  type DeployOptions,
  type SequenceOptions,
} from "./sequence.ts";
export {
  SequenceError,
  isSequenceError,
  type ApiErrorDetail,
  type CapabilityMissingErrorDetail,
  type DeserializeErrorDetail,
  type ErrorContext,
  type NetworkErrorDetail,
  type SequenceErrorDetail,
  type SequenceErrorKind,
  type ValidationErrorDetail,
} from "./errors.ts";
export { Px, Qty, fixedPoint, type FixedPoint } from "./fixed.ts";
export { isBigField, parseJson, stringifyJson, type JsonObject, type JsonValue } from "./json.ts";
export type { RetryOptions } from "./http.ts";
export { PriceHistoryQuery, RANGES, type Range } from "./price-history.ts";
export { SequenceStream, StreamBuilder, toStreamEvent, type StreamEvent, type StreamOptions } from "./stream.ts";
export type {
  Algo,
  AlgoLogs,
  BookLevel,
  Deployment,
  DeploymentEdge,
  FeeRow,
  Fees,
  LogLine,
  PriceHistory,
  PricePoint,
  Quote,
  QuoteBook,
  QuoteNbbo,
  QuoteVenue,
  Strategy,
  UndeployResult,
} from "./types.ts";
