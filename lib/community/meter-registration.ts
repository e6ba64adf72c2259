import { issue, type Issue } from "../util/issue";
import { allUnits, type CommunityDefinition, type MeterDefinition } from "./types";
import { METER_ROLES, type MeterRole } from "../model/meter";
import { KEY_PATTERN } from "./validate";

/**
 * Checks a meter as a zev-meter-in node declares it, alone or against its
 * community: a valid id, a known role, the unit of a unit meter, a unit the
 * community has, and no contradiction with the meters the community file
 * already lists. Returns the problems, each with its English text (empty = fine).
 */
export function meterDefinitionProblems(meter: { id: string; role: string; unit?: string }, community?: CommunityDefinition): Issue[] {
  const out: Issue[] = [];
  if (!KEY_PATTERN.test(meter.id)) out.push(issue("meter.id", 'meter id "__id__" must be 1-64 letters, digits, space or . _ : / -', { id: meter.id }));
  if (!METER_ROLES.includes(meter.role as MeterRole))
    out.push(issue("meter.role", 'role "__role__" must be one of __allowed__', { role: meter.role, allowed: METER_ROLES.join(", ") }));
  if (!community) return out;
  const units = allUnits(community).map((u) => u.id);
  if (meter.role === "unit" && !meter.unit)
    out.push(issue("meter.unitRequired", "a unit meter must name its unit (one of __units__)", { units: units.join(", ") }));
  if (meter.unit && !units.includes(meter.unit))
    out.push(
      issue("meter.unknownUnit", 'unit "__unit__" is not a unit of community __community__ (__units__)', {
        unit: meter.unit,
        community: community.id,
        units: units.join(", "),
      }),
    );
  const listed = community.meters?.find((m) => m.id === meter.id);
  if (listed && (listed.role !== meter.role || (listed.unit ?? "") !== (meter.unit ?? ""))) {
    const params = { community: community.id, meter: meter.id, role: listed.role };
    if (listed.unit)
      out.push(
        issue("meter.listedWithUnit", "community __community__ lists meter __meter__ with role __role__ and unit __unit__; change one of them", {
          ...params,
          unit: listed.unit,
        }),
      );
    else out.push(issue("meter.listed", "community __community__ lists meter __meter__ with role __role__; change one of them", params));
  }
  return out;
}

export function meterDefinition(id: string, role: MeterRole, unit: string | undefined, label: string | undefined): MeterDefinition {
  const def: MeterDefinition = { id, role };
  if (unit) def.unit = unit;
  if (label) def.label = label;
  return def;
}
