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
 * lists them). The order decides where a split's last mWh goes: billing's
 * ledger and the community view (lib/aggregation) both take their consumers
 * from here, so both get identical shares (docs/decisions/0088).
 *
 * It lives on the allocation's floor, the lowest both can import, and needs
 * nothing of a meter but what the split uses, so it imports nothing.
 */

/** What the split needs to know of a meter (a stored meter record has it). */
export interface LayoutMeter {
  id: number;
  key: string;
  /** lib/community's MeterRole; any other text takes no part (like "other"). */
  role: string;
  unitId: string | null;
  label: string | null;
}

export interface Consumer {
  meter: string;
  meterId: number;
  role: "unit" | "common" | "charger";
  unit: string | null;
  label: string | null;
}

/** The meters sorted by their part in the split, each list in the order the meters came. */
export interface SplitRoles<M extends LayoutMeter = LayoutMeter> {
  /** The fixed order of every per-consumer array of a split. */
  consumers: Consumer[];
  production: M[];
  batteries: M[];
  grid: M[];
  /** Meters without a role in the split (role "other", or a unit meter without a known unit). */
  unassigned: M[];
}

export interface CommunityLayout<M extends LayoutMeter = LayoutMeter> extends SplitRoles<M> {
  communityId: string;
}

/** `units`: the community's units; a unit meter of another unit takes no part. Without it, any unit meter with a unit does. */
export function splitRoles<M extends LayoutMeter>(meters: readonly M[], units?: ReadonlySet<string>): SplitRoles<M> {
  const roles: SplitRoles<M> = { consumers: [], production: [], batteries: [], grid: [], unassigned: [] };
  for (const m of meters) {
    switch (m.role) {
      case "unit":
        if (m.unitId === null || (units && !units.has(m.unitId))) roles.unassigned.push(m);
        else roles.consumers.push({ meter: m.key, meterId: m.id, role: m.role, unit: m.unitId, label: m.label });
        break;
      case "common":
      case "charger":
        roles.consumers.push({ meter: m.key, meterId: m.id, role: m.role, unit: m.unitId, label: m.label });
        break;
      case "production":
        roles.production.push(m);
        break;
      case "battery":
        roles.batteries.push(m);
        break;
      case "grid":
        roles.grid.push(m);
        break;
      default:
        roles.unassigned.push(m);
    }
  }
  return roles;
}

export function communityLayout<M extends LayoutMeter>(communityId: string, meters: readonly M[], units?: ReadonlySet<string>): CommunityLayout<M> {
  return { communityId, ...splitRoles(meters, units) };
}
