import { join } from "node:path";
import { loadCommunityFile } from "../../lib/community/file-format";
import type { CommunityDefinition } from "../../lib/community/types";

export const EXAMPLE_COMMUNITY_FILE = join(__dirname, "..", "..", "docs", "examples", "community", "sonnenhof.json");

/** The example community (docs/examples/community), a fresh copy each call. */
export function exampleCommunity(): CommunityDefinition {
  return loadCommunityFile(EXAMPLE_COMMUNITY_FILE);
}

/** A small valid community built in code, for tests that change one field. */
export function minimalCommunity(overrides: Partial<CommunityDefinition> = {}): CommunityDefinition {
  return {
    id: "test-zev",
    name: "Test ZEV",
    kind: "ZEV",
    currency: "CHF",
    timeZone: "Europe/Zurich",
    creditor: {
      name: "Test Creditor",
      address: { street: "Hauptstrasse", buildingNumber: "1", postalCode: "3000", town: "Bern", country: "CH" },
      iban: "CH9300762011623852957",
      vatRegistered: false,
    },
    owner: { name: "Owner AG", address: { street: "Hauptstrasse", buildingNumber: "1", postalCode: "3000", town: "Bern", country: "CH" }, language: "de" },
    buildings: [
      {
        id: "B1",
        name: "Haus 1",
        units: [
          { id: "u1", label: "Unit 1", floorArea: 80 },
          { id: "u2", label: "Unit 2", floorArea: 60 },
        ],
      },
    ],
    tenancies: [
      {
        id: "t1",
        unit: "u1",
        tenant: {
          name: "Tenant One",
          address: { street: "Hauptstrasse", buildingNumber: "1", postalCode: "3000", town: "Bern", country: "CH" },
          language: "de",
        },
        from: "2026-01-01",
        to: null,
      },
    ],
    ...overrides,
  };
}
