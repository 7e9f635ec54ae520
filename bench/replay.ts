/**
 * `npm run bench`: replay speed in ticks per second and ns per tick.
 *
 * Every case replays the same in-memory synthetic ticks (generated once, so
 * data generation is not measured):
 *   1. a plain JavaScript loop doing the empty algo's work (decode each record, call a no-op callback)
 *   2. the empty template through the engine (module + host, no orders)
 *   3. the market-maker template through the engine, venue and ledger (fees, fills),
 *      with its defaults (sticky quotes: few order operations) and at the touch
 *      re-quoting on every mid change (the order path's cost per tick)
 *   4. the empty algo replaying FILES of the same synthetic data: a quotes+trades CSV
 *      and the .ticks file `writeTicks` makes of it (chunked, compressed), in
 *      alternating runs, with both files' sizes (BENCH_FILE_TICKS records, default 1,000,000)
 * Numbers are medians of several runs.
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { compileAlgo } from "../src/build/compile.ts";
import { runBacktest } from "../harness/engine.ts";
import { SyntheticSource, writeSyntheticCsv } from "../harness/data/synthetic.ts";
import { openSource, writeTicks } from "../harness/data/index.ts";
import { RecordBatch, RECORD_WORDS, type TickSource } from "../harness/data/index.ts";
import { BpsFees } from "../harness/venue/fees.ts";
import { Params } from "../harness/params.ts";
import { TEMPLATES_DIR } from "../src/paths.ts";

const TICKS = Number(process.env.BENCH_TICKS ?? 5_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const BATCH = 4096 - 512;
const FILE_TICKS = Number(process.env.BENCH_FILE_TICKS ?? 1_000_000);
/** BENCH_CASES=mm: only the plain-JS loop and the market-maker cases (for paired runs against another commit). */
const ONLY_MM = ["mm", "touch", "defaults"].includes(process.env.BENCH_CASES ?? "");
/** BENCH_CASES=touch or defaults: only that market-maker case (for profiling). */
const ONLY_CASE = process.env.BENCH_CASES === "touch" || process.env.BENCH_CASES === "defaults" ? process.env.BENCH_CASES : null;

async function materialize(count: number): Promise<RecordBatch[]> {
  const batches: RecordBatch[] = [];
  for await (const b of new SyntheticSource({ seed: 42, count }).batches(BATCH)) {
    const copy = new RecordBatch(BATCH);
    copy.words.set(b.words.subarray(0, b.length * RECORD_WORDS));
    copy.length = b.length;
    batches.push(copy);
  }
  return batches;
}

function memorySource(batches: RecordBatch[]): TickSource {
  return {
    description: `${TICKS.toLocaleString("en-US")} synthetic ticks in memory`,
    async *batches() {
      yield* batches;
    },
  };
}

/** The empty algo's work in plain JS: read each record's kind and fields, call a callback. */
function plainJsLoop(batches: RecordBatch[]): number {
  let sink = 0n;
  const onQuote = (bid: bigint, ask: bigint) => {
    if (bid > ask) sink++;
  };
  const onTrade = (px: bigint) => {
    if (px < 0n) sink++;
  };
  const t0 = process.hrtime.bigint();
  for (const b of batches) {
    const w = b.words;
    const heads = new Int32Array(w.buffer, w.byteOffset, b.length * RECORD_WORDS * 2);
    for (let i = 0; i < b.length; i++) {
      const o = i * RECORD_WORDS;
      const kind = heads[o * 2 + 2] & 0xff;
      if (kind === 1) onQuote(w[o + 2], w[o + 4]);
      else if (kind === 2) onTrade(w[o + 2]);
    }
  }
  const ns = Number(process.hrtime.bigint() - t0);
  if (sink < 0n) console.log(sink);
  return ns;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function line(name: string, ns: number, note = "", ticks = TICKS): void {
  const tps = (ticks * 1e9) / ns;
  console.log(`${name.padEnd(40)} ${Math.round(tps).toLocaleString("en-US").padStart(14)} ticks/s ${(ns / ticks).toFixed(2).padStart(8)} ns/tick  ${note}`);
}

/**
 * Case 4: the same records from a CSV and from a .ticks file, through the
 * engine with the empty algo (reading and parsing included). Runs alternate
 * (CSV, .ticks, CSV, …) so a busy machine slows both alike.
 */
async function filesCase(empty: WebAssembly.Module, plainNsPerTick: number): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), "sq-bench-"));
  try {
    const csv = path.join(dir, "synthetic.csv");
    const ticks = path.join(dir, "synthetic.ticks");
    await writeSyntheticCsv(csv, { seed: 42, count: FILE_TICKS });
    await writeTicks(ticks, await openSource(csv), { symbol: "SYN" });
    const times: Record<"csv" | "ticks", number[]> = { csv: [], ticks: [] };
    for (let r = 0; r < RUNS; r++) {
      for (const kind of ["csv", "ticks"] as const) {
        const report = await runBacktest({ module: empty, source: await openSource(kind === "csv" ? csv : ticks) });
        if (report.result.data.ticks !== FILE_TICKS) throw new Error(`${kind}: replayed ${report.result.data.ticks} of ${FILE_TICKS} ticks`);
        times[kind].push(report.timing.elapsed_ns);
      }
    }
    const [csvNs, ticksNs] = [median(times.csv), median(times.ticks)];
    const mb = (file: string) => `${(statSync(file).size / 1e6).toFixed(1)} MB`;
    console.log(`\nthe same ${FILE_TICKS.toLocaleString("en-US")} synthetic ticks from files, empty algo (engine + reading the file), alternating runs:`);
    line("quotes+trades CSV", csvNs, `${mb(csv)}; ${(csvNs / FILE_TICKS / plainNsPerTick).toFixed(1)}× the plain JS loop per tick`, FILE_TICKS);
    line(".ticks (v2: chunked, deflate)", ticksNs, `${mb(ticks)} (raw records: ${((FILE_TICKS * 48) / 1e6).toFixed(1)} MB); ${(ticksNs / FILE_TICKS / plainNsPerTick).toFixed(1)}× the plain JS loop; ${(csvNs / ticksNs).toFixed(2)}× the CSV's speed`, FILE_TICKS);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(`sequence-algo replay benchmark: ${TICKS.toLocaleString("en-US")} ticks, median of ${RUNS} runs, Node ${process.version}\n`);
  const batches = await materialize(TICKS);
  const source = memorySource(batches);

  const plainNs = median(Array.from({ length: RUNS }, () => plainJsLoop(batches)));
  line("plain JS loop (same work as empty algo)", plainNs);

  const empty = ONLY_MM ? undefined : await compileAlgo(path.join(TEMPLATES_DIR, "empty", "assembly", "algo.ts"));
  if (empty) {
    const emptyTimes: number[] = [];
    for (let r = 0; r < RUNS; r++) emptyTimes.push((await runBacktest({ module: empty.module, source })).timing.elapsed_ns);
    line("empty algo (engine + module)", median(emptyTimes));
  }

  const mm = await compileAlgo(path.join(TEMPLATES_DIR, "market-maker", "assembly", "algo.ts"));
  const touch = ["half_spread_bps=0", "requote_bps=0"];
  const cases: [string, string[], bigint?][] = [
    ["market maker, defaults (engine + venue + ledger)", []],
    ["market maker, at the touch, re-quoting every mid change", touch],
    // A spot account: every order passes the funds check (account.ts, on wide integers), and asks only what is held.
    ["market maker, at the touch, --capital 1000000 (funds check per order)", touch, 1_000_000n * 1_000_000_000n],
  ];
  for (const [label, pairs, capitalUsd_1e9] of cases) {
    const name = pairs.length === 0 ? "defaults" : capitalUsd_1e9 === undefined ? "touch" : "capital";
    if (ONLY_CASE !== null && name !== ONLY_CASE) continue;
    const mmTimes: number[] = [];
    let orders = 0;
    let fills = 0;
    const cpuTimes: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const cpu0 = process.cpuUsage();
      const report = await runBacktest({ module: mm.module, source, params: Params.parse(pairs), fees: new BpsFees(-1, 5), capitalUsd_1e9 });
      const cpu = process.cpuUsage(cpu0);
      cpuTimes.push((cpu.user + cpu.system) * 1000);
      mmTimes.push(report.timing.elapsed_ns);
      orders = report.result.orders.placed;
      fills = report.result.fills.count;
    }
    line(label, median(mmTimes), `${orders.toLocaleString("en-US")} orders, ${fills.toLocaleString("en-US")} fills`);
    // CPU time of the whole run (instantiation included): steadier than wall time on a shared machine.
    if (ONLY_MM) console.log(`  cpu ${(median(cpuTimes) / TICKS).toFixed(2)} ns/tick`);
  }
  if (empty) await filesCase(empty.module, plainNs / TICKS);
}

await main();
