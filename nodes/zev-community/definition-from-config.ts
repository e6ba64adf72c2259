import { normalizeCommunity, tenanciesFromCsv, unitsFromCsv } from "../../lib/community/file-format";
import type { CommunityDefinition } from "../../lib/community/types";
import type { CommunityConfig } from "./config";

function billingFromConfig(c: CommunityConfig): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  if (c.allocation) out.allocation = c.allocation;
  if (c.commonAreaKey) out.commonAreaKey = c.commonAreaKey;
  if (c.customShares && Object.keys(c.customShares).length)
    out.customShares = Object.fromEntries(Object.entries(c.customShares).map(([k, v]) => [k, Number(v)]));
  if (c.minCoveragePercent !== undefined && c.minCoveragePercent !== "") out.minCoverage = Number(c.minCoveragePercent) / 100;
  return Object.keys(out).length ? out : undefined;
}

export type ReadText = (path: string) => string;

/**
 * Editor configuration -> canonical community definition (not yet
 * validated). CSV files named in the config are read through `readText`
 * and their rows added to the editor's lists.
 */
export function definitionFromConfig(c: CommunityConfig, readText: ReadText): CommunityDefinition {
  const unitsByBuilding = new Map<string, NonNullable<CommunityConfig["units"]>>();
  for (const u of c.units ?? []) {
    const list = unitsByBuilding.get(u.building) ?? [];
    list.push(u);
    unitsByBuilding.set(u.building, list);
  }
  const buildingIds = [...(c.buildings ?? []).map((b) => b.id), ...[...unitsByBuilding.keys()].filter((id) => !(c.buildings ?? []).some((b) => b.id === id))];
  const raw = {
    id: c.communityId,
    name: c.communityName,
    kind: c.kind,
    currency: c.currency,
    timeZone: c.timeZone,
    creditor: {
      name: c.creditorName,
      address: {
        street: c.creditorStreet,
        buildingNumber: c.creditorBuildingNumber,
        postalCode: c.creditorPostalCode,
        town: c.creditorTown,
        country: c.creditorCountry,
      },
      iban: c.creditorIban,
      uid: c.creditorUid,
      vatNumber: c.creditorVatNumber,
      vatRegistered: c.vatRegistered === true || c.vatRegistered === "true",
      email: c.creditorEmail,
      phone: c.creditorPhone,
      paymentTermDays: c.paymentTermDays,
    },
    owner: {
      name: c.ownerName,
      address: { street: c.ownerStreet, buildingNumber: c.ownerBuildingNumber, postalCode: c.ownerPostalCode, town: c.ownerTown, country: c.ownerCountry },
      email: c.ownerEmail,
      language: c.ownerLanguage,
    },
    buildings: buildingIds.map((id) => ({
      id,
      name: (c.buildings ?? []).find((b) => b.id === id)?.name ?? id,
      units: (unitsByBuilding.get(id) ?? []).map((u) => ({ id: u.id, label: u.label, floorArea: u.floorArea })),
    })),
    tenancies: (c.tenancies ?? []).map((t) => ({
      id: t.id,
      unit: t.unit,
      from: t.from,
      to: t.to,
      tenant: {
        name: t.name,
        email: t.email,
        language: t.language,
        address: { street: t.street, buildingNumber: t.buildingNumber, postalCode: t.postalCode, town: t.town, country: t.country },
      },
    })),
    meters: c.meters && c.meters.length ? c.meters : undefined,
    chargingIds: c.chargingIds && c.chargingIds.length ? c.chargingIds : undefined,
    tariffs: c.tariffs && c.tariffs.length ? c.tariffs : undefined,
    charges: c.charges && c.charges.length ? c.charges : undefined,
    reminders: c.reminders && c.reminders.length ? c.reminders : undefined,
    billing: billingFromConfig(c),
  };
  const def = normalizeCommunity(raw);
  if (c.unitsFile) def.buildings = unitsFromCsv(readText(c.unitsFile), c.unitsFile, def.buildings);
  if (c.tenanciesFile) def.tenancies = [...def.tenancies, ...tenanciesFromCsv(readText(c.tenanciesFile), c.tenanciesFile)];
  return def;
}
