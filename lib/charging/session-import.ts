import { audit } from "../store/audit-repo";
import { addSessionEnergy, insertSession, sessionsOfCharger, type SessionRecord } from "../store/charger-session-repo";
import { latestCommunity } from "../store/community-repo";
import { listInvoices } from "../store/invoice-repo";
import { listMeters } from "../store/meter-repo";
import { type MeterRecord } from "../model/meter";
import type { Store } from "../store/store";
import { localDateOf } from "../time/local-date";
import { unitResolver } from "./attribution";
import { splitEnergy } from "./energy-split";
import type { ParsedSessions, SessionLine } from "./session-csv";
import type { ChargeMode, IntervalEnergy, SessionFields, SessionFlag } from "../model/charging-session";

/*
 * Imported sessions become charger_sessions rows exactly like the ones the
 * charger node writes (status closed, the unit from the community's
 * chargingIds, the flags unknown-id / no-id), with their energy per quarter
 * hour and mode from lib/charging/energy-split.ts (the file knows only start,
 * end and total: the energy is spread evenly over the session's time), so
 * billing reads them the same way. Idempotent: a session already stored for
 * the same charger with the same start, end, energy and id is skipped; any
 * other overlap with a stored session or another line is refused.
 */

export interface SessionImportOptions {
  fileName: string;
  /** The charger meter of every session (a file without charger column, or with one charging point). */
  charger?: string;
  /** The mode of sessions whose line gives none; default normal, as a charger node's first mode (with a warning). */
  mode?: ChargeMode;
}

export interface PlannedSession {
  line: number;
  chargerKey: string;
  fields: SessionFields;
  mode: ChargeMode;
  rows: IntervalEnergy[];
}

export interface SessionImportPlan {
  layout: ParsedSessions["layout"];
  toStore: PlannedSession[];
  /** Lines already in the store (an earlier import of the same file). */
  alreadyStored: { line: number; sessionId: number }[];
  warnings: string[];
}

export interface SessionImportResult extends SessionImportPlan {
  stored: { line: number; sessionId: number }[];
  dryRun: boolean;
}

/** Every problem of a file, each naming file and line; nothing is stored when there is one. */
export class SessionImportError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
    this.name = "SessionImportError";
  }
}

function resolveCharger(chargers: readonly MeterRecord[], name: string): MeterRecord | undefined {
  const n = name.trim().toLowerCase();
  return chargers.find((m) => m.key.toLowerCase() === n) ?? chargers.find((m) => (m.label ?? "").trim().toLowerCase() === n);
}

/** [a1, a2) and [b1, b2) share time (b2 null = still open); a session without duration takes its instant. */
function overlaps(a1: number, a2: number, b1: number, b2: number | null): boolean {
  const end = (x1: number, x2: number | null): number => Math.max(x2 ?? Infinity, x1 + 1);
  return a1 < end(b1, b2) && b1 < end(a1, a2);
}

/** What an import of the file would store, without storing anything; throws SessionImportError listing every problem. */
export function planSessionImport(store: Store, communityId: string, parsed: ParsedSessions, opts: SessionImportOptions): SessionImportPlan {
  const file = opts.fileName;
  const community = latestCommunity(store, communityId);
  if (!community) throw new SessionImportError([`no community ${communityId} in ${store.path}; import the community first (zev community import)`]);
  const unitFor = unitResolver(community.definition);
  const chargers = listMeters(store, communityId).filter((m) => m.role === "charger");
  const chargerList = chargers.length ? chargers.map((m) => m.key + (m.label ? ` (${m.label})` : "")).join(", ") : "none";
  const problems: string[] = [];
  const warnings = [...parsed.warnings];

  let fixed: MeterRecord | undefined;
  if (opts.charger !== undefined) {
    fixed = chargers.find((m) => m.key === opts.charger);
    if (!fixed) problems.push(`--charger ${opts.charger} is not a charger meter of community ${communityId} (charger meters: ${chargerList})`);
    const named = [...new Set(parsed.sessions.map((s) => s.charger).filter((c): c is string => c !== null))];
    if (named.length > 1)
      problems.push(
        `${file}: the file has sessions of ${named.length} charging points (${named.join(", ")}); import it without --charger, each charging point named by its charger meter's id or label`,
      );
  } else if (chargers.length === 0) {
    problems.push(
      `community ${communityId} has no charger meter: add the charger to the community as a meter with role charger (its load profile, if the operator delivers one, under that id), then import the sessions`,
    );
  } else if (!parsed.hasCharger) {
    if (chargers.length === 1) {
      fixed = chargers[0]!;
      warnings.push(`${file}: the file names no charger: its sessions are taken as charged at ${fixed.key}, the community's only charger meter`);
    } else
      problems.push(
        `${file}: the file names no charger; say which charger meter its sessions were charged at with --charger <meter id> (charger meters: ${chargerList})`,
      );
  }
  const defaultMode: ChargeMode = opts.mode ?? "normal";
  if (opts.mode === undefined) {
    const without = parsed.sessions.filter((s) => s.mode === null).length;
    if (without > 0) {
      warnings.push(
        `${file}: ${without} session(s) without a mode${parsed.hasMode ? "" : ` (the file has no mode column${parsed.layout === "evcc" ? "; evcc's export has none" : ""})`} taken as normal (EV normal price), as a charger node starts; give --mode priority if they were charged at priority`,
      );
    }
  }
  if (problems.length) throw new SessionImportError(problems);
  // A charging point the file names that no charger meter carries (evcc: the loadpoint's title) goes to the only charger meter there is, said once per name.
  const guessed = new Set<string>();

  const existing = new Map<string, SessionRecord[]>();
  const storedOf = (key: string): SessionRecord[] => {
    let list = existing.get(key);
    if (!list) existing.set(key, (list = sessionsOfCharger(store, communityId, key)));
    return list;
  };
  const planned: PlannedSession[] = [];
  const alreadyStored: SessionImportPlan["alreadyStored"] = [];
  const seen = new Map<string, SessionLine[]>();
  for (const s of parsed.sessions) {
    const where = `${file}:${s.line}`;
    let charger = fixed ?? (s.charger !== null ? resolveCharger(chargers, s.charger) : undefined);
    if (!charger && s.charger !== null && chargers.length === 1) {
      charger = chargers[0]!;
      if (!guessed.has(s.charger)) {
        guessed.add(s.charger);
        warnings.push(
          `${file}: charging point ${JSON.stringify(s.charger)} is no charger meter's id or label: taken as ${charger.key}, the community's only charger meter (give the meter that label to make it explicit)`,
        );
      }
    }
    if (!charger) {
      problems.push(
        s.charger === null
          ? `${where}: no charger; give --charger <meter id>`
          : `${where}: charger ${JSON.stringify(s.charger)} is no charger meter of community ${communityId} (by id or label; charger meters: ${chargerList})`,
      );
      continue;
    }
    const mode = s.mode ?? defaultMode;
    // The same session twice in the file is one session; two different ones at the same time on one charger cannot both be right.
    const mine = seen.get(charger.key) ?? [];
    const twin = mine.find((o) => o.startedMs === s.startedMs && o.endedMs === s.endedMs && o.energyWh === s.energyWh && o.userId === s.userId);
    if (twin) {
      warnings.push(`${where}: repeats line ${twin.line}, ignored`);
      continue;
    }
    const clash = mine.find((o) => overlaps(s.startedMs, s.endedMs, o.startedMs, o.endedMs));
    if (clash) {
      problems.push(
        `${where}: overlaps line ${clash.line} on charger ${charger.key} (${iso(s.startedMs)}..${iso(s.endedMs)} and ${iso(clash.startedMs)}..${iso(clash.endedMs)}); one charger charges one car at a time`,
      );
      continue;
    }
    mine.push(s);
    seen.set(charger.key, mine);
    const same = storedOf(charger.key).find(
      (r) => r.startedMs === s.startedMs && r.endedMs === s.endedMs && r.energyWh === s.energyWh && (r.userId ?? null) === s.userId,
    );
    if (same) {
      alreadyStored.push({ line: s.line, sessionId: same.id });
      continue;
    }
    const hit = storedOf(charger.key).find((r) => overlaps(s.startedMs, s.endedMs, r.startedMs, r.endedMs));
    if (hit) {
      problems.push(
        `${where}: overlaps session ${hit.id} stored for charger ${charger.key} (${iso(hit.startedMs)}..${hit.endedMs === null ? "open" : iso(hit.endedMs)}, ${(hit.energyWh / 1000).toFixed(3)} kWh${hit.userId ? `, id ${hit.userId}` : ""}); not imported twice: correct the file or the stored session`,
      );
      continue;
    }
    const unitId = s.userId === null ? null : unitFor(s.userId);
    const flags: SessionFlag[] = [{ flag: "imported", source: file, line: s.line }];
    if (s.userId === null) flags.push({ flag: "no-id" });
    else if (unitId === null) flags.push({ flag: "unknown-id", id: s.userId });
    const rows = splitEnergy(s.startedMs, 0, s.endedMs, s.energyWh, { initial: mode, changes: [] });
    planned.push({
      line: s.line,
      chargerKey: charger.key,
      mode,
      rows,
      fields: {
        status: "closed",
        startedMs: s.startedMs,
        endedMs: s.endedMs,
        userId: s.userId,
        unitId,
        startCounterWh: s.startCounterWh,
        endCounterWh: s.endCounterWh,
        energyWh: s.energyWh,
        flags,
      },
    });
  }
  if (problems.length) throw new SessionImportError(problems);
  // An issued invoice never changes: a session booked into its period is on no invoice until it is corrected.
  const issued = listInvoices(store, communityId).filter((i) => i.kind === "invoice" && (i.status === "issued" || i.status === "paid"));
  const zone = community.definition.timeZone;
  for (const p of planned) {
    if (p.fields.unitId === null || issued.length === 0) continue;
    const from = localDateOf(p.fields.startedMs, zone);
    const to = localDateOf(Math.max(p.fields.startedMs, p.fields.endedMs! - 1), zone);
    const hit = issued.filter((i) => i.unitId === p.fields.unitId && i.periodFrom <= to && i.periodTo >= from);
    if (hit.length) {
      warnings.push(
        `${file}:${p.line}: falls in a period already invoiced for unit ${p.fields.unitId} (${hit.map((i) => `${i.number} ${i.periodFrom}..${i.periodTo}`).join(", ")}): issued invoices do not change; correct with a credit note and a new invoice`,
      );
    }
  }
  for (const p of planned) {
    const f = p.fields.flags.find((x) => x.flag === "unknown-id" || x.flag === "no-id");
    if (f)
      warnings.push(
        `${file}:${p.line}: ${f.flag === "no-id" ? "no id" : `id ${p.fields.userId} maps to no unit`}: stored, billed to nobody until the id is mapped in the community's chargingIds`,
      );
  }
  return { layout: parsed.layout, toStore: planned, alreadyStored, warnings };
}

/** Plans and, unless dryRun, stores the sessions in one transaction (with an audit entry). */
export function importSessions(
  store: Store,
  communityId: string,
  parsed: ParsedSessions,
  opts: SessionImportOptions & { actor: string; dryRun?: boolean; nowMs?: number },
): SessionImportResult {
  const now = opts.nowMs ?? Date.now();
  const dryRun = opts.dryRun ?? false;
  if (dryRun) return { ...planSessionImport(store, communityId, parsed, opts), stored: [], dryRun };
  return store.write(() => {
    // Planned inside the write so that no other writer slips a session in between the overlap check and the insert.
    const plan = planSessionImport(store, communityId, parsed, opts);
    const stored: SessionImportResult["stored"] = [];
    for (const p of plan.toStore) {
      const id = insertSession(store, communityId, p.chargerKey, p.fields, now);
      addSessionEnergy(store, id, p.rows);
      stored.push({ line: p.line, sessionId: id });
    }
    if (stored.length) {
      audit(store, {
        communityId,
        actor: opts.actor,
        action: "charging-sessions.imported",
        entity: "charging-session",
        details: {
          source: opts.fileName,
          layout: plan.layout,
          sessions: stored.length,
          ids: stored.map((s) => s.sessionId),
          energyWh: plan.toStore.reduce((a, p) => a + p.fields.energyWh, 0),
          alreadyStored: plan.alreadyStored.length,
        },
        tsMs: now,
      });
    }
    return { ...plan, stored, dryRun };
  });
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
