import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import type { NodeAPI } from "node-red";
import { chargingIdsFromCsv, tenanciesFromCsv, unitsFromCsv } from "../../lib/community/file-format";
import { ValidationIssue, validateCommunity } from "../../lib/community/validate";
import { saveCommunity } from "../../lib/store/community-repo";
import { acquireStore, releaseStore } from "../../lib/store/registry";
import type { CommunityHandle } from "../shared/community-handle";
import { problemText } from "../shared/translate";
import type { CommunityConfig } from "./config";
import { definitionFromConfig } from "./definition-from-config";

export = function register(RED: NodeAPI): void {
  const userDir = (): string => (RED.settings as { userDir?: string }).userDir ?? join(homedir(), ".node-red");
  const inUserDir = (p: string): string => (isAbsolute(p) ? p : resolve(userDir(), p));
  const readText = (p: string): string => readFileSync(inUserDir(p), "utf8");

  // A problem in the runtime's language: its catalog text with the issue's values, or the English message where no catalog answers.
  const issueText = (i: ValidationIssue): string => problemText(RED._, "zev-community", "validation", i);

  function ZevCommunityNode(this: CommunityHandle, config: CommunityConfig): void {
    RED.nodes.createNode(this, config);
    this.communityId = config.communityId;
    this.dbPath = inUserDir(config.dbPath || join("zev", `${config.communityId || "community"}.sqlite`));
    try {
      const def = definitionFromConfig(config, readText);
      const issues = validateCommunity(def);
      if (issues.length) {
        this.problem = `${RED._("zev-community.errors.invalid", { count: issues.length })} ${issues.map((i) => `${i.path}: ${issueText(i)}`).join("; ")}`;
        this.error(this.problem);
      } else {
        this.store = acquireStore(this.dbPath);
        const saved = saveCommunity(this.store, def, { source: `node-red:${this.id}`, actor: `node:${this.id}` });
        this.definition = def;
        if (saved.changed) this.log(RED._("zev-community.log.saved", { revision: saved.revision.id, path: this.dbPath }));
      }
    } catch (e) {
      this.problem = RED._("zev-community.errors.store", { path: this.dbPath, message: (e as Error).message });
      this.error(this.problem);
    }
    this.on("close", (_removed: boolean, done: () => void) => {
      if (this.store) releaseStore(this.store);
      this.store = undefined;
      done();
    });
  }

  RED.nodes.registerType("zev-community", ZevCommunityNode as never);

  // The editor sends its current form here to be checked by the same code that runs on deploy.
  RED.httpAdmin.post("/zev-community/check", RED.auth.needsPermission("zev-community.write"), (req, res) => {
    try {
      const body = (req.body ?? {}) as { config?: CommunityConfig };
      const def = definitionFromConfig({ ...(body.config ?? ({} as CommunityConfig)), unitsFile: "", tenanciesFile: "" }, readText);
      res.json({ issues: validateCommunity(def) });
    } catch (e) {
      res.status(400).json({ error: (e as Error).message });
    }
  });

  // CSV import button: parsed on the server with the same reader as the CLI and the file includes.
  RED.httpAdmin.post("/zev-community/parse-csv", RED.auth.needsPermission("zev-community.write"), (req, res) => {
    const body = (req.body ?? {}) as { kind?: string; text?: string };
    try {
      if (typeof body.text !== "string") throw new Error("no CSV text received");
      if (body.kind === "units") res.json({ buildings: unitsFromCsv(body.text, "units.csv") });
      else if (body.kind === "tenancies") res.json({ tenancies: tenanciesFromCsv(body.text, "tenancies.csv") });
      else if (body.kind === "chargingIds") res.json({ chargingIds: chargingIdsFromCsv(body.text, "charging-ids.csv") });
      else throw new Error(`unknown import kind ${JSON.stringify(body.kind)}; expected units, tenancies or chargingIds`);
    } catch (e) {
      res.status(400).json({ error: (e as Error).message });
    }
  });
};
