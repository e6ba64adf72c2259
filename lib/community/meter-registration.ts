import { allUnits, type CommunityDefinition, type MeterDefinition } from "./types";
import { METER_ROLES, type MeterRole } from "../model/meter";
import { KEY_PATTERN } from "./validate";

/**
 * Checks a meter as a zev-meter-in node declares it, alone or against its
 * community: a valid id, a known role, the unit of a unit meter, a unit the
 * community has, and no contradiction with the meters the community file
 * already lists. Returns the problems in English (empty = fine).
 */
export function meterDefinitionProblems(meter: { id: string; role: string; unit?: string }, community?: CommunityDefinition): string[] {
  const out: string[] = [];
  if (!KEY_PATTERN.test(meter.id)) out.push(`meter id "${meter.id}" must be 1-64 letters, digits, space or . _ : / -`);
  if (!METER_ROLES.includes(meter.role as MeterRole)) out.push(`role "${meter.role}" must be one of ${METER_ROLES.join(", ")}`);
  if (!community) return out;
  const units = allUnits(community).map((u) => u.id);
  if (meter.role === "unit" && !meter.unit) out.push(`a unit meter must name its unit (one of ${units.join(", ")})`);
  if (meter.unit && !units.includes(meter.unit)) out.push(`unit "${meter.unit}" is not a unit of community ${community.id} (${units.join(", ")})`);
  const listed = community.meters?.find((m) => m.id === meter.id);
  if (listed && (listed.role !== meter.role || (listed.unit ?? "") !== (meter.unit ?? ""))) {
    out.push(`community ${community.id} lists meter ${meter.id} with role ${listed.role}${listed.unit ? ` and unit ${listed.unit}` : ""}; change one of them`);
  }
  return out;
}

export function meterDefinition(id: string, role: MeterRole, unit: string | undefined, label: string | undefined): MeterDefinition {
  const def: MeterDefinition = { id, role };
  if (unit) def.unit = unit;
  if (label) def.label = label;
  return def;
}
