import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..", "..", "..");
const placeholders = (text: string): string[] => [...new Set([...text.matchAll(/__([A-Za-z0-9_]+)__/g)].map((m) => m[1]!))].sort();
const catalog = (lang: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(ROOT, "nodes", "zev-billing", "locales", lang, "zev-billing.json"), "utf8"))["zev-billing"];
const flat = (o: unknown, prefix = ""): Map<string, string> => {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(o as Record<string, unknown>)) {
    if (typeof v === "string") out.set(prefix + k, v);
    else for (const [kk, vv] of flat(v, `${prefix}${k}.`)) out.set(kk, vv);
  }
  return out;
};

describe("payments: the node's texts in en-US, de, fr, it", () => {
  it("every payments status, notice and camt problem has a translated text with the same placeholders in each catalog", () => {
    const pick = (lang: string): Map<string, string> => {
      const c = catalog(lang) as { status: Record<string, string>; paymentNotice: unknown; problems: Record<string, unknown> };
      return new Map([
        ["status.payments", c.status.payments!],
        ...flat(c.paymentNotice, "paymentNotice."),
        ...flat(c.problems.camt, "problems.camt."),
        ...flat(c.problems.payments, "problems.payments."),
      ]);
    };
    const en = pick("en-US");
    assert.ok(en.size >= 13, `found ${en.size}`);
    // the codes lib/payments raises
    const src = readFileSync(join(ROOT, "lib", "payments", "camt.ts"), "utf8") + readFileSync(join(ROOT, "lib", "payments", "match.ts"), "utf8");
    for (const code of [
      "camt.xml",
      "camt.notCamt",
      "camt.amount",
      "camt.currency",
      "camt.date",
      "camt.entryAmount",
      "camt.creditDebit",
      "camt.txAmount",
      "camt.noBody",
      "payments.noCommunity",
    ]) {
      assert.ok(src.includes(`"${code}"`), `${code} raised in lib/payments`);
      assert.ok(en.has(`problems.${code}`), `${code} in the en-US catalog`);
    }
    for (const lang of ["de", "fr", "it"]) {
      const t = pick(lang);
      assert.deepEqual([...t.keys()].sort(), [...en.keys()].sort(), lang);
      for (const [k, v] of en) {
        assert.deepEqual(placeholders(t.get(k)!), placeholders(v), `${lang} ${k}`);
        assert.notEqual(t.get(k), v, `${lang} ${k} translated`);
      }
    }
  });
});
