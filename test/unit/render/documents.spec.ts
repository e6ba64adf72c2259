import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { basename, join } from "node:path";
import type { InvoiceSnapshot } from "../../../lib/model/invoice";
import { defaultDocumentsFolder, documentFileName, writeInvoiceDocuments } from "../../../lib/render/documents";
import { useTmpDir } from "../../support/tmp";

/** Only what documentFileName reads. */
const src = (number: string | undefined, unit: string, name: string, cancels = false): { id: number; snapshot: InvoiceSnapshot } => ({
  id: 7,
  snapshot: { number, unit: { id: unit }, recipient: { name }, ...(cancels ? { cancels: { id: 1, number: "2026-0001" } } : {}) } as unknown as InvoiceSnapshot,
});

describe("document files: names and folder", () => {
  const tmp = useTmpDir();

  it("builds file names only from safe characters, whatever the data holds", () => {
    assert.equal(documentFileName(src("2026-0001", "1", "Anna Meier")), "2026-0001_unit-1_Anna_Meier.pdf");
    assert.equal(documentFileName(src("2026-0006", "3", "Giulia Rossi", true)), "2026-0006_credit-note_unit-3_Giulia_Rossi.pdf");
    assert.equal(documentFileName(src(undefined, "2", "Zoë Müller")), "draft-7_unit-2_Zoe_Muller.pdf");
    const hostile = documentFileName(src("../../etc", "../x", "/root/.ssh/id_rsa\\..\\C:"));
    // One plain path component: no separators, no drive, not hidden; dots inside a name are harmless.
    assert.doesNotMatch(hostile, /[/\\:]/);
    assert.equal(basename(hostile), hostile);
    assert.match(hostile, /^[A-Za-z0-9][A-Za-z0-9._-]*\.pdf$/);
    assert.equal(defaultDocumentsFolder("/data/nr", "haus/../am see"), join("/data/nr", "zev", "invoices", "haus_.._am_see"));
  });

  it("one failing document does not keep the others from being written", async () => {
    const bad = { id: 1, snapshot: { number: "2026-0001" } as unknown as InvoiceSnapshot };
    const out = await writeInvoiceDocuments([bad], join(tmp(), "docs"));
    assert.equal(out.length, 1);
    assert.equal(out[0]!.ok, false);
    assert.deepEqual(readdirSync(tmp()), []);
  });
});
