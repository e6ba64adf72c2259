import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { localisedError } from "../../../nodes/shared/translate";
import { CODED_ERROR_TEXTS, codedError } from "../../../lib/util/coded-error";
import { fillPlaceholders } from "../../../lib/util/issue";

const NODES = ["zev-aggregate", "zev-billing"];
const LANGS = ["en-US", "de", "fr", "it"];
const catalog = (node: string, lang: string): { problems?: Record<string, string> } =>
  (
    JSON.parse(readFileSync(join(__dirname, "..", "..", "..", "nodes", node, "locales", lang, `${node}.json`), "utf8")) as Record<
      string,
      { problems?: Record<string, string> }
    >
  )[node]!;
const placeholders = (t: string): string[] => [...new Set(t.match(/__[A-Za-z0-9_]+__/g) ?? [])].sort();

describe("coded errors from lib/ in the nodes", () => {
  it("every code lib/ throws has a text in each node that shows it, in en-US, de, fr and it, with the same placeholders", () => {
    for (const node of NODES) {
      for (const lang of LANGS) {
        const problems = catalog(node, lang).problems ?? {};
        for (const [code, english] of Object.entries(CODED_ERROR_TEXTS)) {
          const text = problems[code];
          assert.ok(text, `${node} ${lang} lacks problems.${code}`);
          assert.deepEqual(placeholders(text), placeholders(english), `${node} ${lang} ${code}`);
          if (lang === "en-US") assert.equal(text, english, `${node} en-US ${code} differs from lib/util/coded-error.ts`);
        }
      }
    }
  });

  it("a node turns a coded error into the editor's language and keeps code and params", () => {
    const de = catalog("zev-billing", "de").problems!;
    const RED = {
      _: (key: string, vars?: Record<string, unknown>) =>
        key.startsWith("zev-billing.problems.") ? fillPlaceholders(de[key.slice(21)]!, vars as Record<string, string>) : key,
    };
    const e = codedError("stored-negative-interval", { meter: "pv", start: "2026-11-30T09:00:00.000Z", field: "import", valueWh: -1, db: "/data/zev.sqlite" });
    const out = localisedError(RED as never, "zev-billing", e) as Error & { code: string; params: Record<string, unknown> };
    assert.match(out.message, /^Zähler pv hat ein negatives Intervall am 2026-11-30T09:00:00.000Z \(import -1 Wh\).*"zev check --db \/data\/zev.sqlite"/);
    assert.equal(out.code, "stored-negative-interval");
    assert.ok(Object.prototype.hasOwnProperty.call(out, "code"), "Node-RED copies an own `code` into msg.error.code");
    // Node-RED's Catch message shows err.toString(): the text alone, no "Error:" or "RangeError:" in front
    assert.equal(String(out), out.message);
    assert.equal(out.params.meter, "pv");
    // no catalog (the key comes back): the English text, never the key
    const bare = localisedError({ _: (k: string) => k } as never, "zev-aggregate", e);
    assert.equal(bare.message, e.message);
    // any other error passes unchanged
    const other = new Error("x");
    assert.equal(localisedError(RED as never, "zev-billing", other), other);
  });
});
