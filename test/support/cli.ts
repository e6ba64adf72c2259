import { runCli } from "../../bin/cli";

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

/** Runs the zev command line in-process and keeps what it printed. */
export async function runCliCaptured(args: string[]): Promise<CliResult> {
  let out = "";
  let err = "";
  const code = await runCli(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}
