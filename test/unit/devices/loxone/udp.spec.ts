import assert from "node:assert/strict";
import { UdpHub, parseAllowList } from "../../../../lib/devices/loxone/udp-hub";
import { parseUdpPacket, type UdpParseResult } from "../../../../lib/devices/loxone/udp-parse";
import { UdpRouter, type UdpSubscription } from "../../../../lib/devices/loxone/udp-router";
import type { Arrival } from "../../../../lib/readings/meter-input/meter-ingest";
import { UdpSender, waitFor } from "../../../support/net";

const parse = (s: string | Buffer): UdpParseResult => parseUdpPacket(Buffer.isBuffer(s) ? s : Buffer.from(s, "utf8"));
const items = (s: string): unknown => {
  const r = parse(s);
  assert.ok(r.ok, JSON.stringify(r));
  return r.items;
};

describe("lib/devices/loxone UDP packet formats", () => {
  it("reads name:value and name=value, with spaces, line endings and NUL terminators", () => {
    assert.deepEqual(items("unit-3:1234.567"), [{ kind: "pair", name: "unit-3", raw: "1234.567" }]);
    assert.deepEqual(items("unit-3=1234.567\r\n"), [{ kind: "pair", name: "unit-3", raw: "1234.567" }]);
    assert.deepEqual(items("Wohnung 3 : 12.5 kWh\u0000"), [{ kind: "pair", name: "Wohnung 3", raw: "12.5 kWh" }]);
  });

  it("reads several pairs per packet separated by ; & or line breaks", () => {
    assert.deepEqual(items("unit-3:1.5;unit-3-p:800&grid=7\nbattery:2"), [
      { kind: "pair", name: "unit-3", raw: "1.5" },
      { kind: "pair", name: "unit-3-p", raw: "800" },
      { kind: "pair", name: "grid", raw: "7" },
      { kind: "pair", name: "battery", raw: "2" },
    ]);
  });

  it("takes the last ':' as the separator, so meter ids may contain ':'", () => {
    assert.deepEqual(items("haus:a:1"), [{ kind: "pair", name: "haus:a", raw: "1" }]);
  });

  it("reads JSON with a meter and named fields, JSON maps of name to value, and arrays of both", () => {
    assert.deepEqual(items('{"meter":"unit-3","importKWh":1234.5,"powerW":"800"}'), [
      {
        kind: "meter",
        name: "unit-3",
        values: [
          { field: "importKWh", raw: 1234.5 },
          { field: "powerW", raw: "800" },
        ],
        ts: undefined,
        serial: undefined,
      },
    ]);
    assert.deepEqual(items('{"unit-3":1.5,"unit-3-p":800}'), [
      { kind: "pair", name: "unit-3", raw: 1.5 },
      { kind: "pair", name: "unit-3-p", raw: 800 },
    ]);
    const arr = items('[{"meter":"a","export":1},{"b":2}]') as unknown[];
    assert.equal(arr.length, 2);
  });

  it("passes a non-numeric value on (the meter rejects it by name) but refuses packets of the wrong shape", () => {
    assert.deepEqual(items("unit-3:abc"), [{ kind: "pair", name: "unit-3", raw: "abc" }]);
    const cases: [string | Buffer, RegExp][] = [
      ["", /empty packet/],
      ["hello", /no ':' or '='/],
      [":12", /empty name/],
      ["a:1;b", /"b" has no ':'/],
      ['{"meter":"a"', /invalid JSON/],
      ['{"meter":"a","imprt":1}', /unknown field "imprt"/],
      ['{"meter":"a"}', /no importKWh/],
      ['{"meter":1,"importKWh":1}', /"meter" must be text/],
      ['{"a":{"b":1}}', /must be a number or text/],
      ["[1,2]", /object or an array of objects/],
      ["[]", /empty JSON array/],
      ["{}", /empty JSON object/],
      ["a\u0001:1", /control characters/],
      [Buffer.from([0x61, 0x3a, 0xff, 0xfe]), /not UTF-8/],
      [`${"x".repeat(65)}:1`, /longer than 64/],
      [Array.from({ length: 101 }, (_, i) => `m${i}:1`).join(";"), /more than 100 values/],
    ];
    for (const [packet, detail] of cases) {
      const r = parse(packet);
      assert.ok(!r.ok && r.reason === "malformed", `${JSON.stringify(String(packet))} -> ${JSON.stringify(r)}`);
      assert.match(r.detail, detail);
    }
    const big = parseUdpPacket(Buffer.alloc(9000, 0x61));
    assert.ok(!big.ok && big.reason === "too-large");
  });
});

describe("lib/devices/loxone UDP routing", () => {
  const sub = (jsonName: string, keys: UdpSubscription["keys"], got: Arrival[]): UdpSubscription => ({ jsonName, keys, deliver: (a) => got.push(a) });

  it("routes text names to the field configured for them and JSON meter objects by name", () => {
    const router = new UdpRouter();
    const a: Arrival[] = [];
    const b: Arrival[] = [];
    router.add(sub("unit-3", { importKWh: "unit-3", powerW: "unit-3-p" }, a));
    router.add(sub("grid", { importKWh: "grid-in", exportKWh: "grid-out" }, b));
    const r = router.route([
      { kind: "pair", name: "unit-3", raw: "1" },
      { kind: "pair", name: "unit-3-p", raw: "2" },
      { kind: "pair", name: "grid-out", raw: "3" },
      { kind: "pair", name: "nobody", raw: "4" },
      { kind: "meter", name: "grid", values: [{ field: "importKWh", raw: 5 }] },
    ]);
    assert.equal(r.unrouted, 1);
    assert.deepEqual(r.unroutedNames, ["nobody"]);
    const bySub = r.deliveries.map((d) => [d.sub.jsonName, d.arrival.values]);
    assert.deepEqual(bySub, [
      ["grid", [{ field: "importKWh", raw: 5 }]],
      [
        "unit-3",
        [
          { field: "importKWh", raw: "1" },
          { field: "powerW", raw: "2" },
        ],
      ],
      ["grid", [{ field: "exportKWh", raw: "3" }]],
    ]);
  });
});

describe("lib/devices/loxone UdpHub (real socket on 127.0.0.1)", () => {
  let hub: UdpHub | undefined;
  let sender: UdpSender | undefined;
  afterEach(async () => {
    await hub?.close();
    await sender?.close();
    hub = undefined;
    sender = undefined;
  });

  it("opens the socket with the first meter, delivers packets with their origin, closes with the last", async () => {
    hub = new UdpHub({ bind: "127.0.0.1", port: 0 });
    const got: Arrival[] = [];
    const s1: UdpSubscription = { jsonName: "m1", keys: { importKWh: "m1" }, deliver: (a) => got.push(a) };
    const s2: UdpSubscription = { jsonName: "m2", keys: { importKWh: "m2" }, deliver: () => undefined };
    assert.equal(hub.listening, false);
    const port = await hub.subscribe(s1);
    assert.equal(await hub.subscribe(s2), port, "one socket for all meters");
    sender = await UdpSender.open();
    await sender.send("m1:42.5", port);
    await waitFor(() => got.length === 1, "delivery");
    assert.match(got[0]!.origin, /^udp 127\.0\.0\.1:\d+$/);
    assert.equal(got[0]!.excerpt, "m1:42.5");
    await hub.unsubscribe(s1);
    assert.equal(hub.listening, true);
    await hub.unsubscribe(s2);
    assert.equal(hub.listening, false);
  });

  it("drops and counts packets from addresses outside the allowlist", async () => {
    hub = new UdpHub({ bind: "127.0.0.1", port: 0, allow: ["127.0.0.1", "10.0.0.0/8"] });
    const got: Arrival[] = [];
    const port = await hub.subscribe({ jsonName: "m", keys: { importKWh: "m" }, deliver: (a) => got.push(a) });
    const problems: string[] = [];
    hub.on("problem", (p) => problems.push(`${p.reason} ${p.detail}`));
    sender = await UdpSender.open("127.0.0.2");
    const ok = await UdpSender.open("127.0.0.1");
    try {
      await sender.send("m:1", port);
      await ok.send("m:2", port);
      await waitFor(() => hub!.stats.packets === 2, "two packets");
    } finally {
      await ok.close();
    }
    assert.equal(got.length, 1);
    assert.equal(got[0]!.values[0]!.raw, "2");
    assert.equal(hub.stats.dropped["not-allowed"], 1);
    assert.deepEqual(problems, ["not-allowed 127.0.0.2 is not in the allowlist"]);
  });

  it("reports a port already in use instead of throwing", async () => {
    hub = new UdpHub({ bind: "127.0.0.1", port: 0 });
    const port = await hub.subscribe({ jsonName: "m", keys: {}, deliver: () => undefined });
    const second = new UdpHub({ bind: "127.0.0.1", port });
    await assert.rejects(second.subscribe({ jsonName: "m", keys: {}, deliver: () => undefined }), /EADDRINUSE/);
    assert.match(second.error ?? "", /EADDRINUSE/);
    await second.close();
  });

  it("a subscriber that throws is counted and does not stop the socket", async () => {
    hub = new UdpHub({ bind: "127.0.0.1", port: 0 });
    let calls = 0;
    const port = await hub.subscribe({
      jsonName: "m",
      keys: { importKWh: "m" },
      deliver: () => {
        calls++;
        throw new Error("boom");
      },
    });
    sender = await UdpSender.open();
    await sender.send("m:1", port);
    await sender.send("m:2", port);
    await waitFor(() => calls === 2, "both packets");
    assert.equal(hub.stats.internalErrors, 2);
  });

  it("parses allowlists of addresses and CIDR ranges and names invalid entries", () => {
    const a = parseAllowList("192.168.1.10, 10.0.0.0/8 ;fe80::/10 bogus 1.2.3.4/33");
    assert.deepEqual(a.entries, ["192.168.1.10", "10.0.0.0/8", "fe80::/10"]);
    assert.deepEqual(a.invalid, ["bogus", "1.2.3.4/33"]);
    assert.ok(a.list.check("10.1.2.3", "ipv4"));
    assert.ok(!a.list.check("192.168.1.11", "ipv4"));
  });
});
