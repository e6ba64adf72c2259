// Copies what Node-RED loads next to each compiled node file: the editor
// .html, locales/ and icons/; the dashboard; the invoice font. Run after tsc.
import { cpSync, existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const src = "nodes";
const out = join("dist", "nodes");
let copied = 0;
for (const dir of readdirSync(src)) {
  const from = join(src, dir);
  if (!statSync(from).isDirectory()) continue;
  for (const entry of readdirSync(from)) {
    const path = join(from, entry);
    if (entry.endsWith(".html") || ((entry === "locales" || entry === "icons") && statSync(path).isDirectory())) {
      cpSync(path, join(out, dir, entry), { recursive: true });
      copied++;
    }
  }
}
for (const extra of ["dashboard"]) {
  if (existsSync(extra)) cpSync(extra, join("dist", extra), { recursive: true });
}
// The invoice font and its license (SIL OFL 1.1), read at run time next to lib/render/fonts.js.
cpSync(join("lib", "render", "fonts"), join("dist", "lib", "render", "fonts"), { recursive: true });
console.log(`copy-assets: ${copied} node asset(s) copied to ${out}`);
