import { ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";

export const REPO_ROOT = join(__dirname, "..", "..");

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface NodeRedProcess {
  child: ChildProcess;
  port: number;
  log: () => string;
  stop: () => Promise<void>;
}

/**
 * Starts a real Node-RED (this repo's node-red) as a child process on
 * loopback and waits until `readyPattern` shows in its log.
 */
export async function startNodeRedProcess(opts: {
  userDir: string;
  port: number;
  env?: NodeJS.ProcessEnv;
  readyPattern?: RegExp;
  timeoutMs?: number;
}): Promise<NodeRedProcess> {
  const red = require.resolve("node-red/red.js");
  const child = spawn(process.execPath, [red, "--userDir", opts.userDir, "--port", String(opts.port)], {
    cwd: opts.userDir,
    env: { ...process.env, ...opts.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const ready = opts.readyPattern ?? /Started flows/;
  const timeoutMs = opts.timeoutMs ?? 30000;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Node-RED did not start within ${timeoutMs} ms:\n${out}`)), timeoutMs);
    const check = (): void => {
      if (ready.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on("data", check);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`Node-RED exited with ${code} before it was ready:\n${out}`));
    });
  });
  return {
    child,
    port: opts.port,
    log: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 5000).unref();
      }),
  };
}
