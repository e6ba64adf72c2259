import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { canonicalJson } from "../../lib/util/canonical-json";
import { configFromDefinition } from "../../nodes/zev-community/config-from-definition";
import { definitionFromConfig } from "../../nodes/zev-community/definition-from-config";
import { validateCommunity } from "../../lib/community/validate";
import { generatedFiles, serialize } from "../../scripts/flows/build";
import { demoCommunity } from "../../scripts/flows/demo";
import { LANGS, TEXTS } from "../../scripts/flows/texts";
import { REPO_ROOT } from "../support/node-red-process";

/*
 * The flow files in the repository are generated (scripts/flows, npm run
 * flows): they must be what the generators make, the languages must differ
 * only in their texts, and the demo's community node must store exactly the
 * community the generator describes.
 */
describe("generated flows (demo, dashboards, examples)", () => {
  const files = generatedFiles();

  it("the files in the repository are what the generators make (run npm run flows after changing them)", () => {
    for (const [file, nodes] of files) assert.equal(readFileSync(join(REPO_ROOT, file), "utf8"), serialize(nodes), file);
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
