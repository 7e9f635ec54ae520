/** Shared fixtures for the client tests. Raw JSON text, so big integers travel exactly. */

export const API_KEY = "seq_test_k3y_DO_NOT_LEAK_0123456789";

/** 2^53 + 1: the first integer a double cannot hold. */
export const BIG_PNL = 9007199254740993n;
/** A nanosecond timestamp one past a whole second. */
export const TS_NS = 1705406400000000001n;

export const EDGE_TEXT = `{"edge_id":"edge-fra-1","venue":"binance","status":"running","position_1e8":-150000000,"realized_pnl_1e9":${BIG_PNL},"unrealized_pnl_1e9":0,"fill_count":7,"callback_latency_ns":${TS_NS},"extra_field":"ignored"}`;

export const DEPLOYMENT_TEXT = `{"deployment_id":"dep_1","name":"mm-eth","symbols":["ETH-USD"],"size_bytes":2048,"status":"running","pushed_to":1,"capable_edges":2,"edges":[${EDGE_TEXT}]}`;

export const EXPECTED_DEPLOYMENT = {
  deployment_id: "dep_1",
  name: "mm-eth",
  symbols: ["ETH-USD"],
  size_bytes: 2048,
  status: "running",
  pushed_to: 1,
  capable_edges: 2,
  edges: [
    {
      edge_id: "edge-fra-1",
      venue: "binance",
      status: "running",
      position_1e8: -150000000n,
      realized_pnl_1e9: BIG_PNL,
      unrealized_pnl_1e9: 0n,
      fill_count: 7,
      callback_latency_ns: TS_NS,
    },
  ],
};

export const LOGS_TEXT = `{"deployment_id":"dep_1","logs":[{"ts_ns":${TS_NS},"edge_id":"edge-fra-1","level":"info","message":"on_start"}]}`;

export const EXPECTED_LOGS = {
  deployment_id: "dep_1",
  logs: [{ ts_ns: TS_NS, edge_id: "edge-fra-1", level: "info", message: "on_start" }],
};

/** Smallest valid WebAssembly module: magic + version. */
export const WASM = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

/** An empty zip archive would start with PK\x05\x06; a one-entry zip starts with PK\x03\x04. */
export const ZIP = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00]);
