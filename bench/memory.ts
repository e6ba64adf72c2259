import { ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { chromium, type Browser } from "playwright-core";
import { freePort, REPO_ROOT } from "../test/support/node-red-process";
import type { BenchResult } from "./harness";

/*
 * The Node-RED process's memory (issue 16): four separate Node-RED processes,
 * one after the other, each measured at the same age of its process
 * (BENCH_MEMORY_AGE_S, default 60 s after it started):
 *   bare     node-red from node_modules, an empty flow, no suite and no dashboard registered;
 *   suite    the same with this checkout as a nodesDir and Dashboard 2.0 registered (no flows);
 *   demo     `npm start` as it runs (scripts/start.mjs: the demo flow with Dashboard 2.0, the
 *            simulator in start.mjs's own process, which is not measured);
 *   client   the demo plus one Dashboard 2.0 client (headless Chromium on the live page,
 *            opened 20 s after the process started and kept open).
 * Node-RED's own scan of node_modules would register both dashboards of the
 * checkout's devDependencies; the settings keep them out (palette denyList):
 * bare has neither, the others have Dashboard 2.0 only, as scripts/start.mjs
 * runs the demo (node-red-dashboard 3.x would compress every response of the
 * process, decision 0152).
 *
 * A sampler, preloaded into the Node-RED process only (NODE_OPTIONS
 * --require; it stays inert in start.mjs), takes process.memoryUsage() once a
 * second over the last 10 s before the age, then forces a full GC twice and
 * takes it again. The lines give the RSS after the GC (the median of the
 * samples and the heap in the note); the goal line puts the demo with one
 * client against bare + 60 MB (10^6 bytes). The client's RSS moves by
 * about 5 MiB between runs on a loaded machine: BENCH_MEMORY_RUNS=3 takes
 * three rounds of the four and reports each scenario's median round.
 */

const MiB = 1024 * 1024;
const GOAL_BYTES = 60e6;

interface Sample {
  /** The process's age in seconds when the sample was taken. */
  age: number;
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  /** Median RSS / heap used of the samples over the last 10 s before the forced GC. */
  medianRss: number;
  medianHeapUsed: number;
  /** Heavy packages found in the main thread's require.cache. */
  heavy: string[];
}

// Plain CommonJS, written to the temp dir and preloaded: it must not load anything that would change the numbers.
const SAMPLER = `"use strict";
const out = process.env.ZEV_MEM_OUT;
if (out && /node-red[\\\\/]red\\.js$/.test(process.argv[1] || "")) {
  const fs = require("fs");
  const age = Number(process.env.ZEV_MEM_AGE_S || 60);
  // written whole, then renamed: the bench polls for the file
  const put = (file, text) => {
    fs.writeFileSync(file + ".tmp", text);
    fs.renameSync(file + ".tmp", file);
  };
  put(out + ".start", String(Date.now() - Math.round(process.uptime() * 1000)));
  const samples = [];
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const heavyNames = ["pdfkit", "fontkit", "swissqrbill", "exceljs", "saxes", "jszip", "archiver", "modbus-serial", "serialport"];
  const tick = () => {
    const now = process.uptime();
    if (now >= age - 10) samples.push(process.memoryUsage());
    if (now < age) return void setTimeout(tick, Math.min(1000, Math.max(10, (age - now) * 1000))).unref();
    require("v8").setFlagsFromString("--expose-gc");
    const gc = require("vm").runInNewContext("gc");
    gc();
    gc();
    const m = process.memoryUsage();
    const keys = Object.keys(require.cache);
    const heavy = heavyNames.filter((n) => keys.some((k) => k.includes("/node_modules/" + n + "/") && !k.endsWith("/package.json")));
    put(out, JSON.stringify({
      age: process.uptime(), rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external,
      medianRss: median(samples.map((s) => s.rss)), medianHeapUsed: median(samples.map((s) => s.heapUsed)), heavy,
    }));
  };
  setTimeout(tick, 1000).unref();
}
`;

type Scenario = "bare" | "suite" | "demo" | "client";

async function waitFor(what: string, cond: () => boolean, ms: number, log: () => string): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`memory bench: timed out waiting for ${what}\n${log().slice(-3000)}`);
    await sleep(200);
  }
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

async function measure(scenario: Scenario, dir: string, sampler: string, age: number): Promise<Sample> {
  const userDir = join(dir, scenario);
  mkdirSync(userDir, { recursive: true });
  const out = join(dir, `${scenario}.json`);
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${sampler}`.trim(),
    ZEV_MEM_OUT: out,
    ZEV_MEM_AGE_S: String(age),
  };
  let args: string[];
  if (scenario === "bare" || scenario === "suite") {
    const settings = {
      uiHost: "127.0.0.1",
      flowFile: "flows.json",
      credentialSecret: "memory-bench",
      ...(scenario === "suite" ? { nodesDir: [REPO_ROOT] } : {}),
      editorTheme: { projects: { enabled: false }, tours: false },
      telemetry: { enabled: false, updateNotification: false },
      logging: { console: { level: "info", metrics: false, audit: false } },
      externalModules: {
        palette: { allowList: ["*"], denyList: scenario === "bare" ? ["node-red-dashboard", "@flowfuse/node-red-dashboard"] : ["node-red-dashboard"] },
      },
    };
    writeFileSync(join(userDir, "settings.js"), `module.exports = ${JSON.stringify(settings)};\n`);
    writeFileSync(join(userDir, "flows.json"), "[]");
    args = [require.resolve("node-red/red.js"), "--userDir", userDir, "--settings", join(userDir, "settings.js"), "--port", String(port)];
  } else {
    const [modbus, udp] = [await freePort(), await freePort()];
    args = [join(REPO_ROOT, "scripts", "start.mjs"), "--user-dir", userDir, "--port", String(port), "--modbus-port", String(modbus), "--udp-port", String(udp)];
  }
  const child = spawn(process.execPath, args, {
    cwd: scenario === "bare" || scenario === "suite" ? userDir : REPO_ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  child.stdout!.on("data", (d) => (log += d));
  child.stderr!.on("data", (d) => (log += d));
  let browser: Browser | undefined;
  try {
    const alive = (): boolean => {
      if (child.exitCode !== null) throw new Error(`memory bench: ${scenario} exited with ${child.exitCode}\n${log.slice(-3000)}`);
      return true;
    };
    await waitFor(
      `${scenario}: Node-RED's flows`,
      () => alive() && /Started flows/.test(log),
      180_000,
      () => log,
    );
    const startedAt = Number(readFileSync(`${out}.start`, "utf8"));
    if (scenario === "client") {
      const creds = JSON.parse(readFileSync(join(userDir, "demo-secrets.json"), "utf8")) as { username: string; password: string };
      const openAt = startedAt + 20_000;
      if (Date.now() < openAt) await sleep(openAt - Date.now());
      browser = await chromium.launch({
        executablePath: "/usr/bin/chromium",
        args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
      });
      const ctx = await browser.newContext({ httpCredentials: creds, viewport: { width: 1400, height: 1000 }, locale: "en-GB", timezoneId: "Europe/Zurich" });
      const page = await ctx.newPage();
      await page.goto(`http://127.0.0.1:${port}/dashboard/live`);
      await page.waitForSelector('#nrdb-ui-widget-zd2-consumption .nrdb-ui-text-value:has-text("W")', { timeout: 30_000 });
      if (Date.now() > startedAt + (age - 10) * 1000)
        process.stderr.write(`memory bench: the client opened late (after ${(Date.now() - startedAt) / 1000} s)\n`);
    }
    await waitFor(
      `${scenario}: the sample at ${age} s`,
      () => alive() && existsSync(out),
      (age + 60) * 1000,
      () => log,
    );
    return JSON.parse(readFileSync(out, "utf8")) as Sample;
  } finally {
    await browser?.close();
    await stop(child);
  }
}

const mib = (b: number): string => (b / MiB).toFixed(1);
const median = (xs: Sample[]): Sample => [...xs].sort((a, b) => a.rss - b.rss)[Math.floor(xs.length / 2)]!;

export async function memoryBench(): Promise<BenchResult[]> {
  const age = Number(process.env.BENCH_MEMORY_AGE_S ?? 60);
  if (!existsSync(join(REPO_ROOT, "dist", "lib", "simulator", "backfill.js")))
    throw new Error("memory bench: run `npm run build` first (the demo runs from dist/)");
  const dir = mkdtempSync(join(tmpdir(), "zev-bench-memory-"));
  try {
    const sampler = join(dir, "sampler.cjs");
    writeFileSync(sampler, SAMPLER);
    // BENCH_MEMORY_RUNS rounds of the four, taking turns; each line is the round with the median RSS of its scenario
    const runs = Math.max(1, Number(process.env.BENCH_MEMORY_RUNS ?? 1));
    const all: Record<Scenario, Sample[]> = { bare: [], suite: [], demo: [], client: [] };
    for (let round = 1; round <= runs; round++) {
      for (const scenario of ["bare", "suite", "demo", "client"] as const) {
        process.stderr.write(`  memory: ${scenario} (round ${round} of ${runs}) ...\n`);
        const m = await measure(scenario, join(dir, `round-${round}`), sampler, age);
        all[scenario].push(m);
        process.stderr.write(`    ${mib(m.rss)} MiB RSS, heap used ${mib(m.heapUsed)} MiB\n`);
      }
    }
    const s: Record<Scenario, Sample> = {
      bare: median(all.bare),
      suite: median(all.suite),
      demo: median(all.demo),
      client: median(all.client),
    };
    const bare = s.bare;
    const line = (scenario: Scenario, what: string): BenchResult => {
      const m = s[scenario];
      return {
        bench: `memory-${scenario}`,
        ours: m.rss / MiB,
        baseline: bare.rss / MiB,
        unit: "MiB RSS",
        ratio: m.rss / bare.rss,
        note:
          `${what}; at ${m.age.toFixed(0)} s after a forced GC: ${scenario === "bare" ? "" : `+${mib(m.rss - bare.rss)} MiB RSS, `}` +
          `heap used ${mib(m.heapUsed)} MiB (${scenario === "bare" ? "" : `+${mib(m.heapUsed - bare.heapUsed)}, `}bare ${mib(bare.heapUsed)}); ` +
          `median of the last 10 s ${mib(m.medianRss)} MiB RSS${m.heavy.length ? `; loaded: ${m.heavy.join(" ")}` : ""}`,
      };
    };
    const client = s.client;
    return [
      line("bare", "bare Node-RED, no dashboard"),
      line("suite", "the suite's nodes and Dashboard 2.0 registered, no flows"),
      line("demo", "the demo flow running (npm start)"),
      line("client", "the demo with one Dashboard 2.0 client"),
      {
        bench: "memory-goal",
        ours: client.rss / MiB,
        baseline: (bare.rss + GOAL_BYTES) / MiB,
        unit: "MiB RSS",
        ratio: client.rss / (bare.rss + GOAL_BYTES),
        note: `goal: the demo with one client within 60 MB (${mib(GOAL_BYTES)} MiB) of bare, ratio <= 1; it is ${mib(client.rss - bare.rss)} MiB over bare`,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
