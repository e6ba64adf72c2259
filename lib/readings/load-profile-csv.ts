import { parse } from "csv-parse/sync";
import { detectDelimiter } from "../community/csv";
import { INTERVAL_MS } from "../time/interval";
import { DEFAULT_TIME_ZONE } from "../time/local-date";
import { instantsOfWallClock } from "../time/wall-clock";

/*
 * 15-minute load profiles as grid operators deliver them for vZEV and LEG
 * (docs/aggregation.md "Load-profile import"): one row per metering point
 * and quarter hour with the energy of that quarter hour in kWh. Accepted:
 * semicolon, comma or tab; decimal point or comma; ' as thousands mark;
 * timestamps as ISO with offset, or local time (YYYY-MM-DD HH:MM, DD.MM.YYYY
 * HH:MM) with an optional offset column or an A/B mark for the repeated
 * hour of the fall-back day, else that hour is told apart by row order.
 */

export interface LoadProfileRow {
  meter: string;
  startMs: number;
  importWh: number;
  exportWh: number | null;
  line: number;
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
  timestamp: ["timestamp", "zeitstempel", "zeit", "datetime", "datumzeit", "datumuhrzeit", "time", "von", "ab", "from", "start", "beginn", "begin", "horodatage", "debut", "dataora", "inizio", "bis", "end", "ende", "to", "fin", "fine"],
  date: ["datum", "date", "data"],
  clock: ["uhrzeit", "heure", "ora", "zeit", "time"],
  meter: ["meter", "meterid", "meteringpoint", "meteringpointid", "messpunkt", "messpunktid", "zahlpunkt", "zaehlpunkt", "zahler", "zaehler", "mp", "mpid", "pointdemesure", "pdm", "puntodimisura", "pod"],
  import: ["import", "importkwh", "bezug", "bezugkwh", "verbrauch", "consumption", "soutirage", "consommation", "prelievo", "consumo", "energyin", "wirkenergiebezug"],
  export: ["export", "exportkwh", "einspeisung", "einspeisungkwh", "ruecklieferung", "rucklieferung", "rueckspeisung", "ruckspeisung", "lieferung", "feedin", "injection", "immissione", "energyout", "wirkenergielieferung"],
  offset: ["offset", "utcoffset", "utc", "zeitzone", "timezoneoffset", "decalage"],
};
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
  imp: number;
  exp?: number;
  offset?: number;
  endByName: boolean;
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
  const imp = find(COLUMNS.import);
  if (meter === undefined || imp === undefined) return null;
  const date = find(COLUMNS.date);
  const clock = date !== undefined ? find(COLUMNS.clock, [date]) : undefined;
  const ts = date !== undefined && clock !== undefined ? undefined : find(COLUMNS.timestamp);
  if (ts === undefined && (date === undefined || clock === undefined)) return null;
  return { ts, date, clock, meter, imp, exp: find(COLUMNS.export), offset: find(COLUMNS.offset), endByName: ts !== undefined && END_NAMES.has(names[ts]!) };
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
  let t = raw.trim().replace(/['\u2019\s]/g, "");
  if (t.includes(",") && t.includes(".")) t = t.replace(/,/g, ""); // 1,234.5
  else t = t.replace(",", ".");
  const m = /^(\d+)(?:\.(\d+))?$/.exec(t);
  if (!m) {
    if (/^-/.test(t)) throw new LoadProfileError(`${where}: negative energy ${JSON.stringify(raw)}; a load profile holds energy per quarter hour, never below 0`);
    throw new LoadProfileError(`${where}: ${JSON.stringify(raw)} is not a number of kWh`);
  }
  const frac = (m[2] ?? "").padEnd(7, "0");
  const mWh = Number(m[1]) * 1_000_000 + Number(frac.slice(0, 6)) + (Number(frac[6]) >= 5 ? 1 : 0);
  if (!Number.isSafeInteger(mWh) || mWh > 1e13) throw new LoadProfileError(`${where}: ${raw} kWh in a quarter hour is absurd`);
  return mWh;
}

export function parseLoadProfileCsv(text: string, opts: LoadProfileOptions = {}): ParsedLoadProfile {
  const file = opts.fileName ?? "load profile";
  const zone = opts.timeZone ?? DEFAULT_TIME_ZONE;
  // The delimiter is the one under which a header line can be found (a preamble or decimal commas fool simple counting).
  let records: string[][] = [];
  let headerAt = -1;
  let layout: Layout | null = null;
  let lastError: Error | null = null;
  const guess = detectDelimiter(text);
  for (const delimiter of [guess, ...([";", ",", "\t"] as const).filter((d) => d !== guess)]) {
    try {
      records = parse(text, { delimiter, bom: true, skip_empty_lines: true, trim: true, relax_column_count: true, relax_quotes: true }) as string[][];
    } catch (e) {
      lastError = e as Error;
      continue;
    }
    // Operators often put a few lines of metadata above the header.
    for (let i = 0; i < Math.min(records.length, 20) && !layout; i++) {
      layout = findLayout(records[i]!);
      if (layout) headerAt = i;
    }
    if (layout) break;
  }
  if (!layout) {
    if (lastError && records.length === 0) throw new LoadProfileError(`${file}: not readable as CSV: ${lastError.message}`);
    const first = text.replace(/^\uFEFF/, "").split(/\r?\n/, 1)[0] ?? "";
    throw new LoadProfileError(
      `${file}: no header found with a timestamp (or date and time), a metering point and an import column; first line: ${JSON.stringify(first)}`,
    );
  }
  const L = layout;
  const timestampIs = opts.timestampIs ?? (L.endByName ? "end" : "start");
  const shift = timestampIs === "end" ? INTERVAL_MS : 0;
  const warnings: string[] = [];
  const lastInstant = new Map<string, number>();
  const wallCache = new Map<string, number[]>();
  const parsed: (LoadProfileRow & { impMWh: number; expMWh: number | null })[] = [];

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
      if (!m) throw new LoadProfileError(`${where}: cannot read the time ${JSON.stringify(tsText)}; write 2026-10-25 02:15, 25.10.2026 02:15 or ISO with offset`);
      const [year, month, day] = m[1] ? [+m[1], +m[2]!, +m[3]!] : [+m[6]!, +m[5]!, +m[4]!];
      const hour = +m[7]!, minute = +m[8]!;
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
        }
      }
    }
    if (!Number.isFinite(instant)) throw new LoadProfileError(`${where}: invalid time ${JSON.stringify(tsText)}`);
    const startMs = instant - shift;
    if (startMs % INTERVAL_MS !== 0) throw new LoadProfileError(`${where}: ${tsText} is not on a quarter hour; a load profile has 15-minute values`);
    lastInstant.set(meter, instant);
    const impMWh = parseKWh(rec[L.imp] ?? "", `${where} import`);
    const expText = L.exp !== undefined ? (rec[L.exp] ?? "").trim() : "";
    const expMWh = expText === "" ? null : parseKWh(expText, `${where} export`);
    parsed.push({ meter, startMs, importWh: 0, exportWh: null, line, impMWh, expMWh });
  }
  if (parsed.length === 0) throw new LoadProfileError(`${file}: header found but no rows`);

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
    let cumImp = 0, cumExp = 0;
    let prev: (typeof list)[number] | undefined;
    for (const p of list) {
      if (prev && prev.startMs === p.startMs) {
        if (prev.impMWh !== p.impMWh || prev.expMWh !== p.expMWh) {
          throw new LoadProfileError(`${file} lines ${prev.line} and ${p.line}: two different values for ${meter} at ${new Date(p.startMs).toISOString()}`);
        }
        warnings.push(`${file} line ${p.line}: repeats line ${prev.line}, ignored`);
        continue;
      }
      if (prev) minStep = Math.min(minStep, p.startMs - prev.startMs);
      const wi = Math.round((cumImp + p.impMWh) / 1000) - Math.round(cumImp / 1000);
      cumImp += p.impMWh;
      let we: number | null = null;
      if (p.expMWh !== null) {
        we = Math.round((cumExp + p.expMWh) / 1000) - Math.round(cumExp / 1000);
        cumExp += p.expMWh;
      }
      rows.push({ meter, startMs: p.startMs, importWh: wi, exportWh: we, line: p.line });
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
    warnings,
  };
}
