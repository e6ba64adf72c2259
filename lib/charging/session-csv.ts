import { DateTime } from "luxon";
import { findCsvTable, firstLineExcerpt } from "../community/csv";
import { DEFAULT_TIME_ZONE } from "../time/local-date";
import { instantsOfWallClock } from "../time/wall-clock";
import type { ChargeMode } from "../model/charging-session";
import { parseScaledDecimal } from "../util/decimal-text";

/*
 * Charging sessions from a file (docs/chargers.md "Importing sessions"), for
 * chargers read by another system or a vZEV/LEG with operator data only.
 * Two layouts, told apart by their headers:
 * - evcc's session export (Sessions > Download): columns Created, Finished,
 *   Charging point (older: Loadpoint), Identifier, Vehicle, Meter start/stop
 *   (kWh), Energy (kWh) (older: Charged Energy (kWh)), ... in the language of
 *   evcc's UI (de: Startzeit, Endzeit, Ladepunkt, Kennung, Fahrzeug,
 *   Anfangs-/Endzählerstand (kWh), Energie (kWh); fr, it likewise); times
 *   "2006-01-02 15:04:05" in the evcc server's local time; German with ';'
 *   and decimal comma. evcc has no mode column: the mode comes from --mode.
 * - our plain layout: start, end, energy (kWh) or counter start/end (kWh),
 *   id (RFID tag or user id), mode, and optionally charger.
 * Parsing only: who pays, which charger, overlaps and storing are
 * session-import.ts.
 */

export interface SessionLine {
  line: number;
  /** The charger as the file names it (a meter id, or evcc's charging point title); null = none given. */
  charger: string | null;
  startedMs: number;
  endedMs: number;
  energyWh: number;
  startCounterWh: number | null;
  endCounterWh: number | null;
  /** RFID tag / user id (evcc: Identifier, else Vehicle); null = none. */
  userId: string | null;
  /** null = the file gives none for this line. */
  mode: ChargeMode | null;
}

export interface ParsedSessions {
  layout: "evcc" | "plain";
  /** Whether the file has a mode column at all. */
  hasMode: boolean;
  hasCharger: boolean;
  sessions: SessionLine[];
  /** Lines not imported (a running session) and what needs a look, each naming file and line. */
  warnings: string[];
}

export interface SessionCsvOptions {
  fileName?: string;
  /** For times without an offset; default Europe/Zurich (the community's zone). */
  timeZone?: string;
}

export class SessionCsvError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SessionCsvError";
  }
}

/** Header names, compared without case, accents, spaces, units in brackets and punctuation. */
const COLUMNS = {
  start: [
    "created",
    "startzeit",
    "cree",
    "creato",
    "start",
    "started",
    "startedat",
    "starttime",
    "begin",
    "beginn",
    "von",
    "from",
    "debut",
    "inizio",
    "sessionstart",
    "ladebeginn",
  ],
  end: ["finished", "endzeit", "fin", "finito", "end", "ended", "endedat", "endtime", "ende", "bis", "to", "fine", "stop", "sessionend", "ladeende"],
  energy: ["chargedenergy", "energy", "energie", "energia", "kwh", "energykwh", "geladen", "ladeenergie", "charged", "energiemenge"],
  counterStart: [
    "meterstart",
    "anfangszahlerstand",
    "compteurdebut",
    "iniziocontatore",
    "counterstart",
    "zahlerstandstart",
    "zahlerstandbeginn",
    "startcounter",
  ],
  counterEnd: ["meterstop", "meterend", "endzahlerstand", "compteurfin", "fermacontatore", "counterend", "zahlerstandende", "endcounter"],
  user: [
    "identifier",
    "kennung",
    "identifiant",
    "identificativo",
    "rfid",
    "rfidtag",
    "tag",
    "user",
    "userid",
    "benutzer",
    "utilisateur",
    "utente",
    "card",
    "karte",
    "badge",
    "id",
  ],
  vehicle: ["vehicle", "fahrzeug", "vehicule", "veicolo"],
  charger: [
    "loadpoint",
    "chargingpoint",
    "ladepunkt",
    "pointdechargement",
    "pointdecharge",
    "puntodiricarica",
    "charger",
    "chargerid",
    "wallbox",
    "ladestation",
    "station",
    "meter",
    "meterid",
  ],
  mode: ["mode", "modus", "lademodus", "chargemode", "modalita"],
};
/** Headers only evcc's export has (in any of its languages). */
const EVCC_ONLY = new Set([
  "created",
  "finished",
  "startzeit",
  "endzeit",
  "cree",
  "creato",
  "finito",
  "chargedenergy",
  "meterstart",
  "meterstop",
  "anfangszahlerstand",
  "endzahlerstand",
  "loadpoint",
  "chargingpoint",
  "ladepunkt",
  "pointdechargement",
  "puntodiricarica",
  "identifier",
  "kennung",
  "identifiant",
  "identificativo",
]);

/**
 * Mode words: ours, and evcc's modes in its API and UI (now/Fast/Schnell =
 * charge at full power = priority; pv, minpv = follow the solar surplus =
 * normal).
 */
const MODE_WORDS: Record<string, ChargeMode> = {
  priority: "priority",
  prioritat: "priority",
  prioritaet: "priority",
  prioritaire: "priority",
  priorita: "priority",
  vorrang: "priority",
  now: "priority",
  fast: "priority",
  schnell: "priority",
  sofort: "priority",
  rapide: "priority",
  veloce: "priority",
  boost: "priority",
  normal: "normal",
  normale: "normal",
  pv: "normal",
  solar: "normal",
  minpv: "normal",
  minsolar: "normal",
  solaire: "normal",
  solare: "normal",
  sonne: "normal",
  surplus: "normal",
  uberschuss: "normal",
};

/** Above this average power a session is refused: no charger delivers it (the fastest DC chargers stay below). */
const MAX_CHARGER_W = 400_000;
/** Above this average power a session is warned about: an AC wallbox (three-phase 32 A) delivers at most 22 kW. */
const WALLBOX_W = 22_000;

function canon(header: string): string {
  return header
    .toLowerCase()
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/\[[^\]]*\]|\([^)]*\)/g, "")
    .replace(/[^a-z0-9]/g, "")
    .replace(/(.)kwh$/, "$1");
}

/** A mode as written in a file; undefined = empty cell, null = a word we do not know. */
export function parseMode(raw: string): ChargeMode | null | undefined {
  const t = canon(raw);
  if (t === "") return undefined;
  return MODE_WORDS[t] ?? null;
}

interface Layout {
  start: number;
  end: number;
  energy?: number;
  counterStart?: number;
  counterEnd?: number;
  user?: number;
  vehicle?: number;
  charger?: number;
  mode?: number;
  evcc: boolean;
  names: string[];
}

function findLayout(header: string[]): Layout | null {
  const names = header.map(canon);
  const used = new Set<number>();
  const find = (list: readonly string[]): number | undefined => {
    for (const want of list) {
      const i = names.findIndex((n, j) => n === want && !used.has(j));
      if (i >= 0) {
        used.add(i);
        return i;
      }
    }
    return undefined;
  };
  const start = find(COLUMNS.start);
  const end = find(COLUMNS.end);
  if (start === undefined || end === undefined) return null;
  const counterStart = find(COLUMNS.counterStart);
  const counterEnd = find(COLUMNS.counterEnd);
  const energy = find(COLUMNS.energy);
  if (energy === undefined && (counterStart === undefined || counterEnd === undefined)) return null;
  const user = find(COLUMNS.user);
  const vehicle = find(COLUMNS.vehicle);
  const charger = find(COLUMNS.charger);
  const mode = find(COLUMNS.mode);
  return {
    start,
    end,
    energy,
    counterStart,
    counterEnd,
    user,
    vehicle,
    charger,
    mode,
    evcc: names.some((n) => EVCC_ONLY.has(n)),
    names: header.map((h) => h.trim()),
  };
}

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})$/i;
const LOCAL = /^(?:(\d{4})-(\d{2})-(\d{2})|(\d{1,2})\.(\d{1,2})\.(\d{4}))[T ]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/;

/** Decimal kWh text (point or comma, ' as thousands mark) -> whole Wh, half up; null for an empty cell. */
function parseKWhToWh(raw: string, where: string): number | null {
  if (raw.trim().replace(/['\u2019\s]/g, "") === "") return null;
  const r = parseScaledDecimal(raw, 3, 1e12);
  if ("value" in r) return r.value;
  if (r.problem === "negative") throw new SessionCsvError(`${where}: negative energy ${JSON.stringify(raw)}`);
  if (r.problem === "too-large") throw new SessionCsvError(`${where}: ${raw} kWh is absurd`);
  throw new SessionCsvError(`${where}: ${JSON.stringify(raw)} is not a number of kWh`);
}

export function parseSessionsCsv(text: string, opts: SessionCsvOptions = {}): ParsedSessions {
  const file = opts.fileName ?? "sessions";
  const zone = opts.timeZone ?? DEFAULT_TIME_ZONE;
  const { records, layout, headerAt, lastError } = findCsvTable(text, findLayout, 10);
  if (!layout) {
    if (lastError && records.length === 0) throw new SessionCsvError(`${file}: not readable as CSV: ${lastError.message}`);
    throw new SessionCsvError(
      `${file}: no header found with a start, an end and the energy (kWh, or counter start and end); e.g. evcc's export (Created, Finished, ..., Energy (kWh)) or start;end;energy_kwh;id;mode; first line: ${firstLineExcerpt(text)}`,
    );
  }
  const L = layout;
  const warnings: string[] = [];
  const sessions: SessionLine[] = [];
  const cell = (rec: string[], i: number | undefined): string => (i === undefined ? "" : (rec[i] ?? "").trim());

  const instant = (raw: string, where: string, what: string): number => {
    if (ISO_WITH_OFFSET.test(raw)) {
      const ms = Date.parse(raw.replace(" ", "T").replace(/\s+/g, ""));
      if (Number.isFinite(ms)) return ms;
    }
    const m = LOCAL.exec(raw);
    if (!m) throw new SessionCsvError(`${where}: cannot read the ${what} ${JSON.stringify(raw)}; write 2026-11-10 18:05, 10.11.2026 18:05 or ISO with offset`);
    const [year, month, day] = m[1] ? [+m[1], +m[2]!, +m[3]!] : [+m[6]!, +m[5]!, +m[4]!];
    const cands = instantsOfWallClock(year, month, day, +m[7]!, +m[8]!, zone);
    const sec = Number(m[9] ?? 0) * 1000;
    if (cands.length === 0) throw new SessionCsvError(`${where}: the ${what} ${raw} does not exist in ${zone} (the hour skipped when summer time begins)`);
    if (cands.length === 2) {
      warnings.push(
        `${where}: the ${what} ${raw} occurs twice in ${zone} when summer time ends; taken as ${DateTime.fromMillis(cands[0]! + sec, { zone }).toISO()} (summer time): write the time with its offset if that is wrong`,
      );
    }
    return cands[0]! + sec;
  };

  for (let r = headerAt + 1; r < records.length; r++) {
    const rec = records[r]!;
    const line = r + 1;
    const where = `${file}:${line}`;
    if (rec.every((v) => !v.trim())) continue;
    const startText = cell(rec, L.start);
    const endText = cell(rec, L.end);
    if (!startText) throw new SessionCsvError(`${where}: no start time (column ${JSON.stringify(L.names[L.start])})`);
    if (!endText) {
      // evcc writes a session that is still charging without an end.
      warnings.push(`${where}: session without an end (still running when exported): not imported; import a later export again`);
      continue;
    }
    const startedMs = instant(startText, where, "start");
    const endedMs = instant(endText, where, "end");
    if (endedMs < startedMs) throw new SessionCsvError(`${where}: the session ends (${endText}) before it starts (${startText})`);
    const energy = L.energy !== undefined ? parseKWhToWh(cell(rec, L.energy), `${where}: ${L.names[L.energy]}`) : null;
    const c1 = L.counterStart !== undefined ? parseKWhToWh(cell(rec, L.counterStart), `${where}: ${L.names[L.counterStart]}`) : null;
    const c2 = L.counterEnd !== undefined ? parseKWhToWh(cell(rec, L.counterEnd), `${where}: ${L.names[L.counterEnd]}`) : null;
    if (c1 !== null && c2 !== null && c2 < c1)
      throw new SessionCsvError(
        `${where}: the counter at the end (${cell(rec, L.counterEnd)} kWh) is below the one at the start (${cell(rec, L.counterStart)} kWh)`,
      );
    const fromCounters = c1 !== null && c2 !== null ? c2 - c1 : null;
    const energyWh = energy ?? fromCounters;
    if (energyWh === null) throw new SessionCsvError(`${where}: no energy: give the energy in kWh, or the counter at start and end`);
    // A charger's power bounds the energy per hour: Wh written as kWh, or a start for an end, shows as an absurd power.
    const hours = (endedMs - startedMs) / 3_600_000;
    if (energyWh > 0 && (hours === 0 || energyWh / hours > MAX_CHARGER_W)) {
      throw new SessionCsvError(
        `${where}: ${energyWh / 1000} kWh in ${Math.round(hours * 60)} min is more than a charger can deliver (over ${MAX_CHARGER_W / 1000} kW); check the energy's unit (kWh) and the times`,
      );
    }
    if (energyWh > 0 && energyWh / hours > WALLBOX_W) {
      warnings.push(
        `${where}: ${energyWh / 1000} kWh in ${Math.round(hours * 60)} min is ${Math.round(energyWh / hours / 100) / 10} kW on average, more than an AC wallbox (${WALLBOX_W / 1000} kW) delivers`,
      );
    }
    if (energy !== null && fromCounters !== null && Math.abs(energy - fromCounters) > Math.max(10, energy / 100)) {
      warnings.push(`${where}: energy ${energy / 1000} kWh differs from the counters' difference ${fromCounters / 1000} kWh; the energy column is taken`);
    }
    const modeText = cell(rec, L.mode);
    const mode = parseMode(modeText);
    if (mode === null)
      throw new SessionCsvError(`${where}: unknown mode ${JSON.stringify(modeText)}; write priority or normal (evcc: now/fast = priority, pv/minpv = normal)`);
    const id = cell(rec, L.user) || cell(rec, L.vehicle);
    sessions.push({
      line,
      charger: cell(rec, L.charger) || null,
      startedMs,
      endedMs,
      energyWh,
      startCounterWh: c1,
      endCounterWh: c2,
      userId: id || null,
      mode: mode ?? null,
    });
  }
  if (sessions.length === 0 && warnings.length === 0) throw new SessionCsvError(`${file}: header found but no sessions`);
  return { layout: L.evcc ? "evcc" : "plain", hasMode: L.mode !== undefined, hasCharger: L.charger !== undefined, sessions, warnings };
}
