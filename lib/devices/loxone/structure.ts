/*
 * The Miniserver's structure file (GET /data/LoxAPP3.json): the controls
 * with their names, types, rooms and UUIDs, as Loxone Config defines them.
 * The editor offers these names where a node needs a block or object name
 * (zev-meter-in's Loxone HTTP source, the charger's Loxone Wallbox source);
 * /jdev/sps/io/<name> accepts a control's name or its UUID.
 */

export interface LoxoneControl {
  name: string;
  uuid: string;
  type: string;
  room: string | null;
  category: string | null;
}

export interface LoxoneStructure {
  /** The Miniserver's own name (msInfo.msName), when the file gives it. */
  miniserver: string | null;
  controls: LoxoneControl[];
}

/** Control types that are meter blocks (/all with Mr, Mrc, Mrd, Pf) and wallbox blocks, offered first for those fields. */
export const METER_TYPES: readonly string[] = ["Meter", "EnergyMeter", "EFM"];
export const WALLBOX_TYPES: readonly string[] = ["Wallbox2", "Wallbox"];

const MAX_CONTROLS = 5000;
const text = (v: unknown, max = 200): string | null => (typeof v === "string" && v.trim() !== "" ? v.trim().slice(0, max) : null);
const record = (v: unknown): Record<string, unknown> => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/**
 * The controls of a structure file, sub-controls included (a meter inside
 * an energy manager is one), sorted by name. Anything that is not a control
 * with a name is skipped, never an exception: the file comes from a device.
 */
export function parseStructure(doc: unknown): LoxoneStructure {
  const root = record(doc);
  const rooms = record(root.rooms);
  const cats = record(root.cats);
  const nameOf = (table: Record<string, unknown>, uuid: unknown): string | null => (typeof uuid === "string" ? text(record(table[uuid]).name) : null);
  const out: LoxoneControl[] = [];
  const seen = new Set<string>();
  const visit = (controls: Record<string, unknown>, parentRoom: string | null, depth: number): void => {
    for (const [key, raw] of Object.entries(controls)) {
      if (out.length >= MAX_CONTROLS) return;
      const c = record(raw);
      const name = text(c.name);
      const uuid = text(c.uuidAction) ?? text(key);
      if (name && uuid && !seen.has(uuid)) {
        seen.add(uuid);
        const room = nameOf(rooms, c.room) ?? parentRoom;
        out.push({ name, uuid, type: text(c.type, 60) ?? "", room, category: nameOf(cats, c.cat) });
        if (depth < 3) visit(record(c.subControls), room, depth + 1);
      }
    }
  };
  visit(record(root.controls), null, 0);
  out.sort((a, b) => a.name.localeCompare(b.name, "de") || a.uuid.localeCompare(b.uuid));
  return { miniserver: text(record(root.msInfo).msName), controls: out };
}
