import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { lackingKeys, unionLiterals } from "../../../support/i18n";

const ROOT = join(__dirname, "..", "..", "..", "..");
const LANGS = ["en-US", "de", "fr", "it"];
const source = (f: string): string => readFileSync(join(ROOT, "nodes", "zev-billing", f), "utf8");

describe("zev-billing: the status texts whose keys the node builds", () => {
  it("has a status text for every job the node starts, every payments command's outcome and every phase of a run", () => {
    // RED._(`zev-billing.status.job.${j.kind}`) for each job(...) the node starts (lib/jobs/jobs.ts Job)
    const node = source("zev-billing.ts");
    const jobs = [...node.matchAll(/\bjob\(\{\s*kind: "([\w-]+)"/g)].map((m) => m[1]!);
    assert.equal(jobs.length, [...node.matchAll(/\bjob\(/g)].length, "every job(...) names its kind as a literal");
    assert.ok(jobs.includes("payments") && jobs.includes("export"), `found ${jobs.join()}`);
    // RED._(`zev-billing.status.${r.status.key}`) for each status a payments command returns
    const commands = source("payments-commands.ts");
    const statuses = [...commands.matchAll(/\bstatus: \{ key: "(\w+)"/g)].map((m) => m[1]!);
    assert.equal(statuses.length, [...commands.matchAll(/\bstatus: \{/g)].length, "every status names its key as a literal");
    assert.ok(statuses.includes("assigned") && statuses.includes("reminders"), `found ${statuses.join()}`);
    // RED._(`zev-billing.status.progress.${p.phase}`) for each BillingProgress phase
    const phases = unionLiterals("lib/billing/run.ts", /\binterface BillingProgress \{\s*phase:/);
    assert.ok(phases.includes("load") && phases.includes("write"), `found ${phases.join()}`);
    const keys = [
      ...jobs.filter((k) => k !== "document").map((k) => `zev-billing.status.job.${k}`),
      ...statuses.map((k) => `zev-billing.status.${k}`),
      ...phases.map((p) => `zev-billing.status.progress.${p}`),
    ];
    for (const lang of LANGS) assert.deepEqual(lackingKeys(lang, keys), [], lang);
  });
});
