import assert from "node:assert/strict";
import { join } from "node:path";
import { saveCommunity } from "../../../lib/store/community-repo";
import { metersWithoutIntervals, qualityCounts, readIntervalMatrix, type MeterColumn } from "../../../lib/store/interval-matrix";
import { upsertIntervals } from "../../../lib/store/interval-repo";
import { listMeters } from "../../../lib/store/meter-repo";
import { SqliteStore } from "../../../lib/store/sqlite-store";
import { minimalCommunity } from "../../support/community-fixture";
import { intervalRows, rowByRowColumn } from "../../support/interval-reference";
import { useTmpDir } from "../../support/tmp";

const Q = 900_000;
const T0 = Date.UTC(2026, 2, 1);
const N = 96 * 3;

describe("lib/store interval-matrix: the columns billing reads", () => {
  const tmp = useTmpDir();
  let store: SqliteStore;
  let ids: Map<string, number>;
  const keys = ["full", "full-export", "gaps", "estimated", "missing", "export-some", "export-null", "empty"];

  beforeEach(() => {
    store = SqliteStore.open(join(tmp(), "m.sqlite"));
    saveCommunity(store, minimalCommunity({ meters: keys.map((id) => ({ id, role: "common" as const })) }), { source: "test", actor: "test" });
    ids = new Map(listMeters(store, "test-zev").map((m) => [m.key, m.id]));
    const { rows, put } = intervalRows(ids, T0);
    for (let i = 0; i < N; i++) {
      put("full", i, (i * 37) % 1000, 0);
      put("full-export", i, (i * 13) % 500, (i * 7) % 300);
      if (i % 11 !== 3) put("gaps", i, i % 400, i % 5);
      put("estimated", i, 100 + (i % 9), 2, i % 17 === 0 ? "estimated" : i % 23 === 0 ? "interpolated" : "measured");
      if (i % 19 === 0) put("missing", i, null, null);
      else put("missing", i, 50 + (i % 3), 1);
      // Export known in some intervals only: a load profile of the import direction, then readings of both.
      put("export-some", i, 10 + (i % 4), i < N / 2 ? null : 20 + (i % 6));
      put("export-null", i, 10 + (i % 4), null);
    }
    upsertIntervals(store, rows);
  });
  afterEach(() => store.close());

  for (const withExport of [true, false])
    it(`reads the same columns as row by row, on gaps, estimated, interpolated and missing rows, export in some intervals only and NULL export (export ${withExport ? "counted" : "not counted"})`, () => {
      const all = keys.map((k) => ids.get(k)!);
      const m = readIntervalMatrix(store, all, T0, T0 + N * Q, new Set(withExport ? all : []));
      assert.equal(m.count, N);
      for (const key of keys) {
        const id = ids.get(key)!;
        const got = m.columns.get(id)!;
        const want = rowByRowColumn(store, id, T0, T0 + N * Q);
        assert.deepEqual([...got.importWh], [...want.importWh], `${key} import`);
        assert.deepEqual([...got.quality], [...want.quality], `${key} quality`);
        // A meter whose export does not count: its export is not read (0) where the fast path applies.
        if (withExport) assert.deepEqual([...got.exportWh], [...want.exportWh], `${key} export`);
      }
      const col = (key: string): MeterColumn => m.columns.get(ids.get(key)!)!;
      // The cases are what they claim to be: each takes its path through the reader.
      const where = (f: (i: number) => boolean): number => [...Array(N).keys()].filter(f).length;
      assert.equal(
        qualityCounts(col("gaps")).absent,
        where((i) => i % 11 === 3),
      );
      assert.deepEqual(
        [qualityCounts(col("estimated")).estimated, qualityCounts(col("estimated")).interpolated],
        [where((i) => i % 17 === 0), where((i) => i % 17 !== 0 && i % 23 === 0)],
      );
      assert.equal(
        qualityCounts(col("missing")).missing,
        where((i) => i % 19 === 0),
      );
      if (withExport) {
        assert.equal(col("export-some").exportWh[0], 0);
        assert.equal(col("export-some").exportWh[N - 1], 20 + ((N - 1) % 6));
        assert.ok(col("full-export").exportWh.some((v) => v > 0));
        assert.ok(col("export-null").exportWh.every((v) => v === 0));
      }
      assert.equal(qualityCounts(col("empty")).absent, N);
    });

  it("qualityCounts counts each quality of a range, and a code out of range as absent", () => {
    const col: MeterColumn = { meterId: 1, importWh: new Int32Array(8), exportWh: new Int32Array(8), quality: Uint8Array.from([1, 1, 2, 3, 4, 0, 9, 1]) };
    assert.deepEqual(qualityCounts(col), { measured: 3, interpolated: 1, estimated: 1, missing: 1, absent: 2, total: 8 });
    assert.deepEqual(qualityCounts(col, 2, 6), { measured: 0, interpolated: 1, estimated: 1, missing: 1, absent: 1, total: 4 });
  });

  it("metersWithoutIntervals names the meters with no stored row in the range, a missing row counting as stored", () => {
    const some = ["missing", "empty", "gaps"].map((k) => ids.get(k)!);
    assert.deepEqual(metersWithoutIntervals(store, some, T0, T0 + N * Q), [ids.get("empty")!]);
    // Only the first interval of "missing" is in range, and it is stored as missing.
    assert.deepEqual(metersWithoutIntervals(store, [ids.get("missing")!], T0, T0 + Q), []);
    assert.deepEqual(metersWithoutIntervals(store, some, T0 + N * Q, T0 + 2 * N * Q), some);
  });
});
