// pretest: the system tools some test suites need. Installs what is missing
// when it can (root + apt-get); otherwise says loudly which suites will be
// skipped. With ZEV_REQUIRE_TOOLS=1 (set by .ci/run) a missing tool fails
// the run instead: CI never skips.
import { execFileSync, spawnSync } from "node:child_process";

const TOOLS = [
  { bin: "chromium", pkg: "chromium", suites: "dashboard end-to-end tests (headless Chromium)" },
  { bin: "pdftotext", pkg: "poppler-utils", suites: "invoice PDF read-back tests" },
  { bin: "pdftoppm", pkg: "poppler-utils", suites: "QR-bill rendering tests" },
  { bin: "zbarimg", pkg: "zbar-tools", suites: "QR-bill decoding tests" },
];

const has = (bin) => spawnSync("sh", ["-c", `command -v ${bin}`], { stdio: "ignore" }).status === 0;
let missing = TOOLS.filter((t) => !has(t.bin));

if (missing.length && typeof process.getuid === "function" && process.getuid() === 0 && has("apt-get") && process.env.ZEV_NO_INSTALL !== "1") {
  const pkgs = [...new Set(missing.map((t) => t.pkg))];
  console.log(`pretest: installing ${pkgs.join(", ")} with apt-get ...`);
  const install = () =>
    spawnSync("apt-get", ["install", "-y", "--no-install-recommends", ...pkgs], {
      stdio: "inherit",
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    }).status === 0;
  if (!install()) {
    spawnSync("apt-get", ["update"], { stdio: "inherit" });
    install();
  }
  missing = TOOLS.filter((t) => !has(t.bin));
}

if (missing.length) {
  const lines = missing.map((t) => `  - ${t.bin} (Debian package ${t.pkg}): ${t.suites} will be SKIPPED`);
  const banner = "!".repeat(78);
  console.error(
    `\n${banner}\npretest: missing system tools\n${lines.join("\n")}\ninstall them with: sudo apt-get install -y --no-install-recommends ${[...new Set(missing.map((t) => t.pkg))].join(" ")}\n${banner}\n`,
  );
  if (process.env.ZEV_REQUIRE_TOOLS === "1") {
    console.error("pretest: ZEV_REQUIRE_TOOLS=1, so a missing tool is a failure");
    process.exit(1);
  }
} else {
  const versions = [];
  try {
    versions.push(execFileSync("chromium", ["--version"], { encoding: "utf8" }).trim());
  } catch {
    /* version is informative only */
  }
  console.log(`pretest: system tools present (${TOOLS.map((t) => t.bin).join(", ")})${versions.length ? `; ${versions.join("; ")}` : ""}`);
}
