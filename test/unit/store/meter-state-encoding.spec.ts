import assert from "node:assert/strict";
import { join } from "node:path";
import type { MeterCounterState } from "../../../lib/model/meter-counter";
import { emptyCounterState } from "../../../lib/readings/intervals/counter-state";
import { saveCommunity } from "../../../lib/store/community-repo";
import { columnsOf, decodeMeterState, encodeMeterState } from "../../../lib/store/meter-state-encoding";
import { getMeter } from "../../../lib/store/meter-repo";
import { loadMeterState, saveMeterState } from "../../../lib/store/meter-state-repo";
import { SqliteStore } from "../../../lib/store/sqlite-store";
import { minimalCommunity } from "../../support/community-fixture";
import { useTmpDir } from "../../support/tmp";

const FULL: MeterCounterState = {
  v: 1,
  serial: "SN-4711",
  last: { ts: 1_767_225_600_123, imp: 1_234_567.125, exp: 89.5 },
  offset: { imp: 1_000_000, exp: 12 },
  anchor: { ms: 1_767_225_600_000, imp: 2_234_500, exp: 101 },
  openQuality: "interpolated",
  gap: { fromMs: 1_767_200_000_000, toMs: 1_767_210_000_000, imp: 4_321, exp: null },
  suspect: {
    kind: "backwards",
    samples: [
      { ts: 1_767_225_000_000, imp: 10, exp: null },
      { ts: 1_767_225_060_000, imp: 12.5, exp: 3 },
    ],
  },
};

describe("meter_state encoding (decision 0153)", () => {
  const tmp = useTmpDir();

  it("every field of a counter state comes back as it was written, also nulls and fractions of a Wh", () => {
    for (const s of [FULL, emptyCounterState(), { ...FULL, last: { ...FULL.last!, exp: null }, anchor: { ...FULL.anchor!, exp: null }, suspect: null }]) {
      assert.deepEqual(decodeMeterState(encodeMeterState(s), columnsOf(s), 7), s);
    }
  });

  it("the stored text is what JSON.stringify of the state's array gives, for full, empty and odd states", () => {
    const reference = (s: MeterCounterState): string =>
      JSON.stringify([
        2,
        s.offset.imp,
        s.offset.exp,
        s.anchor === null ? null : [s.anchor.ms, s.anchor.imp, s.anchor.exp],
        s.openQuality,
        s.gap === null ? null : [s.gap.fromMs, s.gap.toMs, s.gap.imp, s.gap.exp],
        s.suspect === null ? null : [s.suspect.kind, ...s.suspect.samples.flatMap((x) => [x.ts, x.imp, x.exp])],
      ]);
    const odd: MeterCounterState = {
      ...FULL,
      offset: { imp: -0, exp: 1e21 },
      anchor: { ms: 0, imp: 0.1 + 0.2, exp: Number.NaN },
      gap: { fromMs: 1, toMs: 2, imp: -5e-7, exp: Number.POSITIVE_INFINITY },
    };
    for (const s of [FULL, emptyCounterState(), odd, { ...FULL, gap: null, suspect: null, anchor: null, openQuality: "missing" as const }])
      assert.equal(encodeMeterState(s), reference(s));
  });

  it("the stored text holds neither the serial nor the last reading, which the row's columns carry", () => {
    const text = encodeMeterState(FULL);
    assert.ok(!text.includes("SN-4711") && !text.includes("1234567.125"), text);
    assert.ok(text.length < JSON.stringify(FULL).length / 2, `${text.length} characters`);
  });

  it("a state a version 1 wrote (the whole object, with an old-style suspect) is read as it was", () => {
    const dir = tmp();
    const store = SqliteStore.open(join(dir, "v1.sqlite"));
    try {
      saveCommunity(store, minimalCommunity({ meters: [{ id: "m1", role: "unit", unit: "u1" }] }), { source: "t", actor: "t" });
      const id = getMeter(store, "test-zev", "m1")!.id;
      const v1 = { ...FULL, suspect: { ts: 5, imp: 7, exp: null, count: 2 } };
      store.db
        .prepare("INSERT INTO meter_state (meter_id, serial, last_ms, last_import_wh, last_export_wh, state, updated_ms) VALUES (?, ?, ?, ?, ?, ?, 1)")
        .run(id, "other", 1, 2, 3, JSON.stringify(v1));
      assert.deepEqual(loadMeterState(store, id), v1, "version 1 is taken from its JSON, not from the columns");
      store.write(() => saveMeterState(store, id, FULL, 2));
      assert.deepEqual(loadMeterState(store, id), FULL);
      const row = store.db.prepare("SELECT serial, last_ms, last_import_wh, last_export_wh, state FROM meter_state WHERE meter_id = ?").get(id) as Record<
        string,
        unknown
      >;
      assert.deepEqual(
        { ...row, state: JSON.parse(row.state as string) as unknown },
        {
          serial: "SN-4711",
          last_ms: FULL.last!.ts,
          last_import_wh: 1_234_567.125,
          last_export_wh: 89.5,
          state: JSON.parse(encodeMeterState(FULL)) as unknown,
        },
      );
    } finally {
      store.close();
    }
  });

  it("a state of an unknown version or shape is refused with the meter's id and what is wrong", () => {
    const cols = columnsOf(FULL);
    assert.throws(() => decodeMeterState('{"v":3}', cols, 9), /meter_state of meter 9 has version 3/);
    assert.throws(() => decodeMeterState('[5,0,0,null,"measured",null,null]', cols, 9), /meter 9 has version 5/);
    assert.throws(() => decodeMeterState('[2,0,0,null,"fine",null,null]', cols, 9), /meter 9 is not readable: quality fine/);
    assert.throws(() => decodeMeterState('[2,0,0,[1,2],"measured",null,null]', cols, 9), /not readable: anchor/);
    assert.throws(() => decodeMeterState('[2,0,0,null,"measured",null,["jump",1,2]]', cols, 9), /not readable: suspect/);
    assert.throws(() => decodeMeterState('[2,0,0,null,"measured",null]', cols, 9), /6 fields, 7 expected/);
    assert.throws(() => decodeMeterState('[2,0,0,null,"measured",null,null]', { ...cols, last_import_wh: null }, 9), /last_import_wh/);
  });
});
