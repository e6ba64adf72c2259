/** What a meter measures in a community (docs/community-file.md "Meters"). */
export type MeterRole = "unit" | "common" | "production" | "grid" | "battery" | "charger" | "other";
export const METER_ROLES: readonly MeterRole[] = ["unit", "common", "production", "grid", "battery", "charger", "other"];

/** A meter as the store knows it: its row id and what the community says about it. */
export interface MeterRecord {
  id: number;
  communityId: string;
  key: string;
  role: MeterRole;
  unitId: string | null;
  label: string | null;
}

/**
 * Whether a meter's primary direction (the intervals' import column) is the
 * energy it fed into the grid: true for a production meter, whose production
 * is its feed-in; every other role's primary direction is what it drew. The
 * one rule for grid-operator data with directions (load-profile CSVs and
 * SDAT-CH documents, docs/operator-data.md).
 */
export function feedInIsPrimary(role: MeterRole): boolean {
  return role === "production";
}
