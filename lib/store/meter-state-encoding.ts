import type { BreakCandidate, CounterSample, MeterCounterState } from "../model/meter-counter";
import { QUALITIES, type Quality } from "../model/quality";

/*
 * How meter_state.state holds a MeterCounterState (decision 0153). Every
 * accepted reading rewrites it, in the transaction of the rows it led to, so
 * its size is paid on every commit: the serial and the last reading are taken
 * from the row's plain columns (which mirror them anyway), the rest is a short
 * JSON array:
 *
 *   [2, offsetImp, offsetExp, anchor, openQuality, gap, suspect]
 *   anchor  null | [ms, imp, exp]
 *   gap     null | [fromMs, toMs, imp, exp]
 *   suspect null | [kind, ts, imp, exp, ts, imp, exp, ...]
 *
 * Version 1 (the whole object, { v: 1, ... }) is still read: databases
 * written before keep it until the meter's next reading.
 */

/** The plain columns of a meter_state row beside `state`. */
export interface MeterStateColumns {
  serial: string | null;
  last_ms: number | null;
  last_import_wh: number | null;
  last_export_wh: number | null;
}

/*
 * Built as text rather than through JSON.stringify of nested arrays: every dirty meter is encoded at every commit,
 * and the text is three times as fast. It is the text JSON.stringify gives (a test holds the two equal): a finite
 * number prints the same either way, and anything else is null.
 */
export function encodeMeterState(s: MeterCounterState): string {
  const a = s.anchor;
  const g = s.gap;
  const anchor = a === null ? "null" : `[${num(a.ms)},${num(a.imp)},${num(a.exp)}]`;
  const gap = g === null ? "null" : `[${num(g.fromMs)},${num(g.toMs)},${num(g.imp)},${num(g.exp)}]`;
  const suspect = s.suspect === null ? "null" : JSON.stringify([s.suspect.kind, ...s.suspect.samples.flatMap((x) => [x.ts, x.imp, x.exp])]);
  return `[2,${num(s.offset.imp)},${num(s.offset.exp)},${anchor},${JSON.stringify(s.openQuality)},${gap},${suspect}]`;
}

function num(x: number | null): string {
  return x !== null && Number.isFinite(x) ? String(x) : "null";
}

export function columnsOf(s: MeterCounterState): MeterStateColumns {
  return { serial: s.serial, last_ms: s.last?.ts ?? null, last_import_wh: s.last?.imp ?? null, last_export_wh: s.last?.exp ?? null };
}

/** The state a row holds; throws with the meter and what is wrong where the text is neither version. */
export function decodeMeterState(text: string, cols: MeterStateColumns, meterId: number): MeterCounterState {
  const v: unknown = JSON.parse(text);
  const bad = (what: string): Error => new Error(`meter_state of meter ${meterId} is not readable: ${what}`);
  const version: unknown = Array.isArray(v) ? v[0] : (v as { v?: unknown } | null)?.v;
  if (version === 1 && !Array.isArray(v)) return v as MeterCounterState;
  if (version !== 2 || !Array.isArray(v))
    throw new Error(`meter_state of meter ${meterId} has version ${String(version)}, which this version does not understand`);
  if (v.length !== 7) throw bad(`${v.length} fields, 7 expected`);
  const [, offImp, offExp, anchor, quality, gap, suspect] = v as unknown[];
  if (!isNum(offImp) || !isNum(offExp)) throw bad("offset");
  if (!QUALITIES.includes(quality as Quality)) throw bad(`quality ${String(quality)}`);
  if (anchor !== null && !(Array.isArray(anchor) && anchor.length === 3 && isNum(anchor[0]) && isNum(anchor[1]) && isNumOrNull(anchor[2]))) throw bad("anchor");
  if (gap !== null && !(Array.isArray(gap) && gap.length === 4 && isNum(gap[0]) && isNum(gap[1]) && isNum(gap[2]) && isNumOrNull(gap[3]))) throw bad("gap");
  let candidate: BreakCandidate | null = null;
  if (suspect !== null) {
    if (!Array.isArray(suspect) || (suspect[0] !== "backwards" && suspect[0] !== "jump") || (suspect.length - 1) % 3 !== 0) throw bad("suspect");
    const samples: CounterSample[] = [];
    for (let i = 1; i < suspect.length; i += 3) {
      const [ts, imp, exp] = [suspect[i], suspect[i + 1], suspect[i + 2]];
      if (!isNum(ts) || !isNum(imp) || !isNumOrNull(exp)) throw bad("suspect");
      samples.push({ ts, imp, exp });
    }
    candidate = { kind: suspect[0], samples };
  }
  if (cols.last_ms !== null && !isNum(cols.last_import_wh)) throw bad("last_import_wh");
  return {
    v: 1,
    serial: cols.serial,
    last: cols.last_ms === null ? null : { ts: cols.last_ms, imp: cols.last_import_wh!, exp: cols.last_export_wh },
    offset: { imp: offImp, exp: offExp },
    anchor: anchor === null ? null : { ms: anchor[0], imp: anchor[1], exp: anchor[2] },
    openQuality: quality as Quality,
    gap: gap === null ? null : { fromMs: gap[0], toMs: gap[1], imp: gap[2], exp: gap[3] },
    suspect: candidate,
  };
}

function isNum(x: unknown): x is number {
  return typeof x === "number" && Number.isFinite(x);
}

function isNumOrNull(x: unknown): x is number | null {
  return x === null || isNum(x);
}
