import { BillingError } from "../lib/billing/layout";
import { CommunityValidationError } from "../lib/community/validate";
import { ADVANCES_USAGE, advancesCommand } from "./commands/advances";
import { BACKUP_USAGE, backupCommand, RESTORE_USAGE, restoreCommand } from "./commands/backup";
import { BILL_USAGE, billCommand } from "./commands/bill";
import { CHECK_USAGE, checkCommand } from "./commands/check";
import { COMMUNITY_USAGE, communityCommand } from "./commands/community";
import { IMPORT_USAGE, importCommand } from "./commands/import";
import { LEG_USAGE, legCommand } from "./commands/leg";
import { EXPORT_USAGE, exportCommand } from "./commands/export";
import { INVOICE_USAGE, invoiceCommand } from "./commands/invoice";
import { METER_USAGE, meterCommand } from "./commands/meter";
import { PAYMENTS_USAGE, paymentsCommand } from "./commands/payments";
import { REMINDERS_USAGE, remindersCommand } from "./commands/reminders";
import { PORTAL_USAGE, portalCommand } from "./commands/portal";
import { SEAL_USAGE, sealCommand } from "./commands/seal";
import { SIMULATE_USAGE, simulateCommand } from "./commands/simulate";
import { Command, CommandIO, UsageError } from "./commands/io";
import { RENDER_USAGE, renderCommand } from "./commands/render";

const COMMANDS: Record<string, Command> = {
  community: communityCommand,
  check: checkCommand,
  bill: billCommand,
  invoice: invoiceCommand,
  payments: paymentsCommand,
  reminders: remindersCommand,
  advances: advancesCommand,
  leg: legCommand,
  portal: portalCommand,
  import: importCommand,
  meter: meterCommand,
  backup: backupCommand,
  restore: restoreCommand,
  seal: sealCommand,
  render: renderCommand,
  export: exportCommand,
  simulate: (args, io) => simulateCommand(args, io),
};

export const USAGE = `usage:
  ${COMMUNITY_USAGE}
  ${CHECK_USAGE}
  ${BILL_USAGE}
  ${INVOICE_USAGE}
  ${PAYMENTS_USAGE}
  ${REMINDERS_USAGE}
  ${ADVANCES_USAGE}
  ${LEG_USAGE}
  ${PORTAL_USAGE}
  ${IMPORT_USAGE}
  ${METER_USAGE}
  ${BACKUP_USAGE}
  ${RESTORE_USAGE}
  ${SEAL_USAGE}
  ${RENDER_USAGE}
  ${EXPORT_USAGE}
  ${SIMULATE_USAGE}
`;

/** Runs one `zev` invocation; returns the exit code (0 ok, 1 failed, 2 usage). */
export async function runCli(argv: string[], io: CommandIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    io.out(USAGE);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`zev: unknown command ${JSON.stringify(name)}\n${USAGE}`);
    return 2;
  }
  try {
    return await command(rest, io);
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      io.err(`zev ${name}: ${(e as Error).message}\n`);
      return 2;
    }
    if (e instanceof CommunityValidationError || e instanceof BillingError) {
      io.err(`zev ${name}: ${e.message}\n`);
      return 1;
    }
    io.err(`zev ${name}: ${(e as Error).message}\n`);
    return 1;
  }
}
