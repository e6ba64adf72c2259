import type { NodeDef } from "node-red";

/** The editor's configuration of a zev-community node, as Node-RED stores it in the flow. */
export interface BuildingConfig {
  id: string;
  name: string;
}

export interface UnitConfig {
  building: string;
  id: string;
  label: string;
  floorArea?: string | number;
}

export interface TenancyConfig {
  id?: string;
  unit: string;
  name: string;
  street: string;
  buildingNumber?: string;
  postalCode: string;
  town: string;
  country?: string;
  email?: string;
  language?: string;
  from: string;
  to?: string;
}

export interface MeterConfig {
  id: string;
  role: string;
  unit?: string;
  label?: string;
  /** The grid operator's metering point id (SDAT-CH VSENationalID). */
  meteringPoint?: string;
}

/** An RFID tag or charger user id and the unit that pays for its sessions. */
export interface ChargingIdConfig {
  id: string;
  unit: string;
  label?: string;
}

export interface CommunityConfig extends NodeDef {
  communityId: string;
  communityName: string;
  kind?: string;
  currency?: string;
  timeZone?: string;
  dbPath?: string;

  creditorName?: string;
  creditorStreet?: string;
  creditorBuildingNumber?: string;
  creditorPostalCode?: string;
  creditorTown?: string;
  creditorCountry?: string;
  creditorIban?: string;
  creditorUid?: string;
  creditorVatNumber?: string;
  vatRegistered?: boolean | string;
  creditorEmail?: string;
  creditorPhone?: string;
  paymentTermDays?: string | number;

  ownerName?: string;
  ownerStreet?: string;
  ownerBuildingNumber?: string;
  ownerPostalCode?: string;
  ownerTown?: string;
  ownerCountry?: string;
  ownerEmail?: string;
  ownerLanguage?: string;

  buildings?: BuildingConfig[];
  units?: UnitConfig[];
  tenancies?: TenancyConfig[];
  meters?: MeterConfig[];
  /** Charging ids (RFID, user ids) per unit, for zev-charger-weidmueller sessions. */
  chargingIds?: ChargingIdConfig[];
  /** Price plans as in the community file (docs/community-file.md, "Tariffs"). */
  tariffs?: unknown[];
  /** Charges as in the community file (docs/community-file.md, "Charges"); no editor list yet: kept as the flow stores them. */
  charges?: unknown[];
  /** Reminder levels as in the community file (docs/community-file.md, "Reminders"); no editor list yet: kept as the flow stores them. */
  reminders?: unknown[];
  allocation?: string;
  commonAreaKey?: string;
  /** unit id -> weight for the custom common-area key. */
  customShares?: Record<string, number | string>;
  /** Percent (0-100) of intervals measured or interpolated for a billing run to proceed. */
  minCoveragePercent?: string | number;
  /** CSV files read at deploy and added to the lists (paths relative to the Node-RED user dir). */
  unitsFile?: string;
  tenanciesFile?: string;
}
