import { writeFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { freePort, type NodeRedProcess, REPO_ROOT, startNodeRedProcess } from "./node-red-process";

/**
 * A real Node-RED with this checkout's nodes (dist/) and the given flow, and
 * headless Chromium on its editor: for tests of what the edit dialogs show.
 */
export interface Editor {
  nr: NodeRedProcess;
  browser: Browser;
  base: string;
  /** A fresh page in `locale` with the editor loaded and the flow's nodes known. */
  open(locale: string): Promise<Page>;
  close(): Promise<void>;
}

export async function startEditor(userDir: string, flow: unknown[], settings: Record<string, unknown> = {}): Promise<Editor> {
  // An empty dir would be the working directory: the checkout itself.
  if (!isAbsolute(userDir)) throw new Error(`startEditor needs an absolute user dir, got ${JSON.stringify(userDir)}`);
  writeFileSync(join(userDir, "flows.json"), JSON.stringify(flow));
  writeFileSync(
    join(userDir, "settings.js"),
    `module.exports = ${JSON.stringify({ uiHost: "127.0.0.1", flowFile: "flows.json", credentialSecret: "test", nodesDir: [REPO_ROOT], logging: { console: { level: "info" } }, editorTheme: { tours: false }, telemetry: { enabled: false, updateNotification: false }, ...settings })};\n`,
  );
  const nr = await startNodeRedProcess({ userDir, port: await freePort() });
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
  const base = `http://127.0.0.1:${nr.port}`;
  return {
    nr,
    browser,
    base,
    open: async (locale) => {
      const ctx = await browser.newContext({ locale, viewport: { width: 1366, height: 900 } });
      const page = await ctx.newPage();
      await page.goto(`${base}/`);
      await page.waitForFunction(
        () => {
          const red = (window as unknown as { RED?: { nodes?: { eachNode?: (cb: () => void) => void; version?: () => string } } }).RED;
          let n = 0;
          red?.nodes?.eachNode?.(() => void n++);
          return n > 0;
        },
        undefined,
        { timeout: 30_000 },
      );
      return page;
    },
    close: async () => {
      await browser.close();
      await nr.stop();
    },
  };
}

/** Opens the edit dialog of node `id` and waits until its template is in the tray. */
export async function editNode(page: Page, id: string): Promise<void> {
  await page.evaluate((nodeId) => {
    const red = (window as unknown as { RED: { editor: { edit(n: unknown): void }; nodes: { node(id: string): unknown } } }).RED;
    red.editor.edit(red.nodes.node(nodeId));
  }, id);
  await page.waitForSelector("#dialog-form", { state: "visible" });
  await page.waitForTimeout(250);
}

/** Closes the open edit dialog without saving. */
export async function cancelEdit(page: Page): Promise<void> {
  await page.click("#node-dialog-cancel");
  await page.waitForSelector("#dialog-form", { state: "detached" });
}
