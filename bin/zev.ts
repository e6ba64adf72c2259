#!/usr/bin/env node
import { runCli } from "./cli";

runCli(process.argv.slice(2), {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`zev: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 1;
  },
);
