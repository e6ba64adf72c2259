import assert from "node:assert/strict";
import { join } from "node:path";
import type { CommunityDefinition } from "../../../lib/community/types";
import { validateCommunity } from "../../../lib/community/validate";
import { parseSdat, SdatError } from "../../../lib/operator/sdat";
import { importSdat } from "../../../lib/operator/sdat-import";
import { saveCommunity } from "../../../lib/store/community-repo";
import { meterIntervals, upsertIntervals } from "../../../lib/store/interval-repo";
import { getMeter } from "../../../lib/store/meter-repo";
import { SqliteStore } from "../../../lib/store/sqlite-store";
import { localDayIntervalStarts } from "../../../lib/time/local-date";
import { minimalCommunity } from "../../support/community-fixture";
import { same, sdatXml, type SdatDoc } from "../../support/sdat";
import { useTmpDir } from "../../support/tmp";

const GRID = "CH1001234567890000000000000000001";
const PV = "CH1001234567890000000000000000002";
const U1 = "CH1001234567890000000000000000003";
const DAY = "2026-11-01T23:00:00Z"; // 2026-11-02 00:00 Europe/Zurich
const T0 = Date.parse(DAY);
const Q = 900_000;

function community(): CommunityDefinition {
  return minimalCommunity({
    kind: "vZEV",
    meters: [
      { id: "grid", role: "grid", meteringPoint: GRID },
      { id: "pv", role: "production", meteringPoint: PV },
      { id: "m-u1", role: "unit", unit: "u1", meteringPoint: U1 },
    ],
  });
}

describe("lib/operator SDAT-CH import", () => {
  const tmp = useTmpDir();
  let store: SqliteStore;
  beforeEach(() => {
    store = SqliteStore.open(join(tmp(), "zev.sqlite"));
    saveCommunity(store, community(), { source: "test", actor: "test" });
  });
  afterEach(() => store.close());

  const rows = (meter: string, from = T0, to = T0 + 200 * Q) => meterIntervals(store, getMeter(store, "test-zev", meter)!.id, from, to);
  const run = (doc: SdatDoc, file = "f.xml", dryRun = false) => importSdat(store, "test-zev", parseSdat(sdatXml(doc), file), { actor: "test", dryRun });

  it("reads versions 1.2 and 1.6 with the rsm prefix, another prefix and the default namespace alike", () => {
    for (const [version, prefix] of [
      ["12", "rsm"],
      ["16", "rsm"],
      ["13", "ns0"],
      ["16", ""],
    ] as const) {
      const d = parseSdat(
        sdatXml({
          version,
          prefix,
          blocks: [{ point: GRID, direction: "consumption", start: DAY, observations: [{ kWh: "0.250" }, { kWh: "1.5", condition: "56" }] }],
        }),
        "x.xml",
      );
      assert.equal(d.version, version);
      assert.equal(d.series.length, 1);
      assert.deepEqual(
        d.series[0]!.observations.map((o) => [o.startMs, o.wh, o.quality]),
        [
          [T0, 250, "measured"],
          [T0 + Q, 1500, "estimated"],
        ],
        `version ${version} prefix ${JSON.stringify(prefix)}`,
      );
    }
  });

  it("finds InstanceDocument also directly under the root, and refuses a document without its Creation", () => {
    const xml = sdatXml({ version: "12", blocks: [{ point: GRID, direction: "consumption", start: DAY, observations: same(1, "1") }] });
    const flat = xml.replace(
      /<rsm:ValidatedMeteredData_HeaderInformation>.*?(<rsm:InstanceDocument>.*?<\/rsm:InstanceDocument>).*?<\/rsm:ValidatedMeteredData_HeaderInformation>/s,
      "$1",
    );
    assert.notEqual(flat, xml);
    const d = parseSdat(flat, "flat.xml");
    assert.equal(d.documentId, "DOC-1");
    assert.equal(d.createdMs, Date.parse("2026-11-02T06:00:00Z"));
    assert.throws(() => parseSdat(xml.replace(/<rsm:Creation>[^<]*<\/rsm:Creation>/, ""), "nc.xml"), /nc\.xml: InstanceDocument\/Creation is missing/);
  });

  it("puts a grid meter's consumption into import and its production into export, the same metering point for both", () => {
    const r = run({
      blocks: [
        { point: GRID, direction: "consumption", start: DAY, observations: same(4, "0.100") },
        { point: GRID, direction: "production", start: DAY, observations: same(4, "0.020") },
      ],
    });
    assert.deepEqual(
      r.series.map((s) => [s.direction, s.column, s.stored]),
      [
        ["consumption", "import", 4],
        ["production", "export", 4],
      ],
    );
    assert.deepEqual(
      rows("grid").map((x) => [x.importWh, x.exportWh, x.quality]),
      Array(4).fill([100, 20, "measured"]),
    );
  });

  it("puts a production meter's production (feed-in) into its primary direction and leaves a direction never delivered empty, not 0", () => {
    run({ blocks: [{ point: PV, direction: "production", start: DAY, observations: same(3, "0.400") }] });
    assert.deepEqual(
      rows("pv").map((x) => [x.importWh, x.exportWh, x.quality]),
      Array(3).fill([400, null, "measured"]),
    );
    run({ documentId: "D2", blocks: [{ point: PV, direction: "consumption", start: DAY, observations: same(3, "0.002") }] });
    assert.deepEqual(
      rows("pv").map((x) => [x.importWh, x.exportWh]),
      Array(3).fill([400, 2]),
    );
  });

  it("reads a fall-back day as 100 and a spring-forward day as 92 quarter hours, from UTC arithmetic", () => {
    const fall = "2026-10-24T22:00:00Z";
    run({ blocks: [{ point: U1, direction: "consumption", start: fall, end: "2026-10-25T23:00:00Z", observations: same(100, "0.1") }] });
    const starts = localDayIntervalStarts("2026-10-25");
    assert.equal(starts.length, 100);
    assert.deepEqual(
      rows("m-u1", Date.parse(fall), Date.parse("2026-10-26T00:00:00Z")).map((x) => x.startMs),
      starts,
    );
    const spring = "2026-03-28T23:00:00Z";
    run({ documentId: "S", blocks: [{ point: U1, direction: "consumption", start: spring, end: "2026-03-29T22:00:00Z", observations: same(92, "0.1") }] });
    assert.deepEqual(
      rows("m-u1", Date.parse(spring), Date.parse("2026-03-30T00:00:00Z")).map((x) => x.startMs),
      localDayIntervalStarts("2026-03-29"),
    );
    assert.throws(
      () =>
        parseSdat(
          sdatXml({ blocks: [{ point: U1, direction: "consumption", start: spring, end: "2026-03-29T22:00:00Z", observations: same(96, "0.1") }] }),
          "long.xml",
        ),
      /long\.xml: .*sequence 93 lies after the interval's end/,
    );
  });

  it("flags substitutes as estimated and placeholders as not a measurement; a quarter hour takes the worse of its two directions", () => {
    run({
      blocks: [
        {
          point: GRID,
          direction: "consumption",
          start: DAY,
          observations: [{ kWh: "0.1" }, { kWh: "0.1", condition: "56" }, { kWh: "0", condition: "A02" }, { kWh: "0.1" }],
        },
        { point: GRID, direction: "production", start: DAY, observations: [{ kWh: "0.1" }, { kWh: "0.1" }, { kWh: "0.1" }, { kWh: "0.1", condition: "56" }] },
      ],
    });
    assert.deepEqual(
      rows("grid").map((x) => [x.importWh, x.exportWh, x.quality]),
      [
        [100, 100, "measured"],
        [100, 100, "estimated"],
        [null, 100, "missing"],
        [100, 100, "estimated"],
      ],
    );
  });

  it("reads an unknown condition code as not a true value and reports it", () => {
    const r = run({
      blocks: [
        {
          point: U1,
          direction: "consumption",
          start: DAY,
          observations: [
            { kWh: "0.1", condition: "XY9" },
            { kWh: "0.1", condition: "XY9" },
          ],
        },
      ],
    });
    assert.deepEqual(r.series[0]!.unknownConditions, { XY9: 2 });
    assert.match(r.warnings.join("\n"), /condition code\(s\) XY9 \(2x\) are not known.*not a true value/);
    assert.deepEqual(
      rows("m-u1").map((x) => x.quality),
      ["estimated", "estimated"],
    );
  });

  it("changes nothing on a re-delivery of identical data", () => {
    const doc: SdatDoc = { blocks: [{ point: U1, direction: "consumption", start: DAY, observations: [{ kWh: "0.1" }, { kWh: "0.2", condition: "56" }] }] };
    run(doc);
    const before = store.db.prepare("SELECT * FROM intervals ORDER BY start_ms").all();
    const r = run({ ...doc, documentId: "DOC-again", created: "2026-11-03T06:00:00Z" });
    assert.deepEqual([r.series[0]!.stored, r.series[0]!.replaced, r.series[0]!.unchanged, r.series[0]!.kept], [0, 0, 2, 0]);
    assert.deepEqual(store.db.prepare("SELECT * FROM intervals ORDER BY start_ms").all(), before);
  });

  it("never lets a substitute or placeholder overwrite a measured value; a later true value replaces a substitute", () => {
    run({ blocks: [{ point: U1, direction: "consumption", start: DAY, observations: [{ kWh: "0.1" }, { kWh: "0.3", condition: "56" }] }] });
    const r1 = run({
      documentId: "D2",
      created: "2026-11-05T06:00:00Z",
      blocks: [
        {
          point: U1,
          direction: "consumption",
          start: DAY,
          observations: [
            { kWh: "0.9", condition: "56" },
            { kWh: null, condition: "A02" },
          ],
        },
      ],
    });
    assert.deepEqual([r1.series[0]!.kept, r1.series[0]!.replaced], [2, 0]);
    assert.deepEqual(
      rows("m-u1").map((x) => [x.importWh, x.quality]),
      [
        [100, "measured"],
        [300, "estimated"],
      ],
    );
    const r2 = run({
      documentId: "D3",
      created: "2026-11-06T06:00:00Z",
      blocks: [{ point: U1, direction: "consumption", start: DAY, observations: [{ kWh: "0.1" }, { kWh: "0.25" }] }],
    });
    assert.deepEqual([r2.series[0]!.unchanged, r2.series[0]!.replaced, r2.series[0]!.trueValuesReplaced], [1, 1, 0]);
    assert.deepEqual(
      rows("m-u1").map((x) => [x.importWh, x.quality]),
      [
        [100, "measured"],
        [250, "measured"],
      ],
    );
  });

  it("lets the later document win between two true values and reports the replacement; an older document's true value is kept", () => {
    run({ documentId: "A", created: "2026-11-02T06:00:00Z", blocks: [{ point: U1, direction: "consumption", start: DAY, observations: same(2, "0.1") }] });
    const r = run({
      documentId: "B",
      created: "2026-11-09T06:00:00Z",
      blocks: [{ point: U1, direction: "consumption", start: DAY, observations: [{ kWh: "0.1" }, { kWh: "0.12" }] }],
    });
    assert.equal(r.series[0]!.trueValuesReplaced, 1);
    assert.deepEqual(r.series[0]!.trueValueReplacements, [{ startMs: T0 + Q, oldWh: 100, newWh: 120, previousDocument: "A" }]);
    const old = run({
      documentId: "OLD",
      created: "2026-11-01T06:00:00Z",
      blocks: [{ point: U1, direction: "consumption", start: DAY, observations: same(2, "0.5") }],
    });
    assert.deepEqual([old.series[0]!.kept, old.series[0]!.replaced], [2, 0]);
    assert.deepEqual(
      rows("m-u1").map((x) => x.importWh),
      [100, 120],
    );
  });

  it("merges a partial overlap by the same rules: new quarter hours stored, overlapped ones decided one by one", () => {
    run({ blocks: [{ point: U1, direction: "consumption", start: DAY, observations: [{ kWh: "0.1" }, { kWh: "0.1", condition: "56" }, { kWh: "0.1" }] }] });
    const r = run({
      documentId: "D2",
      created: "2026-11-07T06:00:00Z",
      blocks: [
        {
          point: U1,
          direction: "consumption",
          start: new Date(T0 + Q).toISOString(),
          observations: [{ kWh: "0.2" }, { kWh: "0.3", condition: "56" }, { kWh: "0.4" }],
        },
      ],
    });
    const s = r.series[0]!;
    assert.deepEqual([s.stored, s.replaced, s.kept], [1, 1, 1]);
    assert.deepEqual(
      rows("m-u1").map((x) => [x.importWh, x.quality]),
      [
        [100, "measured"],
        [200, "measured"],
        [100, "measured"],
        [400, "measured"],
      ],
    );
  });

  it("replaces the community's own measured value by the operator's (the billing reference) but never by its substitute", () => {
    const id = getMeter(store, "test-zev", "m-u1")!.id;
    upsertIntervals(store, [
      { meterId: id, startMs: T0, importWh: 90, exportWh: 0, quality: "measured" },
      { meterId: id, startMs: T0 + Q, importWh: 90, exportWh: 0, quality: "measured" },
    ]);
    const r = run({ blocks: [{ point: U1, direction: "consumption", start: DAY, observations: [{ kWh: "0.1" }, { kWh: "0.5", condition: "56" }] }] });
    assert.deepEqual([r.series[0]!.replaced, r.series[0]!.kept], [1, 1]);
    assert.deepEqual(
      rows("m-u1").map((x) => [x.importWh, x.exportWh, x.quality]),
      [
        [100, 0, "measured"],
        [90, 0, "measured"],
      ],
    );
  });

  it("stores nothing in a dry run", () => {
    const r = run({ blocks: [{ point: U1, direction: "consumption", start: DAY, observations: same(2, "0.1") }] }, "f.xml", true);
    assert.equal(r.series[0]!.stored, 2);
    assert.equal(rows("m-u1").length, 0);
  });

  it("imports only the active-energy product and notes a LEG split product", () => {
    const r = run({
      blocks: [
        { point: U1, direction: "consumption", start: DAY, observations: same(1, "0.3") },
        { point: U1, direction: "consumption", start: DAY, product: "2404050010123", observations: same(1, "0.1") },
      ],
    });
    assert.equal(r.series.length, 1);
    assert.match(r.notes.join(), /product 2404050010123 is not active energy/);
    assert.deepEqual(
      rows("m-u1").map((x) => x.importWh),
      [300],
    );
  });

  describe("refused files name the file and say what to do; nothing is stored", () => {
    const code = (f: () => unknown): string => {
      try {
        f();
      } catch (e) {
        assert.ok(e instanceof SdatError, String(e));
        return `${e.code}: ${e.message}`;
      }
      assert.fail("no error");
    };
    it("malformed XML", () => {
      assert.match(
        code(() => parseSdat("<rsm:ValidatedMeteredData_16 xmlns:rsm='http://www.strom.ch'><rsm:MeteringData>", "bad.xml")),
        /^sdat\.malformed: bad\.xml: not well-formed XML .*ask the grid operator to send it again/,
      );
      assert.match(
        code(() => parseSdat("not xml at all", "junk.xml")),
        /^sdat\.malformed: junk\.xml/,
      );
    });
    it("elements nested deeper than 64 levels, at the first one (64 still parse, and fail on what an SDAT document lacks)", () => {
      const nested = (depth: number): string =>
        `<rsm:ValidatedMeteredData_16 xmlns:rsm='http://www.strom.ch'>${"<rsm:X>".repeat(depth - 1)}${"</rsm:X>".repeat(depth - 1)}</rsm:ValidatedMeteredData_16>`;
      assert.doesNotMatch(
        code(() => parseSdat(nested(64), "deep.xml")),
        /^sdat\.malformed/,
      );
      assert.match(
        code(() => parseSdat(nested(65), "deep.xml")),
        /^sdat\.malformed: deep\.xml: not well-formed XML \(elements nested deeper than 64 levels/,
      );
      assert.match(
        code(() => parseSdat(nested(200_000), "deep.xml")),
        /nested deeper than 64 levels/,
      );
    });
    it("wrong namespace or version", () => {
      assert.match(
        code(() =>
          parseSdat(
            sdatXml({ namespace: "http://www.example.com", blocks: [{ point: U1, direction: "consumption", start: DAY, observations: same(1, "1") }] }),
            "ns.xml",
          ),
        ),
        /^sdat\.notSdat: ns\.xml: .*namespace must be http:\/\/www\.strom\.ch/,
      );
      assert.match(
        code(() =>
          parseSdat(
            sdatXml({ blocks: [{ point: U1, direction: "consumption", start: DAY, observations: same(1, "1") }] }).replace(
              /ValidatedMeteredData_16/g,
              "ValidatedMeteredData_11",
            ),
            "v.xml",
          ),
        ),
        /^sdat\.version: v\.xml: ValidatedMeteredData_11 is not a supported version/,
      );
    });
    it("a resolution other than 15 minutes", () => {
      assert.match(
        code(() =>
          parseSdat(sdatXml({ blocks: [{ point: U1, direction: "consumption", start: DAY, resolution: "60", observations: same(1, "1") }] }), "h.xml"),
        ),
        /^sdat\.resolution: h\.xml: .* resolution 60 MIN; only 15-minute data/,
      );
      assert.match(
        code(() =>
          parseSdat(
            sdatXml({ blocks: [{ point: U1, direction: "consumption", start: DAY, resolution: "1", unit: "HOUR", observations: same(1, "1") }] }),
            "h.xml",
          ),
        ),
        /^sdat\.resolution/,
      );
    });
    it("a repeated sequence and a negative volume", () => {
      assert.match(
        code(() =>
          parseSdat(
            sdatXml({
              blocks: [
                {
                  point: U1,
                  direction: "consumption",
                  start: DAY,
                  observations: [
                    { kWh: "1", sequence: 1 },
                    { kWh: "1", sequence: 1 },
                  ],
                },
              ],
            }),
            "d.xml",
          ),
        ),
        /^sdat\.sequence: d\.xml: .* sequence 1 twice/,
      );
      assert.match(
        code(() => parseSdat(sdatXml({ blocks: [{ point: U1, direction: "consumption", start: DAY, observations: [{ kWh: "-1" }] }] }), "n.xml")),
        /^sdat\.badValue: n\.xml/,
      );
    });
    it("an unknown metering point next to known ones, and a document of another community", () => {
      const mixed = parseSdat(
        sdatXml({
          blocks: [
            { point: U1, direction: "consumption", start: DAY, observations: same(1, "1") },
            { point: "CH9999", direction: "consumption", start: DAY, observations: same(1, "1") },
          ],
        }),
        "mixed.xml",
      );
      assert.match(
        code(() => importSdat(store, "test-zev", mixed, { actor: "t" })),
        /^sdat\.unknownMeteringPoint: mixed\.xml: metering point CH9999 belongs to no meter of community test-zev; nothing of this file was stored/,
      );
      assert.equal(rows("m-u1").length, 0);
      const other = parseSdat(sdatXml({ blocks: [{ point: "CH8888", direction: "consumption", start: DAY, observations: same(1, "1") }] }), "other.xml");
      assert.match(
        code(() => importSdat(store, "test-zev", other, { actor: "t" })),
        /^sdat\.otherCommunity: other\.xml: no meter of community test-zev has metering point CH8888: the document is for another community/,
      );
    });
  });

  it("validates meteringPoint: unique within the community and a sane charset", () => {
    const def = community();
    def.meters![1]!.meteringPoint = GRID;
    def.meters![2]!.meteringPoint = "CH 1<2>";
    const issues = validateCommunity(def);
    assert.deepEqual(
      issues.map((i) => [i.path, i.code]),
      [
        ["meters[1].meteringPoint", "meter.meteringPointDuplicate"],
        ["meters[2].meteringPoint", "meter.meteringPoint"],
      ],
    );
  });
});
