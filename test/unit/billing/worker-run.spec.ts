import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { BillingError } from "../../../lib/billing/layout";
import { runBilling, type BillingRequest } from "../../../lib/billing/run";
import { BillingBusyError, startBillingEstimate, startBillingRun } from "../../../lib/billing/worker-run";
import { estimateBilling } from "../../../lib/billing/estimate";
import { getMeter } from "../../../lib/store/meter-repo";
import { SqliteStore } from "../../../lib/store/sqlite-store";
import { parsePeriod } from "../../../lib/time/periods";
import { fillMeter, openBillingStore, threeUnitCommunity } from "../../support/billing-fixture";
import { useTmpDir } from "../../support/tmp";

const ROOT = join(__dirname, "..", "..", "..");

/** A month with a gap (interpolated and missing rows) so that coverage, notices and lines all carry something. */
function prepared(dir: string): string {
  const store = openBillingStore(dir, threeUnitCommunity());
  fillMeter(store, "drei", "unit-1", "2026-11", () => 100);
  fillMeter(store, "drei", "unit-2", "2026-11", (i) => 150 + (i % 7) * 11);
  fillMeter(store, "drei", "unit-3", "2026-11", () => 100);
  fillMeter(store, "drei", "common", "2026-11", () => 40);
  fillMeter(store, "drei", "pv", "2026-11", (i) => (i % 4 === 0 ? 220 : 0));
  fillMeter(store, "drei", "charger-1", "2026-11", () => 0);
  const m2 = getMeter(store, "drei", "unit-2")!;
  store.db.prepare("UPDATE intervals SET quality = 'interpolated' WHERE meter_id = ? AND (start_ms / 900000) % 50 = 0").run(m2.id);
  store.db.pragma("wal_checkpoint(TRUNCATE)");
  const path = store.path;
  store.close();
  return path;
}

/** Everything of a run that does not depend on the wall clock. */
function stored(path: string): unknown[] {
  const store = SqliteStore.open(path);
  try {
    return store.db
      .prepare("SELECT id, number, kind, status, tenancy_key, period_from, period_to, total, reference, snapshot FROM invoices ORDER BY id")
      .raw(true)
      .all();
  } finally {
    store.close();
  }
}

const clockless = (v: unknown): string =>
  JSON.stringify(v, (k, x: unknown) => (k === "createdMs" || k === "issuedMs" || k === "paidMs" || k === "cancelledMs" ? 0 : x));

describe("billing in a worker thread", function () {
  this.timeout(60_000);
  const tmp = useTmpDir();
  const request: BillingRequest = { communityId: "drei", period: "2026-11", mode: "issue", invoiceDate: "2026-12-01", actor: "test" };

  it("gives the same report and stores byte for byte the same invoices as the run on the calling thread", async () => {
    const a = prepared(tmp());
    const b = join(tmp(), "copy.sqlite");
    copyFileSync(a, b);
    const store = SqliteStore.open(a);
    const inline = runBilling(store, request);
    store.close();
    const seen: string[] = [];
    const job = startBillingRun(b, request, { onProgress: (p) => seen.push(p.phase) });
    const worker = await job.result;
    assert.equal(clockless(worker), clockless(inline));
    assert.deepEqual(stored(b), stored(a));
    assert.equal(worker.invoices.length, 3);
    assert.deepEqual([...new Set(seen)], ["load", "compute", "write"]);
  });

  it("an estimate in the worker equals the estimate on the calling thread", async () => {
    const path = prepared(tmp());
    const period = parsePeriod("2026-11");
    const nowMs = Date.UTC(2026, 11, 15);
    const store = SqliteStore.open(path);
    const inline = estimateBilling(store, "drei", period, { nowMs });
    store.close();
    assert.deepEqual(await startBillingEstimate(path, "drei", period, nowMs).result, inline);
  });

  it("a second run of the same community is refused at once while the first runs; the first completes, then a run is accepted again", async () => {
    const path = prepared(tmp());
    const first = startBillingRun(path, { ...request, mode: "draft" });
    assert.throws(
      () => startBillingRun(path, { ...request, period: "2026-10", mode: "draft" }),
      (e: unknown) => e instanceof BillingBusyError && e.code === "billing-busy" && e.params.period === "2026-11" && e.params.community === "drei",
    );
    assert.equal((await first.result).invoices.length, 3);
    assert.equal(
      (await startBillingRun(path, { ...request, mode: "draft" }).result).invoices.every((i) => i.action === "unchanged"),
      true,
    );
  });

  it("an error in the worker reaches the caller as the same kind of error with its text; a stopped worker writes nothing", async () => {
    const path = prepared(tmp());
    await assert.rejects(
      startBillingRun(path, { ...request, communityId: "nobody" }).result,
      (e: unknown) => e instanceof BillingError && /no community "nobody"/.test((e as Error).message),
    );
    const job = startBillingRun(path, request);
    await job.stop();
    await assert.rejects(job.result, /stopped before it finished/);
    assert.deepEqual(stored(path), []);
  });

  it("runs from the compiled dist/ files, as Node-RED loads them (npm run build first)", () => {
    const entry = join(ROOT, "dist", "lib", "billing", "worker-run.js");
    assert.ok(existsSync(join(ROOT, "dist", "lib", "billing", "worker.js")), "dist/lib/billing/worker.js is missing: run npm run build");
    const path = prepared(tmp());
    const out = execFileSync(
      process.execPath,
      [
        "-e",
        `require(${JSON.stringify(entry)}).startBillingRun(${JSON.stringify(path)}, ${JSON.stringify(request)}).result.then((r) => console.log(r.invoices.map((i) => i.number).join(",")), (e) => { console.error(e); process.exit(1); })`,
      ],
      { encoding: "utf8" },
    );
    assert.equal(out.trim(), "2026-0001,2026-0002,2026-0003");
  });
});
