import bcrypt from "bcryptjs";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { createLink } from "../../lib/portal/links";
import { auditLog } from "../../lib/store/audit-repo";
import { SqliteStore } from "../../lib/store/sqlite-store";
import { communityConfig } from "../support/community-config";
import { freePort, NodeRedProcess, REPO_ROOT, startNodeRedProcess } from "../support/node-red-process";
import { useTmpDir } from "../support/tmp";

/*
 * The portal in a real Node-RED 4.1 (built package from this checkout) whose
 * editor is behind adminAuth and whose HTTP nodes are behind httpNodeAuth:
 * a tenant reaches the page and their data with the link alone, the admin's
 * credentials are not needed and not accepted in place of the link, and
 * neither the admin API nor any of Node-RED's routes becomes reachable
 * through the portal's port. Needs `npm run build`.
 */

const USER = "admin";
const PASSWORD = "admin-password-123";

describe("tenant portal in a Node-RED with adminAuth and httpNodeAuth", function () {
  this.timeout(120_000);
  const tmp = useTmpDir("zev-portal-auth-");
  let nr: NodeRedProcess | undefined;
  afterEach(async () => nr?.stop());

  it("serves tenants on its own port with their link only, while the editor, its API and Node-RED's HTTP stay protected", async () => {
    const userDir = tmp();
    const hash = bcrypt.hashSync(PASSWORD, 8);
    const [port, portalPort] = [await freePort(), await freePort()];
    const dbPath = join(userDir, "site.sqlite");
    const tenancies = [
      {
        id: "anna",
        unit: "1",
        name: "Anna Meier",
        street: "Seestrasse",
        buildingNumber: "5",
        postalCode: "6300",
        town: "Zug",
        country: "CH",
        language: "de",
        from: "2026-01-01",
        to: "",
      },
      {
        id: "bruno",
        unit: "2",
        name: "Bruno Rossi",
        street: "Seestrasse",
        buildingNumber: "5",
        postalCode: "6300",
        town: "Zug",
        country: "CH",
        language: "it",
        from: "2026-01-01",
        to: "",
      },
    ];
    writeFileSync(
      join(userDir, "flows.json"),
      JSON.stringify([
        { id: "t1", type: "tab", label: "portal" },
        { ...communityConfig(dbPath, { tenancies, meters: [{ id: "unit-1", role: "unit", unit: "1", label: "" }] }) },
        { id: "p1", type: "zev-portal", z: "t1", community: "c1", port: String(portalPort), host: "127.0.0.1", baseUrl: "", validDays: "365", wires: [[]] },
      ]),
    );
    writeFileSync(
      join(userDir, "settings.js"),
      `module.exports = ${JSON.stringify({
        uiHost: "127.0.0.1",
        flowFile: "flows.json",
        credentialSecret: "test",
        nodesDir: [REPO_ROOT],
        adminAuth: { type: "credentials", users: [{ username: USER, password: hash, permissions: "*" }] },
        httpNodeAuth: { user: USER, pass: hash },
        logging: { console: { level: "info" } },
        editorTheme: { tours: false },
      })};\n`,
    );
    nr = await startNodeRedProcess({ userDir, port });
    let page: Response | undefined;
    for (let i = 0; i < 100 && !page; i++) {
      page = await fetch(`http://127.0.0.1:${portalPort}/portal/`).catch(() => undefined);
      if (!page) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(page, `the portal's port never opened:\n${nr.log()}`);
    assert.equal(page.status, 200);

    const store = SqliteStore.open(dbPath);
    let anna: string;
    let bruno: string;
    try {
      anna = createLink(store, { communityId: "haus-am-see", tenancyId: "anna", actor: "test" }).token;
      bruno = createLink(store, { communityId: "haus-am-see", tenancyId: "bruno", actor: "test" }).token;
    } finally {
      store.close();
    }
    const view = (token: string, p = portalPort): Promise<Response> =>
      fetch(`http://127.0.0.1:${p}/portal/api/view`, { headers: { Authorization: `Bearer ${token}` } });
    const a = await view(anna);
    assert.equal(a.status, 200);
    const av = (await a.json()) as { tenant: { name: string }; language: string };
    assert.deepEqual([av.tenant.name, av.language], ["Anna Meier", "de"]);
    const b = (await (await view(bruno)).json()) as { tenant: { name: string }; language: string };
    assert.deepEqual([b.tenant.name, b.language], ["Bruno Rossi", "it"]);

    // the admin's credentials are no portal link
    const basic = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString("base64")}`;
    assert.equal((await fetch(`http://127.0.0.1:${portalPort}/portal/api/view`, { headers: { Authorization: basic } })).status, 401);
    // the portal's port has none of Node-RED's routes, with or without the admin's credentials
    for (const p of ["/flows", "/settings", "/auth/token", "/nodes", "/red/", "/"]) {
      assert.equal((await fetch(`http://127.0.0.1:${portalPort}${p}`, { headers: { Authorization: basic } })).status, 404, p);
      assert.equal((await fetch(`http://127.0.0.1:${portalPort}${p}`, { headers: { Authorization: `Bearer ${anna}` } })).status, 404, p);
    }
    // Node-RED's own port: the admin API stays behind adminAuth, even for a portal token; the portal is not there
    assert.equal((await fetch(`http://127.0.0.1:${port}/flows`)).status, 401);
    assert.equal((await fetch(`http://127.0.0.1:${port}/flows`, { headers: { Authorization: `Bearer ${anna}` } })).status, 401);
    assert.notEqual((await view(anna, port)).status, 200);
    assert.notEqual((await fetch(`http://127.0.0.1:${port}/portal/`)).status, 200);

    const check = SqliteStore.open(dbPath, { readonly: true });
    try {
      const log = auditLog(check, "haus-am-see", 100);
      assert.deepEqual(
        log
          .filter((e) => e.action === "portal.access")
          .map((e) => e.entityId)
          .sort(),
        ["anna", "bruno"],
      );
      assert.deepEqual(
        log.filter((e) => e.action === "portal.refused").map((e) => (e.details as { reason: string }).reason),
        ["malformed"],
        "the Basic header; other paths are 404 before any token check",
      );
    } finally {
      check.close();
    }
  });
});
