import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..", "..", "..");
/** The files whose issue(...) calls make the billing run's notices. */
const SOURCES = [
  "lib/billing/unbilled.ts",
  "lib/billing/compute.ts",
  "lib/billing/run.ts",
  "lib/billing/substitutes.ts",
  "lib/tariffs/art16.ts",
  "lib/billing/leg.ts",
];
const LANGS = ["en-US", "de", "fr", "it"];
const placeholders = (text: string): string[] => [...new Set([...text.matchAll(/__([A-Za-z0-9_]+)__/g)].map((m) => m[1]!))].sort();

/** code -> English template, as written in the source. */
function sourceTemplates(): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of SOURCES) {
    const text = readFileSync(join(ROOT, f), "utf8");
    const calls = [...text.matchAll(/\bissue\(/g)].length;
    // The template in double quotes, or in single quotes where it holds double quotes (Prettier's choice).
    const found = [...text.matchAll(/\bissue\(\s*"([a-z][A-Za-z0-9]*\.[a-z][A-Za-z0-9]*)",\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')/g)];
    assert.equal(found.length, calls, `${f}: every issue(...) call names its code and its English template as literals`);
    for (const m of found)
      out.set(m[1]!, m[2] !== undefined ? (JSON.parse(`"${m[2]}"`) as string) : (JSON.parse(`"${m[3]!.replace(/\\'/g, "'").replace(/"/g, '\\"')}"`) as string));
  }
  return out;
}

describe("zev-billing: the run's notices in en-US, de, fr, it", () => {
  it("every notice code has a text in the four catalogs with the same placeholders; en-US is the English message", () => {
    const templates = sourceTemplates();
    assert.ok(templates.size >= 14, `found ${templates.size} codes`);
    for (const lang of LANGS) {
      const cat = JSON.parse(readFileSync(join(ROOT, "nodes", "zev-billing", "locales", lang, "zev-billing.json"), "utf8"))["zev-billing"].notice as Record<
        string,
        Record<string, string>
      >;
      for (const [code, template] of templates) {
        const [group, name] = code.split(".") as [string, string];
        const text = cat[group]?.[name];
        assert.equal(typeof text, "string", `${lang}: notice.${code} missing`);
        assert.deepEqual(placeholders(text!), placeholders(template), `${lang} ${code}: placeholders`);
        if (lang === "en-US") assert.equal(text, template, `${code}: en-US catalog and source differ`);
        else assert.notEqual(text, template, `${lang} ${code}: translated`);
      }
      const catalogCodes = Object.entries(cat)
        .flatMap(([g, v]) => Object.keys(v).map((k) => `${g}.${k}`))
        .sort();
      assert.deepEqual(catalogCodes, [...templates.keys()].sort(), `${lang}: no texts for codes that do not exist`);
    }
  });
});
