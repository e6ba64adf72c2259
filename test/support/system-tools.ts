import { spawnSync } from "node:child_process";

/** True when `bin` is on the PATH. */
export function hasTool(bin: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${bin}`], { stdio: "ignore" }).status === 0;
}

/**
 * For suites that need a system tool: skips them loudly when it is missing,
 * or fails when ZEV_REQUIRE_TOOLS=1 (CI), so that CI never skips.
 * Call inside a describe() block.
 */
export function requireTools(...bins: string[]): void {
  before(function () {
    const missing = bins.filter((b) => !hasTool(b));
    if (!missing.length) return;
    const msg = `missing system tool(s): ${missing.join(", ")} (run npm test as root to install them, or apt-get install them)`;
    if (process.env.ZEV_REQUIRE_TOOLS === "1") throw new Error(msg);
    console.warn(`\n  SKIPPED ${this.test?.parent?.title ?? "suite"}: ${msg}\n`);
    this.skip();
  });
}
