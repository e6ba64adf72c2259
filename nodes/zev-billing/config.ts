import type { NodeDef } from "node-red";

export interface BillingNodeConfig extends NodeDef, BillingScheduleConfig {
  community: string;
  /** Default period when a message names none: "previous-month", "2026-10"... */
  period: string;
  mode: "draft" | "issue";
  /** Render a PDF for every invoice message (default on). */
  renderDocuments?: boolean;
  /** Where issued invoices' PDFs are written; empty = <userDir>/zev/invoices/<community>; relative = inside the user dir. */
  documentsFolder?: string;
  /** Optional PNG or JPEG for the letterhead; relative = inside the user dir. */
  logoFile?: string;
}

/** The schedule's fields (lib/billing/schedule.ts parseSchedule); absent in flows from before 0.2: no schedule. */
export interface BillingScheduleConfig {
  /** off, monthly or quarterly */
  scheduleRhythm?: string;
  /** Day of the month, 1..28. */
  scheduleDay?: string | number;
  /** HH:MM in the community's time zone. */
  scheduleTime?: string;
  scheduleMode?: "draft" | "issue";
}
