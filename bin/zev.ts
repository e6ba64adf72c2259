#!/usr/bin/env node
import { runCli } from "./cli";

/*
 * `zev ... | head` closes the pipe while the command still writes: the
 * next write fails with EPIPE, which Node raises as an unhandled 'error'
 * event (a stack trace and exit 1). A closed reader is not an error of the
 * command: further output is dropped, the command finishes its work (a
 * database transaction is never cut off), long-running commands stop, and
 * the exit code is the command's own.
 */
let signalClosed: () => void = () => undefined;
const outputClosed = new Promise<void>((resolve) => (signalClosed = resolve));
const open = { out: true, err: true };
const onError = (stream: "out" | "err") => (e: NodeJS.ErrnoException) => {
  if (e.code !== "EPIPE" && e.code !== "ERR_STREAM_DESTROYED") throw e;
  open[stream] = false;
  if (stream === "out") signalClosed();
};
process.stdout.on("error", onError("out"));
process.stderr.on("error", onError("err"));

runCli(process.argv.slice(2), {
  out: (t) => {
    if (open.out) process.stdout.write(t);
  },
  err: (t) => {
    if (open.err) process.stderr.write(t);
  },
  outputClosed,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    if (open.err) process.stderr.write(`zev: ${(e as Error).message ?? String(e)}\n`);
    process.exitCode = 1;
  },
);
