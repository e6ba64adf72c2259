import type { InvoiceSnapshot } from "../model/invoice";
import type { SessionIntervalEnergy } from "../store/charger-session-repo";
import type { Issue } from "../util/issue";
import type { CoverageRow } from "./coverage";
import type { UnbilledEnergy } from "./unbilled";

/** What a billing computation gives, a ZEV's (compute.ts) or a LEG's (leg.ts, with its settlement beside it). */
export interface BillingComputation {
  invoices: InvoiceSnapshot[];
  coverage: CoverageRow[];
  /** The same findings as `warnings`, each with a stable code and its values (translated where a person reads them). */
  notices: Issue[];
  /** Energy on no invoice (or billed without being metered), per finding. */
  unbilled: UnbilledEnergy[];
  /** Sum of the unbilled energy, kWh with 3 decimals ("0.000" when every kWh is billed). */
  unbilledKWh: string;
  warnings: string[];
  totals: {
    consumptionKWh: string;
    productionKWh: string;
    selfConsumedKWh: string;
    gridImportKWh: string;
    gridExportKWh: string;
    commonAreaKWh: string;
    evSessionsKWh: string;
  };
  unattributedEv: SessionIntervalEnergy[];
}
