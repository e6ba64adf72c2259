import assert from "node:assert/strict";
import { BuiltInterval, CounterEvent, DEFAULT_BUILDER_OPTIONS, emptyCounterState } from "../../../../lib/readings/intervals/counter-state";
import { MeterCounterState } from "../../../../lib/model/meter-counter";
import { applyReading } from "../../../../lib/readings/intervals/interval-builder";
import { applyReplacement, correctBreak, parseInstant, ReplacementError, type MeterReplacement } from "../../../../lib/readings/intervals/meter-replacement";

const MIN = 60_000;
const T0 = Date.UTC(2026, 5, 1, 8, 0);
const OPTS = { ...DEFAULT_BUILDER_OPTIONS, nowMs: Date.UTC(2030, 0, 1) };

interface Reading {
  ts: number;
  imp: number;
  exp: number;
}

class Run {
  state: MeterCounterState = emptyCounterState();
  rows = new Map<number, BuiltInterval>();
  events: CounterEvent[] = [];
  readonly sink = { interval: (r: BuiltInterval) => this.rows.set(r.startMs, r), gap: () => undefined, event: (e: CounterEvent) => this.events.push(e) };
  read(r: Reading): string {
    return applyReading(this.state, { ts: r.ts, imp: r.imp, exp: r.exp, serial: null }, OPTS, this.sink).kind;
  }
  total(key: "importWh" | "exportWh"): number {
    return [...this.rows.values()].reduce((s, r) => s + (r[key] ?? 0), 0);
  }
}

function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

describe("lib/readings meter replacement", () => {
  it("recorded in time, while the new meter's readings are held, or after they were taken as a reset: the same energy, exact to the Wh", () => {
    const rnd = rng(11);
    for (let k = 0; k < 60; k++) {
      const old: Reading[] = [];
      let t = T0 + Math.floor(rnd() * 15 * MIN);
      let imp = 20_000_000 + Math.round(rnd() * 1e9) / 1000; // float counters, fractions of a Wh
      let exp = 1_000_000 + Math.round(rnd() * 1e6) / 1000;
      for (let i = 0; i < 20; i++) {
        old.push({ ts: t, imp, exp });
        const dt = Math.round(MIN * (1 + 5 * rnd()));
        t += dt;
        imp += (dt / 3600_000) * 5000 * rnd();
        exp += (dt / 3600_000) * 1000 * rnd();
      }
      const lastOld = old[old.length - 1]!;
      const atMs = lastOld.ts + Math.round(MIN * 10 * rnd());
      const rep: MeterReplacement = {
        atMs,
        oldFinalImportWh: lastOld.imp + Math.round(rnd() * 500),
        newInitialImportWh: Math.round(rnd() * 100_000) / 10,
        oldFinalExportWh: lastOld.exp + Math.round(rnd() * 50),
        newInitialExportWh: Math.round(rnd() * 1000) / 10,
        serial: null,
      };
      const fresh: Reading[] = [];
      let nt = atMs + Math.round(MIN * (0.5 + 6 * rnd()));
      let nImp = rep.newInitialImportWh + Math.round(rnd() * 300);
      let nExp = rep.newInitialExportWh! + Math.round(rnd() * 30);
      for (let i = 0; i < 12; i++) {
        fresh.push({ ts: nt, imp: nImp, exp: nExp });
        const dt = Math.round(MIN * (1 + 5 * rnd()));
        nt += dt;
        nImp += (dt / 3600_000) * 5000 * rnd();
        nExp += (dt / 3600_000) * 1000 * rnd();
      }

      const inTime = new Run();
      old.forEach((r) => inTime.read(r));
      applyReplacement(inTime.state, rep, OPTS, inTime.sink);
      fresh.forEach((r) => assert.equal(inTime.read(r), "accepted", `case ${k}`));

      const held = new Run();
      [...old, ...fresh.slice(0, 2)].forEach((r) => held.read(r));
      assert.equal(applyReplacement(held.state, rep, OPTS, held.sink).replayed, 2, `case ${k}`);
      fresh.slice(2).forEach((r) => held.read(r));
      assert.deepEqual([...held.rows.values()], [...inTime.rows.values()], `case ${k}: held readings replayed`);

      const late = new Run();
      [...old, ...fresh].forEach((r) => late.read(r));
      const brk = late.events.find((e) => e.kind === "reset" || e.kind === "jump")!;
      const d = brk.details as { fromTs: number; before: { importWh: number; exportWh: number }; after: { importWh: number; exportWh: number } };
      const span = [...late.rows.values()].filter((r) => r.startMs + 15 * MIN > d.fromTs);
      const fixed = correctBreak(
        late.state,
        {
          ts: brk.ts,
          fromTs: d.fromTs,
          beforeImportWh: d.before.importWh,
          beforeExportWh: d.before.exportWh,
          afterImportWh: d.after.importWh,
          afterExportWh: d.after.exportWh,
        },
        rep,
        span,
      );
      fixed.forEach((r) => late.rows.set(r.startMs, r));
      // Readings after the correction continue on the corrected counter.
      const more = { ts: nt + MIN, imp: nImp + 10, exp: nExp + 1 };
      inTime.read(more);
      late.read(more);
      assert.equal(late.rows.size, inTime.rows.size, `case ${k}`);
      for (const key of ["importWh", "exportWh"] as const) {
        assert.ok(Math.abs(late.total(key) - inTime.total(key)) <= 1, `case ${k} ${key}: ${late.total(key)} vs ${inTime.total(key)}`);
        for (const [s, r] of inTime.rows) assert.ok(Math.abs((late.rows.get(s)![key] ?? 0) - (r[key] ?? 0)) <= 1, `case ${k} ${key} at ${s}`);
      }
      // Independent reference: the old meter's counter up to its final reading, then the new one's from its initial reading.
      const points: [number, number][] = [
        ...old.map((r): [number, number] => [r.ts, r.imp]),
        [atMs, rep.oldFinalImportWh],
        ...[...fresh, more].map((r): [number, number] => [r.ts, rep.oldFinalImportWh + r.imp - rep.newInitialImportWh]),
      ];
      const valueAt = (b: number): number => {
        const i = points.findIndex(([ts]) => ts >= b);
        if (points[i]![0] === b) return Math.round(points[i]![1]);
        const [t1, v1] = points[i - 1]!;
        const [t2, v2] = points[i]!;
        return Math.round(v1 + ((v2 - v1) * (b - t1)) / (t2 - t1));
      };
      const starts = [...inTime.rows.keys()];
      assert.equal(inTime.total("importWh"), valueAt(inTime.state.anchor!.ms) - valueAt(starts[0]!), `case ${k}: exact against the reference`);
    }
  });

  it("refuses a final reading below the last one, a rise no meter can make, and missing export readings, changing nothing", () => {
    const run = new Run();
    run.read({ ts: T0, imp: 1_000_000, exp: 500 });
    run.read({ ts: T0 + 5 * MIN, imp: 1_000_100, exp: 510 });
    const before = JSON.stringify(run.state);
    const rep = (p: Partial<MeterReplacement>): MeterReplacement => ({
      atMs: T0 + 10 * MIN,
      oldFinalImportWh: 1_000_200,
      newInitialImportWh: 0,
      oldFinalExportWh: 520,
      newInitialExportWh: 0,
      serial: null,
      ...p,
    });
    const code = (p: Partial<MeterReplacement>): string => {
      try {
        applyReplacement(run.state, rep(p), OPTS, run.sink);
        return "applied";
      } catch (e) {
        return (e as ReplacementError).code;
      }
    };
    assert.equal(code({ oldFinalImportWh: 999_000 }), "old-final-below-last");
    assert.equal(code({ oldFinalImportWh: 1_000_100_000 }), "old-final-implausible");
    assert.equal(code({ oldFinalExportWh: null, newInitialExportWh: null }), "export-needed");
    assert.equal(code({ atMs: T0 }), "after-readings");
    assert.equal(JSON.stringify(run.state), before);
  });

  it("reads the replacement time as the community's local time and refuses an ambiguous one", () => {
    assert.equal(parseInstant("2026-11-10 10:17", "Europe/Zurich"), Date.UTC(2026, 10, 10, 9, 17));
    assert.equal(parseInstant("2026-07-01T10:00", "Europe/Zurich"), Date.UTC(2026, 6, 1, 8, 0));
    assert.equal(parseInstant("2026-10-25T02:30+01:00", "Europe/Zurich"), Date.UTC(2026, 9, 25, 1, 30));
    assert.throws(() => parseInstant("2026-10-25 02:30", "Europe/Zurich"), /happens twice/);
    assert.throws(() => parseInstant("2026-03-29 02:30", "Europe/Zurich"), /does not exist/);
    assert.throws(() => parseInstant("10.11.2026", "Europe/Zurich"), /neither/);
  });
});
