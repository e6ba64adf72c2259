import type { CommunityConfig } from "../../nodes/zev-community/config";
import type { AggregateConfig } from "../../nodes/zev-aggregate/config";

/** A zev-community config node with a unit meter, a PV meter and a grid meter. */
export function aggregateCommunityConfig(dbPath: string): CommunityConfig {
  const addr = { street: "Sonnenweg", buildingNumber: "1", postalCode: "3000", town: "Bern", country: "CH" };
  return {
    id: "c1",
    type: "zev-community",
    z: "",
    name: "",
    communityId: "sonnenweg",
    communityName: "ZEV Sonnenweg",
    kind: "ZEV",
    currency: "CHF",
    timeZone: "Europe/Zurich",
    dbPath,
    creditorName: "ZEV Sonnenweg",
    creditorStreet: addr.street,
    creditorBuildingNumber: addr.buildingNumber,
    creditorPostalCode: addr.postalCode,
    creditorTown: addr.town,
    creditorCountry: addr.country,
    creditorIban: "CH93 0076 2011 6238 5295 7",
    vatRegistered: false,
    ownerName: "Eigentümer AG",
    ownerStreet: addr.street,
    ownerBuildingNumber: addr.buildingNumber,
    ownerPostalCode: addr.postalCode,
    ownerTown: addr.town,
    ownerCountry: addr.country,
    ownerLanguage: "de",
    buildings: [{ id: "A", name: "Sonnenweg 1" }],
    units: [{ building: "A", id: "1", label: "Wohnung 1" }],
    tenancies: [],
    meters: [
      { id: "unit-1", role: "unit", unit: "1" },
      { id: "pv", role: "production" },
      { id: "grid", role: "grid" },
    ],
  };
}

export function aggregateConfig(overrides: Partial<AggregateConfig> = {}): AggregateConfig & { wires: string[][] } {
  return {
    id: "agg",
    type: "zev-aggregate",
    z: "",
    name: "",
    community: "c1",
    method: "proportional",
    gapLimitHours: "3",
    maxPowerKW: "1000",
    graceSeconds: "300",
    liveSeconds: "0",
    backupFolder: "",
    backupAt: "",
    backupKeep: "7",
    retentionYears: "10",
    flushMs: "50",
    wires: [["out1"], ["out2"], ["out3"]],
    ...overrides,
  };
}
