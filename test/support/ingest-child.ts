/*
 * Child process for the kill -9 test: ingests a reading stream into the
 * database named on the command line, flushing every N readings, and after
 * each commit prints the open interval of every meter, i.e. what is closed
 * and acknowledged. Runs until killed (at most 60 s).
 *
 * argv[5], optional: "<table>:<n>" makes the process SIGKILL itself from
 * inside SQLite on the n-th row written to that table (intervals or
 * meter_state): a crash in the middle of a transaction, at a known point.
 */
import { IntervalIngest } from "../../lib/readings/intervals/interval-ingest";
import { SqliteStore } from "../../lib/store/sqlite-store";
import { ReadingStream } from "./reading-stream";

const [path, meters, batch] = [process.argv[2]!, Number(process.argv[3]), Number(process.argv[4])];
// Never outlive the test: stop when the parent stops reading, or after 60 s.
process.stdout.on("error", () => process.exit(2));
const deadline = Date.now() + 60_000;
const store = SqliteStore.open(path);
const crashAt = process.argv[5];
if (crashAt) {
  const [table, nth] = crashAt.split(":");
  let seen = 0;
  store.db.function("zev_test_crash", () => {
    if (++seen === Number(nth)) process.kill(process.pid, "SIGKILL");
    return 0;
  });
  for (const op of ["INSERT", "UPDATE"]) store.db.exec(`CREATE TEMP TRIGGER crash_${op} AFTER ${op} ON ${table} BEGIN SELECT zev_test_crash(); END`);
}
const ingest = new IntervalIngest(store, "test-zev", { actor: "child" });
const stream = new ReadingStream(meters);
let n = 0;
while (Date.now() < deadline) {
  for (const r of stream.next()) {
    ingest.accept(r);
    if (++n % batch === 0) {
      ingest.flush();
      const open = [...ingest.openIntervals()].map(([k, v]) => `${k}=${v.openStartMs}`).join(",");
      process.stdout.write(`committed ${open}\n`);
    }
  }
}
