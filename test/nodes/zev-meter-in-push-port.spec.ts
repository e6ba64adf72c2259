import assert from "node:assert/strict";
import { createServer, request } from "node:http";
import type { NodeMessage } from "node-red";
import type { Reading } from "../../lib/readings/reading";
import { freePort } from "../support/node-red-process";
import { useNodeRed } from "../support/node-red";
import { waitFor } from "../support/net";
import { collect, onTab, serveHttpNode, statuses, ZEV_NODES, type MeterNode } from "../support/zev-nodes";

type ReadingMsg = NodeMessage & { payload: Reading };
const TOKEN = "push-port-token-for-tests";

interface Answer {
  status: number;
  type: string;
  body: Record<string, unknown>;
}

function post(port: number, path: string, headers: Record<string, string>, body: string | Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method: "POST", headers, agent: false }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (text += d));
      res.on("end", () => {
        const type = String(res.headers["content-type"] ?? "");
        try {
          resolve({ status: res.statusCode ?? 0, type, body: JSON.parse(text) as Record<string, unknown> });
        } catch {
          reject(new Error(`not JSON (${res.statusCode} ${type}): ${text.slice(0, 200)}`));
        }
      });
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** Waits until something answers on the port. */
async function listening(port: number): Promise<void> {
  const end = Date.now() + 5000;
  for (;;) {
    if (
      await post(port, "/zev/meter/none", {}, "").then(
        () => true,
        () => false,
      )
    )
      return;
    if (Date.now() > end) throw new Error(`nothing listens on ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const bearer = (type = "application/json"): Record<string, string> => ({ Authorization: `Bearer ${TOKEN}`, "Content-Type": type });

describe("zev-meter-in HTTP push on its own push port (real sockets on 127.0.0.1)", () => {
  const helper = useNodeRed();

  async function start(port: number, nodes = 1): Promise<{ out: ReadingMsg[]; node: MeterNode; status: ReturnType<typeof statuses> }> {
    const meters = Array.from({ length: nodes }, (_, i) => ({
      id: `push${i}`,
      type: "zev-meter-in",
      meterId: `m${i}`,
      role: "unit",
      source: "http-push",
      pushPort: String(port),
      wires: [["out"]],
    }));
    const creds = Object.fromEntries(meters.map((m) => [m.id, { token: TOKEN }]));
    await helper.load(ZEV_NODES, onTab([...meters, { id: "out", type: "helper" }]), creds);
    const node = helper.getNode("push0") as MeterNode;
    const status = statuses(node);
    await listening(port);
    return { out: collect<ReadingMsg>(helper.getNode("out")), node, status };
  }

  it("accepts the documented request and answers JSON with the counts", async () => {
    const port = await freePort();
    const { out } = await start(port);
    const ts = Date.now() - 60_000;
    const r = await post(port, "/zev/meter/m0", bearer(), JSON.stringify({ importKWh: 12.5, powerW: 300, ts }));
    assert.deepEqual({ status: r.status, body: r.body }, { status: 200, body: { accepted: 2, rejected: [] } });
    assert.match(r.type, /^application\/json/);
    assert.deepEqual(
      out.map((m) => m.payload),
      [{ meter: "m0", ts, importKWh: 12.5, powerW: 300 }],
    );
  });

  it("counts every refusal (401, 413 for every content type, 415, 400) in the node's stats and status, each answered as JSON", async () => {
    const port = await freePort();
    const { node, out, status } = await start(port);
    assert.equal((await post(port, "/zev/meter/m0", { "Content-Type": "application/json" }, '{"importKWh":1}')).status, 401);
    assert.equal((await post(port, "/zev/meter/m0", { Authorization: "Bearer wrong", "Content-Type": "application/json" }, '{"importKWh":1}')).status, 401);
    assert.equal((await post(port, "/zev/meter/m0", { Authorization: "Basic YWRtaW46eA==" }, '{"importKWh":1}')).status, 401);
    const big = JSON.stringify({ importKWh: 1, serial: "x".repeat(300 * 1024) });
    for (const type of ["application/json", "text/plain", "application/octet-stream"]) {
      const r = await post(port, "/zev/meter/m0", bearer(type), big);
      assert.equal(r.status, 413, type);
      assert.deepEqual(r.body.rejected, [{ reason: "too-large", detail: "body larger than 262144 bytes" }]);
    }
    assert.equal((await post(port, "/zev/meter/m0", bearer("application/x-www-form-urlencoded"), "importKWh=1")).status, 415);
    assert.equal((await post(port, "/zev/meter/m0", bearer("multipart/form-data; boundary=x"), "--x--")).status, 415);
    assert.equal((await post(port, "/zev/meter/m0", bearer(), "{nope")).status, 400);
    assert.equal((await post(port, "/zev/meter/m0", bearer(), "")).status, 400);
    assert.equal(out.length, 0);
    assert.deepEqual(node.stats.rejected, { unauthorized: 3, "too-large": 3, malformed: 4 });
    await waitFor(() => /10 in total/.test(status.at(-1)?.text ?? ""), "the status to show 10 rejections", 2000);
    assert.match(status.at(-1)!.text!, /rejected: .* \(10 in total\)/);
  });

  it("several meters share one push port; the port closes with the last node", async () => {
    const port = await freePort();
    await start(port, 2);
    assert.equal((await post(port, "/zev/meter/m1", bearer(), '{"importKWh":3}')).status, 200);
    assert.equal((await post(port, "/zev/meter/m0", bearer(), '{"importKWh":3}')).status, 200);
    await helper.unload();
    await assert.rejects(post(port, "/zev/meter/m0", bearer(), '{"importKWh":4}'), /ECONNREFUSED/);
  });

  it("a push port another program holds shows as an error on the node", async () => {
    const port = await freePort();
    const other = createServer();
    await new Promise<void>((r) => other.listen(port, "127.0.0.1", () => r()));
    try {
      await helper.load(
        ZEV_NODES,
        onTab([{ id: "p", type: "zev-meter-in", meterId: "m", role: "unit", source: "http-push", pushPort: String(port), wires: [] }]),
        { p: { token: TOKEN } },
      );
      const node = helper.getNode("p") as MeterNode;
      await waitFor(() => (node.stats.errors.pushBind ?? 0) > 0, "the bind error", 3000);
    } finally {
      other.close();
    }
  });

  it("on Node-RED's own route the limit holds for every content type too, and a body the admin app parsed is measured", async () => {
    await helper.load(ZEV_NODES, onTab([{ id: "p", type: "zev-meter-in", meterId: "m", role: "unit", source: "http-push", wires: [] }]), {
      p: { token: TOKEN },
    });
    const node = helper.getNode("p") as MeterNode;
    const big = JSON.stringify({ importKWh: 1, serial: "x".repeat(300 * 1024) });
    const plain = await serveHttpNode();
    try {
      const port = Number(new URL(plain.url).port);
      assert.equal((await post(port, "/zev/meter/m", bearer("application/octet-stream"), big)).status, 413);
      assert.equal((await post(port, "/zev/meter/m", { "Content-Type": "application/json" }, big)).status, 401);
    } finally {
      await plain.close();
    }
    const parsed = await serveHttpNode({ adminParsers: true, limit: "5mb" });
    try {
      const port = Number(new URL(parsed.url).port);
      assert.equal((await post(port, "/zev/meter/m", bearer("application/json"), big)).status, 413);
    } finally {
      await parsed.close();
    }
    assert.deepEqual(node.stats.rejected, { "too-large": 2, unauthorized: 1 });
  });
});
