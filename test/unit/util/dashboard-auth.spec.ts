import assert from "node:assert/strict";
import { basicCredentials, dashboardSocketAuth } from "../../../lib/util/dashboard-auth";

const header = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

function socket(opts: { url?: string; authorization?: string; xdomain?: boolean }) {
  const s = {
    closed: false,
    disconnected: false,
    request: { url: opts.url ?? "/dashboard/socket.io/?EIO=4&transport=polling", headers: opts.authorization ? { authorization: opts.authorization } : {} },
    handshake: { xdomain: opts.xdomain ?? false },
    client: { conn: { close: () => (s.closed = true) } },
    disconnect: () => (s.disconnected = true),
  };
  return s;
}

describe("dashboard socket behind basic auth", () => {
  it("reads Basic credentials (passwords may contain colons) and nothing else", () => {
    assert.deepEqual(basicCredentials(header("admin", "a:b c")), { user: "admin", password: "a:b c" });
    assert.equal(basicCredentials("Bearer abc"), null);
    assert.equal(basicCredentials(undefined), null);
    assert.equal(basicCredentials(`Basic ${Buffer.from("nocolon").toString("base64")}`), null);
  });

  it("lets through the right credentials only, checking each header once", () => {
    let checks = 0;
    const mw = dashboardSocketAuth((u, p) => {
      checks++;
      return u === "admin" && p === "secret";
    });
    const results: (Error | undefined | "none")[] = [];
    const run = (s: ReturnType<typeof socket>): void => {
      let got: Error | undefined | "none" = "none";
      mw(s as never, (err) => (got = err));
      results.push(got);
    };
    run(socket({ authorization: header("admin", "secret") }));
    run(socket({ authorization: header("admin", "secret") }));
    run(socket({ authorization: header("admin", "wrong") }));
    run(socket({}));
    assert.equal(results[0], undefined);
    assert.equal(results[1], undefined);
    assert.match(String(results[2]), /authentication required/);
    assert.match(String(results[3]), /authentication required/);
    assert.equal(checks, 2, "an accepted header is remembered");
  });

  it("keeps Dashboard 2's rules: polling first, no cross-domain sockets", () => {
    const mw = dashboardSocketAuth(() => true);
    const ws = socket({ url: "/dashboard/socket.io/?EIO=4&transport=websocket", authorization: header("a", "b") });
    mw(ws as never, () => assert.fail("a direct websocket must not pass"));
    assert.equal(ws.closed, true);
    const x = socket({ xdomain: true, authorization: header("a", "b") });
    mw(x as never, () => assert.fail("cross-domain must not pass"));
    assert.equal(x.disconnected, true);
    let passed = false;
    dashboardSocketAuth(() => true, { pollingFirst: false })(
      socket({ url: "/ui/socket.io/?EIO=4&transport=websocket", authorization: header("a", "b") }) as never,
      () => (passed = true),
    );
    assert.ok(passed, "Dashboard 1 may open a websocket directly");
  });
});
