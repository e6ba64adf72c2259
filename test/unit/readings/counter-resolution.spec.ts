import assert from "node:assert/strict";
import { join } from "node:path";
import { encodeRegisters, float32Ulp, registerResolution } from "../../../lib/devices/modbus/decode";
import { readMeter } from "../../../lib/devices/modbus/meter-reader";
import type { ModbusConnection } from "../../../lib/devices/modbus/connection";
import { findProfile } from "../../../lib/devices/modbus/profiles";
import type { RegisterDef } from "../../../lib/devices/modbus/types";
import { textResolution } from "../../../lib/readings/meter-input/value-text";
import { MeterIngest } from "../../../lib/readings/meter-input/meter-ingest";
import { IntervalIngest } from "../../../lib/readings/intervals/interval-ingest";
import { arrivalsFromPayload } from "../../../lib/readings/meter-input/payload";
import { parseReadingMessage } from "../../../lib/readings/intervals/reading-message";
import { saveCommunity } from "../../../lib/store/community-repo";
import { meterIntervals } from "../../../lib/store/interval-repo";
import { getMeter } from "../../../lib/store/meter-repo";
import { meterEventsInRange } from "../../../lib/store/meter-event-repo";
import { SqliteStore } from "../../../lib/store/sqlite-store";
import { minimalCommunity } from "../../support/community-fixture";
import { useTmpDir } from "../../support/tmp";

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 30, 9, 0);
const NOW = Date.UTC(2026, 11, 1);

const reg = (type: RegisterDef["type"], scale: number, unit: RegisterDef["unit"], resolution?: number): RegisterDef => ({
  fc: 4,
  address: 0,
  type,
  order: "msw",
  scale,
  unit,
  ...(resolution === undefined ? {} : { resolution }),
});

/** The float32 one step below x. */
function f32Below(x: number): number {
  const b = Buffer.alloc(4);
  b.writeFloatBE(x, 0);
  b.writeUInt32BE(b.readUInt32BE(0) - 1, 0);
  return b.readFloatBE(0);
}

describe("counter resolution per source", () => {
  describe("Modbus registers", () => {
    it("a float32 counter in kWh at 41.8 MWh reads in steps of 2^-8 kWh (3.9 Wh)", () => {
      assert.equal(float32Ulp(41_800), 2 ** -8);
      assert.equal(registerResolution(reg("float32", 1, "kWh"), 41_800), 2 ** -8);
      assert.equal(41_800 - f32Below(41_800), 2 ** -8, "the ulp is the step to the next float32 below");
    });

    it("a float32 counter in Wh (Janitza, SunSpec) at 41.8 MWh reads in steps of 4 Wh", () => {
      assert.equal(registerResolution(reg("float32", 1, "Wh"), 41_800_000), 4);
    });

    it("an integer register reads in steps of its scale (ABB 0.01 kWh, EM24 0.1 kWh, Schneider 1 Wh)", () => {
      assert.equal(registerResolution(findProfile("abb-b23")!.importKWh, 1234.56), 0.01);
      assert.equal(registerResolution(findProfile("carlo-gavazzi-em24")!.importKWh, 12345.6), 0.1);
      assert.equal(registerResolution(findProfile("schneider-iem3000")!.importKWh, 41_800_000), 1);
    });

    it("a profile may state a coarser resolution as data", () => {
      assert.equal(registerResolution(reg("float32", 1, "kWh", 0.01), 10), 0.01);
    });

    it("readMeter hands each counter's resolution to the ingest with the value", async () => {
      const p = findProfile("eastron-sdm630")!;
      const words = new Map<number, number[]>([
        [52, encodeRegisters(1500, "float32", "msw")],
        [72, encodeRegisters(41_800.125, "float32", "msw")],
        [74, encodeRegisters(12.5, "float32", "msw")],
      ]);
      const conn = {
        read: async (_unit: number, _fc: number, address: number, count: number): Promise<number[]> => {
          const out: number[] = [];
          for (let a = address; a < address + count; a += 2) out.push(...(words.get(a) ?? [0, 0]));
          return out;
        },
      } as unknown as ModbusConnection;
      const r = await readMeter(conn, 1, p);
      const imp = r.values.find((v) => v.field === "importKWh")!;
      assert.equal(imp.resolution, 2 ** -8);
      const m = new MeterIngest({ meter: "pv" });
      const out = m.offer({ values: r.values, origin: "test" }, NOW);
      // 0.00390625 kWh rounded up to the message's 6 decimals
      assert.equal(out.reading!.resolutionKWh, 0.003907);
    });
  });

  describe("text and messages", () => {
    it("text states its resolution by its last decimal (Loxone, MQTT text)", () => {
      assert.equal(textResolution("41789.3"), 0.1);
      assert.equal(textResolution("41789"), 1);
      assert.equal(textResolution("5000.25 kWh"), 0.01);
      assert.equal(textResolution("1.5e3"), 100);
      assert.equal(textResolution(41789.3), undefined, "a JSON number does not tell");
    });

    it("a reading message carries resolutionKWh into the builder in Wh; a bad one is refused", () => {
      const ok = parseReadingMessage({ meter: "pv", ts: T0, importKWh: 41800, resolutionKWh: 0.003907 }, undefined, NOW);
      assert.ok(ok.ok);
      assert.ok(Math.abs(ok.reading.counter!.resolutionWh! - 3.907) < 1e-9);
      const none = parseReadingMessage({ meter: "pv", ts: T0, importKWh: 41800 }, undefined, NOW);
      assert.ok(none.ok && none.reading.counter!.resolutionWh === undefined);
      const bad = parseReadingMessage({ meter: "pv", ts: T0, importKWh: 41800, resolutionKWh: -1 }, undefined, NOW);
      assert.ok(!bad.ok && /resolutionKWh/.test(bad.message));
    });

    it("a text counter in MWh without decimals states at most 10 kWh, so zev-aggregate accepts the reading", () => {
      const m = new MeterIngest({ meter: "pv" });
      const r = m.offer({ values: [{ field: "importKWh", raw: "42 MWh" }], origin: "test" }, NOW).reading!;
      assert.equal(r.importKWh, 42_000);
      assert.equal(r.resolutionKWh, 10);
      assert.ok(parseReadingMessage(r, undefined, NOW).ok);
    });
  });

  describe("through the ingest path into SQLite", () => {
    const tmp = useTmpDir();
    let store: SqliteStore;
    beforeEach(() => {
      store = SqliteStore.open(join(tmp(), "zev.sqlite"));
      saveCommunity(store, minimalCommunity({ meters: [{ id: "pv", role: "production" }] }), { source: "test", actor: "test" });
    });
    afterEach(() => store.close());

    const rows = (): [number, number | null, string][] => {
      const id = getMeter(store, "test-zev", "pv")!.id;
      return meterIntervals(store, id, 0, 8.64e15).map((r) => [r.startMs, r.importWh, r.quality]);
    };

    it("exact history, then a float32 meter one step below it: held, no reset, no negative row", () => {
      const ing = new IntervalIngest(store, "test-zev", { actor: "test", now: () => NOW });
      const exact = 41_800.125; // a float32 value, so the meter can read it exactly later
      const below = f32Below(exact);
      const live = (ts: number, kwh: number): unknown => ({ meter: "pv", ts, importKWh: Math.round(kwh * 1e6) / 1e6, resolutionKWh: 0.003907 });
      assert.equal(ing.accept({ meter: "pv", ts: T0, importKWh: exact }).kind, "accepted");
      for (let m = 5; m <= 30; m += 5) assert.equal(ing.accept(live(T0 + m * MIN, below)).kind, "accepted", `reading at ${m} min`);
      assert.equal(ing.accept(live(T0 + 45 * MIN, exact + 2 * 2 ** -8)).kind, "accepted");
      ing.flush();
      assert.deepEqual(rows(), [
        [T0, 0, "measured"],
        [T0 + 15 * MIN, 0, "measured"],
        [T0 + 30 * MIN, 8, "measured"],
      ]);
      assert.deepEqual(meterEventsInRange(store, "test-zev", 0, 8.64e15), []);
    });
  });
});

describe("zev-meter-in core: a step back within the resolution", () => {
  it("a float32 counter one step below the last value holds (no 'backwards' rejection); a bigger step back is still refused", () => {
    const m = new MeterIngest({ meter: "pv" });
    const def = findProfile("eastron-sdm630")!.importKWh;
    const offer = (kwh: number, ts: number): ReturnType<MeterIngest["offer"]> =>
      m.offer({ values: [{ field: "importKWh", raw: kwh, defaultUnit: "kWh", resolution: registerResolution(def, kwh) }], origin: "test" }, ts);
    const high = 41_800.125;
    assert.equal(offer(high, NOW - 60_000).reading!.importKWh, high);
    const held = offer(f32Below(high), NOW - 30_000);
    assert.deepEqual(held.rejections, []);
    assert.equal(held.reading!.importKWh, high, "the counter holds its last value");
    let far = high;
    for (let i = 0; i < 4; i++) far = f32Below(far);
    const back = offer(far, NOW);
    assert.equal(back.rejections[0]?.reason, "backwards");
  });
});

describe("message input: a sender states the resolution", () => {
  it("zev-meter-in accepts resolutionKWh on a msg payload, uses it for the hold and passes it on; a bad one is refused", () => {
    const m = new MeterIngest({ meter: "pv" });
    const offer = (payload: unknown, ts: number): ReturnType<MeterIngest["offer"]> => {
      const p = arrivalsFromPayload(payload, { meter: "pv" });
      assert.ok(p.ok, JSON.stringify(p));
      return m.offer({ ...p.arrivals[0]!, origin: "msg" }, ts);
    };
    assert.equal(offer({ importKWh: 41800.125, resolutionKWh: 0.004 }, NOW - 60_000).reading!.resolutionKWh, 0.004);
    const held = offer({ importKWh: 41800.122, resolutionKWh: 0.004 }, NOW - 30_000);
    assert.deepEqual(held.rejections, []);
    assert.equal(held.reading!.importKWh, 41800.125);
    const bad = offer({ importKWh: 41800.2, resolutionKWh: "a lot" }, NOW);
    assert.equal(bad.rejections[0]!.reason, "malformed");
  });
});
