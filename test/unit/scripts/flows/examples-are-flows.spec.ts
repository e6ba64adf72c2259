import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { REPO_ROOT } from "../../../support/node-red-process";

/** Every file below `dir`, relative to the repository. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

/*
 * Node-RED lists every .json file below a package's examples/ folder (and
 * its subfolders) in Import > Examples and imports what the user picks as a
 * flow: anything that is not an array of nodes makes the editor throw
 * (Node-RED 5: "Cannot read properties of undefined (reading 'substring')").
 */
describe("examples/ holds only flows", () => {
  const dir = join(REPO_ROOT, "examples");

  it("every file under examples/ is a JSON array of nodes, each with a string id and type", () => {
    const files = filesUnder(dir);
    assert.ok(files.length >= 5, "the examples are there");
    for (const file of files) {
      const name = relative(REPO_ROOT, file);
      assert.match(name, /\.json$/, `${name}: only flow files under examples/`);
      const flow = JSON.parse(readFileSync(file, "utf8")) as unknown;
      assert.ok(Array.isArray(flow) && flow.length > 0, `${name} is a flow (an array of nodes)`);
      for (const n of flow as Record<string, unknown>[]) {
        assert.ok(n && typeof n === "object" && !Array.isArray(n), `${name}: every entry is a node object`);
        assert.equal(typeof n.id, "string", `${name}: node id`);
        assert.equal(typeof n.type, "string", `${name}: node ${String(n.id)} type`);
      }
    }
  });

  it("the example community file ships outside examples/, in docs/examples/community/", () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { files: string[] };
    assert.ok(pkg.files.includes("docs/"), "docs/ is in the npm package");
    const def = JSON.parse(readFileSync(join(REPO_ROOT, "docs", "examples", "community", "sonnenhof.json"), "utf8")) as { id?: string };
    assert.equal(def.id, "sonnenhof");
  });
});
