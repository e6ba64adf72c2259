import assert from "node:assert/strict";
import { LANGUAGES } from "../../../lib/model/party";
import { PORTAL_TEXTS } from "../../../lib/portal/i18n";
import { PORTAL_JS } from "../../../lib/portal/page";

describe("tenant portal texts in de, fr, it, en", () => {
  it("every language has every text, each translated, and the page uses every one of them", () => {
    const en = PORTAL_TEXTS.en;
    const keys = Object.keys(en).sort();
    for (const lang of LANGUAGES) {
      const t = PORTAL_TEXTS[lang];
      assert.deepEqual(Object.keys(t).sort(), keys, lang);
      for (const k of keys) {
        const v = t[k as keyof typeof t];
        assert.ok(v.trim().length > 0, `${lang}.${k} empty`);
        // short technical words (kWh, PDF, Status, Normal, Solar) may be the same in two languages
        if (lang !== "en" && v.length > 7) assert.notEqual(v, en[k as keyof typeof en], `${lang}.${k} not translated`);
      }
    }
    const script = PORTAL_JS.slice(PORTAL_JS.indexOf('"use strict"'));
    for (const k of keys) assert.ok(new RegExp(`\\bT\\.${k}\\b`).test(script), `T.${k} unused by the page`);
  });
});
