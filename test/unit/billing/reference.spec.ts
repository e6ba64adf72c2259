import assert from "node:assert/strict";
import { creditorReference, isValidCreditorReference, isValidQrReference, mod10Recursive, paymentReference, qrReference } from "../../../lib/billing/reference";

describe("payment references", () => {
  it("computes the modulo-10 recursive check digit of the SIX example", () => {
    // SIX QR-bill example reference 21 00000 00003 13947 14300 09017
    assert.equal(mod10Recursive("21000000000313947143000901"), 7);
    assert.ok(isValidQrReference("210000000003139471430009017"));
    assert.ok(!isValidQrReference("210000000003139471430009018"));
  });

  it("derives a valid 27-digit QRR from community and invoice number, distinct per invoice", () => {
    const a = qrReference("sonnenhof", "2026-0001");
    const b = qrReference("sonnenhof", "2026-0002");
    assert.match(a, /^\d{27}$/);
    assert.ok(isValidQrReference(a) && isValidQrReference(b));
    assert.notEqual(a, b);
    assert.equal(qrReference("sonnenhof", "2026-0001"), a);
    assert.ok(a.endsWith("2026" + "0001".padStart(16, "0") + a[26]));
  });

  it("computes ISO 11649 creditor references (the standard's example RF18539007547034)", () => {
    assert.equal(creditorReference("539007547034"), "RF18539007547034");
    assert.ok(isValidCreditorReference("RF18 5390 0754 7034"));
    assert.ok(!isValidCreditorReference("RF19539007547034"));
  });

  it("uses QRR with a QR-IBAN and SCOR with a normal IBAN", () => {
    assert.equal(paymentReference("CH44 3199 9123 0008 8901 2", "x", "2026-0007").type, "QRR");
    const scor = paymentReference("CH93 0076 2011 6238 5295 7", "x", "2026-0007");
    assert.equal(scor.type, "SCOR");
    assert.ok(isValidCreditorReference(scor.reference));
  });
});
