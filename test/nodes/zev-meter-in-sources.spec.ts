import assert from "node:assert/strict";
import { join } from "node:path";
import type { NodeMessage } from "node-red";
import { listMeters } from "../../lib/store/meter-repo";
import type { Reading } from "../../lib/readings/reading";
import type { CommunityHandle } from "../../nodes/shared/community-handle";
import { FakeMiniserver } from "../support/fake-miniserver";
import { useNodeRed } from "../support/node-red";
import { waitFor } from "../support/net";
import { useTmpDir } from "../support/tmp";
import { collect, errors, onTab, serveHttpNode, statuses, ZEV_NODES, type FlowNode, type MeterNode } from "../support/zev-nodes";

type ReadingMsg = NodeMessage & { payload: Reading };

/** A zev-community config node with units 1 and 2 and meter unit-1 listed. */
function communityConfig(dbPath: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const address = { creditorStreet: "Seestrasse", creditorBuildingNumber: "5", creditorPostalCode: "6300", creditorTown: "Zug", creditorCountry: "CH" };
  return {
    id: "c1",
    type: "zev-community",
    communityId: "haus-am-see",
    communityName: "ZEV Haus am See",
    dbPath,
    creditorName: "ZEV Haus am See",
    ...address,
    creditorIban: "CH93 0076 2011 6238 5295 7",
    ownerName: "Eigentümer AG",
    ownerStreet: "Seestrasse",
    ownerBuildingNumber: "5",
    ownerPostalCode: "6300",
    ownerTown: "Zug",
    ownerCountry: "CH",
    ownerLanguage: "de",
    buildings: [{ id: "A", name: "Seestrasse 5" }],
    units: [
      { building: "A", id: "1", label: "Wohnung 1" },
      { building: "A", id: "2", label: "Wohnung 2" },
    ],
    tenancies: [],
    meters: [{ id: "unit-1", role: "unit", unit: "1", label: "" }],
    ...overrides,
  };
}
const TOKEN = "s3cret-token-for-tests";

describe("zev-meter-in with HTTP push (real HTTP server on 127.0.0.1)", () => {
  const helper = useNodeRed();
  let http: Awaited<ReturnType<typeof serveHttpNode>> | undefined;
  afterEach(async () => {
    await http?.close();
    http = undefined;
  });

  async function start(): Promise<{
    out: ReadingMsg[];
    node: MeterNode;
    post(
      body: string,
      token?: string,
      meter?: string,
    ): Promise<{ status: number; body: { accepted?: number; rejected?: { reason: string }[]; error?: string } }>;
  }> {
    await helper.load(
      ZEV_NODES,
      onTab([
        { id: "push", type: "zev-meter-in", meterId: "unit 4/a", role: "unit", source: "http-push", wires: [["out"]] },
        { id: "out", type: "helper" },
      ]),
      { push: { token: TOKEN } },
    );
    http = await serveHttpNode();
    const base = http.url;
    return {
      out: collect<ReadingMsg>(helper.getNode("out")),
      node: helper.getNode("push") as MeterNode,
      post: async (body, token, meter = "unit 4/a") => {
        const res = await fetch(`${base}/zev/meter/${encodeURIComponent(meter)}`, {
          method: "POST",
          headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
          body,
        });
        return { status: res.status, body: (await res.json()) as { accepted?: number; rejected?: { reason: string }[]; error?: string } };
      },
    };
  }

  it("accepts a JSON reading with the token and emits it", async () => {
    const { out, post } = await start();
    const ts = Date.now() - 60_000;
    const r = await post(JSON.stringify({ importKWh: 12.5, powerW: 300, ts }), TOKEN);
    assert.deepEqual(r, { status: 200, body: { accepted: 2, rejected: [] } });
    assert.deepEqual(
      out.map((m) => [m.topic, m.payload]),
      [["unit 4/a", { meter: "unit 4/a", ts, importKWh: 12.5, powerW: 300 }]],
    );
  });

  it("answers 401 without the token or with a wrong one, and writes nothing", async () => {
    const { out, post, node } = await start();
    assert.equal((await post('{"importKWh":1}')).status, 401);
    assert.equal((await post('{"importKWh":1}', "wrong")).status, 401);
    assert.equal(out.length, 0);
    assert.deepEqual(node.stats.rejected, { unauthorized: 2 });
    assert.equal(node.credentials.token, TOKEN);
  });

  it("answers 400 for bodies that are not readings, 422 for rejected values, 404 for unknown meters", async () => {
    const { out, post, node } = await start();
    assert.equal((await post("not json", TOKEN)).status, 400);
    assert.equal((await post('{"imprt":1}', TOKEN)).status, 400);
    assert.equal((await post("5", TOKEN)).status, 200);
    const back = await post('[{"importKWh":"abc"},{"importKWh":4}]', TOKEN);
    assert.equal(back.status, 422);
    assert.deepEqual(
      back.body.rejected!.map((r) => r.reason),
      ["not-a-number", "backwards"],
    );
    assert.equal((await post('{"importKWh":1}', TOKEN, "nobody")).status, 404);
    assert.equal(out.length, 1);
    assert.deepEqual(node.stats.rejected, { malformed: 2, "not-a-number": 1, backwards: 1 });
  });

  it("behind Node-RED's admin body parsers: JSON is accepted, a form-encoded body gets 415 with a hint", async () => {
    await helper.load(
      ZEV_NODES,
      onTab([
        { id: "push", type: "zev-meter-in", meterId: "m", role: "unit", source: "http-push", wires: [["out"]] },
        { id: "out", type: "helper" },
      ]),
      { push: { token: TOKEN } },
    );
    http = await serveHttpNode({ adminParsers: true });
    const out = collect<ReadingMsg>(helper.getNode("out"));
    const post = (body: string, type: string): Promise<Response> =>
      fetch(`${http!.url}/zev/meter/m`, { method: "POST", headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": type }, body });
    assert.equal((await post('{"importKWh":1}', "application/json")).status, 200);
    assert.equal((await post('{"importKWh":2}', "text/plain")).status, 200);
    const form = await post('{"importKWh":3}', "application/x-www-form-urlencoded");
    assert.equal(form.status, 415);
    assert.match(((await form.json()) as { error: string }).error, /send JSON with Content-Type: application\/json/);
    assert.deepEqual(
      out.map((m) => m.payload.importKWh),
      [1, 2],
    );
  });

  it("a node without a token does not open the endpoint and says why", async () => {
    await helper.load(ZEV_NODES, onTab([{ id: "push", type: "zev-meter-in", meterId: "m", role: "unit", source: "http-push", wires: [] }]));
    http = await serveHttpNode();
    const res = await fetch(`${http.url}/zev/meter/m`, { method: "POST", headers: { Authorization: "Bearer " }, body: "{}" });
    assert.equal(res.status, 404);
    const logged = helper.log().args.map((a) => JSON.stringify(a[0]));
    assert.ok(
      logged.some((l) => l.includes("HTTP push needs a token")),
      logged.join("\n"),
    );
  });
});

describe("zev-meter-in polling a Loxone Miniserver (HTTP server on 127.0.0.1 answering like one)", () => {
  const helper = useNodeRed();
  let ms: FakeMiniserver;
  beforeEach(async () => {
    ms = await FakeMiniserver.start();
  });
  afterEach(async () => {
    await ms.stop();
  });

  const flow = (meter: Record<string, unknown>, msExtra: Record<string, unknown> = {}): FlowNode[] =>
    onTab([
      { id: "ms", type: "zev-loxone-miniserver", host: "127.0.0.1", port: String(ms.port), timeout: "200", authBackoff: "0.3", ...msExtra },
      {
        id: "meter",
        type: "zev-meter-in",
        meterId: "grid",
        role: "grid",
        source: "loxone-http",
        miniserver: "ms",
        lxInterval: "0.05",
        wires: [["out"]],
        ...meter,
      },
      { id: "out", type: "helper" },
    ]);
  const creds = { ms: { user: "admin", password: "secret" } };

  it("reads a meter block with /all: import, export and power in kW converted to W", async () => {
    ms.blocks.set("Netz", { Pf: "-2.5", Mrc: "5000.25 kWh", Mrd: 1200.75 });
    await helper.load(ZEV_NODES, flow({ lxMode: "all", lxBlock: "Netz", lxImport: "Mrc", lxExport: "Mrd", lxPower: "Pf" }), creds);
    const out = collect<ReadingMsg>(helper.getNode("out"));
    await waitFor(() => out.length >= 1, "reading");
    assert.deepEqual({ ...out[0]!.payload, ts: 0 }, { meter: "grid", ts: 0, importKWh: 5000.25, exportKWh: 1200.75, powerW: -2500, resolutionKWh: 0.01 });
  });

  it("reads named objects with /state, with Code or code", async () => {
    ms.codeKey = "code";
    ms.states.set("Zähler Netz", "42.5");
    await helper.load(ZEV_NODES, flow({ lxMode: "state", lxImport: "Zähler Netz" }), creds);
    const out = collect<ReadingMsg>(helper.getNode("out"));
    await waitFor(() => out.length >= 1, "reading");
    assert.equal(out[0]!.payload.importKWh, 42.5);
  });

  it("on LL 401 inside HTTP 200 it shows the error, backs off and sends nothing meanwhile", async () => {
    ms.llAuthErrors = true;
    ms.states.set("grid", "1");
    await helper.load(ZEV_NODES, flow({ lxMode: "state" }), { ms: { user: "admin", password: "wrong" } });
    const node = helper.getNode("meter") as MeterNode;
    const errs = errors(node);
    await waitFor(() => (node.stats.errors["auth-backoff"] ?? 0) >= 3, "polls during the pause");
    assert.equal(ms.requests.length, 1, "one login attempt, then a pause");
    assert.equal(node.stats.errors.auth, 1);
    await waitFor(() => ms.requests.length === 2, "second attempt after the pause", 2000);
    assert.match(errs[0]!, /^grid: Miniserver login failed: authentication failed \(LL code 401\); pausing 1 s$/);
  });

  it("counts garbage answers as rejected and recovers when the Miniserver answers properly again", async () => {
    ms.states.set("grid", "7.5");
    ms.queue.push({ body: "<html>busy</html>" }, { body: '{"LL":{}}' }, { status: 500, body: "" }, "hang");
    await helper.load(ZEV_NODES, flow({ lxMode: "state" }), creds);
    const node = helper.getNode("meter") as MeterNode;
    const st = statuses(node);
    const errs = errors(node);
    const out = collect<ReadingMsg>(helper.getNode("out"));
    await waitFor(() => out.length >= 1, "reading after the garbage", 3000);
    assert.deepEqual(node.stats.rejected, { malformed: 2 });
    assert.equal(node.stats.errors.http, 1);
    assert.equal(node.stats.errors.timeout, 1);
    assert.ok(
      errs.some((e) => /^grid: no answer: no answer from 127\.0\.0\.1:\d+ within 200 ms$/.test(e)),
      errs.join("\n"),
    );
    assert.ok(
      errs.some((e) => /answer is not JSON\); from loxone 127\.0\.0\.1:\d+: "<html>busy<\/html>"/.test(e)),
      errs.join("\n"),
    );
    await waitFor(() => st[st.length - 1]?.fill === "green" && /^7\.5 kWh · \d+ s ago · 2 rejected$/.test(st[st.length - 1]?.text ?? ""), "green again", 1000);
  });

  it("an input message polls at once", async () => {
    ms.states.set("grid", "3");
    await helper.load(ZEV_NODES, flow({ lxMode: "state", lxInterval: "3600" }), creds);
    const out = collect<ReadingMsg>(helper.getNode("out"));
    await waitFor(() => out.length === 1, "first poll");
    ms.states.set("grid", "4");
    helper.getNode("meter").receive({ payload: "poll" });
    await waitFor(() => out.length === 2, "poll on input");
    assert.equal(out[1]!.payload.importKWh, 4);
  });
});

describe("zev-meter-in fed by wire (msg source)", () => {
  const helper = useNodeRed();

  it("validates and normalises a message and passes it on with the meter id as topic", async () => {
    await helper.load(
      ZEV_NODES,
      onTab([
        { id: "m", type: "zev-meter-in", meterId: "charger-1", role: "charger", source: "msg", wires: [["out"]] },
        { id: "out", type: "helper" },
      ]),
    );
    const out = collect<ReadingMsg & { extra?: string }>(helper.getNode("out"));
    helper.getNode("m").receive({ topic: "shellies/em/energy", payload: "12.5", extra: "kept" } as NodeMessage);
    await waitFor(() => out.length === 1, "reading");
    assert.equal(out[0]!.topic, "charger-1");
    assert.equal(out[0]!.extra, "kept");
    assert.equal(out[0]!.payload.importKWh, 12.5);
  });

  it("a rejected message goes to done(err) so a Catch node sees it", async () => {
    await helper.load(
      ZEV_NODES,
      onTab([
        { id: "m", type: "zev-meter-in", meterId: "charger-1", role: "charger", source: "msg", wires: [["out"]] },
        { id: "out", type: "helper" },
        { id: "c", type: "catch", scope: null, uncaught: false, wires: [["caught"]] },
        { id: "caught", type: "helper" },
      ]),
    );
    const caught = collect<NodeMessage & { error: { message: string } }>(helper.getNode("caught"));
    const node = helper.getNode("m");
    node.receive({ payload: { meter: "other", importKWh: 1 } });
    node.receive({ payload: { importKWh: -3 } });
    await waitFor(() => caught.length === 2, "two caught errors");
    assert.match(caught[0]!.error.message, /meter charger-1: the data is for another meter/);
    assert.match(caught[1]!.error.message, /import counter -3 is negative/);
    assert.deepEqual((node as MeterNode).stats.rejected, { "meter-mismatch": 1, negative: 1 });
  });
});

describe("zev-meter-in registering its meter in a community", () => {
  const helper = useNodeRed();
  const tmp = useTmpDir();

  it("upserts the meter with role, unit and label on deploy", async () => {
    const db = join(tmp(), "zev.sqlite");
    await helper.load(
      ZEV_NODES,
      onTab([
        communityConfig(db, { meters: [] }),
        { id: "m", type: "zev-meter-in", name: "Wohnung 2", community: "c1", meterId: "unit-2", role: "unit", unit: "2", source: "msg", wires: [] },
      ]),
    );
    const c = helper.getNode("c1") as CommunityHandle;
    assert.deepEqual(
      listMeters(c.store!, "haus-am-see").map((m) => [m.key, m.role, m.unitId, m.label]),
      [["unit-2", "unit", "2", "Wohnung 2"]],
    );
  });

  it("refuses a unit the community does not have, or a role contradicting the community's meter list", async () => {
    const db = join(tmp(), "zev.sqlite");
    await helper.load(
      ZEV_NODES,
      onTab([
        communityConfig(db),
        { id: "a", type: "zev-meter-in", community: "c1", meterId: "unit-9", role: "unit", unit: "9", source: "msg", wires: [] },
        { id: "b", type: "zev-meter-in", community: "c1", meterId: "unit-1", role: "common", source: "msg", wires: [] },
      ]),
    );
    const c = helper.getNode("c1") as CommunityHandle;
    assert.deepEqual(
      listMeters(c.store!, "haus-am-see").map((m) => [m.key, m.role]),
      [["unit-1", "unit"]],
    );
    const status = (id: string): Promise<string> =>
      new Promise((resolve) => {
        const n = helper.getNode(id);
        (n as unknown as { on(e: string, f: (c: { args: [Error] }) => void): void }).on("call:error", (call) => resolve(String(call.args[0])));
        n.receive({ payload: 1 });
      });
    assert.match(await status("a"), /unit "9" is not a unit of community haus-am-see/);
    assert.match(await status("b"), /lists meter unit-1 with role unit and unit 1/);
  });
});
