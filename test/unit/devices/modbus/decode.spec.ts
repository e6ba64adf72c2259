import assert from "node:assert/strict";
import { decodeRegisters, decodeValue, docAddress, encodeRegisters, wireAddress } from "../../../../lib/devices/modbus/decode";
import { customProfile } from "../../../../lib/devices/modbus/custom-profile";
import { planReads } from "../../../../lib/devices/modbus/meter-reader";
import { PROFILES, findProfile } from "../../../../lib/devices/modbus/profiles";
import { REGISTER_TYPES, WORD_ORDERS, type RegisterType, type WordOrder } from "../../../../lib/devices/modbus/types";

describe("lib/devices/modbus decode", () => {
  // Words as a device sends them, with the value they mean.
  const vectors: [RegisterType, WordOrder, number[], number][] = [
    ["int16", "msw", [0xffff], -1],
    ["uint16", "msw", [0xffff], 65535],
    ["int32", "msw", [0xffff, 0xfffe], -2],
    ["int32", "lsw", [0xfffe, 0xffff], -2],
    ["uint32", "msw", [0x1234, 0x5678], 0x12345678],
    ["uint32", "lsw", [0x5678, 0x1234], 0x12345678],
    ["float32", "msw", [0x3f80, 0x0000], 1],
    ["float32", "lsw", [0x0000, 0x3f80], 1],
    ["float32", "msw", [0x4640, 0xe400], 12345],
    ["uint64", "msw", [1, 2, 3, 4], 2 ** 48 + 2 * 2 ** 32 + 3 * 2 ** 16 + 4],
    ["uint64", "lsw", [4, 3, 2, 1], 2 ** 48 + 2 * 2 ** 32 + 3 * 2 ** 16 + 4],
    ["int64", "msw", [0xffff, 0xffff, 0xffff, 0xfffb], -5],
    ["int64", "lsw", [0xfffb, 0xffff, 0xffff, 0xffff], -5],
    ["float64", "msw", [0x3ff8, 0, 0, 0], 1.5],
    ["float64", "lsw", [0, 0, 0, 0x3ff8], 1.5],
  ];
  for (const [type, order, words, value] of vectors) {
    it(`${type} ${order}-first: ${words.map((w) => w.toString(16)).join(" ")} is ${value}, and encodes back`, () => {
      assert.equal(decodeRegisters(words, type, order), value);
      assert.deepEqual(encodeRegisters(value, type, order), words);
    });
  }

  it("every type and word order round-trips a meter-sized value", () => {
    for (const type of REGISTER_TYPES) {
      for (const order of WORD_ORDERS) {
        const v = type.endsWith("16") ? 1234 : type.startsWith("float") ? 98765.5 : 987654321;
        assert.equal(decodeRegisters(encodeRegisters(v, type, order), type, order), v, `${type} ${order}`);
      }
    }
  });

  it("refuses a word count that does not fit the type", () => {
    assert.throws(() => decodeRegisters([1, 2, 3], "float32", "msw"), /needs 2 registers/);
  });

  it("applies the scale and recognises not-available patterns and NaN", () => {
    const abb = findProfile("abb-b23")!;
    assert.deepEqual(decodeValue([0, 0, 0x0001, 0xe240], abb.importKWh), { ok: true, value: 1234.56, unit: "kWh" });
    assert.deepEqual(decodeValue([0xffff, 0xffff, 0xffff, 0xffff], abb.importKWh), { ok: false, reason: "not-available", raw: "ffffffffffffffff" });
    assert.equal(decodeValue([0x7fc0, 0], findProfile("eastron-sdm630")!.importKWh).ok, false);
  });

  it("shows wire addresses in the manual's numbering and reads them back", () => {
    assert.equal(docAddress(72, 4, "modicon"), "30073");
    assert.equal(docAddress(3203, 3, "one"), "3204");
    assert.equal(docAddress(20480, 3, "hex"), "0x5000");
    assert.equal(docAddress(19026, 3, "wire"), "19026");
    assert.equal(wireAddress("30073", 4, "modicon"), 72);
    assert.equal(wireAddress("300073", 4, "modicon"), 72);
    assert.equal(wireAddress("40001", 3, "modicon"), 0);
    assert.equal(wireAddress("30073", 3, "modicon"), null, "a 3xxxx number is no holding register");
    assert.equal(wireAddress("0x5000", 3, "hex"), 20480);
    assert.equal(wireAddress("0034h", 4, "hex"), 52);
    assert.equal(wireAddress("3204", 3, "one"), 3203);
    assert.equal(wireAddress("0", 3, "one"), null);
    assert.equal(wireAddress("70000", 3, "wire"), null);
  });
});

describe("lib/devices/modbus profiles", () => {
  // The vendors' register lists, written down apart from profiles.ts so a typo there fails here: fc, wire address, type, order, scale, unit.
  const facts: Record<string, Record<"powerW" | "importKWh" | "exportKWh", string>> = {
    "eastron-sdm630": { powerW: "4 52 float32 msw 1 W", importKWh: "4 72 float32 msw 1 kWh", exportKWh: "4 74 float32 msw 1 kWh" },
    "eastron-sdm72": { powerW: "4 52 float32 msw 1 W", importKWh: "4 72 float32 msw 1 kWh", exportKWh: "4 74 float32 msw 1 kWh" },
    "abb-b23": { powerW: "3 23316 int32 msw 0.01 W", importKWh: "3 20480 uint64 msw 0.01 kWh", exportKWh: "3 20484 uint64 msw 0.01 kWh" },
    "carlo-gavazzi-em24": { powerW: "4 40 int32 lsw 0.1 W", importKWh: "4 52 int32 lsw 0.1 kWh", exportKWh: "4 78 int32 lsw 0.1 kWh" },
    "carlo-gavazzi-em340": { powerW: "4 40 int32 lsw 0.1 W", importKWh: "4 52 int32 lsw 0.1 kWh", exportKWh: "4 78 int32 lsw 0.1 kWh" },
    "janitza-umg": { powerW: "3 19026 float32 msw 1 W", importKWh: "3 19068 float32 msw 1 Wh", exportKWh: "3 19076 float32 msw 1 Wh" },
    "schneider-iem3000": { powerW: "3 3059 float32 msw 1 kW", importKWh: "3 3203 int64 msw 1 Wh", exportKWh: "3 3207 int64 msw 1 Wh" },
    "siemens-pac2200": { powerW: "4 65 float32 msw 1 W", importKWh: "4 801 float64 msw 1 Wh", exportKWh: "4 809 float64 msw 1 Wh" },
    "sunspec-213": { powerW: "3 40097 float32 msw 1 W", importKWh: "3 40137 float32 msw 1 Wh", exportKWh: "3 40129 float32 msw 1 Wh" },
  };

  it("the built-in table matches the register facts of the device reference", () => {
    assert.deepEqual(PROFILES.map((p) => p.id).sort(), Object.keys(facts).sort());
    for (const p of PROFILES) {
      for (const field of ["powerW", "importKWh", "exportKWh"] as const) {
        const d = p[field]!;
        assert.equal(`${d.fc} ${d.address} ${d.type} ${d.order} ${d.scale} ${d.unit}`, facts[p.id]![field], `${p.id} ${field}`);
      }
    }
  });

  it("reads adjoining registers in one request and never bridges a gap", () => {
    const sdm = planReads(findProfile("eastron-sdm630")!);
    assert.deepEqual(
      sdm.map((b) => [b.fc, b.address, b.count, b.fields.map((f) => f.field)]),
      [
        [4, 52, 2, ["powerW"]],
        [4, 72, 4, ["importKWh", "exportKWh"]],
      ],
    );
    const janitza = planReads(findProfile("janitza-umg")!);
    assert.equal(janitza.length, 3);
    const abb = planReads(findProfile("abb-b23")!);
    assert.deepEqual(
      abb.map((b) => [b.address, b.count]),
      [
        [20480, 8],
        [23316, 2],
      ],
    );
  });

  it("builds a custom profile from the editor's fields, with manual numbering converted to wire addresses", () => {
    const r = customProfile({
      numbering: "modicon",
      importKWh: { fc: "4", address: "30073", type: "float32", order: "msw", scale: "1", unit: "kWh" },
      powerW: { fc: "4", address: "30053", type: "float32", order: "msw", scale: "", unit: "W" },
      exportKWh: { address: "" },
    });
    assert.ok("profile" in r, JSON.stringify(r));
    assert.equal(r.profile.importKWh.address, 72);
    assert.equal(r.profile.powerW!.address, 52);
    assert.equal(r.profile.exportKWh, undefined);
  });

  it("explains every problem of a custom profile", () => {
    const r = customProfile({ numbering: "wire", importKWh: { fc: "5", address: "x", type: "int128", order: "le", scale: "0", unit: "kW" } });
    assert.ok("errors" in r);
    assert.equal(r.errors.length, 6, r.errors.join("\n"));
    const missing = customProfile({});
    assert.deepEqual("errors" in missing && missing.errors, ["importKWh: address is required"]);
  });
});
