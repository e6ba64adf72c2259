import { FIELDS, type Field } from "../../readings/meter-input/rejection";
import { docAddress, registerCount } from "./decode";
import { PROFILES } from "./profiles";
import type { MeterProfile, RegisterDef } from "./types";

export interface CatalogRegister extends RegisterDef {
  field: Field;
  registers: number;
  /** The number as the vendor manual prints it. */
  doc: string;
}

export interface CatalogProfile {
  id: string;
  label: string;
  numbering: MeterProfile["numbering"];
  defaultUnitId: number;
  note?: string;
  registers: CatalogRegister[];
}

/** The built-in profiles with wire and manual numbering side by side: served to the editor and written into docs/meters.md. */
export function profileCatalog(profiles: readonly MeterProfile[] = PROFILES): CatalogProfile[] {
  return profiles.map((p) => ({
    id: p.id,
    label: p.label,
    numbering: p.numbering,
    defaultUnitId: p.defaultUnitId,
    note: p.note,
    registers: FIELDS.flatMap((field) => {
      const def = p[field];
      return def ? [{ ...def, field, registers: registerCount(def.type), doc: docAddress(def.address, def.fc, p.numbering) }] : [];
    }),
  }));
}

const FIELD_LABEL: Record<Field, string> = { importKWh: "import", exportKWh: "export", powerW: "power" };

/** The step a register reads in, as the docs state it (lib/devices/modbus/decode.ts registerResolution). */
export function resolutionText(def: RegisterDef): string {
  if (def.resolution !== undefined) return `${def.resolution} ${def.unit}`;
  // a float's step grows with the value: at most 2^-23 (float32) or 2^-52 (float64) of it
  if (def.type === "float32") return "≤ 2^-23 × value";
  if (def.type === "float64") return "≤ 2^-52 × value";
  return `${Math.abs(def.scale)} ${def.unit}`;
}

/** The Markdown table of docs/meters.md, one row per register. */
export function profileTableMarkdown(profiles: readonly MeterProfile[] = PROFILES): string {
  const rows = ["| profile | value | FC | wire | manual | type | words | scale | unit | resolution |", "|---|---|---|---|---|---|---|---|---|---|"];
  for (const p of profileCatalog(profiles)) {
    for (const r of p.registers) {
      rows.push(
        `| ${p.label} (\`${p.id}\`) | ${FIELD_LABEL[r.field]} | ${String(r.fc).padStart(2, "0")} | ${r.address} | ${r.doc} | ${r.type} | ${r.order === "msw" ? "MSW first" : "LSW first"} | ${r.scale} | ${r.unit} | ${resolutionText(r)} |`,
      );
    }
  }
  return rows.join("\n");
}
