import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { WALLBOX_FIELDS, WALLBOX_OUTPUTS } from "../../../lib/devices/loxone/wallbox";
import { AC_SMART, CAR_STATES } from "../../../lib/devices/weidmueller/registers";

const DOC = join(__dirname, "..", "..", "..", "docs", "chargers.md");

/** The tables docs/chargers.md must show, built from the data tables the runtime uses. */
export function expectedTables(): string[] {
  const regs = [
    "| wire | value | type | meaning |",
    "|---|---|---|---|",
    `| ${AC_SMART.carState.address} | car state | ${AC_SMART.carState.count} register, ASCII letter in the low byte | ${Object.entries(CAR_STATES)
      .map(([k, v]) => `${k} ${v.connected === null ? "fault (last state holds)" : v.charging ? "charging" : v.connected ? "connected" : "no car"}`)
      .join(", ")} |`,
    `| ${AC_SMART.powerW.address} | power | ${AC_SMART.powerW.type}, LSW first, x ${AC_SMART.powerW.scale} | ${AC_SMART.powerW.unit} |`,
    `| ${AC_SMART.energyKWh.address} | lifetime energy | ${AC_SMART.energyKWh.type}, LSW first, x ${AC_SMART.energyKWh.scale} | ${AC_SMART.energyKWh.unit} (devices with MID meter) |`,
    `| ${AC_SMART.rfid.address} | RFID tag | ${AC_SMART.rfid.count} registers, ASCII | the session's id |`,
    `| ${AC_SMART.heartbeat.address} | heartbeat (written) | uint32, words ${AC_SMART.heartbeat.words.join(" ")} | ${AC_SMART.heartbeat.ms} ms until the charger takes back control |`,
    `| ${AC_SMART.currentLimit.address} | current limit (written) | uint16 | A; 0 = pause |`,
  ].join("\n");
  const outputs = [
    "| output | meaning | kind |",
    "|---|---|---|",
    ...WALLBOX_FIELDS.map(
      (f) =>
        `| ${WALLBOX_OUTPUTS[f].output} | ${f} | ${WALLBOX_OUTPUTS[f].kind}${WALLBOX_OUTPUTS[f].unit ? `, ${WALLBOX_OUTPUTS[f].unit}` : ""}${WALLBOX_OUTPUTS[f].required ? ", required" : ""} |`,
    ),
  ].join("\n");
  return [regs, outputs];
}

describe("docs/chargers.md", () => {
  it("shows the AC SMART registers and the Wallbox outputs exactly as the data tables define them", () => {
    const doc = readFileSync(DOC, "utf8");
    for (const table of expectedTables()) assert.ok(doc.includes(table), `docs/chargers.md lacks this table (copy it in):\n${table}`);
  });
});
