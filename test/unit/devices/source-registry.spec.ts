import assert from "node:assert/strict";
import { SourceRegistry, type SourceFactory } from "../../../lib/devices/source-registry";

type Ctx = { calls: string[] };
type Running = { name: string };

const named =
  (name: string): SourceFactory<Ctx, Running> =>
  (ctx) => {
    ctx.calls.push(name);
    return { source: { name } };
  };

describe("lib/devices/source-registry", () => {
  const registry = new SourceRegistry<Ctx, Running>({
    "loxone-udp": named("udp"),
    modbus: named("modbus"),
    msg: () => ({ problem: { code: "noToken", params: {} } }),
  });

  it("starts the implementation registered under the type, with the context it is given", () => {
    const ctx: Ctx = { calls: [] };
    assert.deepEqual(registry.start("modbus", ctx), { source: { name: "modbus" } });
    assert.deepEqual(ctx.calls, ["modbus"]);
  });

  it("hands an implementation's own problem back unchanged", () => {
    assert.deepEqual(registry.start("msg", { calls: [] }), { problem: { code: "noToken", params: {} } });
  });

  it("lists the type names in registration order", () => {
    assert.deepEqual(registry.types, ["loxone-udp", "modbus", "msg"]);
  });

  it("an unknown type is the problem source naming it, and starts nothing", () => {
    const ctx: Ctx = { calls: [] };
    for (const type of ["telnet", "", "MODBUS", " modbus"])
      assert.deepEqual(registry.start(type, ctx), { problem: { code: "source", params: { source: type } } });
    assert.deepEqual(ctx.calls, []);
  });

  it("a stored type that names a member of every object (constructor, __proto__, toString) is unknown, not a call into Object", () => {
    for (const type of ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf"])
      assert.deepEqual(registry.start(type, { calls: [] }), { problem: { code: "source", params: { source: type } } }, type);
  });

  it("a type that is no string (a flow edited by hand) is unknown, named as it reads", () => {
    assert.deepEqual(registry.start(undefined, { calls: [] }), { problem: { code: "source", params: { source: "undefined" } } });
    assert.deepEqual(registry.start(7, { calls: [] }), { problem: { code: "source", params: { source: "7" } } });
    assert.deepEqual(registry.start(null, { calls: [] }), { problem: { code: "source", params: { source: "null" } } });
  });
});
