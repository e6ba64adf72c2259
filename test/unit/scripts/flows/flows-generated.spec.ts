import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { canonicalJson } from "../../../../lib/util/canonical-json";
import { configFromDefinition } from "../../../../nodes/zev-community/config-from-definition";
import { definitionFromConfig } from "../../../../nodes/zev-community/definition-from-config";
import { validateCommunity } from "../../../../lib/community/validate";
import { demoFlowFile, generatedFiles, serialize } from "../../../../scripts/flows/build";
import { demoCommunity, DEMO_COMMUNITY_NODE } from "../../../../scripts/flows/demo";
import type { FlowNode } from "../../../../scripts/flows/nodes";
import { LANGS, TEXTS } from "../../../../scripts/flows/texts";
import { REPO_ROOT } from "../../../support/node-red-process";

/*
 * The flow files in the repository are generated (scripts/flows, npm run
 * flows): they must be what the generators make, the languages must differ
 * only in their texts, and the demo's community node must store exactly the
 * community the generator describes. The demo flows are not in the
 * repository: scripts/start.mjs makes them at the first start
 * (docs/decisions/0084); they are checked here as the generator makes them.
 */
const DEMO_STEMS = { "demo/flows": 2, "demo/flows-dashboard-1": 1 } as const;
const demoFiles = (): Map<string, FlowNode[]> => {
  const out = new Map<string, FlowNode[]>();
  for (const lang of LANGS) {
    for (const [stem, dashboard] of Object.entries(DEMO_STEMS))
      out.set(`${stem}${lang === "en" ? "" : `-${lang}`}.json`, JSON.parse(demoFlowFile(lang, dashboard)) as FlowNode[]);
  }
  return out;
};

describe("generated flows (demo, dashboards, examples)", () => {
  const shipped = generatedFiles();
  const files = new Map([...shipped, ...demoFiles()]);

  it("the files in the repository are what the generators make (run npm run flows after changing them)", () => {
    for (const [file, nodes] of shipped) assert.equal(readFileSync(join(REPO_ROOT, file), "utf8"), serialize(nodes), file);
  });

  it("the demo flows are not in the repository: npm start makes them, and npm run flows writes no demo/", () => {
    assert.equal(existsSync(join(REPO_ROOT, "demo")), false, "demo/ is generated into the demo's user dir, not committed");
    assert.deepEqual(
      [...shipped.keys()].filter((f) => f.startsWith("demo/")),
      [],
    );
    assert.throws(() => demoFlowFile("xx", 2), /no demo flow for language xx/);
  });

  it("the generator makes a valid demo flow for each language and both dashboards: the suite's nodes on their tab, the dashboard's widgets", () => {
    for (const lang of LANGS) {
      for (const [stem, dashboard] of Object.entries(DEMO_STEMS)) {
        const file = `${stem}${lang === "en" ? "" : `-${lang}`}.json`;
        const nodes = files.get(file)!;
        assert.ok(Array.isArray(nodes) && nodes.length > 50, file);
        const types = new Set(nodes.map((n) => n.type));
        for (const t of [
          "tab",
          "zev-community",
          "zev-aggregate",
          "zev-billing",
          "zev-meter-in",
          "zev-charger-weidmueller",
          "zev-modbus-connection",
          "zev-udp-port",
          "link in",
          "link call",
        ]) {
          assert.ok(types.has(t), `${file}: a ${t} node`);
        }
        assert.equal(nodes.filter((n) => n.type === "zev-community").length, 1, file);
        assert.equal(nodes.find((n) => n.type === "zev-community")!.id, DEMO_COMMUNITY_NODE, file);
        const widgets = dashboard === 2 ? ["ui-base", "ui-page", "ui-group", "ui-text"] : ["ui_tab", "ui_group", "ui_text", "ui_button"];
        for (const t of widgets) assert.ok(types.has(t), `${file}: Dashboard ${dashboard} ${t}`);
        const tabs = new Set(nodes.filter((n) => n.type === "tab").map((n) => n.id));
        for (const n of nodes) if (typeof n.z === "string" && n.z) assert.ok(tabs.has(n.z), `${file}: ${n.id} on tab ${n.z}`);
      }
    }
  });

  it("the four languages differ in their texts only: same nodes, types and wires", () => {
    const shape = (file: string): string => JSON.stringify(files.get(file)!.map((n) => [n.id, n.type, n.wires ?? null, n.z ?? null, n.group ?? null]));
    for (const stem of ["demo/flows", "demo/flows-dashboard-1", "dashboard/dashboard-2", "dashboard/dashboard-1"]) {
      for (const lang of LANGS.filter((l) => l !== "en")) assert.equal(shape(`${stem}-${lang}.json`), shape(`${stem}.json`), `${stem} ${lang}`);
    }
    const keys = (o: unknown, p = ""): string[] => (o && typeof o === "object" ? Object.entries(o).flatMap(([k, v]) => keys(v, `${p}.${k}`)) : [p]);
    for (const lang of LANGS) assert.deepEqual(keys(TEXTS[lang]).sort(), keys(TEXTS.en).sort(), lang);
    assert.notEqual(JSON.stringify(TEXTS.de), JSON.stringify(TEXTS.en));
  });

  it("every wire and link points at a node of the same file; function code parses", () => {
    for (const [file, nodes] of files) {
      const ids = new Set(nodes.map((n) => n.id));
      assert.equal(ids.size, nodes.length, `${file}: unique ids`);
      for (const n of nodes) {
        for (const out of n.wires ?? []) for (const target of out) assert.ok(ids.has(target), `${file}: ${n.id} -> ${target}`);
        for (const target of (n.links as string[] | undefined) ?? []) assert.ok(ids.has(target), `${file}: ${n.id} links ${target}`);
        for (const ref of ["group", "community", "modbus", "udpPort", "ui", "page", "tab"]) {
          const v = n[ref];
          if (typeof v === "string" && v && !(ref === "page" && n.type === "ui-template")) assert.ok(ids.has(v), `${file}: ${n.id}.${ref} = ${v}`);
        }
        if (n.type === "function") assert.doesNotThrow(() => new Function("msg", "node", "flow", "env", String(n.func)), `${file}: ${n.id}`);
      }
    }
  });

  it("the demo's zev-community node stores exactly the demo community, which is valid", () => {
    const def = demoCommunity();
    assert.deepEqual(validateCommunity(def), []);
    const node = files.get("demo/flows.json")!.find((n) => n.type === "zev-community")!;
    const back = definitionFromConfig(node as never, () => "");
    assert.equal(canonicalJson(back), canonicalJson(def));
    assert.equal(canonicalJson(definitionFromConfig(configFromDefinition(def, { id: "x" }), () => "")), canonicalJson(def));
    assert.ok(def.chargingIds && def.chargingIds.length === 2 && def.meters!.some((m) => m.role === "battery"));
  });
});
