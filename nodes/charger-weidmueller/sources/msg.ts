import type { ChargerSourceFactory } from "./source";

/** Readings arrive as messages on the node's input: nothing to start. */
export const msgSource: ChargerSourceFactory = () => ({ source: { stop: async () => undefined } });
