import type { ValueInput } from "../../readings/meter-input/meter-ingest";
import type { Field } from "../../readings/meter-input/rejection";
import { MiniserverError, type MiniserverClient } from "./http-client";

/**
 * Which Miniserver objects a meter reads. Mode "state" asks for each named
 * object (a Virtual Input/Output, a block output) with /state; mode "all"
 * asks once for a meter block's /all and picks outputs by name (Loxone meter
 * block: Mr or Mrc = import kWh, Mrd or Mre = export kWh, Pf = power kW).
 */
export interface LoxoneHttpConfig {
  mode: "state" | "all";
  /** Mode all: the block's name or UUID. */
  block?: string;
  /** Object names (mode state) or output names (mode all) per field. */
  names: Partial<Record<Field, string>>;
  /** Unit of power values without a unit; Loxone meter blocks give kW. */
  powerUnit?: "W" | "kW";
}

export const DEFAULT_OUTPUTS: Record<Field, string> = { importKWh: "Mr", exportKWh: "Mrd", powerW: "Pf" };

export async function pollLoxone(client: MiniserverClient, cfg: LoxoneHttpConfig): Promise<ValueInput[]> {
  const wanted = (Object.entries(cfg.names) as [Field, string | undefined][]).filter((e): e is [Field, string] => !!e[1]);
  const unit = (field: Field): string | undefined => (field === "powerW" ? (cfg.powerUnit ?? "kW") : "kWh");
  if (cfg.mode === "all") {
    const block = cfg.block ?? "";
    const answer = await client.io(block, "all");
    return wanted.map(([field, output]) => {
      if (!(output in answer.outputs)) {
        const has = Object.keys(answer.outputs).slice(0, 12).join(", ") || "none";
        throw new MiniserverError("ll-code", `block ${block} has no output ${output} (outputs: ${has})`);
      }
      return { field, raw: answer.outputs[output], defaultUnit: unit(field) };
    });
  }
  const values: ValueInput[] = [];
  for (const [field, name] of wanted) {
    const answer = await client.io(name, "state");
    values.push({ field, raw: answer.value, defaultUnit: unit(field) });
  }
  return values;
}
