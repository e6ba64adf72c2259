import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runBilling } from "../lib/billing/run";
import type { CommunityDefinition } from "../lib/community/types";
import { importSdatText } from "../lib/operator/sdat-files";
import { saveCommunity } from "../lib/store/community-repo";
import { listMeters } from "../lib/store/meter-repo";
import { SqliteStore } from "../lib/store/sqlite-store";
import { INTERVAL_MS } from "../lib/time/interval";
import { parsePeriod } from "../lib/time/periods";
import { legCommunity } from "../test/support/leg-fixture";
import { sdatXml } from "../test/support/sdat";
import { BenchResult, timeIt } from "./harness";

/*
 * A LEG at scale (issue 13 "Scale and speed"): billing `members` members over
 * a period (members' invoices and producer statements) against the raw SQL
 * aggregate of the same rows; importing SDAT-CH documents of `points`
 * metering points (one document per point and period, both directions)
 * against raw batched inserts of the same rows. BENCH_LEG_MEMBERS,
 * BENCH_LEG_PERIOD, BENCH_LEG_POINTS and BENCH_LEG_SDAT_PERIOD scale it
 * (defaults 1,000 over a month; a year of 1,000 points is 35 million rows).
 */

function bigLeg(members: number): CommunityDefinition {
  const base = legCommunity();
  const ids = Array.from({ length: members }, (_, i) => `m${i}`);
  return {
    ...base,
    id: "bench-leg",
    buildings: [{ id: "G", name: "Gemeinde", units: ids.map((id) => ({ id, label: id })) }],
    tenancies: ids.map((id, i) => ({
      id: `t-${id}`,
      unit: id,
      tenant: base.tenancies[i % 4]!.tenant,
      from: "2025-01-01",
      to: null,
      ...(i % 10 === 0 ? { producer: { vatRegistered: i % 20 === 0, ...(i % 20 === 0 ? { vatNumber: "CHE-111.222.333 MWST" } : {}) } } : {}),
    })),
    meters: ids.map((id, i) => ({ id: `mp-${id}`, role: "unit" as const, unit: id, meteringPoint: `CH1000000000000000000${String(i).padStart(12, "0")}` })),
  };
}

/** Every 10th member is a prosumer: it feeds in by day; all draw. */
function energy(i: number, member: number, seed: { v: number }): { imp: number; exp: number } {
  seed.v = (seed.v * 1103515245 + 12345) % 2147483648;
  const hour = (i % 96) / 4;
  const sun = hour > 8 && hour < 17;
  if (member % 10 === 0 && sun) return { imp: 0, exp: 500 + (seed.v % 1500) };
  return { imp: 20 + (seed.v % 300), exp: 0 };
}

function legBillingBench(members: number, periodText: string): BenchResult {
  const dir = process.env.ZEV_BENCH_DIR ?? mkdtempSync(join(tmpdir(), "zev-bench-leg-"));
  try {
    const store = SqliteStore.open(join(dir, "leg-billing.sqlite"));
    saveCommunity(store, bigLeg(members), { source: "bench", actor: "bench" });
    const period = parsePeriod(periodText);
    const ins = store.db.prepare("INSERT INTO intervals (meter_id, start_ms, import_wh, export_wh, quality, updated_ms) VALUES (?, ?, ?, ?, 'measured', ?)");
    const seed = { v: 11 };
    listMeters(store, "bench-leg").forEach((m, k) =>
      store.write(() => {
        for (let t = period.startMs, i = 0; t < period.endMs; t += INTERVAL_MS, i++) {
          const e = energy(i, k, seed);
          ins.run(m.id, t, e.imp, e.exp, t);
        }
      }),
    );
    const rows = (store.db.prepare("SELECT COUNT(*) AS n FROM intervals").get() as { n: number }).n;
    const sum = store.db.prepare(
      "SELECT meter_id, SUM(import_wh), SUM(export_wh), COUNT(*) FROM intervals WHERE meter_id IN (SELECT id FROM meters WHERE community_id = ?) AND start_ms >= ? AND start_ms < ? GROUP BY meter_id",
    );
    const baseline = timeIt(() => sum.all("bench-leg", period.startMs, period.endMs));
    const ours = timeIt(() => {
      const r = runBilling(store, { communityId: "bench-leg", period: periodText, mode: "draft", actor: "bench" });
      if (r.stopped || r.invoices.length !== members) throw new Error(`bench run went wrong: ${r.stopReason ?? r.invoices.length}`);
    }, 1);
    store.close();
    return {
      bench: `leg-billing-${members}-members-${periodText}`,
      ours,
      baseline,
      unit: "s",
      ratio: ours / baseline,
      note: `${rows} interval rows, members' invoices as drafts; baseline: SQL SUM per meter over its primary-key range`,
    };
  } finally {
    if (!process.env.ZEV_BENCH_DIR) rmSync(dir, { recursive: true, force: true });
  }
}

function legSdatBench(points: number, periodText: string): BenchResult {
  const dir = process.env.ZEV_BENCH_DIR ?? mkdtempSync(join(tmpdir(), "zev-bench-leg-sdat-"));
  try {
    const def = bigLeg(points);
    const period = parsePeriod(periodText);
    const n = Math.round((period.endMs - period.startMs) / INTERVAL_MS);
    const start = new Date(period.startMs).toISOString().replace(".000", "");
    const end = new Date(period.endMs).toISOString().replace(".000", "");
    const seed = { v: 5 };
    const kwh = (wh: number): string => (wh / 1000).toFixed(3);
    // One document per metering point (both directions), built here and dropped after its import.
    const docs = (k: number): string => {
      const e = Array.from({ length: n }, (_, i) => energy(i, k, seed));
      const point = def.meters![k]!.meteringPoint!;
      return sdatXml({
        documentId: `BENCH-${k}`,
        blocks: [
          { point, direction: "consumption", start, end, observations: e.map((x) => ({ kWh: kwh(x.imp) })) },
          { point, direction: "production", start, end, observations: e.map((x) => ({ kWh: kwh(x.exp) })) },
        ],
      });
    };
    // Only the imports count, not building the XML.
    const store = SqliteStore.open(join(dir, "sdat.sqlite"));
    saveCommunity(store, def, { source: "bench", actor: "bench" });
    let ns = 0;
    for (let k = 0; k < points; k++) {
      const xml = docs(k);
      const t0 = process.hrtime.bigint();
      importSdatText(store, "bench-leg", xml, `bench-${k}.xml`, { actor: "bench" });
      ns += Number(process.hrtime.bigint() - t0);
    }
    store.close();
    const ours = ns / 1e9;
    const baseline = timeIt(() => {
      const store = SqliteStore.open(join(dir, "raw.sqlite"));
      saveCommunity(store, def, { source: "bench", actor: "bench" });
      const ins = store.db.prepare("INSERT INTO intervals (meter_id, start_ms, import_wh, export_wh, quality, updated_ms) VALUES (?, ?, ?, ?, 'measured', ?)");
      const s2 = { v: 5 };
      for (const m of listMeters(store, "bench-leg")) {
        const k = def.meters!.findIndex((x) => x.id === m.key);
        store.write(() => {
          for (let i = 0, t = period.startMs; i < n; i++, t += INTERVAL_MS) {
            const e = energy(i, k, s2);
            ins.run(m.id, t, e.imp, e.exp, t);
          }
        });
      }
      store.close();
    }, 1);
    return {
      bench: `leg-sdat-import-${points}-points-${periodText}`,
      ours,
      baseline,
      unit: "s",
      ratio: ours / baseline,
      note: `${points * n * 2} observations (both directions); baseline: raw batched INSERTs of the same rows, one transaction per meter`,
    };
  } finally {
    if (!process.env.ZEV_BENCH_DIR) rmSync(dir, { recursive: true, force: true });
  }
}

export function legBench(): BenchResult[] {
  const members = Number(process.env.BENCH_LEG_MEMBERS ?? 1000);
  const points = Number(process.env.BENCH_LEG_POINTS ?? 1000);
  return [legBillingBench(members, process.env.BENCH_LEG_PERIOD ?? "2026-01"), legSdatBench(points, process.env.BENCH_LEG_SDAT_PERIOD ?? "2026-01")];
}
