import assert from "node:assert/strict";
import type { Charge } from "../../../lib/community/types";
import { normalizeCommunity } from "../../../lib/community/file-format";
import { validateCommunity } from "../../../lib/community/validate";
import { configFromDefinition } from "../../../nodes/zev-community/config-from-definition";
import { definitionFromConfig } from "../../../nodes/zev-community/definition-from-config";
import { minimalCommunity } from "../../support/community-fixture";

const ok: Charge = { id: "rent", label: "Zählermiete", amount: "4.55", rhythm: "monthly", from: "2026-01-01", scope: "community" };
const problems = (charges: unknown): string[] => {
  const def = minimalCommunity();
  (def as { charges?: unknown }).charges = charges;
  return validateCommunity(def).map((i) => `${i.path} ${i.code}`);
};

describe("community: charges in the definition", () => {
  it("accepts monthly, quarterly, yearly and one-off charges for the community, a building or a tenancy", () => {
    assert.deepEqual(
      problems([
        ok,
        { ...ok, id: "service", rhythm: "quarterly", scope: "building", building: "B1", to: "2026-12-31", pricesIncludeVat: false },
        { ...ok, id: "yearly", rhythm: "yearly", scope: "tenancy", tenancy: "t1", labels: { en: "Yearly fee", fr: "Taxe annuelle" } },
        { ...ok, id: "connect", amount: "150", rhythm: "once", from: "2026-02-01", scope: "tenancy", tenancy: "t1" },
      ]),
      [],
    );
  });

  it("names each mistake with its path and code", () => {
    assert.deepEqual(problems({}), ["charges charges.notList"]);
    assert.deepEqual(problems([ok, { ...ok }]), ["charges[1].id charge.duplicate"]);
    assert.deepEqual(problems([{ ...ok, amount: "4.555" }]), ["charges[0].amount charge.amount"]);
    assert.deepEqual(problems([{ ...ok, amount: 4.55 }]), ["charges[0].amount charge.amount"]);
    assert.deepEqual(problems([{ ...ok, amount: "-1.00" }]), ["charges[0].amount charge.amount"]);
    assert.deepEqual(problems([{ ...ok, rhythm: "weekly" }]), ["charges[0].rhythm charge.rhythm"]);
    assert.deepEqual(problems([{ ...ok, to: "2025-12-31" }]), ["charges[0].to charge.toBeforeFrom"]);
    assert.deepEqual(problems([{ ...ok, rhythm: "once", to: "2026-02-01" }]), ["charges[0].to charge.onceTo"]);
    assert.deepEqual(problems([{ ...ok, scope: "building", building: "B9" }]), ["charges[0].building charge.unknownBuilding"]);
    assert.deepEqual(problems([{ ...ok, scope: "tenancy" }]), ["charges[0].tenancy charge.unknownTenancy"]);
    assert.deepEqual(problems([{ ...ok, rhythm: "once", from: "2025-06-01", scope: "tenancy", tenancy: "t1" }]), ["charges[0].from charge.outsideTenancy"]);
    assert.deepEqual(problems([{ ...ok, labels: { xx: "Miete" } }]), ["charges[0].labels.xx charge.labels"]);
    assert.deepEqual(problems([{ ...ok, label: " " }]), ["charges[0].label charge.label"]);
    assert.deepEqual(problems([{ ...ok, pricesIncludeVat: "true" }]), ["charges[0].pricesIncludeVat charge.pricesIncludeVat"]);
  });

  it('a community file\'s charges survive normalizing (zev community import): numbers as text, "true" as true', () => {
    const raw = {
      ...minimalCommunity(),
      charges: [
        { id: " rent ", label: "Zählermiete", amount: 4.5, pricesIncludeVat: "true", rhythm: "monthly", from: "2026-01-01", to: "", scope: "community" },
      ],
    };
    const def = normalizeCommunity(JSON.parse(JSON.stringify(raw)));
    assert.deepEqual(def.charges, [
      { id: "rent", label: "Zählermiete", amount: "4.5", pricesIncludeVat: true, rhythm: "monthly", from: "2026-01-01", scope: "community" },
    ]);
    assert.deepEqual(validateCommunity(def), []);
    assert.deepEqual(normalizeCommunity({ ...minimalCommunity(), charges: "rent" }).charges, "rent");
  });

  it("the node config carries the charges both ways, so saving the editor does not drop them", () => {
    const def = {
      ...minimalCommunity(),
      charges: [ok, { ...ok, id: "connect", rhythm: "once" as const, from: "2026-03-01", scope: "tenancy" as const, tenancy: "t1" }],
    };
    const cfg = configFromDefinition(def, { id: "n1" });
    assert.deepEqual(cfg.charges, def.charges);
    assert.deepEqual(definitionFromConfig(cfg, () => "").charges, def.charges);
  });
});
