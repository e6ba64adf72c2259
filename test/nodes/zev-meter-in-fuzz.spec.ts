import assert from "node:assert/strict";
import type { NodeMessage } from "node-red";
import type { Reading } from "../../lib/readings/reading";
import type { RejectReason } from "../../lib/readings/meter-input/rejection";
import type { UdpPortHandle } from "../../nodes/shared/source-handles";
import { FakeMiniserver, type Answer } from "../support/fake-miniserver";
import { useNodeRed } from "../support/node-red";
import { UdpSender, waitFor } from "../support/net";
import { Rng } from "../support/random";
import { collect, onTab, serveHttpNode, ZEV_NODES, type MeterNode } from "../support/zev-nodes";

type ReadingMsg = NodeMessage & { payload: Reading };
const SEED = Number(process.env.FUZZ_SEED ?? 20260301);
const PRINTABLE_NO_SEP = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 !\"#$%'()*+,-./<>?@[\\]^_`{|}~";
const NOT_NUMBER = "abcdefghijklmnopqrstuvwxyz!?#$%()*+,/<>@[]^_`{|}~";

/** Expected outcome tallies: each generated item is counted in exactly one bucket. */
class Tally {
  readonly n = new Map<string, number>();
  add(bucket: string, k = 1): void {
    this.n.set(bucket, (this.n.get(bucket) ?? 0) + k);
  }
  get(bucket: string): number {
    return this.n.get(bucket) ?? 0;
  }
}

describe(`zev-meter-in fuzz (seed ${SEED}; rerun with FUZZ_SEED=...)`, () => {
  const helper = useNodeRed();

  it("3000 random and malformed UDP packets: Node-RED keeps running and every rejection is counted where expected", async function () {
    this.timeout(60_000);
    await helper.load(
      ZEV_NODES,
      onTab([
        { id: "port", type: "zev-udp-port", bind: "127.0.0.1", port: "0", allow: "127.0.0.1" },
        {
          id: "a",
          type: "zev-meter-in",
          meterId: "fz-a",
          role: "grid",
          source: "loxone-udp",
          udpPort: "port",
          udpExport: "fz-a-exp",
          udpPower: "fz-a-p",
          wires: [["out-a"]],
        },
        { id: "b", type: "zev-meter-in", meterId: "fz-b", role: "unit", source: "loxone-udp", udpPort: "port", wires: [["out-b"]] },
        { id: "out-a", type: "helper" },
        { id: "out-b", type: "helper" },
      ]),
    );
    const hub = (helper.getNode("port") as unknown as UdpPortHandle).hub;
    await waitFor(() => hub.listening, "bound");
    const port = hub.port!;
    const ok = await UdpSender.open("127.0.0.1");
    const stranger = await UdpSender.open("127.0.0.2");
    const rng = new Rng(SEED);
    const t = new Tally();
    const last = { a: 1000, aExp: 10, b: 500 };
    let sent = 0;
    const validJson = (): string =>
      JSON.stringify({ meter: "fz-a", importKWh: (last.a += rng.int(0, 500) / 1000), exportKWh: (last.aExp += rng.int(0, 100) / 1000) });

    const kinds = [
      "valid-text",
      "valid-json",
      "valid-power",
      "control-bytes",
      "no-separator",
      "truncated-json",
      "unknown-name",
      "not-a-number",
      "negative",
      "backwards",
      "jump",
      "too-large",
      "stranger",
      "json-wrong-shape",
    ] as const;
    for (let i = 0; i < 3000; i++) {
      const kind = i === 0 ? "valid-text" : rng.pick(kinds);
      let packet: string | Buffer;
      let from = ok;
      switch (kind) {
        case "valid-text":
          last.a += rng.int(0, 500) / 1000;
          last.b += rng.int(0, 500) / 1000;
          packet = rng.pick([`fz-a:${last.a.toFixed(3)};fz-b=${last.b.toFixed(3)}`, `fz-b:${last.b.toFixed(3)}\nfz-a=${last.a.toFixed(3)}`]);
          t.add("a.accepted");
          t.add("b.accepted");
          break;
        case "valid-json":
          packet = validJson();
          t.add("a.accepted", 2);
          break;
        case "valid-power":
          packet = `fz-a-p:${rng.int(-5000, 5000)}`;
          t.add("a.accepted");
          break;
        case "control-bytes":
          packet = Buffer.concat([Buffer.from([rng.int(1, 8)]), rng.bytes(rng.int(0, 200))]);
          t.add("port.malformed");
          break;
        case "no-separator":
          packet = `x${rng.text(rng.int(0, 60), PRINTABLE_NO_SEP.replace(/[{[]/g, ""))}`;
          t.add("port.malformed");
          break;
        case "truncated-json": {
          // Current values, not advanced: the packet never arrives as values.
          const json = JSON.stringify({ meter: "fz-a", importKWh: last.a, exportKWh: last.aExp });
          packet = json.slice(0, rng.int(1, json.length - 1));
          t.add("port.malformed");
          break;
        }
        case "json-wrong-shape":
          packet = rng.pick(['{"meter":"fz-a"}', '{"meter":"fz-a","watts":1}', "[]", "[1]", '{"fz-a":{"x":1}}', "{}", '{"meter":5,"importKWh":1}']);
          t.add("port.malformed");
          break;
        case "unknown-name":
          packet = `zz-${rng.text(rng.int(1, 10), "abcdefghij")}:${rng.int(0, 99999)}`;
          t.add("port.unrouted");
          break;
        case "not-a-number":
          packet = `fz-b:x${rng.text(rng.int(0, 20), NOT_NUMBER)}`;
          t.add("b.not-a-number");
          break;
        case "negative":
          packet = `fz-b:-${rng.int(1, 100000) / 100}`;
          t.add("b.negative");
          break;
        case "backwards":
          packet = `fz-a=${(last.a - rng.int(1, 1000) / 100).toFixed(3)}`;
          t.add("a.backwards");
          break;
        case "jump":
          packet = `fz-b:${(last.b + 1e6 + rng.int(0, 1e6)).toFixed(1)}`;
          t.add("b.jump");
          break;
        case "too-large":
          packet = Buffer.alloc(rng.int(8193, 20000), 0x41);
          t.add("port.too-large");
          break;
        case "stranger":
          packet = rng.pick([`fz-a:${last.a + 1}`, "garbage", rng.bytes(rng.int(1, 100))]);
          from = stranger;
          t.add("port.not-allowed");
          break;
      }
      await from.send(packet, port);
      sent++;
      if (sent % 50 === 0) await waitFor(() => hub.stats.packets === sent, `packet ${sent} processed (loopback pacing)`);
    }
    await waitFor(() => hub.stats.packets === sent, "all packets processed");
    await ok.close();
    await stranger.close();

    const a = helper.getNode("a") as MeterNode;
    const b = helper.getNode("b") as MeterNode;
    const rejectedSum = (r: Partial<Record<RejectReason, number>>): number => Object.values(r).reduce((x, y) => x + (y ?? 0), 0);
    const msg = `seed ${SEED}: port ${JSON.stringify(hub.stats)} a ${JSON.stringify(a.stats)} b ${JSON.stringify(b.stats)} expected ${JSON.stringify([...t.n])}`;
    assert.equal(hub.stats.dropped.malformed, t.get("port.malformed"), msg);
    assert.equal(hub.stats.dropped["too-large"], t.get("port.too-large"), msg);
    assert.equal(hub.stats.dropped["not-allowed"], t.get("port.not-allowed"), msg);
    assert.equal(hub.stats.values.unrouted, t.get("port.unrouted"), msg);
    assert.equal(hub.stats.internalErrors, 0, msg);
    assert.deepEqual(a.stats.rejected, t.get("a.backwards") ? { backwards: t.get("a.backwards") } : {}, msg);
    assert.equal(a.stats.accepted, t.get("a.accepted"), msg);
    assert.deepEqual(b.stats.rejected, { "not-a-number": t.get("b.not-a-number"), negative: t.get("b.negative"), jump: t.get("b.jump") }, msg);
    assert.equal(b.stats.accepted, t.get("b.accepted"), msg);
    // Everything invalid that was sent is rejected somewhere, exactly once.
    const invalidSent = [...t.n].filter(([k]) => !k.endsWith(".accepted")).reduce((x, [, v]) => x + v, 0);
    const droppedAtPort = hub.stats.dropped.malformed + hub.stats.dropped["too-large"] + hub.stats.dropped["not-allowed"] + hub.stats.values.unrouted;
    assert.equal(droppedAtPort + rejectedSum(a.stats.rejected) + rejectedSum(b.stats.rejected), invalidSent, msg);
    assert.equal(a.stats.received, a.stats.accepted + rejectedSum(a.stats.rejected));

    // Node-RED and the socket still work.
    const outB = collect<ReadingMsg>(helper.getNode("out-b"));
    const after = await UdpSender.open();
    await after.send(`fz-b:${(last.b + 0.5).toFixed(3)}`, port);
    await after.close();
    await waitFor(() => outB.length === 1, "a reading after the fuzz");
    assert.equal(outB[0]!.payload.importKWh, Number((last.b + 0.5).toFixed(3)));
  });

  it("1000 random HTTP push bodies: right status for each, counters add up", async function () {
    this.timeout(60_000);
    await helper.load(
      ZEV_NODES,
      onTab([
        { id: "p", type: "zev-meter-in", meterId: "fz-push", role: "unit", source: "http-push", wires: [["out"]] },
        { id: "out", type: "helper" },
      ]),
      { p: { token: "tok" } },
    );
    const http = await serveHttpNode();
    try {
      const rng = new Rng(SEED + 1);
      const t = new Tally();
      const statuses = new Tally();
      let value = 100;
      const out = collect<ReadingMsg>(helper.getNode("out"));
      const kinds = ["valid", "no-token", "garbage", "truncated", "wrong-shape", "not-a-number", "negative"] as const;
      for (let i = 0; i < 1000; i++) {
        const kind = rng.pick(kinds);
        let body: string | Buffer;
        let token: string | undefined = "tok";
        let expect: number;
        switch (kind) {
          case "valid":
            body = JSON.stringify(
              rng.next() < 0.5 ? { importKWh: (value += 0.25) } : [{ importKWh: (value += 0.25) }, { importKWh: (value += 0.25), powerW: rng.int(0, 9000) }],
            );
            t.add("accepted", (body.match(/importKWh|powerW/g) ?? []).length);
            expect = 200;
            break;
          case "no-token":
            body = JSON.stringify({ importKWh: value + 1 });
            token = rng.pick([undefined, "wrong", "tok2", ""]);
            t.add("unauthorized");
            expect = 401;
            break;
          case "garbage":
            body = Buffer.concat([Buffer.from("<"), rng.bytes(rng.int(0, 300))]);
            t.add("malformed");
            expect = 400;
            break;
          case "truncated": {
            const json = JSON.stringify({ importKWh: value + 1, powerW: 5 });
            body = json.slice(0, rng.int(1, json.length - 1));
            t.add("malformed");
            expect = 400;
            break;
          }
          case "wrong-shape":
            body = rng.pick(['{"foo":1}', "null", "true", "[]", '[{"importKWh":1},7]', '{"importKWh":1,"importkwh":2}', "{}"]);
            t.add("malformed");
            expect = 400;
            break;
          case "not-a-number":
            body = JSON.stringify(rng.pick([{ importKWh: "abc" }, { importKWh: null }, { importKWh: [1] }, { importKWh: {} }, "twelve"]));
            t.add("not-a-number");
            expect = 422;
            break;
          case "negative":
            body = JSON.stringify({ importKWh: -rng.int(1, 1000) });
            t.add("negative");
            expect = 422;
            break;
        }
        const res: Response = await fetch(`${http.url}/zev/meter/fz-push`, {
          method: "POST",
          headers: token === undefined ? {} : { Authorization: `Bearer ${token}` },
          body: typeof body === "string" ? body : new Uint8Array(body),
        });
        await res.arrayBuffer();
        assert.equal(res.status, expect, `seed ${SEED + 1} item ${i} ${kind}: ${String(body).slice(0, 80)}`);
        statuses.add(String(res.status));
      }
      const node = helper.getNode("p") as MeterNode;
      const expected: Partial<Record<RejectReason, number>> = {};
      for (const r of ["unauthorized", "malformed", "not-a-number", "negative"] as const) if (t.get(r)) expected[r] = t.get(r);
      assert.deepEqual(node.stats.rejected, expected);
      assert.equal(node.stats.accepted, t.get("accepted"));
      assert.ok(out.length > 0);
    } finally {
      await http.close();
    }
  });

  it("300 garbage Miniserver answers: each counted, polling goes on and recovers", async function () {
    this.timeout(30_000);
    const ms = await FakeMiniserver.start();
    try {
      const rng = new Rng(SEED + 2);
      const t = new Tally();
      for (let i = 0; i < 300; i++) {
        const kind = rng.pick(["bytes", "truncated", "no-ll", "bad-code", "nan-value", "ll-500", "http-503"] as const);
        let answer: Answer;
        switch (kind) {
          case "bytes":
            answer = { body: Buffer.concat([Buffer.from("<"), rng.bytes(rng.int(0, 200))]).toString("latin1") };
            t.add("rejected.malformed");
            break;
          case "truncated": {
            const json = '{"LL":{"control":"dev/sps/io/x/state","value":"5","Code":"200"}}';
            answer = { body: json.slice(0, rng.int(1, json.length - 1)) };
            t.add("rejected.malformed");
            break;
          }
          case "no-ll":
            answer = { body: rng.pick(['{"ll":{}}', "[]", "null", '{"LL":"x"}', "42"]) };
            t.add("rejected.malformed");
            break;
          case "bad-code":
            answer = { body: JSON.stringify({ LL: { value: "5", Code: rng.pick(["abc", "", null, true]) } }) };
            t.add("rejected.malformed");
            break;
          case "nan-value":
            answer = { body: JSON.stringify({ LL: { value: rng.pick(["abc", "", "1,5", "NaN", "12 k W"]), Code: "200" } }) };
            t.add("rejected.not-a-number");
            break;
          case "ll-500":
            answer = { body: JSON.stringify({ LL: { value: "", code: 500 } }) };
            t.add("errors.ll-code");
            break;
          case "http-503":
            answer = { status: 503, body: "" };
            t.add("errors.http");
            break;
        }
        ms.queue.push(answer);
      }
      ms.states.set("fz", "77.5");
      await helper.load(
        ZEV_NODES,
        onTab([
          { id: "ms", type: "zev-loxone-miniserver", host: "127.0.0.1", port: String(ms.port), timeout: "500" },
          { id: "m", type: "zev-meter-in", meterId: "fz", role: "unit", source: "loxone-http", miniserver: "ms", lxInterval: "0.001", wires: [["out"]] },
          { id: "out", type: "helper" },
        ]),
        { ms: { user: "admin", password: "secret" } },
      );
      const out = collect<ReadingMsg>(helper.getNode("out"));
      await waitFor(() => out.length >= 1, "a good reading after 300 garbage answers", 20_000);
      const node = helper.getNode("m") as MeterNode;
      const expectedRejected: Partial<Record<RejectReason, number>> = {};
      if (t.get("rejected.malformed")) expectedRejected.malformed = t.get("rejected.malformed");
      if (t.get("rejected.not-a-number")) expectedRejected["not-a-number"] = t.get("rejected.not-a-number");
      assert.deepEqual(node.stats.rejected, expectedRejected);
      assert.deepEqual(node.stats.errors, { "ll-code": t.get("errors.ll-code"), http: t.get("errors.http") });
      assert.equal(out[0]!.payload.importKWh, 77.5);
    } finally {
      await ms.stop();
    }
  });
});
