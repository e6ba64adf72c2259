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
