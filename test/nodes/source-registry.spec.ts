import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Node, NodeMessage, NodeStatus } from "node-red";
import { CHARGER_SOURCES } from "../../nodes/charger-weidmueller/config";
import { CHARGER_SOURCE_REGISTRY } from "../../nodes/charger-weidmueller/sources/registry";
import { SOURCE_TYPES } from "../../nodes/meter-in/config";
import { METER_SOURCE_REGISTRY } from "../../nodes/meter-in/sources/registry";
import { CHARGER_NODES } from "../support/charger";
import { useNodeRed } from "../support/node-red";
import { waitFor } from "../support/net";
import { collect, onTab, ZEV_NODES } from "../support/zev-nodes";

/** The node's last status: the test helper spies on Node.prototype.status for every node. */
function lastStatus(node: Node): NodeStatus | undefined {
  const spy = node.status as unknown as { getCalls(): { thisValue: unknown; args: [NodeStatus] }[] };
  return spy
    .getCalls()
    .filter((c) => c.thisValue === node)
    .at(-1)?.args[0];
}

const ROOT = join(__dirname, "..", "..");
/** The source list the editor offers (the array the template's source select is filled from). */
function editorSources(html: string): string[] {
  const m = /(\[[^\]]*\])\.forEach\(function \(s\) \{\s*\$\("#node-input-source"\)/.exec(readFileSync(join(ROOT, html), "utf8"));
  assert.ok(m, `${html}: source list`);
  return JSON.parse(m[1]!) as string[];
}
const catalogSources = (json: string): string[] =>
  Object.keys(Object.values(JSON.parse(readFileSync(join(ROOT, json), "utf8")) as Record<string, unknown>[])[0]!.sources as object);

describe("node sources from one registry (decision 0093)", () => {
  const helper = useNodeRed();

  it("a meter with a source type nobody registered shows 'unknown source' in red and the meters beside it keep reading", async () => {
    await helper.load(
      ZEV_NODES,
      onTab([
        { id: "bad", type: "zev-meter-in", meterId: "m-bad", source: "telnet", wires: [] },
        { id: "proto", type: "zev-meter-in", meterId: "m-proto", source: "constructor", wires: [] },
        { id: "ok", type: "zev-meter-in", meterId: "m-ok", source: "msg", wires: [["out"]] },
        { id: "out", type: "helper" },
      ]),
    );
    const logged = helper.log().args.map((a) => JSON.stringify(a[0]));
    assert.ok(
      logged.some((l) => l.includes("m-bad: unknown source telnet")),
      logged.join("\n"),
    );
    assert.ok(
      logged.some((l) => l.includes("m-proto: unknown source constructor")),
      logged.join("\n"),
    );
    for (const [id, type] of [
      ["bad", "telnet"],
      ["proto", "constructor"],
    ] as const) {
      const s = lastStatus(helper.getNode(id));
      assert.equal(s?.fill, "red", `${id}: ${JSON.stringify(s)}`);
      assert.match(String(s?.text), new RegExp(`unknown source ${type}`));
    }
    // a wired message to the broken node is answered (done), not a crash
    helper.getNode("bad").receive({ payload: { importKWh: 1 } } as NodeMessage);
    const out = collect<NodeMessage & { payload: { importKWh?: number } }>(helper.getNode("out"));
    helper.getNode("ok").receive({ payload: { importKWh: 12.5 } } as NodeMessage);
    await waitFor(() => out.length === 1, "the reading of m-ok");
    assert.equal(out[0]!.payload.importKWh, 12.5);
  });

  it("a charger with a source type nobody registered shows 'unknown source' in red", async () => {
    await helper.load(CHARGER_NODES, onTab([{ id: "wb", type: "zev-charger-weidmueller", meterId: "wb-1", source: "__proto__", wires: [[], []] }]));
    const logged = helper.log().args.map((a) => JSON.stringify(a[0]));
    assert.ok(
      logged.some((l) => l.includes("wb-1: unknown source __proto__")),
      logged.join("\n"),
    );
    const s = lastStatus(helper.getNode("wb"));
    assert.equal(s?.fill, "red", JSON.stringify(s));
    assert.match(String(s?.text), /unknown source __proto__/);
  });

  it("the registries, the config types, the editors and the catalogs name the same sources in the same order", () => {
    assert.deepEqual(METER_SOURCE_REGISTRY.types, [...SOURCE_TYPES]);
    assert.deepEqual(editorSources("nodes/meter-in/meter-in.html"), [...SOURCE_TYPES]);
    assert.deepEqual(CHARGER_SOURCE_REGISTRY.types, [...CHARGER_SOURCES]);
    assert.deepEqual(editorSources("nodes/charger-weidmueller/charger-weidmueller.html"), [...CHARGER_SOURCES]);
    for (const lang of ["en-US", "de", "fr", "it"]) {
      assert.deepEqual(catalogSources(`nodes/meter-in/locales/${lang}/meter-in.json`).sort(), [...SOURCE_TYPES].sort(), lang);
      assert.deepEqual(catalogSources(`nodes/charger-weidmueller/locales/${lang}/charger-weidmueller.json`).sort(), [...CHARGER_SOURCES].sort(), lang);
    }
  });
});
