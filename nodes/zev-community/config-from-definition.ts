import type { CommunityDefinition } from "../../lib/community/types";
import type { CommunityConfig } from "./config";

/**
 * A community definition (the file format) as the zev-community node's
 * editor configuration: the inverse of definitionFromConfig. Flow
 * generators (demo, examples) use it, so that the node stores exactly the
 * definition the file describes.
 */
export function configFromDefinition(def: CommunityDefinition, node: { id: string; name?: string; dbPath?: string }): CommunityConfig {
  const c = def.creditor;
  const o = def.owner;
  const cfg: CommunityConfig = {
    id: node.id,
    type: "zev-community",
    z: "",
    name: node.name ?? "",
    communityId: def.id,
    communityName: def.name,
    kind: def.kind,
    currency: def.currency,
    timeZone: def.timeZone,
    dbPath: node.dbPath ?? "",
    creditorName: c.name,
    creditorStreet: c.address.street,
    creditorBuildingNumber: c.address.buildingNumber ?? "",
    creditorPostalCode: c.address.postalCode,
    creditorTown: c.address.town,
    creditorCountry: c.address.country,
    creditorIban: c.iban,
    creditorUid: c.uid ?? "",
    creditorVatNumber: c.vatNumber ?? "",
    vatRegistered: c.vatRegistered,
    creditorEmail: c.email ?? "",
    creditorPhone: c.phone ?? "",
    paymentTermDays: c.paymentTermDays ?? "",
    ownerName: o.name,
    ownerStreet: o.address.street,
    ownerBuildingNumber: o.address.buildingNumber ?? "",
    ownerPostalCode: o.address.postalCode,
    ownerTown: o.address.town,
    ownerCountry: o.address.country,
    ownerEmail: o.email ?? "",
    ownerLanguage: o.language,
    buildings: def.buildings.map((b) => ({ id: b.id, name: b.name })),
    units: def.buildings.flatMap((b) =>
      b.units.map((u) => ({ building: b.id, id: u.id, label: u.label, ...(u.floorArea !== undefined ? { floorArea: u.floorArea } : {}) })),
    ),
    tenancies: def.tenancies.map((t) => ({
      id: t.id,
      unit: t.unit,
      name: t.tenant.name,
      street: t.tenant.address.street,
      buildingNumber: t.tenant.address.buildingNumber ?? "",
      postalCode: t.tenant.address.postalCode,
      town: t.tenant.address.town,
      country: t.tenant.address.country,
      email: t.tenant.email ?? "",
      language: t.tenant.language,
      from: t.from,
      to: t.to ?? "",
    })),
    meters: (def.meters ?? []).map((m) => ({
      id: m.id,
      role: m.role,
      unit: m.unit ?? "",
      label: m.label ?? "",
      ...(m.meteringPoint ? { meteringPoint: m.meteringPoint } : {}),
    })),
    chargingIds: (def.chargingIds ?? []).map((c) => ({ id: c.id, unit: c.unit, label: c.label ?? "" })),
    tariffs: def.tariffs ?? [],
    charges: def.charges ?? [],
    reminders: def.reminders ?? [],
    allocation: def.billing?.allocation ?? "",
    commonAreaKey: def.billing?.commonAreaKey ?? "",
    customShares: def.billing?.customShares ?? {},
    minCoveragePercent: def.billing?.minCoverage !== undefined ? String(Math.round(def.billing.minCoverage * 10000) / 100) : "",
    unitsFile: "",
    tenanciesFile: "",
  };
  return cfg;
}
