import type { MeterRecord } from "../model/meter";
import { Q_INTERPOLATED, Q_MEASURED } from "../model/quality";
import type { IntervalMatrix } from "../store/interval-matrix";
import type { SessionIntervalEnergy } from "../store/charger-session-repo";
import type { UnallocatedEnergy } from "../store/unallocated-repo";
import { formatLocal } from "../time/local-date";
import { issue, Issue } from "../util/issue";
import { kwhFromMWh } from "../util/money";

/*
 * Energy that falls between the chairs of a billing run: measured, but on
 * nobody's invoice (or billed without being metered). Every such kWh is
 * reported with a stable code, its amount and what to do, so that a run
 * never drops energy silently (docs/decisions/0068).
 */

/** Why energy is on no invoice (or on one without being metered). */
export type UnbilledKind =
  /** A charger meter measured energy but no charging session covers it. */
  | "charger-without-sessions"
  /** A charger meter measured more than its sessions took. */
  | "charger-above-sessions"
  /** Sessions took more than the charger meter measured: billed, not metered (not counted as unbilled). */
  | "sessions-above-charger"
  /** Sessions whose charging id maps to no unit. */
  | "unknown-charging-id"
  /** A meter with role "other" takes no part in the split. */
  | "other-meter"
  /** A unit meter whose unit the community does not have. */
  | "unit-meter-without-unit"
  /** Common-area energy when no unit has a weight in the common-area key. */
  | "common-without-key"
  /** Energy counted across a data gap: known in amount, not in time. */
  | "data-gap"
  /** The grid meter saw more than the consumer meters account for (unmetered load, losses). */
  | "unmetered";

export interface UnbilledEnergy {
  kind: UnbilledKind;
  /** The meter (or charger) key, when it concerns one. */
  meter?: string;
  /** Wh; for "sessions-above-charger" the Wh billed beyond the meter. */
  wh: number;
}

/** Charger meters and sessions come from the same counter (decision 0040) and agree to the Wh; 10 Wh per charger and period absorb rounding. */
export const CHARGER_TOLERANCE_WH = 10;

/** The grid meter's net import may exceed the computed one by this share (meter classes, losses in the building) before it is reported. */
export const UNMETERED_TOLERANCE = 0.02;
export const UNMETERED_MIN_WH = 1000;

export interface UnbilledInput {
  meters: readonly MeterRecord[];
  matrix: IntervalMatrix;
  ev: readonly SessionIntervalEnergy[];
  /** Units of the community, in the layout's order, with their common-area weights. */
  units: readonly string[];
  commonWeights: readonly number[];
  /** Common-area energy of the period, mWh. */
  commonAreaMWh: number;
  unattributedEv: readonly SessionIntervalEnergy[];
  unallocated?: readonly UnallocatedEnergy[];
  /** The split's grid import and export over the period, mWh, to reconcile with a grid meter. */
  computedGrid?: { importMWh: number; exportMWh: number };
  timeZone: string;
}

const kwh = (wh: number): string => kwhFromMWh(wh * 1000).toFixed(3);

function columnWh(matrix: IntervalMatrix, meterId: number): number {
  const col = matrix.columns.get(meterId);
  if (!col) return 0;
  let s = 0;
  for (let i = 0; i < col.importWh.length; i++) s += col.importWh[i]!;
  return s;
}

/** The unbilled energy of a run and one notice per finding (code, params, English text). */
export function unbilledEnergy(input: UnbilledInput): { unbilled: UnbilledEnergy[]; notices: Issue[] } {
  const unbilled: UnbilledEnergy[] = [];
  const notices: Issue[] = [];
  const { meters, matrix } = input;

  // Chargers: the meter's interval energy against the sessions recorded on it.
  const sessionsWh = new Map<string, number>();
  for (const e of input.ev) sessionsWh.set(e.chargerKey, (sessionsWh.get(e.chargerKey) ?? 0) + e.energyWh);
  for (const m of meters.filter((x) => x.role === "charger")) {
    const meterWh = columnWh(matrix, m.id);
    const sWh = sessionsWh.get(m.key) ?? 0;
    if (sWh === 0 && meterWh > 0) {
      unbilled.push({ kind: "charger-without-sessions", meter: m.key, wh: meterWh });
      notices.push(
        issue(
          "unbilled.chargerWithoutSessions",
          "charger meter __meter__ measured __kWh__ kWh but no charging session was recorded on it: the energy is billed to nobody. Record or import the sessions (zev import sessions) or bill it by hand",
          {
            meter: m.key,
            kWh: kwh(meterWh),
          },
        ),
      );
    } else if (meterWh - sWh > CHARGER_TOLERANCE_WH) {
      unbilled.push({ kind: "charger-above-sessions", meter: m.key, wh: meterWh - sWh });
      notices.push(
        issue(
          "unbilled.chargerAboveSessions",
          "charger meter __meter__ measured __meterKWh__ kWh, its charging sessions __sessionsKWh__ kWh: __kWh__ kWh are billed to nobody. Check the charger's sessions (missing or unassigned ones) or bill the difference by hand",
          {
            meter: m.key,
            meterKWh: kwh(meterWh),
            sessionsKWh: kwh(sWh),
            kWh: kwh(meterWh - sWh),
          },
        ),
      );
    } else if (sWh - meterWh > CHARGER_TOLERANCE_WH) {
      unbilled.push({ kind: "sessions-above-charger", meter: m.key, wh: sWh - meterWh });
      notices.push(
        issue(
          "unbilled.sessionsAboveCharger",
          "the charging sessions on __meter__ took __sessionsKWh__ kWh, its meter measured only __meterKWh__ kWh: __kWh__ kWh are billed as charging without being metered. Check the charger meter's data (gaps, a swap) and the sessions",
          {
            meter: m.key,
            meterKWh: kwh(meterWh),
            sessionsKWh: kwh(sWh),
            kWh: kwh(sWh - meterWh),
          },
        ),
      );
    }
  }

  if (input.unattributedEv.length) {
    const wh = input.unattributedEv.reduce((a, e) => a + e.energyWh, 0);
    const ids = [...new Set(input.unattributedEv.map((e) => e.userId ?? "(none)"))];
    unbilled.push({ kind: "unknown-charging-id", wh });
    notices.push(
      issue("unbilled.unknownChargingId", "__kWh__ kWh of EV charging by unknown user id(s) __ids__ is not billed: map the id(s) to a unit", {
        kWh: kwh(wh),
        ids: ids.join(", "),
      }),
    );
  }

  const unitSet = new Set(input.units);
  for (const m of meters) {
    if (m.role === "other") {
      const wh = columnWh(matrix, m.id);
      if (wh > 0) unbilled.push({ kind: "other-meter", meter: m.key, wh });
      notices.push(
        issue(
          "unbilled.otherMeter",
          'meter __meter__ has role "other" and is not part of the split (__kWh__ kWh in the period, billed to nobody): give it a role',
          { meter: m.key, kWh: kwh(wh) },
        ),
      );
    } else if (m.role === "unit" && (m.unitId === null || !unitSet.has(m.unitId))) {
      const wh = columnWh(matrix, m.id);
      if (wh > 0) unbilled.push({ kind: "unit-meter-without-unit", meter: m.key, wh });
      notices.push(
        issue(
          "unbilled.unitMeterWithoutUnit",
          "meter __meter__ is a unit meter of unit __unit__, which the community does not have: its __kWh__ kWh are billed to nobody. Give the meter an existing unit",
          { meter: m.key, unit: m.unitId ?? "(none)", kWh: kwh(wh) },
        ),
      );
    }
  }

  if (input.commonAreaMWh > 0 && input.commonWeights.every((w) => w === 0)) {
    const wh = Math.round(input.commonAreaMWh / 1000);
    unbilled.push({ kind: "common-without-key", wh });
    notices.push(
      issue(
        "unbilled.commonWithoutKey",
        "__kWh__ kWh of common-area energy are billed to nobody: no unit has a weight in the common-area key (floor areas or custom shares are all 0)",
        { kWh: kwh(wh) },
      ),
    );
  }

  const meterKey = new Map(meters.map((m) => [m.id, m.key]));
  const consumer = new Set(meters.filter((m) => m.role === "unit" || m.role === "common" || m.role === "charger" || m.role === "other").map((m) => m.id));
  for (const u of input.unallocated ?? []) {
    // A gap on a production, battery or grid meter is no consumption on anyone's invoice: reported, not counted.
    if (consumer.has(u.meterId)) unbilled.push({ kind: "data-gap", meter: meterKey.get(u.meterId) ?? String(u.meterId), wh: u.importWh });
    notices.push(
      issue(
        "unbilled.dataGap",
        "meter __meter__: __kWh__ kWh counted across a data gap (__from__ to __to__) are known in amount but not in time, and are on no invoice: fill the gap (zev meter substitute, or import the meter's load profile) or bill it by hand",
        {
          meter: meterKey.get(u.meterId) ?? String(u.meterId),
          kWh: kwh(u.importWh),
          from: formatLocal(u.fromMs, input.timeZone),
          to: formatLocal(u.toMs, input.timeZone),
        },
      ),
    );
  }
  // Reconciliation: a complete grid meter against the split (DESIGN: reported as losses or unmetered load, never dropped).
  const grid = meters.filter((m) => m.role === "grid");
  if (input.computedGrid && grid.length) {
    const cols = grid.map((m) => matrix.columns.get(m.id));
    const complete = cols.every((c) => c !== undefined && c.quality.every((q) => q === Q_MEASURED || q === Q_INTERPOLATED));
    if (complete) {
      let imp = 0;
      let exp = 0;
      for (const c of cols)
        for (let i = 0; i < c!.importWh.length; i++) {
          imp += c!.importWh[i]!;
          exp += c!.exportWh[i]!;
        }
      const computedNet = Math.round((input.computedGrid.importMWh - input.computedGrid.exportMWh) / 1000);
      // Energy already reported as outside the split (meters without a role in it, gaps) is not counted twice.
      const outside = unbilled
        .filter((u) => u.kind === "other-meter" || u.kind === "unit-meter-without-unit" || u.kind === "data-gap")
        .reduce((a, u) => a + u.wh, 0);
      const unmetered = imp - exp - computedNet - outside;
      if (unmetered > Math.max(UNMETERED_MIN_WH, UNMETERED_TOLERANCE * imp)) {
        unbilled.push({ kind: "unmetered", meter: grid.map((m) => m.key).join(", "), wh: unmetered });
        notices.push(
          issue(
            "unbilled.unmetered",
            "the grid meter measured __gridKWh__ kWh net import, the consumer meters account for __computedKWh__ kWh: __kWh__ kWh are consumed unmetered (a load without a meter, losses) and billed to nobody. Check for consumers without a meter",
            {
              gridKWh: kwh(imp - exp),
              computedKWh: kwh(computedNet),
              kWh: kwh(unmetered),
            },
          ),
        );
      }
    }
  }
  return { unbilled, notices };
}

/** The kWh on no invoice (everything but sessions billed beyond their meter), 3 decimals. */
export function unbilledKWh(unbilled: readonly UnbilledEnergy[]): string {
  return kwh(unbilled.filter((u) => u.kind !== "sessions-above-charger").reduce((a, u) => a + u.wh, 0));
}
