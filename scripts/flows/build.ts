import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { dashboard1 } from "./dashboard1";
import { dashboard2, dashboard2Pages } from "./dashboard2";
import { demoCommunity, demoFlow, PDF_PATH, ROOT } from "./demo";
import { exampleFiles } from "./examples";
import type { FlowNode } from "./nodes";
import { LANGS, TEXTS, type Lang } from "./texts";

/*
 * Writes the generated flow files that ship: the dashboard tabs and the
 * examples. `npm run flows` after changing a generator; a test checks that
 * the files in the repository are what the generators make. The demo flow
 * is not committed: scripts/start.mjs makes it into the demo's user dir
 * with demoFlowFile (docs/decisions/0084).
 */

export function generatedFiles(): Map<string, FlowNode[]> {
  const files = new Map<string, FlowNode[]>();
  const def = demoCommunity();
  for (const lang of LANGS) {
    const suffix = lang === "en" ? "" : `-${lang}`;
    const opts = { texts: TEXTS[lang], title: def.name, zone: def.timeZone, pdfPath: PDF_PATH };
    files.set(`dashboard/dashboard-2${suffix}.json`, dashboard2(opts).nodes);
    files.set(`dashboard/dashboard-2-pages${suffix}.json`, dashboard2Pages(opts));
    files.set(`dashboard/dashboard-1${suffix}.json`, dashboard1(opts).nodes);
  }
  for (const [file, nodes] of exampleFiles()) files.set(file, nodes);
  return files;
}

export const serialize = (nodes: FlowNode[]): string => `${JSON.stringify(nodes, null, 2)}\n`;

export const isLang = (lang: string): lang is Lang => (LANGS as readonly string[]).includes(lang);

/** The demo's flows.json for a language and a dashboard, as scripts/start.mjs writes it on the first start. */
export function demoFlowFile(lang: string, dashboard: 1 | 2): string {
  if (!isLang(lang)) throw new Error(`no demo flow for language ${lang} (${LANGS.join(", ")})`);
  return serialize(demoFlow(lang, dashboard));
}

if (require.main === module) {
  const check = process.argv.includes("--check");
  let stale = 0;
  for (const [file, nodes] of generatedFiles()) {
    const path = join(ROOT, file);
    const text = serialize(nodes);
    if (check) {
      let current = "";
      try {
        current = readFileSync(path, "utf8");
      } catch {
        /* missing */
      }
      if (current !== text) {
        stale++;
        console.error(`${file} is not what the generator makes: run npm run flows`);
      }
      continue;
    }
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    console.log(`wrote ${file} (${nodes.length} nodes)`);
  }
  if (stale) process.exitCode = 1;
}
