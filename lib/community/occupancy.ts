import { allUnits, CommunityDefinition, Tenancy } from "./types";
import { Party } from "../model/party";
import { addDays, daysBetween, LocalDate } from "../time/local-date";
import { overlapDates } from "../time/periods";

/** Who pays for a unit over a run of days: a tenant, or the owner while it is vacant. */
export interface Occupancy {
  /** Tenancy id, or "owner:<unit>" for the owner's vacant days: the invoice's tenancy key. */
  key: string;
  kind: "tenant" | "owner";
  unit: string;
  building: string;
  party: Party;
  /** Inclusive local dates, inside the billing period. */
  from: LocalDate;
  to: LocalDate;
  tenancy?: Tenancy;
}

/**
 * Every day of every unit in [from, to] belongs to exactly one occupancy:
 * the tenancies that overlap the period (clipped to it) and, in the gaps,
 * the owner (the building's owner, else the community's). A unit's vacant
 * runs are separate occupancies with the same key.
 */
export function occupancies(def: CommunityDefinition, from: LocalDate, to: LocalDate): Occupancy[] {
  const out: Occupancy[] = [];
  for (const unit of allUnits(def)) {
    const building = def.buildings.find((b) => b.id === unit.building)!;
    const owner = building.owner ?? def.owner;
    const tenancies = def.tenancies
      .filter((t) => t.unit === unit.id)
      .map((t) => ({ t, span: overlapDates({ from: t.from, to: t.to ?? null }, { from, to }) }))
      .filter((x): x is { t: Tenancy; span: { from: LocalDate; to: LocalDate } } => x.span !== null && x.span.to !== null)
      .sort((a, b) => daysBetween(b.span.from, a.span.from));
    let cursor = from;
    const vacancy = (until: LocalDate): void => {
      if (daysBetween(cursor, until) >= 0)
        out.push({ key: `owner:${unit.id}`, kind: "owner", unit: unit.id, building: unit.building, party: owner, from: cursor, to: until });
    };
    for (const { t, span } of tenancies) {
      vacancy(addDays(span.from, -1));
      out.push({ key: t.id, kind: "tenant", unit: unit.id, building: unit.building, party: t.tenant, from: span.from, to: span.to, tenancy: t });
      cursor = addDays(span.to, 1);
    }
    vacancy(to);
  }
  return out;
}
