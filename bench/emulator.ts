/**
 * Load on the emulator while its edges replay and its engines trade:
 * hundreds of concurrent status and metrics calls against `algo dev`, checked
 * for correctness, with requests per second and latency percentiles, and
 * whether the replay kept pace meanwhile (edge clocks against speed × wall
 * time; engines' skipped ticks and lag).
 *
 *   npm run build && node dist/bench-emulator.mjs [--concurrency 200] [--seconds 10] [--speed 10]
 *
 * The load generator runs on the same machine as the emulator, so the
 * numbers are a floor for the emulator alone.
 */
import { spawn } from "node:child_process";
import http from "node:http";
import path from "node:path";
import { parseArgs } from "node:util";
import { compileAlgo } from "../src/build/compile.ts";
import { TEMPLATES_DIR, TOOLKIT_ROOT } from "../src/paths.ts";

const { values } = parseArgs({
  options: {
    concurrency: { type: "string", default: "200" },
    seconds: { type: "string", default: "10" },
    speed: { type: "string", default: "10" },
  },
});
const CONCURRENCY = Number(values.concurrency);
const SECONDS = Number(values.seconds);
const SPEED = Number(values.speed);
const KEY = "seq_test_bench_key";

interface Edge {
  edge_id: string;
  clock_ns: number;
}

async function main(): Promise<void> {
  process.stderr.write("building templates/market-maker … ");
  const built = await compileAlgo(path.join(TEMPLATES_DIR, "market-maker", "assembly", "algo.ts"));
  process.stderr.write(`${built.wasm.length} bytes\n`);

  const child = spawn(process.execPath, [path.join(TOOLKIT_ROOT, "bin", "algo.mjs"), "dev", "--port", "0", "--state", ":memory:", "--speed", String(SPEED), "--key", KEY], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (c: Buffer) => {
      out += c.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once("exit", (code) => reject(new Error(`algo dev exited (${code}):\n${out}`)));
  });
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const call = (method: string, p: string, body?: unknown) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const text = body === undefined ? undefined : JSON.stringify(body);
      const req = http.request(
        url + p,
        { method, agent, headers: { Authorization: `Bearer ${KEY}`, ...(text ? { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) } : {}) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
        },
      );
      req.on("error", reject);
      req.end(text);
    });

  try {
    const ids: string[] = [];
    for (const symbol of ["ETH-USD", "BTC-USD", "SOL-USD"]) {
      const r = await call("POST", "/v1/deployments", { name: `mm-${symbol}`, wasm_base64: Buffer.from(built.wasm).toString("base64"), symbols: [symbol] });
      if (r.status !== 200) throw new Error(`deploy ${symbol}: ${r.status} ${r.text}`);
      ids.push(JSON.parse(r.text).deployment_id);
    }
    await new Promise((r) => setTimeout(r, 1000)); // engines up

    const edges = async () => (JSON.parse((await call("GET", "/v1/edges")).text).edges as Edge[]).map((e) => [e.edge_id, e.clock_ns] as const);
    const clocks0 = new Map(await edges());
    const wall0 = performance.now();

    const latencies: number[] = [];
    let errors = 0;
    let wrong = 0;
    let n = 0;
    const until = wall0 + SECONDS * 1000;
    const worker = async () => {
      while (performance.now() < until) {
        const i = n++;
        const id = ids[i % ids.length];
        const p = i % 2 === 0 ? `/v1/deployments/${id}` : `/v1/deployments/${id}/metrics`;
        const t0 = performance.now();
        try {
          const r = await call("GET", p);
          latencies.push(performance.now() - t0);
          if (r.status !== 200) errors++;
          else if (JSON.parse(r.text).deployment_id !== id) wrong++;
        } catch {
          errors++;
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const wall = performance.now() - wall0;
    const clocks1 = new Map(await edges());

    // Pace: edge time advanced / (wall time × speed). Clocks are ns since the epoch read as doubles: fine at this scale.
    const pace = [...clocks1].map(([id, c]) => (c - (clocks0.get(id) ?? c)) / 1e6 / (wall * SPEED)).sort((a, b) => a - b);
    let skipped = 0;
    let maxLagMs = 0;
    let fills = 0;
    for (const id of ids) {
      const m = JSON.parse((await call("GET", `/v1/deployments/${id}/metrics`)).text);
      for (const e of m.edges) {
        skipped += e.skipped_ticks;
        fills += e.fills.count;
        maxLagMs = Math.max(maxLagMs, Number(e.replay.engine_lag_ns) / 1e6 / SPEED);
      }
    }

    latencies.sort((a, b) => a - b);
    const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
    const result = {
      concurrency: CONCURRENCY,
      seconds: Math.round(wall) / 1000,
      speed: SPEED,
      engines: ids.length === 3 ? 8 : undefined,
      requests: latencies.length,
      requests_per_second: Math.round(latencies.length / (wall / 1000)),
      latency_ms: { p50: +q(50).toFixed(2), p99: +q(99).toFixed(2), max: +q(100).toFixed(2) },
      errors,
      wrong_answers: wrong,
      replay_pace: { min: +pace[0].toFixed(3), median: +pace[Math.floor(pace.length / 2)].toFixed(3) },
      engine_skipped_ticks: skipped,
      engine_lag_max_wall_ms: +maxLagMs.toFixed(1),
      fills,
    };
    console.log(
      [
        `emulator under load: ${CONCURRENCY} concurrent clients, ${result.seconds} s, speed ${SPEED}, 3 deployments on 8 edges`,
        `  ${result.requests} requests, ${result.requests_per_second} req/s, p50 ${result.latency_ms.p50} ms, p99 ${result.latency_ms.p99} ms, max ${result.latency_ms.max} ms`,
        `  errors ${errors}, wrong answers ${wrong}`,
        `  replay pace (edge time / (wall × speed)): min ${result.replay_pace.min}, median ${result.replay_pace.median}`,
        `  engines: ${skipped} ticks skipped, lag at most ${result.engine_lag_max_wall_ms} ms of wall time, ${fills} fills`,
      ].join("\n"),
    );
    console.log(JSON.stringify(result));
  } finally {
    agent.destroy();
    child.kill("SIGTERM");
  }
}

await main();
