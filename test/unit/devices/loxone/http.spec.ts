import assert from "node:assert/strict";
import { MiniserverAnswerError, MiniserverClient, MiniserverError } from "../../../../lib/devices/loxone/http-client";
import { pollLoxone } from "../../../../lib/devices/loxone/http-source";
import { parseLoxoneAnswer } from "../../../../lib/devices/loxone/state-parse";
import { FakeMiniserver } from "../../../support/fake-miniserver";

describe("lib/devices/loxone answers", () => {
  it("reads LL.value with Code or code, as text or number", () => {
    assert.deepEqual(parseLoxoneAnswer(200, '{"LL":{"control":"dev/sps/io/z/state","value":"531.68","Code":"200"}}'), {
      ok: true,
      value: "531.68",
      outputs: {},
    });
    assert.deepEqual(parseLoxoneAnswer(200, '{"LL":{"value":"31.0 kWh","code":200}}'), { ok: true, value: "31.0 kWh", outputs: {} });
  });

  it("collects the outputs of a block from /all", () => {
    const r = parseLoxoneAnswer(
      200,
      '{"LL":{"value":"1.2","Code":"200","output0":{"name":"Pf","nr":0,"value":1.2},"output1":{"name":"Mr","nr":1,"value":"100.5"}}}',
    );
    assert.ok(r.ok);
    assert.deepEqual(r.outputs, { Pf: 1.2, Mr: "100.5" });
  });

  it("tells authentication failures (HTTP 401, LL 401 inside HTTP 200) from other codes and garbage", () => {
    assert.equal((parseLoxoneAnswer(401, "") as { kind: string }).kind, "auth");
    assert.equal((parseLoxoneAnswer(200, '{"LL":{"value":"","Code":"401"}}') as { kind: string }).kind, "auth");
    assert.deepEqual(parseLoxoneAnswer(200, '{"LL":{"value":"not found","code":"404"}}'), {
      ok: false,
      kind: "ll-code",
      code: 404,
      detail: "LL code 404: not found",
    });
    assert.equal((parseLoxoneAnswer(500, "oops") as { kind: string }).kind, "http");
    for (const garbage of ["", "<html>", "null", "[]", '{"LL":5}', '{"LL":{"value":"1"}}', '{"LL":{"Code":"abc"}}']) {
      assert.equal((parseLoxoneAnswer(200, garbage) as { kind: string }).kind, "malformed", garbage);
    }
  });
});

describe("lib/devices/loxone MiniserverClient (against an HTTP server on 127.0.0.1)", () => {
  let ms: FakeMiniserver;
  beforeEach(async () => {
    ms = await FakeMiniserver.start();
  });
  afterEach(async () => {
    await ms.stop();
  });
  const client = (o: Partial<ConstructorParameters<typeof MiniserverClient>[0]> = {}): MiniserverClient =>
    new MiniserverClient({
      host: "127.0.0.1",
      port: ms.port,
      user: "admin",
      password: "secret",
      timeoutMs: 300,
      authBackoffMs: 200,
      authBackoffMaxMs: 800,
      ...o,
    });

  it("polls named objects with /state and basic auth", async () => {
    ms.states.set("Zähler Whg 3", "1234.5 kWh");
    ms.states.set("Whg3 Leistung", "1.5");
    const values = await pollLoxone(client(), { mode: "state", names: { importKWh: "Zähler Whg 3", powerW: "Whg3 Leistung" } });
    assert.deepEqual(values, [
      { field: "importKWh", raw: "1234.5 kWh", defaultUnit: "kWh" },
      { field: "powerW", raw: "1.5", defaultUnit: "kW" },
    ]);
    assert.deepEqual(
      ms.requests.map((r) => r.path),
      ["/jdev/sps/io/Zähler Whg 3/state", "/jdev/sps/io/Whg3 Leistung/state"],
    );
    assert.equal(ms.requests[0]!.auth, `Basic ${Buffer.from("admin:secret").toString("base64")}`);
  });

  it("polls a meter block once with /all and picks its outputs", async () => {
    ms.blocks.set("Netz", { Pf: -2.5, Mrc: 5000.25, Mrd: 1200.75 });
    const values = await pollLoxone(client(), { mode: "all", block: "Netz", names: { importKWh: "Mrc", exportKWh: "Mrd", powerW: "Pf" } });
    assert.deepEqual(
      values.map((v) => [v.field, v.raw]),
      [
        ["importKWh", 5000.25],
        ["exportKWh", 1200.75],
        ["powerW", -2.5],
      ],
    );
    assert.equal(ms.requests.length, 1);
    await assert.rejects(
      pollLoxone(client(), { mode: "all", block: "Netz", names: { importKWh: "Mr" } }),
      /block Netz has no output Mr \(outputs: Pf, Mrc, Mrd\)/,
    );
  });

  for (const ll of [false, true]) {
    it(`pauses after an authentication failure${ll ? " reported as LL 401 inside HTTP 200" : ""}, doubling the pause, and sends nothing meanwhile`, async () => {
      ms.llAuthErrors = ll;
      ms.states.set("x", "1");
      let now = 0;
      const c = client({ password: "wrong", now: () => now });
      await assert.rejects(c.io("x", "state"), (e: MiniserverError) => e.kind === "auth" && e.retryInMs === 200);
      await assert.rejects(c.io("x", "state"), (e: MiniserverError) => e.kind === "auth-backoff");
      assert.equal(c.requestsSent, 1);
      now += 200;
      await assert.rejects(c.io("x", "state"), (e: MiniserverError) => e.kind === "auth" && e.retryInMs === 400);
      now += 399;
      await assert.rejects(c.io("x", "state"), (e: MiniserverError) => e.kind === "auth-backoff");
      assert.equal(c.requestsSent, 2);
    });
  }

  it("a success resets the authentication pause to its start value", async () => {
    ms.states.set("x", "1");
    let now = 0;
    const c = client({ now: () => now });
    ms.queue.push({ status: 401, body: "" });
    await assert.rejects(c.io("x", "state"), (e: MiniserverError) => e.retryInMs === 200);
    now += 200;
    await c.io("x", "state");
    ms.queue.push({ status: 401, body: "" });
    await assert.rejects(c.io("x", "state"), (e: MiniserverError) => e.retryInMs === 200);
  });

  it("times out a Miniserver that does not answer, and the next request goes through", async () => {
    ms.states.set("x", "7");
    ms.queue.push("hang");
    const c = client();
    const t0 = Date.now();
    await assert.rejects(c.io("x", "state"), (e: MiniserverError) => e.kind === "timeout");
    assert.ok(Date.now() - t0 < 1000);
    assert.equal((await c.io("x", "state")).value, "7");
  });

  it("garbage and oversized answers are answer errors with an excerpt; unknown names are LL codes", async () => {
    const c = client({ maxBodyBytes: 1000 });
    ms.queue.push({ body: "<html>Miniserver busy</html>" });
    await assert.rejects(c.io("x", "state"), (e: MiniserverAnswerError) => e.reason === "malformed" && e.excerpt.startsWith("<html>"));
    ms.queue.push({ body: "x".repeat(5000) });
    await assert.rejects(c.io("x", "state"), (e: MiniserverAnswerError) => e.reason === "too-large");
    await assert.rejects(c.io("missing", "state"), (e: MiniserverError) => e.kind === "ll-code" && /LL code 404/.test(e.message));
  });

  it("sends one request at a time to the Miniserver", async () => {
    ms.states.set("a", "1");
    ms.states.set("b", "2");
    ms.queue.push({ body: '{"LL":{"value":"9","Code":"200"}}', delayMs: 100 });
    const c = client();
    const order: string[] = [];
    await Promise.all([c.io("a", "state").then(() => order.push("a")), c.io("b", "state").then(() => order.push("b"))]);
    assert.deepEqual(order, ["a", "b"]);
  });

  it("a refused connection is a network error", async () => {
    const port = ms.port;
    await ms.stop();
    const c = new MiniserverClient({ host: "127.0.0.1", port, timeoutMs: 300 });
    await assert.rejects(c.io("x", "state"), (e: MiniserverError) => e.kind === "network" && /ECONNREFUSED/.test(e.message));
    ms = await FakeMiniserver.start();
  });
});
