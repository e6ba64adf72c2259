import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Store } from "../store/store";
import { parseSdat, SdatError } from "./sdat";
import { latestCommunity } from "../store/community-repo";
import { importLegSplit, legSplitProducts } from "./leg-split";
import { importSdat, type SdatImportReport } from "./sdat-import";

export type SdatFileOutcome =
  | { file: string; status: "imported"; report: SdatImportReport }
  | { file: string; status: "failed"; error: { code: string; params: Record<string, string | number>; message: string } }
  | { file: string; status: "skipped"; note: string };

/** A failure as a person reads it: a code and the English text, never a stack. */
function failure(file: string, e: unknown): SdatFileOutcome {
  if (e instanceof SdatError) return { file, status: "failed", error: { code: e.code, params: e.params, message: e.message } };
  const err = e as NodeJS.ErrnoException;
  if (err?.code === "ENOENT")
    return { file, status: "failed", error: { code: "sdat.fileNotFound", params: { file }, message: `${file}: no such file or folder; check the path` } };
  if (err?.code === "EACCES")
    return {
      file,
      status: "failed",
      error: { code: "sdat.fileUnreadable", params: { file }, message: `${file}: not readable (permission denied); check the file's permissions` },
    };
  return {
    file,
    status: "failed",
    error: {
      code: "sdat.failed",
      params: { file, detail: String(err?.message ?? e) },
      message: `${file}: could not be imported (${String(err?.message ?? e)}); nothing of this file was stored`,
    },
  };
}

/** One SDAT document given as text (a message payload): parsed and merged in one transaction. */
export function importSdatText(store: Store, communityId: string, xml: string, fileName: string, opts: { actor: string; dryRun?: boolean }): SdatImportReport {
  const products = legSplitProducts(latestCommunity(store, communityId)?.definition);
  const doc = parseSdat(xml, fileName, products.size ? { splitProducts: products } : {});
  if (!doc.splitSeries) return importSdat(store, communityId, doc, opts);
  // A LEG's split series (decision 0132) and the file's load profiles: one transaction, all or nothing.
  const both = (): SdatImportReport => {
    const report: SdatImportReport = doc.series.length
      ? importSdat(store, communityId, doc, opts)
      : {
          fileName,
          documentId: doc.documentId,
          version: doc.version,
          createdMs: doc.createdMs,
          dryRun: opts.dryRun ?? false,
          series: [],
          notes: [...doc.notes],
          warnings: [],
        };
    const split = importLegSplit(store, communityId, doc, opts);
    report.notes.push(...split.notes);
    report.legSplit = split.series;
    return report;
  };
  return opts.dryRun ? store.read(both) : store.write(both);
}

/**
 * Imports files and folders (a folder = its .xml files, not recursive,
 * other files skipped with a note; an .xml file in a folder that is not a
 * ValidatedMeteredData document is skipped too). Each file is all or
 * nothing (its own transaction); a failing file does not stop the others.
 */
export function importSdatFiles(store: Store, communityId: string, paths: readonly string[], opts: { actor: string; dryRun?: boolean }): SdatFileOutcome[] {
  const out: SdatFileOutcome[] = [];
  const one = (file: string, inFolder: boolean): void => {
    try {
      const report = importSdatText(store, communityId, readFileSync(file, "utf8"), file, opts);
      out.push({ file, status: "imported", report });
    } catch (e) {
      if (inFolder && e instanceof SdatError && e.code === "sdat.notSdat")
        out.push({ file, status: "skipped", note: "an XML file that is not an SDAT-CH ValidatedMeteredData document" });
      else out.push(failure(file, e));
    }
  };
  for (const p of paths) {
    let isDir: boolean;
    try {
      isDir = statSync(p).isDirectory();
    } catch (e) {
      out.push(failure(p, e));
      continue;
    }
    if (!isDir) {
      one(p, false);
      continue;
    }
    const entries = readdirSync(p, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const d of entries) {
      const full = join(p, d.name);
      if (!d.isFile())
        out.push({ file: full, status: "skipped", note: d.isDirectory() ? "a folder (folders are not read recursively)" : "not a regular file" });
      else if (!/\.xml$/i.test(d.name)) out.push({ file: full, status: "skipped", note: "not an .xml file" });
      else one(full, true);
    }
  }
  return out;
}
