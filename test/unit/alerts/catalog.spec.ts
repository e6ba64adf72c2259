import assert from "node:assert/strict";
import { alertLanguage, alertTime, buildAlert } from "../../../lib/alerts/build";
import { ALERT_CODES, ALERT_SPECS, ALERT_TEXTS } from "../../../lib/alerts/catalog";
import { ALERT_SEVERITIES } from "../../../lib/model/alert";
import { LANGUAGES } from "../../../lib/model/party";

const placeholders = (t: string): string[] => [...new Set(t.match(/__[A-Za-z0-9_]+__/g) ?? [])].map((p) => p.slice(2, -2));

const SAMPLE: Record<string, string | number> = {
  meter: "unit-1",
  minutes: 20,
  month: "2026-12",
  coverage: 0.9312,
  threshold: 0.95,
  count: 12,
  folder: "zev/backups",
  device: "unit-1",
};

describe("alert texts", () => {
  it("every code has a severity and the same texts in de, fr, it and en, using only its own params", () => {
    for (const code of ALERT_CODES) {
      const spec = ALERT_SPECS[code];
      assert.ok(ALERT_SEVERITIES.includes(spec.severity), code);
      const keys = Object.keys(ALERT_TEXTS.en[code]).sort();
      assert.ok(keys.includes("raised") && keys.includes("resolved"), `${code}: raised and resolved`);
      for (const lang of LANGUAGES) {
        const set = ALERT_TEXTS[lang][code];
        assert.deepEqual(Object.keys(set).sort(), keys, `${lang} ${code}: the same texts as en`);
        for (const [k, text] of Object.entries(set)) {
          assert.ok(text.trim().length > 20, `${lang} ${code} ${k}`);
          for (const p of placeholders(text)) assert.ok([...spec.params, "since", "at"].includes(p), `${lang} ${code} ${k}: unknown placeholder ${p}`);
          assert.deepEqual(placeholders(text).sort(), placeholders(ALERT_TEXTS.en[code][k]!).sort(), `${lang} ${code} ${k}: same placeholders as en`);
        }
      }
    }
  });

  it("a built alert has every placeholder filled, in each language and for every variant", () => {
    for (const code of ALERT_CODES)
      for (const lang of LANGUAGES)
        for (const key of Object.keys(ALERT_TEXTS.en[code])) {
          const [state, ...variant] = key.split("-") as ["raised" | "resolved", ...string[]];
          const params = Object.fromEntries(ALERT_SPECS[code].params.map((p) => [p, SAMPLE[p]!]));
          const a = buildAlert(
            {
              state,
              key: `${code}:x`,
              code,
              since: Date.UTC(2026, 11, 2, 2, 15),
              at: Date.UTC(2026, 11, 2, 2, 35),
              data: { subject: {}, params, variant: variant.join("-") || undefined },
            },
            { community: "c", language: lang, timeZone: "Europe/Zurich" },
          );
          assert.doesNotMatch(a.text, /__/, `${lang} ${code} ${key}: ${a.text}`);
          assert.equal(a.language, lang);
          assert.equal(a.state, state);
          assert.equal(a.since, "2026-12-02T02:15:00.000Z");
          if (key.includes("-"))
            assert.notEqual(ALERT_TEXTS[lang][code][key], ALERT_TEXTS[lang][code][state], `${lang} ${code} ${key}: a variant says something else`);
        }
  });

  it("times are local and shares are percentages in the text, machine values in params", () => {
    const a = buildAlert(
      {
        state: "raised",
        key: "coverage-low:unit-1:2026-12",
        code: "coverage-low",
        since: Date.UTC(2026, 11, 2, 2, 15),
        at: Date.UTC(2026, 11, 2, 2, 30),
        data: { subject: { meter: "unit-1", unit: "1" }, params: { meter: "unit-1", month: "2026-12", coverage: 0.9312, threshold: 0.95 } },
      },
      { community: "sonnenweg", language: "de", timeZone: "Europe/Zurich" },
    );
    assert.match(a.text, /nur 93\.1 % der bisherigen Viertelstunden/);
    assert.match(a.text, /die 95 %/);
    assert.equal(a.params.coverage, 0.9312);
    assert.equal(a.severity, "critical");
    assert.equal(alertTime(Date.UTC(2026, 11, 2, 2, 15), "fr", "Europe/Zurich"), "02.12.2026 03:15");
    assert.equal(alertTime(Date.UTC(2026, 6, 2, 2, 15), "en", "Europe/Zurich"), "2026-07-02 04:15");
  });

  it("the language is the community owner's, English without a community", () => {
    assert.equal(alertLanguage({ owner: { language: "fr" } as never }), "fr");
    assert.equal(alertLanguage(undefined), "en");
  });
});
