import assert from "node:assert/strict";
import { join } from "node:path";
import type { Node, NodeAPI } from "node-red";
import communityNode from "../../nodes/zev-community/zev-community";
import portalNode from "../../nodes/zev-portal/zev-portal";
import { auditLog } from "../../lib/store/audit-repo";
import type { CommunityHandle } from "../../nodes/shared/community-handle";
import { communityConfig } from "../support/community-config";
import { translator } from "../support/i18n";
import { freeTcpPort, waitFor } from "../support/net";
import { useNodeRed } from "../support/node-red";
import { useTmpDir } from "../support/tmp";

/*
 * zev-portal in a real Node-RED runtime (node-red-node-test-helper): the
 * link and revoke commands on msg.command, and the portal on its own port
 * answering the link it just made, then refusing it once revoked.
 */

function withCatalogs(RED: NodeAPI): void {
  (RED as { _: unknown })._ = translator("en-US");
}

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

describe("zev-portal node", function () {
  this.timeout(30_000);
  const helper = useNodeRed();
  const tmp = useTmpDir();

  async function load(port: number | string): Promise<{ portal: Node; out: Node; received: Record<string, unknown>[]; errors: string[] }> {
    const db = join(tmp(), "zev.sqlite");
    await helper.load([withCatalogs, communityNode, portalNode], [
      communityConfig(db, {
        tenancies,
        meters: [
          { id: "unit-1", role: "unit", unit: "1", label: "" },
          { id: "unit-2", role: "unit", unit: "2", label: "" },
        ],
      }),
      {
        id: "p1",
        type: "zev-portal",
        community: "c1",
        port: String(port),
        host: "127.0.0.1",
        baseUrl: `http://127.0.0.1:${port}`,
        validDays: "30",
        wires: [["out"]],
      },
      { id: "out", type: "helper" },
    ] as never);
    const portal = helper.getNode("p1");
    const out = helper.getNode("out");
    const received: Record<string, unknown>[] = [];
    out.on("input", (m: Record<string, unknown>) => received.push(m));
    const errors: string[] = [];
    (portal as unknown as import("node:events").EventEmitter).on("call:error", (c: { args: unknown[] }) => errors.push(String(c.args[0])));
    return { portal, out, received, errors };
  }

  it("creates a link on portal-link, the portal answers it on its own port, and portal-revoke ends it", async () => {
    const port = await freeTcpPort();
    const { portal, received } = await load(port);
    portal.receive({ command: "portal-link", payload: { tenancy: "anna" } } as never);
    await waitFor(() => received.length === 1, "the link message");
    const link = received[0]!.payload as { tenancy: string; tokenId: number; link: string; expires: string };
    assert.equal(link.tenancy, "anna");
    assert.match(link.link, new RegExp(`^http://127\\.0\\.0\\.1:${port}/portal/#t=[A-Za-z0-9_-]{43}$`));
    assert.ok(Math.abs(Date.parse(link.expires) - (Date.now() + 30 * 86_400_000)) < 60_000, "valid for the node's 30 days");
    const token = link.link.split("#t=")[1]!;
    let ok: Response | undefined;
    for (let i = 0; i < 50 && !ok; i++) {
      ok = await fetch(`http://127.0.0.1:${port}/portal/api/view`, { headers: { Authorization: `Bearer ${token}` } }).catch(() => undefined);
      if (!ok) await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(ok!.status, 200);
    assert.equal(((await ok!.json()) as { tenant: { name: string } }).tenant.name, "Anna Meier");

    portal.receive({ command: "portal-list" } as never);
    await waitFor(() => received.length === 2, "the list");
    assert.deepEqual(
      (received[1]!.payload as { id: number; tenancyId: string; state: string }[]).map((l) => [l.id, l.tenancyId, l.state]),
      [[link.tokenId, "anna", "active"]],
    );
    assert.ok(!JSON.stringify(received[1]!.payload).includes(token));

    portal.receive({ command: "portal-revoke", payload: { tenancy: "anna" } } as never);
    await waitFor(() => received.length === 3, "the revocation");
    assert.deepEqual(received[2]!.payload, { revoked: [link.tokenId] });
    assert.equal((await fetch(`http://127.0.0.1:${port}/portal/api/view`, { headers: { Authorization: `Bearer ${token}` } })).status, 401);
    const store = (helper.getNode("c1") as unknown as CommunityHandle).store!;
    const actions = auditLog(store, "haus-am-see").map((e) => `${e.action} ${e.actor}`);
    assert.ok(
      actions.includes("portal.link-created node:p1") &&
        actions.includes("portal.link-revoked node:p1") &&
        actions.includes("portal.access portal:token-" + link.tokenId),
      actions.join("\n"),
    );
  });

  it("refuses an unknown tenancy, an unknown command and a revoke of nothing with translated errors for Catch nodes", async () => {
    const port = await freeTcpPort();
    const { portal, errors } = await load(port);
    portal.receive({ command: "portal-link", payload: { tenancy: "nobody" } } as never);
    portal.receive({ command: "portal-revoke", payload: { tenancy: "bruno" } } as never);
    portal.receive({ command: "nonsense" } as never);
    await waitFor(() => errors.length === 3, "three errors");
    assert.match(errors[0]!, /community haus-am-see has no tenancy "nobody"/);
    assert.match(errors[1]!, /no active link of tenancy bruno/);
    assert.match(errors[2]!, /unknown command "nonsense"/);
  });

  it("without a port the portal stays off and says so", async () => {
    const { portal } = await load("");
    // the status was set during construction: read it from the helper's record of the node's calls
    const calls = (portal as unknown as { status: { args: { text?: string }[] }[] & { getCalls?: () => { args: { text?: string }[] }[] } }).status;
    const texts = (calls.getCalls?.() ?? []).map((c) => c.args[0]?.text);
    assert.ok(texts.includes("set a port"), JSON.stringify(texts));
  });

  it("portal-tenancies answers the tenancies a link can be made for, for a dashboard's picker", async () => {
    const { portal, received } = await load(await freeTcpPort());
    portal.receive({ command: "portal-tenancies" } as never);
    await waitFor(() => received.length === 1, "the tenancies");
    assert.deepEqual(received[0]!.payload, [
      { id: "anna", unit: "1", name: "Anna Meier", from: "2026-01-01", to: null, active: true },
      { id: "bruno", unit: "2", name: "Bruno Rossi", from: "2026-01-01", to: null, active: true },
    ]);
  });
});
