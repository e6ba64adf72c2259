import type { MeterRole } from "../community/types";
import type { MeterRecord } from "../store/meter-repo";

/**
 * Who is what in the split, from the meters' roles (docs/architecture.md "Allocation"):
 * units, common areas and chargers consume; production meters produce
 * (import direction; their reverse direction, an inverter's standby draw, is
 * no consumer: the grid meter sees it and reconciliation reports it as
 * unmetered); batteries charge (import) and discharge (export); the grid
 * meter only reconciles.
 * Meters with role "other" (e.g. registered by an unknown reading), and unit
 * meters of a unit the community no longer has, take no part until someone
 * fixes their role. Consumers keep the meters' order (by key, as the store
 * lists them): billing uses the same order, and the order decides where a
 * split's last mWh goes, so both get identical shares.
 */
export interface Consumer {
  meter: string;
  meterId: number;
  role: Extract<MeterRole, "unit" | "common" | "charger">;
  unit: string | null;
  label: string | null;
}

export interface CommunityLayout {
  communityId: string;
  /** The fixed order of every per-consumer array in this module's results. */
  consumers: Consumer[];
  production: MeterRecord[];
  batteries: MeterRecord[];
  grid: MeterRecord[];
  /** Meters without a role in the split (role "other"). */
  unassigned: MeterRecord[];
}

export function communityLayout(communityId: string, meters: readonly MeterRecord[], units?: ReadonlySet<string>): CommunityLayout {
  const layout: CommunityLayout = { communityId, consumers: [], production: [], batteries: [], grid: [], unassigned: [] };
  for (const m of meters) {
    switch (m.role) {
      case "unit":
        if (m.unitId === null || (units && !units.has(m.unitId))) layout.unassigned.push(m);
        else layout.consumers.push({ meter: m.key, meterId: m.id, role: m.role, unit: m.unitId, label: m.label });
        break;
      case "common":
      case "charger":
        layout.consumers.push({ meter: m.key, meterId: m.id, role: m.role, unit: m.unitId, label: m.label });
        break;
      case "production":
        layout.production.push(m);
        break;
      case "battery":
        layout.batteries.push(m);
        break;
      case "grid":
        layout.grid.push(m);
        break;
      default:
        layout.unassigned.push(m);
    }
  }
  return layout;
}
