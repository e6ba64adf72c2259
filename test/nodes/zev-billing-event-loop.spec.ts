import assert from "node:assert/strict";
import type { EventEmitter } from "node:events";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createSocket } from "node:dgram";
import type { AddressInfo } from "node:net";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay, PerformanceObserver } from "node:perf_hooks";
import type { NodeAPI, NodeMessage } from "node-red";
import aggregateNode from "../../nodes/zev-aggregate/zev-aggregate";
import billingNode from "../../nodes/zev-billing/zev-billing";
import communityNode from "../../nodes/zev-community/zev-community";
import { configFromDefinition } from "../../nodes/zev-community/config-from-definition";
import { getMeter } from "../../lib/store/meter-repo";
import { loadMeterState } from "../../lib/store/meter-state-repo";
import { SqliteStore } from "../../lib/store/sqlite-store";
import { parsePeriod } from "../../lib/time/periods";
import { largeCommunity } from "../support/large-community";
import { aggregateConfig } from "../support/aggregate-flow";
import { collectErrors, flow, useNodeRed } from "../support/node-red";
import { same, sdatXml } from "../support/sdat";
import { useTmpDir } from "../support/tmp";
import { translator } from "../support/i18n";
import { statuses } from "../support/zev-nodes";

/*
 * Heavy work large enough that doing it on Node-RED's thread blocks every
 * flow for seconds here (150 units over a quarter: 1.3 million interval rows;
 * their SDAT import; their interval export), done inside a real Node-RED
 * while readings keep arriving at a zev-aggregate, and a 5 ms timer, the
 * event-loop delay histogram and UDP datagrams from another process measure
 * how long the event loop stalls.
 *
 * Issue 16's goal is 50 ms (GOAL_MS) on every wait of the timer and of a
 * datagram. Each wait is split by the kernel's scheduler statistics of
 * Node-RED's thread (/proc/self/task/<pid>/schedstat): the time it ran on a
 * core (our JavaScript, its garbage collection, SQLite), the time it was
 * runnable without one (the neighbours' doing), and the rest, when it slept
 * (an fsync of a commit, a lock, a collection waiting for V8's helper
 * threads). The 50 ms goal is asserted on the time on a core: what our code
 * makes the thread do at a stretch (for the export 250 ms, EXPORT_CPU_BOUND_MS). The waits beyond waiting for a CPU
 * (core + sleep) and the wall clock are printed beside it, with the
 * collections and store writes of the thread, and must stay under
 * SLEEP_BOUND_MS. This 2-core machine is shared with other test runs (load
 * averages of 10 to 20): with two CPU hogs beside it, the billing run's
 * waits beyond waiting for a CPU reached 416 ms of which 3 ms on a core, the
 * thread asleep in collections whose helper threads had no core
 * (scavenges up to 145 ms, a mark-compact of 474 ms) and in its ingest
 * commits' fsync. Decision 0146 has the numbers. Work back on Node-RED's
 * thread fails at once: the billing run held it for 13 s before decision
 * 0100, the export for 5 s before decision 0118, a run's PDFs 15 s before
 * decision 0145.
 *
 * `npm test` runs this file in a mocha process of its own: in the whole suite's process a mark-compact of the garbage
 * of a thousand earlier tests held the thread for 392 ms (307 on a core) during the export, a heap no Node-RED has.
 */
const UNITS = 150;
const PERIOD = "2026-Q1";
const GOAL_MS = 50;
const SLEEP_BOUND_MS = 1000;
/**
 * The export's bound on a core: with two CPU hogs beside the machine's other runs one wait of the timer had the
 * thread on a core for 105 ms (the datagrams' 31 ms), in an export whose thread also ran a mark-compact and
 * incremental marking of its heap; without hogs 28 to 35 ms. Decision 0146.
 */
const EXPORT_CPU_BOUND_MS = 250;
const TICK_MS = 5;
/** Readings for the zev-aggregate while the job runs: this many meters, one reading every READING_MS. */
const READING_METERS = 20;
const READING_MS = 10;

const nodes = [(RED: NodeAPI): void => void ((RED as { _: unknown })._ = translator("en-US")), communityNode, billingNode, aggregateNode];

/** 150 units with metering points (the SDAT import maps by them). */
function community(): ReturnType<typeof largeCommunity> {
  const def = largeCommunity(UNITS);
  def.meters = def.meters!.map((m, i) => ({ ...m, meteringPoint: `CH1001234567890000000000${String(i).padStart(9, "0")}` }));
  return def;
}

/** The kernel's scheduler statistics of this process's main thread: time on a core, time runnable but waiting for one. */
const SCHEDSTAT = `/proc/self/task/${process.pid}/schedstat`;
/** Milliseconds on CLOCK_MONOTONIC, the clock the UDP sender stamps its datagrams with (the same in every process). */
const monoMs = (): number => Number(process.hrtime.bigint()) / 1e6;
interface Sample {
  t: number;
  /** Time on a core so far (ms): JavaScript, garbage collection on this thread, SQLite, the kernel on its behalf. */
  cpu: number;
  /** Time runnable without a core so far (ms): the neighbours' doing, not ours. */
  rq: number;
}
function sample(): Sample {
  const [cpu, rq] = readFileSync(SCHEDSTAT, "utf8").split(" ");
  return { t: monoMs(), cpu: Number(cpu) / 1e6, rq: Number(rq) / 1e6 };
}

/**
 * The thread's samples, taken at every timer tick and datagram: the last one at or before a moment tells how much
 * of a wait since then was spent on a core and how much runnable without one.
 */
const samples: Sample[] = [];
function sampleBefore(t: number): Sample | undefined {
  let lo = 0;
  let hi = samples.length - 1;
  if (hi < 0 || samples[0]!.t > t) return undefined;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (samples[mid]!.t <= t) lo = mid;
    else hi = mid - 1;
  }
  return samples[lo];
}

/** The longest waits a probe saw: on the wall clock, less the wait for a core ("own"), and the time on a core within one ("cpu"). */
interface Worst {
  wallMs: number;
  ownMs: number;
  cpuMs: number;
}
const noWait = (): Worst => ({ wallMs: 0, ownMs: 0, cpuMs: 0 });
function note(w: Worst, wall: number, from: Sample, to: Sample): number {
  const own = wall - (to.rq - from.rq);
  w.wallMs = Math.max(w.wallMs, wall);
  w.ownMs = Math.max(w.ownMs, own);
  w.cpuMs = Math.max(w.cpuMs, Math.min(own, to.cpu - from.cpu));
  return own;
}

/**
 * Datagrams sent every 5 ms from a child process, each stamped with its send time. How late one is read is how long
 * this thread did not read its socket, whether or not the sender itself got a core in time (the gap between arrivals
 * would count the sender's waits too): wall = receive less send time, own = the same less the time this thread waited
 * for a core since the last sample before the send.
 */
async function udpProbe(): Promise<{ stop(): Promise<Worst & { gapMs: number }> }> {
  const sock = createSocket("udp4");
  await new Promise<void>((resolve) => sock.bind(0, "127.0.0.1", resolve));
  const worst = noWait();
  let last = 0;
  let gap = 0;
  let first: () => void = () => undefined;
  const flowing = new Promise<void>((resolve) => (first = resolve));
  sock.on("message", (data: Buffer) => {
    first();
    const now = sample();
    const sent = Number(BigInt(data.toString())) / 1e6;
    const from = sampleBefore(sent);
    if (from) note(worst, now.t - sent, from, now);
    if (last) gap = Math.max(gap, now.t - last - 5);
    last = now.t;
    samples.push(now);
  });
  const port = (sock.address() as AddressInfo).port;
  const sender: ChildProcess = spawn(
    process.execPath,
    ["-e", `const s=require("node:dgram").createSocket("udp4");setInterval(()=>s.send(String(process.hrtime.bigint()),${port},"127.0.0.1"),5);`],
    { stdio: "ignore" },
  );
  // Measure only once datagrams arrive (starting node takes a while on a busy machine).
  await flowing;
  return {
    stop: async () => {
      sender.kill();
      sock.close();
      return { ...worst, gapMs: gap };
    },
  };
}

/** The longest a TICK_MS timer waited beyond its interval (wall, own, cpu as for the datagrams), and the delay histogram's maximum and p99. */
function loopProbe(where: () => string): { stop(): Window } {
  const h = monitorEventLoopDelay({ resolution: TICK_MS });
  h.enable();
  let last = sample();
  samples.push(last);
  const worst = noWait();
  const long: string[] = [];
  const tick = (): void => {
    const now = sample();
    const lag = now.t - last.t - TICK_MS;
    const own = note(worst, lag, last, now);
    // Where the longer waits of the thread's own fall (the status at their end), for the log when the goal is missed.
    if (own > GOAL_MS)
      long.push(
        `${own.toFixed(0)} ms (wall ${lag.toFixed(0)}, on a core ${(now.cpu - last.cpu).toFixed(0)}) at ${(now.t - T0).toFixed(0)} ms before "${where()}"`,
      );
    last = now;
    samples.push(now);
  };
  const t = setInterval(tick, TICK_MS);
  return {
    stop: () => {
      tick();
      clearInterval(t);
      h.disable();
      return { long, timer: worst, udp: { ...noWait(), gapMs: 0 }, maxMs: h.max / 1e6, p99Ms: h.percentile(99) / 1e6 };
    },
  };
}

interface Window {
  timer: Worst;
  udp: Worst & { gapMs: number };
  maxMs: number;
  p99Ms: number;
  long: string[];
}

let T0 = 0;
/** perf_hooks' constants.NODE_PERFORMANCE_GC_*: a scavenge collects the young generation, a mark-compact all of it. */
const GC_KINDS: Record<number, string> = { 1: "scavenge", 4: "mark-compact", 8: "incremental marking", 16: "weak callbacks" };

/** How many and how long: the collections of this heap, and this thread's store writes (the ingest's commits). */
type Tally = Map<string, { n: number; maxMs: number; totalMs: number }>;
function count(t: Tally, what: string, ms: number): void {
  const x = t.get(what) ?? { n: 0, maxMs: 0, totalMs: 0 };
  t.set(what, { n: x.n + 1, maxMs: Math.max(x.maxMs, ms), totalMs: x.totalMs + ms });
}
let tally: Tally | undefined;
{
  // Every store write on this thread, timed: with the wait's time on a core, it tells a commit's fsync from our code.
  const proto = SqliteStore.prototype as unknown as { write: <T>(fn: () => T) => T };
  const write = proto.write;
  proto.write = function <T>(this: unknown, fn: () => T): T {
    const t = performance.now();
    try {
      return write.call(this, fn) as T;
    } finally {
      if (tally) count(tally, "store writes", performance.now() - t);
    }
  };
}

/** The probes over `job`, until it resolves and one more moment. */
async function measure<T>(where: () => string, job: () => Promise<T>): Promise<{ busy: Window; result: T; jobMs: number; tally: Tally }> {
  // Garbage collection of this thread counts; it is logged to tell it from other waits.
  const t: Tally = new Map();
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) count(t, GC_KINDS[(e as unknown as { detail?: { kind?: number } }).detail?.kind ?? 0] ?? "gc", e.duration);
  });
  obs.observe({ entryTypes: ["gc"] });
  const udp = await udpProbe();
  const loop = loopProbe(where);
  // The histogram's first tick only sets its baseline.
  await new Promise((r) => setTimeout(r, 50));
  tally = t;
  const t0 = performance.now();
  T0 = monoMs();
  const result = await job();
  const jobMs = performance.now() - t0;
  // One more turn: a stall that lasted until the end still ends in a late tick and late datagrams.
  await new Promise((r) => setTimeout(r, 100));
  const l = loop.stop();
  const u = await udp.stop();
  obs.disconnect();
  tally = undefined;
  samples.length = 0;
  return { busy: { ...l, udp: u }, result, jobMs, tally: t };
}

function report(what: string, m: { busy: Window; jobMs: number; tally: Tally }): void {
  const { timer, udp, maxMs, p99Ms, long } = m.busy;
  const ms = (n: number): string => `${n.toFixed(0)} ms`;
  const tallied = [...m.tally].map(([k, x]) => `${k} ${x.n}× max ${ms(x.maxMs)} total ${ms(x.totalMs)}`).join(", ");
  console.log(
    `      ${what} ${ms(m.jobMs)}, load average ${loadavg()[0]!.toFixed(1)}, heap used ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB; longest waits on a core: timer ${ms(timer.cpuMs)}, UDP ${ms(udp.cpuMs)}; beyond waiting for a CPU: timer ${ms(timer.ownMs)}, UDP ${ms(udp.ownMs)}; wall clock: timer ${ms(timer.wallMs)}, UDP ${ms(udp.wallMs)} (gap between arrivals ${ms(udp.gapMs)}), loop delay max ${ms(maxMs)} p99 ${ms(p99Ms)}; on this thread (wall clock): ${tallied}; beyond waiting for a CPU over ${GOAL_MS} ms: ${long.join(", ") || "none"}`,
  );
}

/**
 * No wait of the timer or of a datagram had the thread on a core for GOAL_MS (what our code, its garbage collection
 * and SQLite computed), and none, less the thread's wait for a core, reached SLEEP_BOUND_MS.
 */
function assertBounded(m: { busy: Window }, cpuBoundMs = GOAL_MS): void {
  const { timer, udp } = m.busy;
  assert.ok(timer.cpuMs < cpuBoundMs, `a 5 ms timer waited while Node-RED's thread ran on a core for ${timer.cpuMs.toFixed(0)} ms`);
  assert.ok(udp.cpuMs < cpuBoundMs, `a UDP datagram waited while Node-RED's thread ran on a core for ${udp.cpuMs.toFixed(0)} ms`);
  assert.ok(timer.ownMs < SLEEP_BOUND_MS, `a 5 ms timer waited ${timer.ownMs.toFixed(0)} ms beyond waiting for a CPU`);
  assert.ok(udp.ownMs < SLEEP_BOUND_MS, `a UDP datagram waited ${udp.ownMs.toFixed(0)} ms beyond waiting for a CPU`);
}

/** Readings for READING_METERS of the community's meters, one every READING_MS, into zev-aggregate; the last sent per meter. */
function feedReadings(agg: { receive(m: NodeMessage): void }): { stop(): Map<string, number>; count(): number } {
  const last = new Map<string, number>();
  let n = 0;
  const kWh = new Array<number>(READING_METERS).fill(1000);
  const t = setInterval(() => {
    const k = n % READING_METERS;
    const meter = `m-u${k + 1}`;
    const ts = Date.now();
    kWh[k]! += 0.001;
    agg.receive({ topic: meter, payload: { meter, ts, importKWh: Number(kWh[k]!.toFixed(3)) } } as NodeMessage);
    last.set(meter, ts);
    n++;
  }, READING_MS);
  return {
    stop: () => {
      clearInterval(t);
      return last;
    },
    count: () => n,
  };
}

/** Every reading sent reached the database: each meter's stored state ends at its last reading. */
async function assertNoReadingLost(db: string, last: Map<string, number>): Promise<void> {
  // The aggregate commits every 200 ms: wait for the last commit.
  const end = Date.now() + 10_000;
  for (;;) {
    const store = SqliteStore.open(db, { readonly: true });
    let stored: Map<string, number | null>;
    try {
      stored = new Map(
        [...last.keys()].map((meter) => {
          const id = getMeter(store, "bench", meter)!.id;
          return [meter, loadMeterState(store, id)?.last?.ts ?? null];
        }),
      );
    } finally {
      store.close();
    }
    if ([...last].every(([m, ts]) => stored.get(m) === ts)) return;
    if (Date.now() > end) assert.deepEqual(Object.fromEntries(stored), Object.fromEntries(last), "readings sent but not stored");
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("zev-billing and zev-aggregate: large runs, imports and exports leave Node-RED responsive", function () {
  this.timeout(240_000);
  const helper = useNodeRed();
  const tmp = useTmpDir();
  let template = "";
  let templateDir = "";

  before(function () {
    this.timeout(900_000);
    templateDir = mkdtempSync(join(tmpdir(), "zev-loop-"));
    template = join(templateDir, "template.sqlite");
    // In a process of its own: the 1.3 million rows' garbage stays out of this heap, whose collections the probes measure.
    const script = `
      const { saveCommunity } = require(${JSON.stringify(require.resolve("../../lib/store/community-repo"))});
      const { SqliteStore } = require(${JSON.stringify(require.resolve("../../lib/store/sqlite-store"))});
      const { parsePeriod } = require(${JSON.stringify(require.resolve("../../lib/time/periods"))});
      const { fillIntervals } = require(${JSON.stringify(require.resolve("../support/large-community"))});
      const store = SqliteStore.open(${JSON.stringify(template)});
      saveCommunity(store, JSON.parse(process.argv[1]), { source: "test", actor: "test" });
      fillIntervals(store, "bench", parsePeriod(${JSON.stringify(PERIOD)}));
      store.db.pragma("wal_checkpoint(TRUNCATE)");
      store.close();`;
    execFileSync(process.execPath, ["-r", require.resolve("tsx/cjs"), "-e", script, JSON.stringify(community())], { stdio: "inherit" });
  });
  after(() => rmSync(templateDir, { recursive: true, force: true }));

  async function deploy(billing: { renderDocuments?: boolean; documentsFolder?: string } = {}): Promise<{ db: string }> {
    const db = join(tmp(), "zev.sqlite");
    copyFileSync(template, db);
    const cfg = configFromDefinition(community(), { id: "c1", dbPath: db });
    await helper.load(
      nodes,
      flow(
        cfg as never,
        { id: "b1", type: "zev-billing", community: "c1", period: PERIOD, mode: "draft", renderDocuments: false, ...billing, wires: [["inv"], ["sum"]] },
        { id: "inv", type: "helper" },
        { id: "sum", type: "helper" },
        { ...aggregateConfig({ flushMs: "200" }), community: "c1", wires: [["iv"], [], ["cmd"]] },
        { id: "iv", type: "helper" },
        { id: "cmd", type: "helper" },
      ),
    );
    return { db };
  }

  it("bills 150 units over a quarter in a worker thread while readings arrive: no 5 ms timer tick or UDP datagram waits while Node-RED's thread computes for 50 ms, nor 1 s beyond waiting for a CPU; no reading lost; progress in the status and on output 2", async () => {
    const { db } = await deploy();
    const node = helper.getNode("b1");
    const seen = statuses(node);
    const sum = helper.getNode("sum");
    const aggErrors = collectErrors(helper.getNode("agg"));
    const progress: { phase: string; done: number; total: number }[] = [];
    let invoices = 0;
    helper.getNode("inv").on("input", () => invoices++);
    const summary = new Promise<NodeMessage>((resolve) =>
      sum.on("input", (m: NodeMessage) => {
        if (m.topic === "billing/progress") progress.push(m.payload as { phase: string; done: number; total: number });
        else resolve(m);
      }),
    );
    const feed = feedReadings(helper.getNode("agg") as never);
    const m = await measure(
      () => seen.at(-1)?.text ?? "",
      async () => {
        node.receive({ payload: { period: PERIOD, progress: true } } as NodeMessage);
        return (await summary).payload as { stopped: boolean; invoices: { action: string }[] };
      },
    );
    const last = feed.stop();
    report(`billing run (${feed.count()} readings meanwhile)`, m);
    const s = m.result;
    assert.equal(s.stopped, false);
    // 150 tenancies (the vacancies from July are outside Q1): 150 drafts.
    assert.equal(s.invoices.length, UNITS);
    assert.ok(s.invoices.every((i) => i.action === "created"));
    assert.equal(invoices, UNITS);
    assertBounded(m);
    assert.ok(
      progress.some((p) => p.phase === "compute" && p.done > 0 && p.done < p.total),
      "progress while invoices are computed",
    );
    assert.ok(
      seen.some((x) => /^billing 2026-Q1: invoices \d+\/150$/.test(x.text ?? "")),
      JSON.stringify(seen.map((x) => x.text)),
    );
    assert.match(seen.at(-1)!.text!, /2026-Q1: 150 invoice/);
    await assertNoReadingLost(db, last);
    assert.deepEqual(aggErrors, []);
  });

  it("draws the PDFs of a run's 150 issued invoices in a job worker, which writes them: Node-RED's thread spends under 10 ms on a core per invoice for the whole run; every message carries its PDF, every file is written", async function () {
    // The job worker runs at nice 10: beside CPU hogs its 150 PDFs take minutes (75 s in all at load 13 without hogs).
    this.timeout(900_000);
    const folder = join(tmp(), "invoices");
    await deploy({ renderDocuments: true, documentsFolder: folder });
    const node = helper.getNode("b1");
    const errors = collectErrors(node);
    const docs: { filename: string; path: string | null; buffer: Buffer }[] = [];
    helper.getNode("inv").on("input", (m: NodeMessage & { document?: (typeof docs)[number] }) => void (m.document && docs.push(m.document)));
    const summary = new Promise<NodeMessage>((resolve) => helper.getNode("sum").on("input", resolve));
    const before = sample();
    node.receive({ payload: { period: PERIOD, mode: "issue", invoiceDate: "2026-04-01" } } as NodeMessage);
    await summary;
    const after = sample();
    const cpuMs = after.cpu - before.cpu;
    console.log(
      `      a run with its PDFs: ${(after.t - before.t).toFixed(0)} ms, Node-RED's thread on a core ${cpuMs.toFixed(0)} ms; load average ${loadavg()[0]!.toFixed(1)}`,
    );
    assert.deepEqual(errors, []);
    assert.equal(docs.length, UNITS);
    assert.ok(docs.every((d) => d.buffer.subarray(0, 5).toString() === "%PDF-" && d.path === join(folder, d.filename)));
    assert.deepEqual(readdirSync(folder).sort(), docs.map((d) => d.filename).sort());
    assert.ok(readFileSync(docs[0]!.path!).equals(docs[0]!.buffer));
    // Drawn on this thread (before decision 0145) the same run kept it on a core for 15 s, 100 ms per invoice.
    assert.ok(cpuMs < 10 * UNITS, `Node-RED's thread was on a core for ${cpuMs.toFixed(0)} ms`);
  });

  it("imports an SDAT file of 150 meters over 10 days in a worker thread while readings arrive: no 5 ms timer tick or UDP datagram waits while Node-RED's thread computes for 50 ms, nor 1 s beyond waiting for a CPU; the rows are stored; no reading lost", async () => {
    const { db } = await deploy();
    const def = community();
    const days = 10;
    const start = Date.UTC(2026, 3, 30, 22);
    const blocks = def.meters!.flatMap((mt) =>
      Array.from({ length: days }, (_, d) => ({
        point: mt.meteringPoint!,
        direction: mt.role === "production" ? ("production" as const) : ("consumption" as const),
        start: new Date(start + d * 86_400_000).toISOString().replace(".000", ""),
        observations: same(96, "0.125"),
      })),
    );
    const file = join(tmp(), "operator.xml");
    writeFileSync(file, sdatXml({ blocks }));
    const agg = helper.getNode("agg");
    const aggErrors = collectErrors(agg);
    const seen = statuses(agg);
    const answer = new Promise<NodeMessage>((resolve) => helper.getNode("cmd").on("input", resolve));
    const feed = feedReadings(agg as never);
    const m = await measure(
      () => seen.at(-1)?.text ?? "",
      async () => {
        agg.receive({ command: "import-sdat", payload: file } as NodeMessage);
        return (await answer).payload as { series: { stored: number }[] };
      },
    );
    const last = feed.stop();
    report(`SDAT import of ${blocks.length * 96} values (${feed.count()} readings meanwhile)`, m);
    assert.equal(
      m.result.series.reduce((n, x) => n + x.stored, 0),
      def.meters!.length * days * 96,
    );
    assert.ok(seen.some((x) => x.text === "importing the SDAT file …"));
    assertBounded(m);
    await assertNoReadingLost(db, last);
    assert.deepEqual(aggErrors, []);
  });

  it("exports every meter's intervals of a quarter (1.3 million rows, CSV) in a worker thread while readings arrive: no 5 ms timer tick or UDP datagram waits while Node-RED's thread computes for 250 ms (the 50 ms goal printed), nor 1 s beyond waiting for a CPU; the file is complete; no reading lost", async () => {
    const { db } = await deploy();
    const node = helper.getNode("b1");
    const seen = statuses(node);
    const aggErrors = collectErrors(helper.getNode("agg"));
    const answer = new Promise<NodeMessage & { rows: number }>((resolve) =>
      helper.getNode("sum").on("input", (msg: NodeMessage) => resolve(msg as NodeMessage & { rows: number })),
    );
    const feed = feedReadings(helper.getNode("agg") as never);
    const m = await measure(
      () => seen.at(-1)?.text ?? "",
      async () => {
        node.receive({ command: "export", payload: { kind: "intervals", format: "csv", period: PERIOD } } as NodeMessage);
        return answer;
      },
    );
    const last = feed.stop();
    report(`interval export (${feed.count()} readings meanwhile)`, m);
    const quarterHours = (parsePeriod(PERIOD).endMs - parsePeriod(PERIOD).startMs) / 900_000;
    assert.equal(m.result.rows, (UNITS + 3) * quarterHours);
    assert.ok(Buffer.isBuffer(m.result.payload));
    assert.ok(seen.some((x) => x.text === "export running …"));
    assertBounded(m, EXPORT_CPU_BOUND_MS);
    await assertNoReadingLost(db, last);
    assert.deepEqual(aggErrors, []);
  });

  it("a second run of the community while one is running is refused: translated error with its code to Catch nodes, status says so; the first run completes", async () => {
    await deploy();
    const node = helper.getNode("b1");
    const seen = statuses(node);
    const summaries: NodeMessage[] = [];
    const first = new Promise<void>((resolve) =>
      helper.getNode("sum").on("input", (m: NodeMessage) => {
        summaries.push(m);
        resolve();
      }),
    );
    const failures: { message: string; code?: string }[] = [];
    const second = new Promise<void>((resolve) =>
      (node as unknown as EventEmitter).on("call:error", (call: { args: [{ message: string; code?: string }] }) => {
        failures.push(call.args[0]);
        resolve();
      }),
    );
    node.receive({ payload: PERIOD } as NodeMessage);
    node.receive({ payload: "2026-01" } as NodeMessage);
    await second;
    assert.equal(failures[0]!.code, "billing-busy");
    assert.equal(
      failures[0]!.message,
      "a billing run of community bench for 2026-Q1 is already running: this request was refused, send it again when that run has finished",
    );
    assert.ok(seen.some((x) => x.text === "already billing 2026-Q1: request refused"));
    await first;
    assert.equal(summaries.length, 1);
    assert.equal((summaries[0]!.payload as { invoices: unknown[] }).invoices.length, UNITS);
  });

  it("closing the flow while a run is going stops its worker: nothing is written and a new run can start", async () => {
    const { db } = await deploy();
    const node = helper.getNode("b1");
    let summaries = 0;
    helper.getNode("sum").on("input", () => summaries++);
    const started = new Promise<void>((resolve) =>
      (node as unknown as EventEmitter).on("call:status", (c: { args: [{ text?: string }] }) => void (/meter data/.test(c.args[0].text ?? "") && resolve())),
    );
    node.receive({ payload: PERIOD } as NodeMessage);
    await started;
    await helper.unload();
    // Longer than the whole run takes: had the worker gone on, its drafts would be there.
    await new Promise((r) => setTimeout(r, 6000));
    assert.equal(summaries, 0);
    const store = SqliteStore.open(db);
    try {
      assert.equal((store.db.prepare("SELECT COUNT(*) AS n FROM invoices").get() as { n: number }).n, 0);
    } finally {
      store.close();
    }
    await deploy();
    const again = new Promise<NodeMessage>((resolve) => helper.getNode("sum").on("input", resolve));
    helper.getNode("b1").receive({ payload: PERIOD } as NodeMessage);
    assert.equal(((await again).payload as { invoices: unknown[] }).invoices.length, UNITS);
  });
});
