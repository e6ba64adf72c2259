import assert from "node:assert/strict";
import { join } from "node:path";
import { aggregateCommunityConfig, aggregateConfig } from "../support/aggregate-flow";
import { cancelEdit, editNode, startEditor, type Editor } from "../support/editor";
import { requireTools } from "../support/system-tools";
import { useTmpDir } from "../support/tmp";

/*
 * Other dialogs in a real Node-RED editor in headless Chromium: the
 * charger's current-control rows belong to Modbus with control on only; the
 * aggregate shows the community's solar split (decision 0071) and flags an
 * old split of its own as ignored.
 */
describe("zev-charger-weidmueller and zev-aggregate dialogs (headless Chromium)", function () {
  this.timeout(120_000);
  const tmp = useTmpDir("zev-dialogs-");
  requireTools("chromium");
  let editor: Editor | undefined;
  after(async () => editor?.close());

  it("charger: the control rows only for Modbus with control on; aggregate: the community's split, an old node value flagged", async () => {
    const dir = tmp();
    const community = { ...aggregateCommunityConfig(join(dir, "z.sqlite")), allocation: "equal" };
    const flow = [
      { id: "t1", type: "tab", label: "x" },
      community,
      { id: "ch-off", type: "zev-charger-weidmueller", z: "t1", x: 200, y: 80, meterId: "c1", source: "modbus", control: false, wires: [[]] },
      { id: "ch-lx", type: "zev-charger-weidmueller", z: "t1", x: 200, y: 160, meterId: "c2", source: "loxone-http", control: true, wires: [[]] },
      { ...aggregateConfig(), id: "agg-old", z: "t1", x: 400, y: 80, method: "proportional", wires: [[], [], []] },
      { ...aggregateConfig(), id: "agg-new", z: "t1", x: 400, y: 160, method: "", wires: [[], [], []] },
    ];
    editor = await startEditor(dir, flow);
    const page = await editor.open("en-US");
    try {
      await editNode(page, "ch-off");
      assert.equal(await page.isVisible("#node-input-maxCurrentA"), false, "control off: no control rows");
      await page.check("#node-input-control");
      assert.equal(await page.isVisible("#node-input-maxCurrentA"), true, "control on: the rows appear");
      await page.selectOption("#node-input-source", "loxone-udp");
      assert.equal(await page.isVisible("#node-input-maxCurrentA"), false, "control rows leave with Modbus");
      await cancelEdit(page);
      await editNode(page, "ch-lx");
      assert.equal(await page.isVisible("#node-input-maxCurrentA"), false, "a Loxone charger with control set shows no Modbus control rows");
      assert.equal(await page.isVisible("#node-input-lxBlock"), true);
      await cancelEdit(page);

      await editNode(page, "agg-old");
      const old = (await page.textContent("#zev-aggregate-split")) ?? "";
      assert.match(old, /equal share.*as the community sets it.*billing uses the same split/);
      assert.match(old, /proportional .*is ignored/);
      assert.equal(await page.locator("#node-input-method").count(), 0, "no second place to choose the split");
      await cancelEdit(page);
      await editNode(page, "agg-new");
      assert.doesNotMatch((await page.textContent("#zev-aggregate-split")) ?? "", /ignored/);
      await cancelEdit(page);
    } finally {
      await page.context().close();
    }
  });
});
