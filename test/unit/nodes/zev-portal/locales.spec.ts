import assert from "node:assert/strict";
import { lackingKeys, unionLiterals } from "../../../support/i18n";

const LANGS = ["en-US", "de", "fr", "it"];

describe("zev-portal: the texts whose keys the node builds", () => {
  it("has a text for every code a PortalError can carry", () => {
    // t(`problems.${e.code}`, e.params) with e a PortalError (lib/portal/links.ts PortalErrorCode)
    const codes = unionLiterals("lib/portal/links.ts", "PortalErrorCode");
    assert.ok(codes.includes("no-tenancy") && codes.includes("nothing-to-revoke"), `found ${codes.join()}`);
    const keys = codes.map((c) => `zev-portal.problems.${c}`);
    for (const lang of LANGS) assert.deepEqual(lackingKeys(lang, keys), [], lang);
  });
});
