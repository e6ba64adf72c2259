import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { cancelEdit, editNode, startEditor, type Editor } from "../support/editor";
import { requireTools } from "../support/system-tools";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/*
 * The zev-meter-in edit dialog in a real Node-RED editor in headless
 * Chromium, in each of the four languages: which fields a source shows.
 */
const SOURCES = ["loxone-udp", "loxone-http", "http-push", "modbus", "msg"] as const;
const ROWS = {
  udpPort: "#node-input-udpPort",
  lxBlock: "#node-input-lxBlock",
  lxImport: "#node-input-lxImport",
  token: "#node-input-token",
  pushPort: "#node-input-pushPort",
  mbProfile: "#node-input-mbProfile",
  numbering: "#zev-meter-in-numbering",
};
type Row = keyof typeof ROWS;

const flow = [
  { id: "t1", type: "tab", label: "meters" },
  ...SOURCES.map((source, i) => ({
    id: `m-${source}`,
    type: "zev-meter-in",
    z: "t1",
    x: 200,
    y: 60 + 60 * i,
    meterId: `meter-${i}`,
    role: "unit",
    source,
    ...(source === "modbus" ? { mbProfile: "sunspec-213" } : {}),
    wires: [[]],
  })),
  { id: "m-lx-state", type: "zev-meter-in", z: "t1", x: 500, y: 60, meterId: "meter-s", role: "unit", source: "loxone-http", lxMode: "state", wires: [[]] },
  { id: "m-mb-custom", type: "zev-meter-in", z: "t1", x: 500, y: 120, meterId: "meter-c", role: "unit", source: "modbus", mbProfile: "custom", wires: [[]] },
];

async function visible(page: Page): Promise<Row[]> {
  const out: Row[] = [];
  for (const [name, sel] of Object.entries(ROWS) as [Row, string][]) if (await page.isVisible(sel)) out.push(name);
  return out;
}

const EXPECTED: Record<string, Row[]> = {
  "loxone-udp": ["udpPort"],
  "loxone-http": ["lxBlock", "lxImport"],
  "http-push": ["token", "pushPort"],
  modbus: ["mbProfile"],
  msg: [],
};

describe("zev-meter-in edit dialog in the Node-RED editor (headless Chromium)", function () {
  this.timeout(180_000);
  let editor: Editor | undefined;
  let dir = "";
  requireTools("chromium");
  // One Node-RED for all four languages: its user dir lives as long as the describe block (useTmpDir is per test).
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "zev-editor-"));
    editor = await startEditor(dir, flow);
  });
  after(async () => {
    await editor?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const locale of ["en-US", "de-CH", "fr-CH", "it-CH"]) {
    it(`${locale}: each source shows its own fields only, the Loxone meter block only for Loxone HTTP /all`, async () => {
      const page = await editor!.open(locale);
      try {
        for (const source of SOURCES) {
          await editNode(page, `m-${source}`);
          assert.deepEqual((await visible(page)).sort(), [...EXPECTED[source]!].sort(), `${locale}: node opened with source ${source}`);
          await cancelEdit(page);
        }
        await editNode(page, "m-lx-state");
        assert.deepEqual(await visible(page), ["lxImport"], `${locale}: Loxone HTTP /state has no meter block`);
        await page.selectOption("#node-input-lxMode", "all");
        assert.deepEqual(await visible(page), ["lxBlock", "lxImport"]);
        // switching the source in the open dialog
        for (const source of SOURCES) {
          await page.selectOption("#node-input-source", source);
          assert.deepEqual((await visible(page)).sort(), [...EXPECTED[source]!].sort(), `${locale}: switched to ${source}`);
        }
        await cancelEdit(page);
        await editNode(page, "m-mb-custom");
        assert.deepEqual((await visible(page)).sort(), ["mbProfile", "numbering"].sort(), `${locale}: custom registers show the numbering`);
        await page.selectOption("#node-input-source", "loxone-udp");
        assert.deepEqual(await visible(page), ["udpPort"], `${locale}: the Modbus numbering leaves with Modbus`);
        await cancelEdit(page);
        // The labels are in the page's language.
        await editNode(page, "m-loxone-http");
        const label = await page.textContent('label[for="node-input-lxBlock"]');
        assert.ok(label && label.trim().length > 0 && !/zev-meter-in\./.test(label), `${locale}: translated label, got ${label}`);
        await cancelEdit(page);
      } finally {
        await page.context().close();
      }
    });
  }
});
