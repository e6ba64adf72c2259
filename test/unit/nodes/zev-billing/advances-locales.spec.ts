import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..", "..", "..");
const placeholders = (text: string): string[] => [...new Set([...text.matchAll(/__([A-Za-z0-9_]+)__/g)].map((m) => m[1]!))].sort();
const catalog = (lang: string): { status: Record<string, string>; problems: { advances: Record<string, string> } } =>
  JSON.parse(readFileSync(join(ROOT, "nodes", "zev-billing", "locales", lang, "zev-billing.json"), "utf8"))["zev-billing"];

describe("advances: the node's texts in en-US, de, fr, it", () => {
  it("the advances status and the problems a person meets most have a text with the same placeholders in each catalog", () => {
    const en = catalog("en-US");
    const keys = ["mixed", "noPlan", "amountRappen"];
    for (const lang of ["de", "fr", "it"]) {
      const c = catalog(lang);
      assert.deepEqual(placeholders(c.status.advances!), placeholders(en.status.advances!), `${lang} status.advances`);
      for (const k of keys) {
        assert.ok(c.problems.advances[k], `${lang} problems.advances.${k}`);
        assert.notEqual(c.problems.advances[k], en.problems.advances[k], `${lang} problems.advances.${k} is translated`);
        assert.deepEqual(placeholders(c.problems.advances[k]!), placeholders(en.problems.advances[k]!), `${lang} problems.advances.${k}`);
      }
    }
  });

  it("the English catalog says what lib/billing/advances.ts says, placeholders included", () => {
    const src = readFileSync(join(ROOT, "lib", "billing", "advances.ts"), "utf8");
    const en = catalog("en-US").problems.advances;
    for (const [code, text] of Object.entries(en)) {
      assert.ok(src.includes(`"${code}"`), `lib/billing/advances.ts raises advances.${code}`);
      assert.ok(src.replace(/\s+/g, " ").includes(text.slice(0, 40)), `advances.${code}: ${text.slice(0, 40)}`);
    }
  });
});
