import { DateTime } from "luxon";
import { findCsvTable, firstLineExcerpt } from "../../community/csv";
import { INTERVAL_MS } from "../../time/interval";
import { DEFAULT_TIME_ZONE } from "../../time/local-date";
import { instantsOfWallClock } from "../../time/wall-clock";
import { feedInIsPrimary, type MeterRole } from "../../model/meter";
import { parseScaledDecimal } from "../../util/decimal-text";

/*
 * 15-minute load profiles as grid operators deliver them for vZEV and LEG
 * (docs/aggregation.md "Load-profile import"): one row per metering point
 * and quarter hour with the energy of that quarter hour in kWh. Accepted:
 * semicolon, comma or tab; decimal point or comma; ' as thousands mark;
 * timestamps as ISO with offset, or local time (YYYY-MM-DD HH:MM, DD.MM.YYYY
 * HH:MM) with an optional offset column or an A/B mark for the repeated
 * hour of the fall-back day, else that hour is told apart by row order
 * (and a time of that hour the file does not disambiguate is warned about).
 *
 * The file's columns keep the grid operator's meaning: "import" is what the
 * metering point drew (Bezug), "export" what it fed in (Einspeisung). Which
 * of them is the meter's primary direction follows from the meter's role
 * (orientLoadProfile): for a production meter the fed-in energy is its
 * production. A single energy column without a direction (kWh, Wert,
 * Wirkenergie) is the primary direction of every meter.
 */

export interface LoadProfileRow {
  meter: string;
  startMs: number;
  /** The file's import (Bezug) column, or its only energy column; null where the cell is empty. */
  importWh: number | null;
  /** The file's export (Einspeisung) column; null where the cell is empty or the file has none. */
  exportWh: number | null;
  line: number;
  /** From the file's quality column (absent without one): a row flagged missing carries no energy (its numbers are placeholders). */
  quality?: LoadProfileQuality;
  /** The quality cell as written, when no known value: read as estimated (not a true value). */
  unknownQuality?: string;
}

/** A portal file's quality per quarter hour, in the SDAT sense (docs/aggregation.md "Quality column"). */
export type LoadProfileQuality = "measured" | "estimated" | "missing";

/** The energy columns as the file names them; `value` is a column without a direction, used only when there is neither import nor export. */
export interface LoadProfileColumns {
  import: string | null;
  export: string | null;
  value: string | null;
}

export interface LoadProfileOptions {
  fileName?: string;
  timeZone?: string;
  /** Whether the timestamp marks the start or the end of the quarter hour; default: from the column name, else start. */
  timestampIs?: "start" | "end";
}

export interface ParsedLoadProfile {
  rows: LoadProfileRow[];
  meters: string[];
  fromMs: number;
  toMs: number;
  timestampIs: "start" | "end";
  columns: LoadProfileColumns;
  /** The quality column as the file names it (BKW: Messdatengüte); null when the file has none: then every row is a true value. */
  qualityColumn?: string | null;
  warnings: string[];
}

export class LoadProfileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LoadProfileError";
  }
}

/** Header names seen in Swiss operators' exports (de, fr, it, en), compared without case, spaces, units and punctuation. */
const COLUMNS = {
  timestamp: [
    "timestamp",
    "zeitstempel",
    "zeit",
    "datetime",
    "datumzeit",
    "datumuhrzeit",
    "time",
    "von",
    "ab",
    "from",
    "start",
    "beginn",
    "begin",
    "horodatage",
    "debut",
    "dataora",
    "inizio",
    "bis",
    "end",
    "ende",
    "to",
    "fin",
    "fine",
  ],
  date: ["datum", "date", "data"],
  clock: ["uhrzeit", "heure", "ora", "zeit", "time"],
  meter: [
    "meter",
    "meterid",
    "meteringpoint",
    "meteringpointid",
    "messpunkt",
    "messpunktid",
    "zahlpunkt",
    "zaehlpunkt",
    "zahler",
    "zaehler",
    "mp",
    "mpid",
    "pointdemesure",
    "pdm",
    "puntodimisura",
    "pod",
  ],
  import: [
    "import",
    "importkwh",
    "bezug",
    "bezugkwh",
    "strombezug",
    "energiebezug",
    "wirkenergiebezug",
    "bezugwirkenergie",
    "verbrauch",
    "consumption",
    "soutirage",
    "consommation",
    "prelievo",
    "consumo",
    "energyin",
  ],
  export: [
    "export",
    "exportkwh",
    "einspeisung",
    "einspeisungkwh",
    "stromeinspeisung",
    "energieeinspeisung",
    "wirkenergieeinspeisung",
    "einspeisungwirkenergie",
    "ruecklieferung",
    "rucklieferung",
    "rueckspeisung",
    "ruckspeisung",
    "lieferung",
    "wirkenergielieferung",
    "feedin",
    "injection",
    "immissione",
    "energyout",
    "produktion",
    "erzeugung",
    "production",
    "produzione",
    "generation",
  ],
  /** Energy without a direction: the meter's primary direction, whatever its role. */
  value: [
    "",
    "kwh",
    "wirkenergie",
    "energie",
    "energy",
    "energia",
    "wert",
    "value",
    "valeur",
    "valore",
    "menge",
    "volume",
    "quantity",
    "messwert",
    "energiemenge",
  ],
  offset: ["offset", "utcoffset", "utc", "zeitzone", "timezoneoffset", "decalage"],
  quality: [
    "messdatengute",
    "messdatenguete",
    "datengute",
    "datenguete",
    "qualitat",
    "qualitaet",
    "datenqualitat",
    "datenqualitaet",
    "messwertqualitat",
    "messwertqualitaet",
    "quality",
    "dataquality",
    "qualite",
    "qualita",
    "status",
    "messwertstatus",
    "wertstatus",
    "statut",
    "stato",
    "statusvalore",
    "statutvaleur",
  ],
};

/*
 * Quality cells of Swiss portals (de/fr/it/en), compared like headers (case,
 * accents, spaces and punctuation ignored). Anything else is not a true
 * value: read as estimated, so it never overwrites a measured value and a
 * later true value replaces it (docs/decisions/0105).
 */
const QUALITY_VALUES: Record<LoadProfileQuality, readonly string[]> = {
  measured: [
    "gemessen",
    "w",
    "wahr",
    "wahrerwert",
    "echtwert",
    "messwert",
    "true",
    "truevalue",
    "measured",
    "real",
    "mesure",
    "valeurmesuree",
    "reel",
    "misurato",
    "valoremisurato",
    "reale",
  ],
  estimated: [
    "ersatzwert",
    "e",
    "ersatz",
    "ersetzt",
    "substitut",
    "substitute",
    "substitutevalue",
    "substituted",
    "geschatzt",
    "geschaetzt",
    "schatzwert",
    "schaetzwert",
    "estimated",
    "estimate",
    "s",
    "g",
    "estime",
    "valeurestimee",
    "valeurderemplacement",
    "remplacement",
    "remplace",
    "stimato",
    "valorestimato",
    "sostitutivo",
    "valoresostitutivo",
    "sostituito",
  ],
  missing: ["fehlend", "fehlt", "keinwert", "f", "missing", "m", "novalue", "manquant", "absent", "aucunevaleur", "mancante", "nessunvalore", "na", "nv"],
};
const QUALITY_OF = new Map<string, LoadProfileQuality>(
  Object.entries(QUALITY_VALUES).flatMap(([q, names]) => names.map((n) => [n, q as LoadProfileQuality] as const)),
);

/** measured / estimated / missing, or null for a cell not in QUALITY_VALUES; "-" alone (and n/a) is missing. */
export function loadProfileQuality(cell: string): LoadProfileQuality | null {
  const t = cell.trim();
  if (/^[-–—]+$/.test(t)) return "missing";
  return QUALITY_OF.get(canon(t)) ?? null;
}
/** Word stems that give a column a direction when its name is longer than the names above ("Bezug HT", "Wirkenergie Einspeisung total"). */
const IMPORT_STEMS = ["bezug", "import", "verbrauch", "consumption", "soutirage", "consommation", "prelievo"];
const EXPORT_STEMS = [
  "einspeis",
  "export",
  "rueckliefer",
  "ruckliefer",
  "rueckspeis",
  "ruckspeis",
  "feedin",
  "injection",
  "immission",
  "produktion",
  "erzeugung",
  "production",
  "produzione",
];
/** Columns about a value (its quality, status or unit), never the value itself. */
const NOT_ENERGY = /status|qualit|gute|guete|flag|code|einheit|unite|unita|unit$|art$|typ/;
const END_NAMES = new Set(["bis", "end", "ende", "to", "fin", "fine"]);

function canon(header: string): string {
  return header
    .toLowerCase()
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/\[[^\]]*\]|\([^)]*\)/g, "")
    .replace(/kwh$/, "")
    .replace(/[^a-z0-9]/g, "");
}

interface Layout {
  ts?: number;
  date?: number;
  clock?: number;
  meter: number;
  imp?: number;
  exp?: number;
  offset?: number;
  quality?: number;
  endByName: boolean;
  columns: LoadProfileColumns;
  /** Several columns of one direction (e.g. "Bezug HT" and "Bezug NT"): reading one of them would drop the others' energy. */
  ambiguous?: string;
}

/** +A / A+ / 1.8.x is the import register, -A / A- / 2.8.x the export register (IEC 62056 / OBIS), in any header. */
function registerDirection(header: string): "import" | "export" | null {
  // Brackets become spaces, their content stays: "Wirkenergie (+A)", "Energie [1.8.0]".
  const h = header.replace(/[[\]()]/g, " ");
  if (/(^|[^\w.:])(\+\s?A|A\s?\+)(?![\w+-])|(^|[^\d.])(\d-\d:)?1\.8\.\d(?!\d)/i.test(h)) return "import";
  if (/(^|[^\w.:])(-\s?A|A\s?-)(?![\w+-])|(^|[^\d.])(\d-\d:)?2\.8\.\d(?!\d)/i.test(h)) return "export";
  return null;
}

function findLayout(header: string[]): Layout | null {
  const names = header.map(canon);
  const find = (list: readonly string[], exclude: number[] = []): number | undefined => {
    for (const want of list) {
      const i = names.findIndex((n, j) => n === want && !exclude.includes(j));
      if (i >= 0) return i;
    }
    return undefined;
  };
  const meter = find(COLUMNS.meter);
  if (meter === undefined) return null;
  const date = find(COLUMNS.date);
  const clock = date !== undefined ? find(COLUMNS.clock, [date]) : undefined;
  // "Datum" alone holds date and time in some portals (BKW: Messpunkt;Datum;Strombezug [kWh];...).
  const ts = date !== undefined && clock !== undefined ? undefined : (find(COLUMNS.timestamp) ?? date);
  if (ts === undefined && (date === undefined || clock === undefined)) return null;
  const taken = [meter, date, clock, ts].filter((i): i is number => i !== undefined);
  const energyLike = (j: number): boolean => !taken.includes(j) && !NOT_ENERGY.test(names[j]!);
  const byStem = (dir: "import" | "export"): number | undefined => {
    const stems = dir === "import" ? IMPORT_STEMS : EXPORT_STEMS;
    const other = dir === "import" ? EXPORT_STEMS : IMPORT_STEMS;
    for (let j = 0; j < header.length; j++) {
      if (!energyLike(j)) continue;
      const reg = registerDirection(header[j]!);
      if (reg === dir) return j;
      if (reg === null && stems.some((st) => names[j]!.includes(st)) && !other.some((st) => names[j]!.includes(st))) return j;
    }
    return undefined;
  };
  let imp = find(COLUMNS.import, taken);
  imp ??= byStem("import");
  let exp = find(COLUMNS.export, [...taken, ...(imp !== undefined ? [imp] : [])]);
  exp ??= byStem("export");
  let value: number | undefined;
  if (imp === undefined && exp === undefined) {
    // One energy column without a direction; a bare "kWh" header canonicalises to "".
    for (let j = 0; j < header.length && value === undefined; j++) {
      if (energyLike(j) && COLUMNS.value.includes(names[j]!) && (names[j] !== "" || /kwh/i.test(header[j]!))) value = j;
    }
    if (value === undefined) return null;
    imp = value;
  }
  const offset = find(COLUMNS.offset, taken);
  const quality = find(COLUMNS.quality, taken);
  const directionOf = (j: number): "import" | "export" | null => {
    if (!energyLike(j)) return null;
    const reg = registerDirection(header[j]!);
    if (reg) return reg;
    const n = names[j]!;
    const isImp = COLUMNS.import.includes(n) || IMPORT_STEMS.some((st) => n.includes(st));
    const isExp = COLUMNS.export.includes(n) || EXPORT_STEMS.some((st) => n.includes(st));
    return isImp && !isExp ? "import" : isExp && !isImp ? "export" : null;
  };
  let ambiguous: string | undefined;
  for (const dir of ["import", "export"] as const) {
    const all = header.map((_, j) => j).filter((j) => j !== offset && directionOf(j) === dir);
    if (all.length > 1)
      ambiguous = `${all.length} ${dir} columns (${all.map((j) => JSON.stringify(header[j]!.trim())).join(", ")}); a load profile has one value per direction and quarter hour: sum tariff columns (HT/NT) into one before importing`;
  }
  return {
    ambiguous,
    ts,
    date: ts === undefined ? date : undefined,
    clock,
    meter,
    imp,
    exp,
    offset,
    quality,
    endByName: ts !== undefined && END_NAMES.has(names[ts]!),
    columns: {
      import: value === undefined && imp !== undefined ? header[imp]!.trim() : null,
      export: exp !== undefined ? header[exp]!.trim() : null,
      value: value !== undefined ? header[value]!.trim() : null,
    },
  };
}

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})$/i;
const LOCAL = /^(?:(\d{4})-(\d{2})-(\d{2})|(\d{1,2})\.(\d{1,2})\.(\d{4}))[T ]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AB])?$/i;

function parseOffset(text: string): number | null {
  const m = /^(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$/i.exec(text.trim());
  if (!m) return null;
  return (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}

/** Decimal text -> integer milli-Wh (kWh with up to 6 decimals kept exactly). */
function parseKWh(raw: string, where: string): number {
  const r = parseScaledDecimal(raw, 6, 1e13);
  if ("value" in r) return r.value;
  if (r.problem === "negative")
    throw new LoadProfileError(`${where}: negative energy ${JSON.stringify(raw)}; a load profile holds energy per quarter hour, never below 0`);
  if (r.problem === "too-large") throw new LoadProfileError(`${where}: ${raw} kWh in a quarter hour is absurd`);
  throw new LoadProfileError(`${where}: ${JSON.stringify(raw)} is not a number of kWh`);
}

export function parseLoadProfileCsv(text: string, opts: LoadProfileOptions = {}): ParsedLoadProfile {
  const file = opts.fileName ?? "load profile";
  const zone = opts.timeZone ?? DEFAULT_TIME_ZONE;
  // The delimiter is the one under which a header line can be found (a preamble or decimal commas fool simple counting).
  const { records, layout, headerAt, lastError } = findCsvTable(text, findLayout, 20);
  if (!layout) {
    if (lastError && records.length === 0) throw new LoadProfileError(`${file}: not readable as CSV: ${lastError.message}`);
    throw new LoadProfileError(
      `${file}: no header found with a timestamp (or date and time), a metering point and an energy column (import/Bezug, export/Einspeisung or kWh); first line: ${firstLineExcerpt(text)}`,
    );
  }
  const L = layout;
  if (L.ambiguous) throw new LoadProfileError(`${file}: ${L.ambiguous}`);
  const timestampIs = opts.timestampIs ?? (L.endByName ? "end" : "start");
  const shift = timestampIs === "end" ? INTERVAL_MS : 0;
  const warnings: string[] = [];
  const lastInstant = new Map<string, number>();
  const wallCache = new Map<string, number[]>();
  const parsed: (LoadProfileRow & { impMWh: number | null; expMWh: number | null })[] = [];
  const qualityColumn = L.quality !== undefined ? records[headerAt]![L.quality]!.trim() : null;
  const unknownQualities = new Map<string, { count: number; line: number }>();
  // Rows whose local time lies in the repeated hour and was placed by row order alone, per meter and wall-clock time.
  const byOrder = new Map<string, { line: number; text: string; instant: number; count: number }>();

  for (let r = headerAt + 1; r < records.length; r++) {
    const rec = records[r]!;
    const line = r + 1;
    const where = `${file} line ${line}`;
    const meter = (rec[L.meter] ?? "").trim();
    if (!meter && rec.every((v) => !v.trim())) continue;
    if (!meter) throw new LoadProfileError(`${where}: no metering point`);
    const tsText = L.ts !== undefined ? (rec[L.ts] ?? "").trim() : `${(rec[L.date!] ?? "").trim()} ${(rec[L.clock!] ?? "").trim()}`;
    let instant: number;
    if (ISO_WITH_OFFSET.test(tsText)) {
      instant = Date.parse(tsText.replace(" ", "T").replace(/\s+/g, ""));
    } else {
      const m = LOCAL.exec(tsText);
      if (!m)
        throw new LoadProfileError(`${where}: cannot read the time ${JSON.stringify(tsText)}; write 2026-10-25 02:15, 25.10.2026 02:15 or ISO with offset`);
      const [year, month, day] = m[1] ? [+m[1], +m[2]!, +m[3]!] : [+m[6]!, +m[5]!, +m[4]!];
      const hour = +m[7]!,
        minute = +m[8]!;
      const offsetText = L.offset !== undefined ? (rec[L.offset] ?? "").trim() : "";
      if (offsetText) {
        const off = parseOffset(offsetText);
        if (off === null) throw new LoadProfileError(`${where}: cannot read the UTC offset ${JSON.stringify(offsetText)}; write +01:00 or +02:00`);
        instant = Date.UTC(year, month - 1, day, hour, minute) - off * 60_000;
      } else {
        const key = `${year}-${month}-${day} ${hour}:${minute}`;
        let cands = wallCache.get(key);
        if (!cands) wallCache.set(key, (cands = instantsOfWallClock(year, month, day, hour, minute, zone)));
        if (cands.length === 0) throw new LoadProfileError(`${where}: ${tsText} does not exist in ${zone} (the hour skipped when summer time begins)`);
        if (cands.length === 1) instant = cands[0]!;
        else if (m[10]) instant = m[10].toUpperCase() === "A" ? cands[0]! : cands[1]!;
        else {
          // The repeated hour of the fall-back day: the first time a meter shows it is summer time, the second time winter time.
          const prev = lastInstant.get(meter);
          instant = prev !== undefined && prev >= cands[0]! ? cands[1]! : cands[0]!;
          const k = `${meter}\u0000${key}`;
          const seen = byOrder.get(k);
          if (seen) seen.count++;
          else byOrder.set(k, { line, text: tsText, instant, count: 1 });
        }
      }
    }
    if (!Number.isFinite(instant)) throw new LoadProfileError(`${where}: invalid time ${JSON.stringify(tsText)}`);
    const startMs = instant - shift;
    if (startMs % INTERVAL_MS !== 0) throw new LoadProfileError(`${where}: ${tsText} is not on a quarter hour; a load profile has 15-minute values`);
    lastInstant.set(meter, instant);
    let quality: LoadProfileQuality | undefined;
    let unknownQuality: string | undefined;
    if (L.quality !== undefined) {
      const cell = (rec[L.quality] ?? "").trim();
      const known = loadProfileQuality(cell);
      quality = known ?? "estimated";
      if (known === null) {
        unknownQuality = cell;
        const u = unknownQualities.get(cell);
        if (u) u.count++;
        else unknownQualities.set(cell, { count: 1, line });
      }
    }
    const impText = L.imp !== undefined ? (rec[L.imp] ?? "").trim() : "";
    const expText = L.exp !== undefined ? (rec[L.exp] ?? "").trim() : "";
    // A row flagged missing carries no energy: its number (often 0) is the portal's placeholder, not a value.
    const impMWh = impText === "" || quality === "missing" ? null : parseKWh(impText, `${where} ${L.columns.import ?? L.columns.value}`);
    const expMWh = expText === "" || quality === "missing" ? null : parseKWh(expText, `${where} ${L.columns.export}`);
    parsed.push({
      meter,
      startMs,
      importWh: 0,
      exportWh: null,
      line,
      impMWh,
      expMWh,
      ...(quality ? { quality } : {}),
      ...(unknownQuality !== undefined ? { unknownQuality } : {}),
    });
  }
  if (parsed.length === 0) throw new LoadProfileError(`${file}: header found but no rows`);
  for (const [cell, u] of unknownQualities) {
    warnings.push(
      `${file} line ${u.line}: ${JSON.stringify(cell)} in column ${JSON.stringify(qualityColumn)} is not a known quality (${u.count} row(s)); read as not a true value (estimated): it never overwrites a measured value, and a later true value replaces it; ask the grid operator what it means`,
    );
  }
  // A time of the repeated hour shown once, without offset or A/B: nothing in the file says which of the two it is.
  for (const [k, o] of byOrder) {
    if (o.count > 1) continue;
    const meter = k.slice(0, k.indexOf("\u0000"));
    const off = (ms: number): string => DateTime.fromMillis(ms, { zone }).toFormat("ZZ");
    warnings.push(
      `${file} line ${o.line}: ${o.text} (${meter}) occurs twice in ${zone} when summer time ends, and the file does not say which is meant (no UTC offset, no A/B mark, no second row for that time): taken as ${new Date(o.instant).toISOString()} (UTC${off(o.instant)}); add an offset column or A/B marks if that is wrong`,
    );
  }

  // Per meter in time order: duplicates, spacing, and Wh by rounding the running sum (more than 3 decimals lose nothing overall).
  const byMeter = new Map<string, typeof parsed>();
  for (const p of parsed) {
    const list = byMeter.get(p.meter) ?? [];
    list.push(p);
    byMeter.set(p.meter, list);
  }
  const rows: LoadProfileRow[] = [];
  for (const [meter, list] of byMeter) {
    list.sort((a, b) => a.startMs - b.startMs);
    let minStep = Infinity;
    let cumImp = 0,
      cumExp = 0;
    let prev: (typeof list)[number] | undefined;
    for (const p of list) {
      if (prev && prev.startMs === p.startMs) {
        if (prev.impMWh !== p.impMWh || prev.expMWh !== p.expMWh || prev.quality !== p.quality) {
          throw new LoadProfileError(`${file} lines ${prev.line} and ${p.line}: two different values for ${meter} at ${new Date(p.startMs).toISOString()}`);
        }
        warnings.push(`${file} line ${p.line}: repeats line ${prev.line}, ignored`);
        continue;
      }
      if (prev) minStep = Math.min(minStep, p.startMs - prev.startMs);
      let wi: number | null = null;
      if (p.impMWh !== null) {
        wi = Math.round((cumImp + p.impMWh) / 1000) - Math.round(cumImp / 1000);
        cumImp += p.impMWh;
      }
      let we: number | null = null;
      if (p.expMWh !== null) {
        we = Math.round((cumExp + p.expMWh) / 1000) - Math.round(cumExp / 1000);
        cumExp += p.expMWh;
      }
      rows.push({
        meter,
        startMs: p.startMs,
        importWh: wi,
        exportWh: we,
        line: p.line,
        ...(p.quality ? { quality: p.quality } : {}),
        ...(p.unknownQuality !== undefined ? { unknownQuality: p.unknownQuality } : {}),
      });
      prev = p;
    }
    if (list.length >= 4 && minStep > INTERVAL_MS) {
      throw new LoadProfileError(`${file}: the rows of ${meter} are at least ${minStep / 60_000} minutes apart; only 15-minute values can be imported`);
    }
  }
  rows.sort((a, b) => a.startMs - b.startMs || (a.meter < b.meter ? -1 : a.meter > b.meter ? 1 : 0));
  return {
    rows,
    meters: [...byMeter.keys()].sort(),
    fromMs: rows[0]!.startMs,
    toMs: rows[rows.length - 1]!.startMs + INTERVAL_MS,
    timestampIs,
    columns: L.columns,
    qualityColumn,
    warnings,
  };
}

/** A load-profile row in the store's directions: import = the meter's primary direction (docs/aggregation.md "Load-profile import"). */
export interface OrientedRow {
  meter: string;
  startMs: number;
  /** Null only for a row the file's quality column flags missing. */
  importWh: number | null;
  exportWh: number | null;
  line: number;
  quality?: LoadProfileQuality;
}

export interface MeterDirection {
  meter: string;
  role: MeterRole;
  /** The file column read as the meter's primary direction (production for a production meter, consumption for the others). */
  primary: string;
  /** The file column read as its reverse direction, if the file has one. */
  reverse: string | null;
}

export interface OrientedLoadProfile {
  rows: OrientedRow[];
  directions: MeterDirection[];
  warnings: string[];
}

/** Roles whose primary direction alone takes part in the split: a zero there is a wrong bill. */
const SPLIT_ROLES: ReadonlySet<MeterRole> = new Set(["production", "unit", "common", "charger"]);

/** Average draw (W) below which the reverse energy of a production meter that fed in nothing can be its standby: warned about, not refused. */
const STANDBY_W = 50;

function kWh(wh: number): string {
  return (wh / 1000).toFixed(3);
}

/**
 * Puts each meter's energy into the store's directions by its role: a
 * production meter's primary direction is what it fed in (the operator's
 * Einspeisung/export column), every other meter's is what it drew
 * (Bezug/import); a single column without a direction is the primary
 * direction of all. Refuses (LoadProfileError naming the column) a file in
 * which the primary direction of a meter that takes part in the split is
 * missing, has empty cells, or is zero throughout while the other direction
 * carries energy: that would be a silent zero on the bill. For meters whose
 * role does not make that a wrong bill (grid, battery, not yet assigned) the
 * same finding is a warning. `roleOf` gives the role of every meter in the
 * file; undefined = not in the community yet (it will be registered as other).
 */
export function orientLoadProfile(p: ParsedLoadProfile, roleOf: (meter: string) => MeterRole | undefined, fileName = "load profile"): OrientedLoadProfile {
  const warnings = [...p.warnings];
  const { columns } = p;
  const byMeter = new Map<string, LoadProfileRow[]>();
  for (const r of p.rows) {
    const list = byMeter.get(r.meter) ?? [];
    list.push(r);
    byMeter.set(r.meter, list);
  }
  const rows: OrientedRow[] = [];
  const directions: MeterDirection[] = [];
  for (const [meter, list] of byMeter) {
    const known = roleOf(meter);
    const role: MeterRole = known ?? "other";
    const what = role === "other" ? (known ? "meter with role other" : "meter not in the community (registered with role other)") : `${role} meter`;
    const fedIn = feedInIsPrimary(role) && columns.value === null;
    const primary = columns.value ?? (fedIn ? columns.export : columns.import);
    const reverse = columns.value !== null ? null : fedIn ? columns.import : columns.export;
    const primaryOf = (r: LoadProfileRow): number | null => (fedIn ? r.exportWh : r.importWh);
    const reverseOf = (r: LoadProfileRow): number | null => (columns.value !== null ? null : fedIn ? r.importWh : r.exportWh);
    const reverseWh = list.reduce((s, r) => s + (reverseOf(r) ?? 0), 0);
    const primaryWh = list.reduce((s, r) => s + (primaryOf(r) ?? 0), 0);
    // A row flagged missing is a known gap, not an empty cell.
    const filled = list.filter((r) => primaryOf(r) !== null || r.quality === "missing").length;
    const wanted = fedIn ? "the energy it fed in (production: Einspeisung/export)" : "the energy it drew (Bezug/import)";
    if (primary === null) {
      throw new LoadProfileError(
        `${fileName}: ${meter} is a ${what}; its primary direction is ${wanted}, but the file has no such column, only ${JSON.stringify(reverse)}` +
          (reverseWh > 0 ? ` (${kWh(reverseWh)} kWh)` : "") +
          (role === "production" ? ": reading it would bill every solar kWh as grid energy" : "") +
          `; check the meter's role in the community or the file`,
      );
    }
    const problem =
      filled === 0
        ? `column ${JSON.stringify(primary)} (${wanted}) is empty in all ${list.length} rows of ${meter}`
        : primaryWh === 0 && reverseWh > 0
          ? `column ${JSON.stringify(primary)} (${wanted}) is 0 in all ${list.length} rows of ${meter}, while ${JSON.stringify(reverse)} carries ${kWh(reverseWh)} kWh`
          : null;
    if (problem && (filled === 0 || reverseWh > 0)) {
      const hint =
        role === "production"
          ? "a production meter's production is what it feeds in; if the operator delivered it in another column, rename that column to Einspeisung"
          : role === "other"
            ? "if it is a production meter, give it role production in the community and import the file again"
            : "check the meter's role in the community (a production meter's energy is its feed-in) or the file";
      // A production meter that produced nothing (snow, night-only file) still draws its inverter's standby: a few watts.
      const avgW = (reverseWh / list.length) * 4;
      const standby = role === "production" && filled > 0 && avgW < STANDBY_W;
      const text = `${fileName}: ${meter} is a ${what}: ${problem}${standby ? ` (${Math.round(avgW)} W on average: an inverter's standby, or its production in the wrong column?)` : ""}; ${hint}`;
      if ((SPLIT_ROLES.has(role) && !standby) || filled === 0) throw new LoadProfileError(text);
      warnings.push(text);
    }
    const blank = list.find((r) => primaryOf(r) === null && r.quality !== "missing");
    if (blank)
      throw new LoadProfileError(
        `${fileName} line ${blank.line}: no value in column ${JSON.stringify(primary)} for ${meter} (${what}); a load profile needs a value for every quarter hour`,
      );
    directions.push({ meter, role, primary, reverse });
    for (const r of list)
      rows.push({ meter, startMs: r.startMs, importWh: primaryOf(r), exportWh: reverseOf(r), line: r.line, ...(r.quality ? { quality: r.quality } : {}) });
  }
  rows.sort((a, b) => a.startMs - b.startMs || (a.meter < b.meter ? -1 : a.meter > b.meter ? 1 : 0));
  return { rows, directions, warnings };
}
