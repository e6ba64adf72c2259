import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { IntervalIngest } from "../../lib/readings/intervals/interval-ingest";
import { saveCommunity } from "../../lib/store/community-repo";
import { meterIntervals } from "../../lib/store/interval-repo";
import { getMeter } from "../../lib/store/meter-repo";
import { loadMeterState } from "../../lib/store/meter-state-repo";
import { SqliteStore } from "../../lib/store/sqlite-store";
import { minimalCommunity } from "../support/community-fixture";
import { boundaryValues, ReadingStream } from "../support/reading-stream";
import { useTmpDir } from "../support/tmp";

const METERS = 4;
const Q = 900_000;

function createDb(path: string): void {
  const s = SqliteStore.open(path);
  saveCommunity(s, minimalCommunity({ meters: Array.from({ length: METERS }, (_, k) => ({ id: `m${k}`, role: "common" as const })) }), {
    source: "test",
    actor: "test",
  });
  s.close();
}

function rowsOf(store: SqliteStore, meter: string): [number, number | null, string][] {
  const id = getMeter(store, "test-zev", meter)!.id;
  return meterIntervals(store, id, 0, 8.64e15).map((r) => [r.startMs, r.importWh, r.quality]);
}

describe("crash safety: kill -9 of a process writing to the store", () => {
  const tmp = useTmpDir();

  /** Runs the writer until it has acknowledged `commits` batches, then SIGKILLs it; returns its last acknowledgement. */
  async function runAndKill(path: string, commits: number, crashAt = ""): Promise<Map<string, number>> {
    // One process (tsx's loader in node itself, not the tsx CLI, which would leave the writer running as a grandchild).
    const child = spawn(
      process.execPath,
      ["--require", require.resolve("tsx/cjs"), join(__dirname, "../support/ingest-child.ts"), path, String(METERS), "3001", crashAt],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let out = "";
    let err = "";
    let killing = false;
    child.stderr!.on("data", (d) => (err += d));
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on("data", (d) => {
        out += d;
        // kill at an arbitrary moment once enough is acknowledged (mid-write, most likely)
        if (!crashAt && !killing && (out.match(/committed/g) ?? []).length >= commits) {
          killing = true;
          setTimeout(() => child.kill("SIGKILL"), 3 + Math.floor(Math.random() * 30));
        }
      });
      child.on("exit", (code, signal) => (signal === "SIGKILL" ? resolve() : reject(new Error(`writer ended ${code} ${signal}: ${err}`))));
    });
    const lines = out
      .trim()
      .split("\n")
      .filter((l) => l.startsWith("committed "));
    return new Map(
      lines[lines.length - 1]!.slice(10)
        .split(",")
        .map((kv) => [kv.split("=")[0]!, Number(kv.split("=")[1])]),
    );
  }

  /** Every acknowledged interval present, no hole, rows end where the stored state says, sums = counter differences. */
  function checkStore(path: string, acked: Map<string, number>): number {
    const store = SqliteStore.open(path);
    try {
      assert.deepEqual(store.integrityCheck(), ["ok"]);
      let horizon = 0;
      const anchors = new Map<string, number>();
      for (let k = 0; k < METERS; k++) {
        const meter = `m${k}`;
        const rows = rowsOf(store, meter);
        const state = loadMeterState(store, getMeter(store, "test-zev", meter)!.id)!;
        assert.ok(state.anchor!.ms >= acked.get(meter)!, `${meter}: acknowledged intervals lost`);
        assert.equal(rows[rows.length - 1]![0] + Q, state.anchor!.ms, `${meter}: rows and counter state disagree`);
        rows.forEach((r, i) => assert.equal(r[0], rows[0]![0] + i * Q, `${meter}: hole before ${new Date(r[0]).toISOString()}`));
        anchors.set(meter, state.anchor!.ms);
        horizon = Math.max(horizon, state.anchor!.ms);
      }
      // interpolated independently of the engine, from the same reading stream
      const values = boundaryValues(METERS, horizon + Q);
      for (let k = 0; k < METERS; k++) {
        const meter = `m${k}`;
        const v = values.get(meter)!;
        for (const [start, wh] of rowsOf(store, meter)) assert.equal(wh, v.get(start + Q)! - v.get(start)!, `${meter} ${new Date(start).toISOString()}`);
      }
      return horizon;
    } finally {
      store.close();
    }
  }

  it("after each SIGKILL every acknowledged interval is there with sums equal to counter differences; restarts count nothing twice", async function () {
    this.timeout(120_000);
    const path = join(tmp(), "crash.sqlite");
    createDb(path);
    let horizon = 0;
    // Crashes at arbitrary moments, and from inside SQLite in the middle of a batch: while writing interval rows,
    // and while writing the counter state after them. Each restarted writer re-sends the stream from its
    // beginning, as a source with no memory would.
    for (const [commits, crashAt] of [
      [6, ""],
      [0, "intervals:9000"],
      [10, ""],
      [0, "meter_state:60"],
    ] as const) {
      horizon = Math.max(horizon, checkStore(path, await runAndKill(path, commits, crashAt)));
    }

    // finally the source re-sends everything again and goes on: the result equals one clean run
    const until = horizon + 4 * Q;
    const feedAll = (store: SqliteStore): void => {
      const ingest = new IntervalIngest(store, "test-zev", { actor: "test" });
      const stream = new ReadingStream(METERS);
      for (let batch = stream.next(); batch[0]!.ts < until; batch = stream.next()) for (const r of batch) ingest.accept(r);
      ingest.flush();
    };
    const cleanPath = join(tmp(), "clean.sqlite");
    createDb(cleanPath);
    const store = SqliteStore.open(path);
    const clean = SqliteStore.open(cleanPath);
    try {
      feedAll(store);
      feedAll(clean);
      for (let k = 0; k < METERS; k++) {
        const rows = rowsOf(store, `m${k}`);
        assert.deepEqual(rows, rowsOf(clean, `m${k}`));
        assert.ok(rows[rows.length - 1]![0] >= horizon, "the last run went on past the crashes");
      }
    } finally {
      store.close();
      clean.close();
    }
  });
});
