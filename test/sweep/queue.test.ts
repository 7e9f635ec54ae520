// `algo sweep --queue` with `algo worker --queue` through BullMQ, against a
// real Redis server started here on a free loopback port (Debian's
// redis-server; .ci/run installs it). The queue gives the same folder as a
// local sweep, byte for byte, and a repeated sweep reuses finished runs
// (content-addressed jobs) instead of running them again.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, startCli, tempDir, type RunningCli } from "../cli/run.ts";
import { readSweepFolder } from "./sweep-folder.ts";

const DATA = "synthetic:11:20000";
const GRID = ["--data", DATA, "--param", "half_spread_bps=2:6:2", "--param", "size=1,2", "--maker-bps", "-1", "--taker-bps", "5"];
let project: string;
let redis: ChildProcess;
let url: string;
let worker: RunningCli;

async function startWorker(cwd = project): Promise<RunningCli> {
  const w = startCli(["worker", "--queue", url, "-j", "2"], { cwd, timeoutMs: 600_000 });
  while (!w.stderr().includes("worker: taking sweep runs")) {
    if (w.child.exitCode !== null) throw new Error(`algo worker exited: ${w.stderr()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return w;
}

async function stopWorker(w: RunningCli): Promise<void> {
  if (w.child.exitCode !== null) return;
  w.child.kill("SIGTERM");
  const end = await w.done;
  expect(end.code, end.stderr).toBe(0); // stops cleanly on SIGTERM
  expect(end.stderr).toMatch(/worker: stopping after the runs in hand\n$/);
}
const algo = (args: string[]) => runCli(args, { cwd: project, timeoutMs: 120_000 });

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: ["ignore", "pipe", "pipe"] });
  await new Promise<void>((resolve, reject) => {
    let out = "";
    child.on("error", (e) => reject(new Error(`cannot start redis-server (${e.message}): apt-get install -y redis-server`)));
    child.stdout!.on("data", (c: Buffer) => {
      out += c.toString();
      if (out.includes("Ready to accept connections")) resolve();
    });
    child.on("exit", (code) => reject(new Error(`redis-server exited (${code}): ${out}`)));
  });
  return child;
}

const folder = (dir: string) => readSweepFolder(path.join(project, dir));

const ranLines = () => worker.stderr().split("\n").filter((l) => l.startsWith("ran run-"));

beforeAll(async () => {
  const dir = tempDir();
  expect((await runCli(["init", "mm", "--template", "market-maker"], { cwd: dir })).code).toBe(0);
  project = path.join(dir, "mm");
  expect((await runCli(["build"], { cwd: project, timeoutMs: 120_000 })).code).toBe(0);
  const port = await freePort();
  redis = await startRedis(port);
  url = `redis://127.0.0.1:${port}`;
  worker = await startWorker();
}, 180_000);

afterAll(async () => {
  if (worker) await stopWorker(worker);
  redis?.kill("SIGTERM");
}, 60_000);

describe("algo sweep --queue / algo worker --queue", () => {
  it("gives the folder a local sweep gives, byte for byte", async () => {
    const local = await algo(["sweep", ...GRID, "-o", "local"]);
    expect(local.code, local.stderr).toBe(0);
    const queued = await algo(["sweep", ...GRID, "--queue", url, "-o", "queued"]);
    expect(queued.code, queued.stderr).toBe(0);
    expect(queued.stderr).toMatch(/^sweep: 6 runs of the grid half_spread_bps 3 × size 2 = 6, through the queue\n/);
    expect(await folder("queued")).toEqual(await folder("local"));
    expect(queued.stdout).toBe(local.stdout.replaceAll("local/", "queued/"));
    expect(ranLines()).toHaveLength(6);
    expect(ranLines()[0]).toMatch(/^ran run-[0-9a-f]{64} \(half_spread_bps=2 size=1\) in [\d.]+ s$/);
  }, 180_000);

  it("sends every run the sweep's settings (project config and flags): the same folder as a local sweep", async () => {
    const pkgFile = path.join(project, "package.json");
    const original = await readFile(pkgFile, "utf8");
    const pkg = JSON.parse(original);
    pkg.sequence.backtest = { "taker-bps": "7", capital: "1000", params: { size: "2" } };
    await writeFile(pkgFile, JSON.stringify(pkg, null, 2) + "\n");
    try {
      const grid = ["--data", DATA, "--param", "half_spread_bps=3,5", "--entry-latency", "250000", "--fill-queue", "risk-averse"];
      const local = await algo(["sweep", ...grid, "-o", "set-local"]);
      expect(local.code, local.stderr).toBe(0);
      const queued = await algo(["sweep", ...grid, "--queue", url, "-o", "set-queued"]);
      expect(queued.code, queued.stderr).toBe(0);
      const files = await folder("set-queued");
      expect(files).toEqual(await folder("set-local"));
      const report = JSON.parse(Object.entries(files).find(([name]) => name.endsWith("/report.json"))![1]);
      expect(report.result.venue).toMatchObject({ taker_bps: "7", entry_latency: "250000", queue: "risk-averse" });
      expect(report.result.params.size).toEqual({ value: "2", default: false });
      expect(report.result.account.capital_1e9).toBe(1_000_000_000_000);
    } finally {
      await writeFile(pkgFile, original);
    }
  }, 180_000);

  it("reuses finished runs when the same sweep (or a shard of it) comes again: nothing runs twice", async () => {
    const again = await algo(["sweep", ...GRID, "--queue", url, "-o", "again"]);
    expect(again.code, again.stderr).toBe(0);
    expect(await folder("again")).toEqual(await folder("queued"));
    const shard = await algo(["sweep", ...GRID, "--queue", url, "--shard", "2/2", "-o", "shard2"]);
    expect(shard.code, shard.stderr).toBe(0);
    expect(ranLines()).toHaveLength(8); // still the first sweeps' 6 + 2

    // A new combination is new work: only it runs.
    const more = await algo(["sweep", "--data", DATA, "--param", "half_spread_bps=2:8:2", "--param", "size=1,2", "--maker-bps", "-1", "--taker-bps", "5", "--queue", url, "-o", "more"]);
    expect(more.code, more.stderr).toBe(0);
    expect(ranLines()).toHaveLength(10);
    expect(ranLines().slice(8).map((l) => / \((.*)\) in /.exec(l)![1]).sort()).toEqual(["half_spread_bps=8 size=1", "half_spread_bps=8 size=2"]);
  }, 180_000);

  it("retries a run whose job failed (its module had gone from Redis) when the sweep comes again", async () => {
    await stopWorker(worker);
    const grid = ["--data", DATA, "--param", "half_spread_bps=3,5", "--param", "size=1", "--maker-bps", "-1", "--taker-bps", "5"];
    const local = await algo(["sweep", ...grid, "-o", "retry-local"]);
    expect(local.code, local.stderr).toBe(0);
    const sweep = startCli(["sweep", ...grid, "--queue", url, "-o", "retry-1"], { cwd: project, timeoutMs: 120_000 });
    while (!sweep.stderr().includes("no worker is listening yet")) await new Promise((r) => setTimeout(r, 50));
    const client = new Redis(url);
    const sha = JSON.parse(await readFile(path.join(project, "retry-local", "sweep.json"), "utf8")).module_sha256;
    expect(await client.del(`algo-sweep:module:${sha}`)).toBe(1);
    client.disconnect();
    worker = await startWorker();
    const failed = await sweep.done;
    expect(failed.code, failed.stderr).toBe(1);
    expect(failed.stdout).toMatch(/run 0 failed: the queue's workers could not run it: module [0-9a-f]{64} is not in Redis any more/);

    const again = await algo(["sweep", ...grid, "--queue", url, "-o", "retry-2"]);
    expect(again.code, again.stderr).toBe(0);
    expect(await folder("retry-2")).toEqual(await folder("retry-local"));
  }, 180_000);

  it("does not keep a failure of the machine as the run's result: a worker with other data fails the job, a later sweep runs it", async () => {
    await stopWorker(worker);
    const elsewhere = path.join(tempDir(), "elsewhere");
    await mkdir(elsewhere);
    const ticks = "ts_ns,type,bid_px,bid_qty,ask_px,ask_qty,price,qty,side\n1000,quote,99.00,5,100.00,5,,,\n2000,trade,,,,,100.50,3,buy\n";
    await writeFile(path.join(project, "t.csv"), ticks);
    await writeFile(path.join(elsewhere, "t.csv"), ticks.replace("100.50", "100.60")); // the same name, other content
    worker = await startWorker(elsewhere);
    const grid = ["--data", "t.csv", "--param", "half_spread_bps=3"];
    const failed = await algo(["sweep", ...grid, "--queue", url, "-o", "other-data-1"]);
    expect(failed.code, failed.stderr).toBe(1);
    expect(failed.stdout).toMatch(/run 0 failed: the queue's workers could not run it: the worker on .+ reads other data for t\.csv \(sha256:[0-9a-f]{64}\) than the sweep \(sha256:[0-9a-f]{64}\)/);
    await stopWorker(worker);
    worker = await startWorker();
    const again = await algo(["sweep", ...grid, "--queue", url, "-o", "other-data-2"]);
    expect(again.code, again.stderr).toBe(0);
  }, 180_000);

  it("fails with exit 3 when Redis cannot be reached, and refuses a URL that is not Redis's (exit 2)", async () => {
    const port = await freePort(); // nothing listens there
    const down = await algo(["sweep", "--data", DATA, "--param", "size=1", "--queue", `redis://127.0.0.1:${port}`, "-o", "down"]);
    expect([down.code, down.stderr.split("\n").at(-2)]).toEqual([3, `error: --queue redis://127.0.0.1:${port}: cannot reach Redis (connect ECONNREFUSED 127.0.0.1:${port})`]);
    const bad = await algo(["worker", "--queue", "http://127.0.0.1:6379"]);
    expect([bad.code, bad.stderr]).toEqual([2, "error: option '--queue <url>' argument 'http://127.0.0.1:6379' is invalid. expected a Redis URL, e.g. redis://127.0.0.1:6379\nrun 'algo worker --help' for usage\n"]);
  }, 60_000);
});
