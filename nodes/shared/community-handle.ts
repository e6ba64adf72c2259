import type { Node, NodeAPI } from "node-red";
import type { CommunityDefinition } from "../../lib/community/types";
import type { SqliteStore } from "../../lib/store/sqlite-store";

/**
 * What a zev-community config node offers the nodes that use it. `store`
 * and `definition` are absent when the configuration is invalid; `problem`
 * then says why, in the editor's language.
 */
export interface CommunityHandle extends Node {
  communityId: string;
  definition?: CommunityDefinition;
  store?: SqliteStore;
  dbPath?: string;
  problem?: string;
}

export function getCommunity(RED: NodeAPI, configNodeId: string | undefined): CommunityHandle | null {
  if (!configNodeId) return null;
  const node = RED.nodes.getNode(configNodeId) as CommunityHandle | null;
  return node && typeof node.communityId === "string" ? node : null;
}
