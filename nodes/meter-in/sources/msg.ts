import type { MeterSourceFactory } from "./source";

/** Readings arrive as messages on the node's input: nothing to start. */
export const msgSource: MeterSourceFactory = () => ({ source: { stop: async () => undefined } });
