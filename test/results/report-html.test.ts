// report.html in a real headless browser (Debian's chromium, driven by playwright-core): it loads
// offline with no console error and no network request, and every chart has the run's data.
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeProject, runCli } from "../cli/run.ts";
import { HAND_WORKED_TICKS } from "../fixtures/hand-worked-ticks.ts";

const CHROMIUM = "/usr/bin/chromium";
const FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

// The hand-worked run of test/harness/engine.test.ts: 6 ticks (one per µs) and 4 fills, 2 buys and 2 sells.
const TICKS = HAND_WORKED_TICKS;
// A file name that would be markup (and a network request for "x") if it were not escaped.
const HOSTILE = `t<img src=x onerror="document.title='pwned'">.csv`;

let project: string;
let html: string;
let context: BrowserContext;
let profile: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run installs it)`);
  project = await makeProject("html");
  await writeFile(path.join(project, HOSTILE), TICKS);
  const r = await runCli(["backtest", "--data", HOSTILE, "--maker-bps", "-1", "--taker-bps", "5"], { cwd: project, timeoutMs: 90_000 });
  expect(r.code, r.stderr).toBe(0);
  const [run] = readdirSync(path.join(project, "backtests"));
  html = path.join(project, "backtests", run, "report.html");
  profile = mkdtempSync(path.join(os.tmpdir(), "algo-chromium-"));
  context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS });
}, 120_000);

afterAll(async () => {
  await context?.close();
  if (profile) await rm(profile, { recursive: true, force: true });
});

describe("report.html", () => {
  it("is one file with uPlot inlined and the hostile file name escaped", () => {
    const text = readFileSync(html, "utf8");
    expect(text).not.toMatch(/<script[^>]+src=|<link[^>]+href=|@import|url\(http/);
    expect(text).not.toContain("<img");
    expect(text).toContain("t&lt;img src=x onerror=&quot;document.title=&#39;pwned&#39;&quot;&gt;.csv");
  });

  it("loads with no console error and no network request, and every chart has the run's data", async () => {
    const page = await context.newPage();
    const url = pathToFileURL(html).href;
    const errors: string[] = [];
    const requests: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("request", (r) => requests.push(r.url()));
    await page.goto(url, { waitUntil: "load" });
    expect(errors).toEqual([]);
    expect(requests).toEqual([url]);
    expect(await page.title()).not.toBe("pwned");

    // Points per series (non-null values) of each uPlot instance, x first.
    const counts = await page.evaluate(() => {
      const charts = (window as unknown as { charts: Record<string, { data: Array<Array<number | null>> }> }).charts;
      return Object.fromEntries(Object.entries(charts).map(([id, u]) => [id, u.data.map((s) => s.filter((v) => v !== null && v !== undefined).length)]));
    });
    expect(counts).toEqual({
      equity: [6, 6], // one point per µs bucket
      drawdown: [6, 6],
      position: [6, 6],
      price: [10, 6, 2, 2], // 6 prices and 4 fills on one time axis: 2 buys, 2 sells
    });
    // The values are the CSV's: equity ends at the net PnL 0.41995, the deepest sampled drawdown is −3.48409.
    const values = await page.evaluate(() => {
      const charts = (window as unknown as { charts: Record<string, { data: number[][] }> }).charts;
      return { equity: charts.equity.data[1].at(-1), drawdown: Math.min(...charts.drawdown.data[1]), buys: charts.price.data[2].filter((v) => v !== null) };
    });
    expect(values).toEqual({ equity: 0.41995, drawdown: -3.48409, buys: [100, 98.5] });
    // uPlot drew them: one canvas per chart.
    expect(await page.locator("canvas").count()).toBe(4);
    // The statistics and settings tables carry the run hash and the params.
    const body = await page.locator("body").innerText();
    expect(body).toMatch(/run hash\s+[0-9a-f]{64}/);
    expect(body).toContain("net PnL");
    expect(body).toContain("+$0.42");
    expect(body).toContain("venue maker_bps");
    await page.close();
  }, 60_000);
});
