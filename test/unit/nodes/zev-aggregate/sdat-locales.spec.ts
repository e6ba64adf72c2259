import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseSdat, SDAT_ERROR_CODES, SdatError } from "../../../../lib/operator/sdat";
import { sdatXml, same } from "../../../support/sdat";

const LANGS = ["en-US", "de", "fr", "it"];
const texts = (lang: string): Record<string, string> =>
  (
    JSON.parse(readFileSync(join(__dirname, "..", "..", "..", "..", "nodes", "zev-aggregate", "locales", lang, "zev-aggregate.json"), "utf8")) as {
      "zev-aggregate": { problems: { sdat: Record<string, string> } };
    }
  )["zev-aggregate"].problems.sdat;
const placeholders = (t: string): string[] => [...new Set(t.match(/__[A-Za-z0-9]+__/g) ?? [])].sort();

describe("SDAT import errors in zev-aggregate's four catalogs", () => {
  it("every SDAT error code has a text in en-US, de, fr and it with the same placeholders", () => {
    const en = texts("en-US");
    assert.deepEqual(Object.keys(en).sort(), SDAT_ERROR_CODES.map((c) => c.slice(5)).sort());
    for (const lang of LANGS) {
      const t = texts(lang);
      for (const code of SDAT_ERROR_CODES) {
        const key = code.slice(5);
        assert.ok(t[key], `${lang} lacks problems.${code}`);
        assert.deepEqual(placeholders(t[key]!), placeholders(en[key]!), `${lang} ${code}`);
      }
    }
  });

  it("the errors the parser throws carry every param their texts use", () => {
    const P = "CH1";
    const D = "2026-11-01T23:00:00Z";
    const bad = [
      "<a",
      sdatXml({ namespace: "urn:x", blocks: [{ point: P, direction: "consumption", start: D, observations: same(1, "1") }] }),
      sdatXml({ blocks: [{ point: P, direction: "consumption", start: D, observations: same(1, "1") }] }).replace(
        /ValidatedMeteredData_16/g,
        "ValidatedMeteredData_99",
      ),
      sdatXml({ blocks: [{ point: P, direction: "consumption", start: D, resolution: "60", observations: same(1, "1") }] }),
      sdatXml({ blocks: [{ point: P, direction: "consumption", start: D, measureUnit: "MWH", observations: same(1, "1") }] }),
      sdatXml({ blocks: [{ point: P, direction: "consumption", start: D, observations: [{ kWh: "x" }] }] }),
      sdatXml({ blocks: [{ point: P, direction: "consumption", start: D, observations: [{ kWh: "1", sequence: 0 }] }] }),
      sdatXml({ blocks: [{ point: P, direction: "consumption", start: D, product: "2404050010123", observations: same(1, "1") }] }),
      sdatXml({ blocks: [{ point: P, direction: "consumption", start: D, observations: same(1, "1") }] }).replace(/<rsm:Creation>[^<]*<\/rsm:Creation>/, ""),
    ];
    const en = texts("en-US");
    const seen = new Set<string>();
    for (const xml of bad) {
      try {
        parseSdat(xml, "f.xml");
        assert.fail(`accepted: ${xml.slice(0, 80)}`);
      } catch (e) {
        assert.ok(e instanceof SdatError, String(e));
        seen.add(e.code);
        for (const p of placeholders(en[e.code.slice(5)]!))
          assert.ok(Object.prototype.hasOwnProperty.call(e.params, p.slice(2, -2)), `${e.code} lacks param ${p}`);
      }
    }
    assert.deepEqual([...seen].sort(), [
      "sdat.badValue",
      "sdat.malformed",
      "sdat.missingElement",
      "sdat.noSeries",
      "sdat.notSdat",
      "sdat.resolution",
      "sdat.sequence",
      "sdat.unit",
      "sdat.version",
    ]);
  });
});
