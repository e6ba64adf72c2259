import type { NodeAPI } from "node-red";
import billingNode from "../../nodes/zev-billing/zev-billing";
import communityNode from "../../nodes/zev-community/zev-community";
import { threeUnitCommunity } from "./billing-fixture";
import { communityConfig } from "./community-config";
import { translator } from "./i18n";

/** The fixture community (test/support/billing-fixture.ts) in the editor's form. */
export function editorConfigOf(db: string): ReturnType<typeof communityConfig> {
  const d = threeUnitCommunity();
  return communityConfig(db, {
    communityId: d.id,
    communityName: d.name,
    creditorIban: d.creditor.iban,
    buildings: [{ id: "A", name: "Haus A" }],
    units: d.buildings[0]!.units.map((u) => ({ building: "A", id: u.id, label: u.label, floorArea: u.floorArea })),
    tenancies: d.tenancies.map((t) => ({
      id: t.id,
      unit: t.unit,
      name: t.tenant.name,
      street: t.tenant.address.street,
      buildingNumber: t.tenant.address.buildingNumber,
      postalCode: t.tenant.address.postalCode,
      town: t.tenant.address.town,
      country: "CH",
      email: t.tenant.email,
      language: t.tenant.language,
      from: t.from,
      to: "",
    })),
    meters: d.meters!.map((m) => ({ id: m.id, role: m.role, unit: m.unit ?? "", label: "" })),
    // A copy: a test that changes a price must not change the fixture's plans for the tests after it.
    tariffs: structuredClone(d.tariffs),
    allocation: "proportional",
    commonAreaKey: "floorArea",
    minCoveragePercent: "95",
  });
}

/** The community and billing nodes with Node-RED's real message lookup (the test helper's RED._ returns bare keys). */
export const billingNodesWithCatalogs = [(RED: NodeAPI): void => void ((RED as { _: unknown })._ = translator("en-US")), communityNode, billingNode];
