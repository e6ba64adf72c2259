import assert from "node:assert/strict";
import { join } from "node:path";
import { saveCommunity } from "../../../lib/store/community-repo";
import { getMeter } from "../../../lib/store/meter-repo";
import { MIGRATIONS } from "../../../lib/store/migrations";
import { operatorDeliveries, writeOperatorMerge, type OperatorDelivery } from "../../../lib/store/operator-delivery-repo";
import { SqliteStore } from "../../../lib/store/sqlite-store";
import { minimalCommunity } from "../../support/community-fixture";
import { useTmpDir } from "../../support/tmp";

const T0 = Date.UTC(2026, 5, 1);
const Q = 900_000;
const DOC_A = "CH1001-0b6c7a9e-3f0d-4c1e-9a8b-2d4f6e8a0c1b-sdat-ebix";
const DOC_B = "CH1001-5e2d1f0a-7b3c-4e9d-8a1f-6c0b2e4d8f3a-sdat-ebix";

describe("lib/store grid operator documents (migration 17)", () => {
  const tmp = useTmpDir();
  const community = minimalCommunity({ meters: [{ id: "m1", role: "unit", unit: "u1" }] });

  function delivery(meterId: number, i: number, documentId: string, createdMs: number, wh: number | null = 10 + i): OperatorDelivery {
    return {
      meterId,
      startMs: T0 + i * Q,
      direction: i % 2 ? "export" : "import",
      wh,
      quality: wh === null ? "missing" : "measured",
      condition: i === 3 ? "Z56" : null,
      documentId,
      createdMs,
    };
  }

  it("a database of schema 16 keeps every delivery, its document's id and its time, through the migration", () => {
    const path = join(tmp(), "v16.sqlite");
    const old = SqliteStore.open(path, { migrations: MIGRATIONS.filter((m) => m.version <= 16) });
    saveCommunity(old, community, { source: "test", actor: "test" });
    const meterId = getMeter(old, "test-zev", "m1")!.id;
    const rows = [
      delivery(meterId, 0, DOC_A, T0 - 86_400_000),
      delivery(meterId, 1, DOC_A, T0 - 86_400_000),
      delivery(meterId, 2, DOC_B, T0 - 3_600_000, null),
      delivery(meterId, 3, DOC_B, T0 - 3_600_000),
      // The same id sent again with another time is another document (the import compares the times).
      delivery(meterId, 4, DOC_A, T0 - 60_000),
    ];
    const put = old.db.prepare(
      "INSERT INTO operator_deliveries (meter_id, start_ms, direction, energy_wh, quality, condition, document_id, created_ms, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    );
    for (const r of rows) put.run(r.meterId, r.startMs, r.direction, r.wh, r.quality, r.condition, r.documentId, r.createdMs, T0);
    old.close();

    const store = SqliteStore.open(path);
    try {
      assert.deepEqual(operatorDeliveries(store, meterId, 0, 8.64e15), rows);
      assert.equal(store.db.prepare("SELECT COUNT(*) FROM operator_documents").pluck().get(), 3);
      const cols = (store.db.prepare("PRAGMA table_info(operator_deliveries)").all() as { name: string }[]).map((c) => c.name);
      assert.ok(!cols.includes("document_id") && !cols.includes("created_ms") && cols.includes("document"), cols.join(", "));
    } finally {
      store.close();
    }
  });

  it("a document's id and time are stored once however many values it delivers, and a later import of it adds no second one", () => {
    const store = SqliteStore.open(join(tmp(), "zev.sqlite"));
    try {
      saveCommunity(store, community, { source: "test", actor: "test" });
      const meterId = getMeter(store, "test-zev", "m1")!.id;
      const first = Array.from({ length: 96 }, (_, i) => delivery(meterId, i, DOC_A, T0 - 60_000));
      store.write(() => writeOperatorMerge(store, first, [], T0));
      store.write(() => writeOperatorMerge(store, first.slice(0, 10), [], T0 + 1));
      const second = first.slice(0, 4).map((d) => ({ ...d, documentId: DOC_B, createdMs: T0, wh: 99 }));
      store.write(() => writeOperatorMerge(store, second, [], T0 + 2));
      const got = operatorDeliveries(store, meterId, 0, 8.64e15);
      assert.equal(got.length, 96);
      assert.deepEqual(got.slice(0, 5), [...second, first[4]!]);
      assert.deepEqual(store.db.prepare("SELECT document_id, created_ms FROM operator_documents ORDER BY id").raw().all(), [
        [DOC_A, T0 - 60_000],
        [DOC_B, T0],
      ]);
    } finally {
      store.close();
    }
  });
});
