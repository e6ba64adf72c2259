import type { Node, NodeAPI, NodeDef, NodeMessageInFlow } from "node-red";
import { createLink, listLinks, PortalError, revokeLinks } from "../../lib/portal/links";
import { PortalServer, type PortalCounts } from "../../lib/portal/server";
import { accessEndOfTenancy } from "../../lib/portal/tokens";
import { getCommunity } from "../shared/community-handle";
import { NodeProblem, translator } from "../shared/translate";

/*
 * zev-portal: the tenants' private portal on a listener of its own
 * (docs/portal.md, decision 0097), and the commands that create, revoke and
 * list the links. Everything else is in lib/portal.
 */

interface PortalConfig extends NodeDef {
  community: string;
  port: string | number;
  host?: string;
  baseUrl?: string;
  validDays?: string | number;
}

type Msg = NodeMessageInFlow & { command?: unknown; payload?: unknown };

const optionalInt = (v: unknown): number | undefined => (v === undefined || v === null || v === "" ? undefined : Number(v));

export = function register(RED: NodeAPI): void {
  function ZevPortalNode(this: Node, config: PortalConfig): void {
    RED.nodes.createNode(this, config);
    const t = translator(RED._, "zev-portal");
    const community = getCommunity(RED, config.community);
    const port = Number(config.port);
    const actor = `node:${this.id}${config.name ? ` (${config.name})` : ""}`;
    let server: PortalServer | undefined;
    const show = (c: PortalCounts): void =>
      this.status({ fill: "green", shape: "dot", text: t("status.serving", { port, accesses: c.accesses, refused: c.refused + c.braked }) });

    if (!community) this.status({ fill: "red", shape: "ring", text: t("status.noCommunity") });
    else if (!Number.isInteger(port) || port < 1 || port > 65535) this.status({ fill: "red", shape: "ring", text: t("status.noPort") });
    else {
      const host = config.host?.trim() || (RED.settings as { uiHost?: string }).uiHost || undefined;
      server = new PortalServer(() => (community.store && community.definition ? { store: community.store, definition: community.definition } : null), {
        port,
        ...(host ? { host } : {}),
        onError: (e) => this.error(t("errors.internal", { message: e.message })),
        onCount: show,
      });
      server.listen().then(
        () => show(server!.service.counts),
        (e: NodeJS.ErrnoException) => {
          this.status({ fill: "red", shape: "ring", text: t("status.portError", { port, code: e.code ?? "error" }) });
          this.error(t("errors.listen", { port, code: e.code ?? e.message }));
        },
      );
    }

    this.on("input", (msg: Msg, send, done) => {
      try {
        if (!community?.store || !community.definition) throw new NodeProblem(t("errors.noCommunity"), "no-community", {});
        const p = (msg.payload !== null && typeof msg.payload === "object" ? msg.payload : {}) as { tenancy?: unknown; tokenId?: unknown; validDays?: unknown };
        const communityId = community.definition.id;
        const tenancy = typeof p.tenancy === "string" && p.tenancy !== "" ? p.tenancy : undefined;
        if (msg.command === "portal-link") {
          const validDays = optionalInt(p.validDays) ?? optionalInt(config.validDays);
          const l = createLink(community.store, {
            communityId,
            tenancyId: tenancy ?? "",
            actor,
            ...(validDays !== undefined ? { validDays } : {}),
            ...(config.baseUrl ? { baseUrl: config.baseUrl } : {}),
          });
          msg.payload = { tenancy: l.tenancyId, tokenId: l.tokenId, link: l.link, expires: new Date(l.expiresMs).toISOString() };
        } else if (msg.command === "portal-revoke") {
          const tokenId = optionalInt(p.tokenId);
          const ids = revokeLinks(community.store, {
            communityId,
            actor,
            ...(tenancy !== undefined ? { tenancyId: tenancy } : {}),
            ...(tokenId !== undefined ? { tokenId } : {}),
          });
          msg.payload = { revoked: ids };
        } else if (msg.command === "portal-list") {
          msg.payload = listLinks(community.store, communityId).map((l) => ({ ...l, expires: new Date(l.expiresMs).toISOString() }));
        } else if (msg.command === "portal-tenancies") {
          // for a dashboard's tenancy picker: the tenancies a link can be made for now (access not yet ended)
          const now = Date.now();
          const zone = community.definition.timeZone;
          msg.payload = community.definition.tenancies.map((x) => {
            const end = accessEndOfTenancy(x, zone);
            return { id: x.id, unit: x.unit, name: x.tenant.name, from: x.from, to: x.to ?? null, active: end === null || end > now };
          });
        } else {
          throw new NodeProblem(t("errors.command", { command: String(msg.command ?? "") }), "unknown-command", { command: String(msg.command ?? "") });
        }
        send(msg);
        done();
      } catch (e) {
        if (e instanceof PortalError) done(new NodeProblem(t(`problems.${e.code}`, e.params), e.code, e.params));
        else done(e as Error);
      }
    });

    this.on("close", (_removed: boolean, done: () => void) => {
      const s = server;
      server = undefined;
      if (s) void s.close().then(done, done);
      else done();
    });
  }

  RED.nodes.registerType("zev-portal", ZevPortalNode as never);
};
