import assert from "node:assert/strict";
import {
  BILLING_ALERT_CODES,
  BILLING_ALERT_TEXTS,
  billingAlertText,
  billingRunAlerts,
  FAILURE_REASON_TEXTS,
  FAILURE_REASONS,
  RESOLVED_TEXTS,
} from "../../../lib/billing/alerts";
import { LANGUAGES } from "../../../lib/model/party";
import { saveCommunity } from "../../../lib/store/community-repo";
import { SqliteStore } from "../../../lib/store/sqlite-store";
import { threeUnitCommunity } from "../../support/billing-fixture";

const placeholders = (text: string): string[] => [...new Set([...text.matchAll(/__([A-Za-z0-9_]+)__/g)].map((m) => m[1]!))].sort();

describe("billing alerts (lib/billing/alerts.ts)", () => {
  it("every code and failure reason has a text in de, fr, it and en with the same placeholders, and the filled text leaves none open", () => {
    const params = { period: "2026-11", count: 2, meters: "unit-1 35.0 %", threshold: "95 %", days: 3, first: "2026-11-01" };
    for (const lang of LANGUAGES) {
      assert.ok(RESOLVED_TEXTS[lang]);
      for (const code of BILLING_ALERT_CODES) {
        const text = BILLING_ALERT_TEXTS[code][lang];
        assert.ok(text, `${code} ${lang}`);
        assert.deepEqual(placeholders(text), placeholders(BILLING_ALERT_TEXTS[code].en), `${code} ${lang}: placeholders`);
        if (lang !== "en") assert.notEqual(text, BILLING_ALERT_TEXTS[code].en, `${code} ${lang}: translated`);
        for (const reason of FAILURE_REASONS) {
          const filled = billingAlertText(code, { ...params, reason }, lang);
          assert.doesNotMatch(filled, /__\w+__/, `${code} ${reason} ${lang}: ${filled}`);
        }
      }
      for (const reason of FAILURE_REASONS) {
        assert.deepEqual(placeholders(FAILURE_REASON_TEXTS[reason][lang]), placeholders(FAILURE_REASON_TEXTS[reason].en), `${reason} ${lang}`);
        if (lang !== "en") assert.notEqual(FAILURE_REASON_TEXTS[reason][lang], FAILURE_REASON_TEXTS[reason].en);
      }
    }
    assert.equal(
      billingAlertText("billing-failed", { period: "2026-11", reason: "unpriced", days: 3, first: "2026-11-01" }, "de"),
      "Abrechnungslauf 2026-11 fehlgeschlagen: für 3 Tag(e) der Periode (ab 2026-11-01) gilt kein Tarif; ergänzen Sie einen Tarif. Es wurde nichts ausgestellt.",
    );
  });

  it("raises an incident once per code and period, resolves it once by a clean run of that period, and remembers it in the store", () => {
    const store = SqliteStore.open(":memory:");
    saveCommunity(store, threeUnitCommunity(), { source: "test", actor: "test" });
    const t0 = Date.parse("2026-12-01T05:00:00Z");
    const run = (o: Parameters<typeof billingRunAlerts>[3], ms: number) =>
      billingRunAlerts(store, "drei", "it", o, ms).map((a) => [a.code, a.state, a.key, a.since, a.at.slice(11, 16)]);
    assert.deepEqual(run({ kind: "failed", period: "2026-11", reason: "busy" }, t0), [
      ["billing-failed", "raised", "billing-failed:2026-11", "2026-12-01T05:00:00.000Z", "05:00"],
    ]);
    assert.deepEqual(run({ kind: "failed", period: "2026-11", reason: "error" }, t0 + 60_000), [], "still failing: the same incident");
    assert.deepEqual(run({ kind: "done", period: "2026-10", warnings: 0 }, t0 + 60_000), [], "another period says nothing about this one");
    assert.deepEqual(run({ kind: "coverage-low", period: "2026-11", meters: "unit-1 35.0 %", threshold: "95 %" }, t0 + 120_000), [
      ["billing-failed", "resolved", "billing-failed:2026-11", "2026-12-01T05:00:00.000Z", "05:02"],
      ["billing-coverage-low", "raised", "billing-coverage-low:2026-11", "2026-12-01T05:02:00.000Z", "05:02"],
    ]);
    assert.deepEqual(run({ kind: "done", period: "2026-11", warnings: 2 }, t0 + 180_000), [
      ["billing-coverage-low", "resolved", "billing-coverage-low:2026-11", "2026-12-01T05:02:00.000Z", "05:03"],
      ["billing-warnings", "raised", "billing-warnings:2026-11", "2026-12-01T05:03:00.000Z", "05:03"],
    ]);
    assert.deepEqual(run({ kind: "done", period: "2026-11", warnings: 1 }, t0 + 240_000), []);
    const resolved = billingRunAlerts(store, "drei", "it", { kind: "done", period: "2026-11", warnings: 0 }, t0 + 300_000);
    assert.equal(resolved.length, 1);
    assert.equal(resolved[0]!.text, "Risolto: Fatturazione 2026-11 terminata con 2 avviso/i: leggete il rapporto prima di inviare le fatture.");
    assert.deepEqual(run({ kind: "done", period: "2026-11", warnings: 0 }, t0 + 360_000), [], "resolved once");
    store.close();
  });
});
