import helper from "node-red-node-test-helper";

helper.init(require.resolve("node-red"));

/**
 * Starts and stops node-red-node-test-helper's server around each test, so
 * every test gets a real Node-RED runtime with a clean flow.
 */
export function useNodeRed(): typeof helper {
  beforeEach(async () => {
    await helper.startServer();
  });
  afterEach(async () => {
    await helper.unload();
    await helper.stopServer();
  });
  return helper;
}

export { helper };

type FlowNode = { id: string; type: string; wires?: string[][] } & Record<string, unknown>;

/** A test flow with our nodes' own properties (the helper's types only know NodeDef's). */
export function flow(...nodes: FlowNode[]): Parameters<typeof helper.load>[1] {
  return nodes as unknown as Parameters<typeof helper.load>[1];
}

/** Collects what a node reports through node.error(), as Catch nodes would see it. */
export function collectErrors(node: unknown): string[] {
  const errors: string[] = [];
  (node as import("node:events").EventEmitter).on("call:error", (call: { args: unknown[] }) => errors.push(String(call.args[0])));
  return errors;
}
