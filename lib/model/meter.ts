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
