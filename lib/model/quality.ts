/**
 * How an interval value came about, best first. The domain's shared types live
 * on this floor, under the store, so that every import points down (issue 12).
 */
export type Quality = "measured" | "interpolated" | "estimated" | "missing";
export const QUALITIES: readonly Quality[] = ["measured", "interpolated", "estimated", "missing"];
