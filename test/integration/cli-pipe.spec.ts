import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { appendFileSync, cpSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { EXAMPLE_COMMUNITY_FILE } from "../support/community-fixture";
import { freePort, REPO_ROOT } from "../support/node-red-process";
import { useTmpDir } from "../support/tmp";

/*
 * The built CLI with its output piped into a real `head -1`: head closes the
 * pipe after one line, the CLI's next write fails with EPIPE. The CLI must
 * exit with its own code and no stack trace, not with Node's unhandled
 * 'error' event.
 */
describe("zev command line on a closed pipe (| head -1)", function () {
  this.timeout(60_000);
  const tmp = useTmpDir("zev-pipe-");
  const zev = join(REPO_ROOT, "dist", "bin", "zev.js");
  before(() => {
    if (!existsSync(zev)) spawnSync("npm", ["run", "build"], { cwd: REPO_ROOT, stdio: "ignore" });
  });

  /** Runs `node zev.js args | head -1` in bash; returns the CLI's exit code and stderr, and what head printed. */
  function piped(args: string[], timeoutMs = 30_000): { code: number; err: string; head: string } {
    const quoted = args.map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ");
    const errFile = join(tmp(), "stderr.txt");
    const r = spawnSync(
      "bash",
      ["-c", `'${process.execPath}' '${zev}' ${quoted} 2>'${errFile}' | head -1; echo "rc=\${PIPESTATUS[0]}"; cat '${errFile}' >&2`],
      { encoding: "utf8", timeout: timeoutMs },
    );
    assert.equal(r.error, undefined, "bash ran and the CLI ended in time");
    const m = /rc=(\d+)\s*$/.exec(r.stdout);
    assert.ok(m, r.stdout);
    return { code: Number(m[1]), err: r.stderr, head: r.stdout.slice(0, m.index) };
  }

  it("community show with an output far larger than the pipe buffer exits 0 without a stack trace", () => {
    const dir = join(tmp(), "community");
    cpSync(join(EXAMPLE_COMMUNITY_FILE, ".."), dir, { recursive: true });
    appendFileSync(join(dir, "units.csv"), Array.from({ length: 3000 }, (_, i) => `A;${i + 4};Wohnung ${i + 4} mit einem langen Namen;80\n`).join(""));
    const db = join(tmp(), "site.sqlite");
    const imp = spawnSync(process.execPath, [zev, "community", "import", join(dir, "sonnenhof.json"), "--db", db], { encoding: "utf8" });
    assert.equal(imp.status, 0, imp.stderr);
    const full = spawnSync(process.execPath, [zev, "community", "show", "--db", db, "--community", "sonnenhof"], { encoding: "utf8", maxBuffer: 1e8 });
    assert.ok(full.stdout.length > 256 * 1024, "the output does not fit a pipe buffer");
    const r = piped(["community", "show", "--db", db, "--community", "sonnenhof"]);
    assert.equal(r.head, "{\n");
    assert.doesNotMatch(r.err, /EPIPE|Unhandled|at \w+ \(/, r.err);
    assert.equal(r.err, "");
    assert.equal(r.code, 0);
  });

  it("simulate: output to a reader that went away (| head -1) is dropped, Ctrl+C still stops it cleanly with exit 0", async () => {
    const [modbus, udp] = [await freePort(), await freePort()];
    const dir = tmp();
    const f = (n: string): string => join(dir, n);
    // The pipeline as a shell runs it; the CLI's pid and exit code are written to files so that the test can send it Ctrl+C.
    const script = `( '${process.execPath}' '${zev}' simulate --modbus-port ${modbus} --udp-port ${udp} --no-faults --state '${f("state.json")}' 2>'${f("err")}' & echo $! >'${f("pid")}'; wait $!; echo $? >'${f("rc")}' ) | head -1 >'${f("head")}'`;
    const sh = spawn("bash", ["-c", script], { stdio: "ignore" });
    const until = async (cond: () => boolean, what: string, ms = 20_000): Promise<void> => {
      const end = Date.now() + ms;
      while (!cond()) {
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    const text = (n: string): string => (existsSync(f(n)) ? readFileSync(f(n), "utf8") : "");
    try {
      await until(() => /\n/.test(text("head")) && text("pid").trim() !== "", "the first line");
      await new Promise((r) => setTimeout(r, 500)); // head has exited: the pipe has no reader now
      // Its startup lines may already have met the closed pipe and stopped it; else Ctrl+C does, and its last line meets the closed pipe.
      if (text("rc").trim() === "") {
        try {
          process.kill(Number(text("pid").trim()), "SIGINT");
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== "ESRCH") throw e;
        }
      }
      await until(() => text("rc").trim() !== "", "the CLI to exit");
    } finally {
      // Never leave the simulator running when the test fails.
      const pid = Number(text("pid").trim());
      if (pid > 0 && text("rc").trim() === "") {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          /* gone already */
        }
      }
      if (sh.exitCode === null) sh.kill();
    }
    assert.match(text("head"), /^simulator: Modbus TCP on 127\.0\.0\.1:/);
    assert.doesNotMatch(text("err"), /EPIPE|Unhandled|at \w+ \(/, text("err"));
    assert.equal(text("rc").trim(), "0");
  });
});
