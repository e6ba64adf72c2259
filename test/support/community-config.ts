import type { CommunityConfig } from "../../nodes/zev-community/config";

/** A valid zev-community editor configuration (as stored in a flow), with overrides. */
export function communityConfig(dbPath: string, overrides: Partial<CommunityConfig> = {}): CommunityConfig {
  return {
    id: "c1",
    type: "zev-community",
    z: "",
    name: "",
    communityId: "haus-am-see",
    communityName: "ZEV Haus am See",
    kind: "ZEV",
    currency: "CHF",
    timeZone: "Europe/Zurich",
    dbPath,
    creditorName: "ZEV Haus am See",
    creditorStreet: "Seestrasse",
    creditorBuildingNumber: "5",
    creditorPostalCode: "6300",
    creditorTown: "Zug",
    creditorCountry: "CH",
    creditorIban: "CH93 0076 2011 6238 5295 7",
    vatRegistered: false,
    paymentTermDays: "30",
    ownerName: "Eigentümer AG",
    ownerStreet: "Seestrasse",
    ownerBuildingNumber: "5",
    ownerPostalCode: "6300",
    ownerTown: "Zug",
    ownerCountry: "CH",
    ownerLanguage: "de",
    buildings: [{ id: "A", name: "Seestrasse 5" }],
    units: [
      { building: "A", id: "1", label: "Wohnung 1", floorArea: "70" },
      { building: "A", id: "2", label: "Wohnung 2", floorArea: "" },
    ],
    tenancies: [
      {
        unit: "1",
        name: "Anna Meier",
        street: "Seestrasse",
        buildingNumber: "5",
        postalCode: "6300",
        town: "Zug",
        country: "CH",
        language: "de",
        from: "2026-01-01",
        to: "",
      },
    ],
    meters: [{ id: "unit-1", role: "unit", unit: "1", label: "" }],
    ...overrides,
  };
}
