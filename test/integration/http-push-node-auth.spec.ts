import bcrypt from "bcryptjs";
import assert from "node:assert/strict";
import { request } from "node:http";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { getMeter } from "../../lib/store/meter-repo";
import { loadMeterState } from "../../lib/store/meter-state-repo";
import { SqliteStore } from "../../lib/store/sqlite-store";
import { aggregateCommunityConfig, aggregateConfig } from "../support/aggregate-flow";
import { freePort, NodeRedProcess, REPO_ROOT, startNodeRedProcess } from "../support/node-red-process";
import { useTmpDir } from "../support/tmp";

/*
 * HTTP push in a real Node-RED 4.1 with httpNodeAuth set (and adminAuth),
 * the package loaded from this checkout: the documented request
 * (`Authorization: Bearer <token>` to /zev/meter/<id> on the push port)
 * reaches the node and its reading is stored, while httpNodeAuth still
 * guards every route on Node-RED's HTTP, the push route there included.
 */
const TOKEN = "a-long-random-push-token-0123456789";
const USER = "admin";
const PASSWORD = "node-auth-password";

interface Answer {
  status: number;
  type: string;
  body: string;
  ms: number;
}

/** One raw HTTP request (node:http, so that a 5 MB body and odd headers go out exactly as written). */
function send(port: number, path: string, opts: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<Answer> {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method: opts.method ?? "POST", headers: opts.headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, type: String(res.headers["content-type"] ?? ""), body, ms: Date.now() - t0 }));
    });
    req.on("error", reject);
    req.end(opts.body);
  });
}

const json = (a: Answer): Record<string, unknown> => {
  assert.match(a.type, /^application\/json/, `JSON answer, got ${a.type}: ${a.body.slice(0, 200)}`);
  return JSON.parse(a.body) as Record<string, unknown>;
};

describe("HTTP push in a real Node-RED with httpNodeAuth set", function () {
  this.timeout(120_000);
  const tmp = useTmpDir("zev-push-auth-");
  let nr: NodeRedProcess | undefined;
  after(async () => nr?.stop());

  it("the documented Bearer request reaches the node on its push port and is stored; httpNodeAuth still guards Node-RED's own routes", async () => {
    const userDir = tmp();

    const hash = bcrypt.hashSync(PASSWORD, 8);
    writeFileSync(join(userDir, "flows.json"), "[]");
    writeFileSync(
      join(userDir, "settings.js"),
      `module.exports = ${JSON.stringify({
        uiHost: "127.0.0.1",
        flowFile: "flows.json",
        credentialSecret: "test",
        nodesDir: [REPO_ROOT],
        httpNodeAuth: { user: USER, pass: hash },
        logging: { console: { level: "info" } },
        editorTheme: { tours: false },
      })};\n`,
    );
    const [port, pushPort] = [await freePort(), await freePort()];
    nr = await startNodeRedProcess({ userDir, port });
    const dbPath = join(userDir, "site.sqlite");
    const flow = [
      { id: "t1", type: "tab", label: "push" },
      { ...aggregateCommunityConfig(dbPath), z: undefined },
      { ...aggregateConfig(), wires: [[], [], []], z: "t1" },
      {
        id: "push",
        type: "zev-meter-in",
        z: "t1",
        meterId: "unit-1",
        role: "unit",
        unit: "1",
        community: "c1",
        source: "http-push",
        pushPort: String(pushPort),
        wires: [["agg"]],
        credentials: { token: TOKEN },
      },
      {
        id: "legacy",
        type: "zev-meter-in",
        z: "t1",
        meterId: "pv",
        role: "production",
        community: "c1",
        source: "http-push",
        wires: [["agg"]],
        credentials: { token: TOKEN },
      },
      { id: "hin", type: "http in", z: "t1", url: "/hello", method: "get", wires: [["hout"]] },
      { id: "hout", type: "http response", z: "t1", statusCode: "200", wires: [] },
    ];
    const dep = await fetch(`http://127.0.0.1:${port}/flows`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Node-RED-Deployment-Type": "full" },
      body: JSON.stringify(flow),
    });
    assert.equal(dep.status, 204, await dep.text());
    const end = Date.now() + 10_000;
    while (Date.now() < end) {
      const probe = await send(pushPort, "/zev/meter/unit-1", { body: "" }).catch(() => undefined);
      if (probe) break;
      await new Promise((r) => setTimeout(r, 100));
    }

    // The documented request (docs/meters.md), to the push port.
    const t0 = Date.now() - 20 * 60_000;
    const ok = await send(pushPort, "/zev/meter/unit-1", {
      headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json" },
      body: JSON.stringify([
        { ts: t0, importKWh: 1234.5 },
        { ts: t0 + 16 * 60_000, importKWh: 1234.75, powerW: 900 },
      ]),
    });
    assert.equal(ok.status, 200, ok.body);
    assert.deepEqual(json(ok), { accepted: 3, rejected: [] });

    // Every refusal is JSON; nothing of an unauthenticated body is parsed.
    // A client announcing 5 MB without a token gets its 401 after 1 KB of the body was sent: the body is not waited for.
    const noToken = await new Promise<Answer>((resolve, reject) => {
      const req = request(
        {
          host: "127.0.0.1",
          port: pushPort,
          path: "/zev/meter/unit-1",
          method: "POST",
          headers: { "Content-Type": "application/json", "Content-Length": String(5 * 1024 * 1024) },
        },
        (res) => {
          let body = "";
          res.setEncoding("utf8");
          res.on("data", (d) => (body += d));
          res.on("end", () => {
            resolve({ status: res.statusCode ?? 0, type: String(res.headers["content-type"] ?? ""), body, ms: 0 });
            req.destroy();
          });
        },
      );
      req.on("error", reject);
      req.write(Buffer.alloc(1024, "x"));
    });
    assert.equal(noToken.status, 401);
    assert.equal(json(noToken).error, "unauthorized");
    const basic = await send(pushPort, "/zev/meter/unit-1", {
      headers: { Authorization: `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString("base64")}`, "Content-Type": "application/json" },
      body: '{"importKWh":1300}',
    });
    assert.equal(basic.status, 401, "Basic credentials are not the push token");
    const tooLarge = await send(pushPort, "/zev/meter/unit-1", {
      headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json" },
      body: JSON.stringify({ importKWh: 1, serial: "x".repeat(300 * 1024) }),
    });
    assert.equal(tooLarge.status, 413);
    assert.match(String(json(tooLarge).error), /larger than 262144 bytes/);
    const octet = await send(pushPort, "/zev/meter/unit-1", {
      headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/octet-stream" },
      body: Buffer.alloc(300 * 1024, "1"),
    });
    assert.equal(octet.status, 413, "the limit holds for every content type");
    const form = await send(pushPort, "/zev/meter/unit-1", {
      headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/x-www-form-urlencoded" },
      body: "importKWh=5",
    });
    assert.equal(form.status, 415);
    json(form);
    const bad = await send(pushPort, "/zev/meter/unit-1", {
      headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json" },
      body: "{not json",
    });
    assert.equal(bad.status, 400);
    assert.match(String(json(bad).error), /invalid JSON/);
    assert.equal((await send(pushPort, "/zev/meter/nobody", { headers: { Authorization: `Bearer ${TOKEN}` }, body: "{}" })).status, 404);
    assert.equal((await send(pushPort, "/elsewhere", { method: "GET" })).status, 404);

    // httpNodeAuth stays on for Node-RED's own HTTP: an http-in route and the push route there.
    assert.equal((await send(port, "/hello", { method: "GET" })).status, 401);
    const basicHeader = { Authorization: `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString("base64")}` };
    assert.equal((await send(port, "/hello", { method: "GET", headers: basicHeader })).status, 200);
    assert.equal(
      (await send(port, "/zev/meter/pv", { headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json" }, body: '{"importKWh":1}' }))
        .status,
      401,
    );
    // ...and the node without a push port says why it cannot receive there.
    assert.match(nr.log(), /pv: .*httpNodeAuth is set/);

    // Stored: the aggregate wrote the meter's counter state.
    await nr.stop();
    nr = undefined;
    const store = SqliteStore.open(dbPath, { readonly: true });
    try {
      const meter = getMeter(store, "sonnenweg", "unit-1");
      assert.ok(meter, "meter registered");
      const state = loadMeterState(store, meter.id);
      assert.equal(state?.last?.imp, 1_234_750);
    } finally {
      store.close();
    }
  });
});
