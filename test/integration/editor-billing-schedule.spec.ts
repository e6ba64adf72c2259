import assert from "node:assert/strict";
import { join } from "node:path";
import { editorConfigOf } from "../support/billing-node";
import { cancelEdit, editNode, startEditor, type Editor } from "../support/editor";
import { requireTools } from "../support/system-tools";
import { useTmpDir } from "../support/tmp";

/*
 * The zev-billing dialog in a real Node-RED editor (headless Chromium): a
 * node from before the schedule opens with it off and its rows hidden; the
 * rows come with a rhythm; three outputs, the last for alerts.
 */
describe("zev-billing dialog: the schedule (headless Chromium)", function () {
  this.timeout(120_000);
  const tmp = useTmpDir("zev-dialogs-");
  requireTools("chromium");
  let editor: Editor | undefined;
  after(async () => editor?.close());

  it("an old node opens with the schedule off and no schedule rows; choosing monthly shows day, time and mode; a scheduled node keeps its values", async () => {
    const dir = tmp();
    const flow = [
      { id: "t1", type: "tab", label: "x" },
      editorConfigOf(join(dir, "z.sqlite")),
      { id: "old", type: "zev-billing", z: "t1", x: 200, y: 80, community: "c1", period: "previous-month", mode: "draft", wires: [[], []] },
      {
        id: "sched",
        type: "zev-billing",
        z: "t1",
        x: 200,
        y: 160,
        community: "c1",
        period: "previous-month",
        mode: "draft",
        scheduleRhythm: "quarterly",
        scheduleDay: 3,
        scheduleTime: "07:30",
        scheduleMode: "issue",
        wires: [[], [], []],
      },
    ];
    editor = await startEditor(dir, flow);
    const page = await editor.open("de");
    try {
      await editNode(page, "old");
      assert.equal(await page.inputValue("#node-input-scheduleRhythm"), "off");
      assert.equal(await page.isVisible("#node-input-scheduleDay"), false, "schedule off: no rows");
      assert.match((await page.textContent("label[for=node-input-scheduleRhythm]")) ?? "", /Zeitplan/);
      await page.selectOption("#node-input-scheduleRhythm", "monthly");
      assert.equal(await page.isVisible("#node-input-scheduleDay"), true);
      assert.equal(await page.isVisible("#node-input-scheduleMode"), true);
      await cancelEdit(page);

      await editNode(page, "sched");
      assert.equal(await page.inputValue("#node-input-scheduleRhythm"), "quarterly");
      assert.equal(await page.inputValue("#node-input-scheduleDay"), "3");
      assert.equal(await page.inputValue("#node-input-scheduleTime"), "07:30");
      assert.equal(await page.inputValue("#node-input-scheduleMode"), "issue");
      await cancelEdit(page);

      const outputs = await page.evaluate(() => {
        const red = (window as unknown as { RED: { nodes: { node(id: string): { outputs: number } } } }).RED;
        return red.nodes.node("old").outputs;
      });
      assert.equal(outputs, 3, "invoices, summary, alerts");
    } finally {
      await page.context().close();
    }
  });
});
