// Encoder checks against independent references: the qrcode package (symbol sizes) and
// @point-of-sale/receipt-printer-encoder (command bytes for the same request).
import { strict as assert } from "assert";
import * as QRCode from "qrcode";
import ReceiptPrinterEncoder from "@point-of-sale/receipt-printer-encoder";
import { EscPosEncoder, qrSideModules } from "../../drivers/escpos/encoder";
import { QrEc } from "../../drivers/print-doc";
import { toHex } from "../../sim/hex";

const RPE = ReceiptPrinterEncoder as any;

describe("escpos encoder", () => {
  it("QR size estimate equals the qrcode package's symbol for numeric, alphanumeric and byte data", () => {
    const samples = ["12345678901234567890", "TID00001-000003-000007-000012", "https://example.com/r/42", "x", "A".repeat(60), "9".repeat(150), "hello world, receipt 42"];
    for (const data of samples) {
      for (const [ec, level] of [[QrEc.L, "L"], [QrEc.M, "M"], [QrEc.Q, "Q"], [QrEc.H, "H"]] as const) {
        const size = QRCode.create(data, { errorCorrectionLevel: level, toSJISFunc: undefined }).modules.size;
        if (size > 57) continue; // beyond version 10 the estimate saturates
        assert.equal(qrSideModules(data, ec), size, data + " at " + level);
      }
    }
  });

  it("QR command bytes match receipt-printer-encoder's for the same data, size and level", () => {
    const theirs = toHex(new RPE({ printerModel: "pos-5890" }).qrcode("https://example.com/r/42", { model: 2, size: 6, errorlevel: "m" }).encode());
    const ours = toHex(new EscPosEncoder().qr("https://example.com/r/42", 6, QrEc.M).bytes());
    assert.ok(theirs.includes(ours), "ours " + ours + "\ntheirs " + theirs);
  });

  it("style and cut command bytes match receipt-printer-encoder's", () => {
    const t = toHex(new RPE({ printerModel: "pos-5890", columns: 32 }).bold(true).text("A").bold(false).underline(true).text("B").underline(false)
      .size(2, 2).text("C").size(1, 1).invert(true).text("D").invert(false).encode());
    const e = () => new EscPosEncoder();
    for (const piece of [e().bold(true), e().bold(false), e().underline(1), e().underline(0), e().size(2, 2), e().size(1, 1), e().invert(true), e().invert(false)]) {
      assert.ok(t.includes(toHex(piece.bytes())), toHex(piece.bytes()) + " in " + t);
    }
    assert.ok(toHex(new RPE({ printerModel: "pos-5890" }).cut().encode()).includes(toHex(e().cut().bytes())));
  });

  it("grows its buffer and keeps marks across growth; reset reuses it", () => {
    const e = new EscPosEncoder(4);
    for (let i = 0; i < 200; i++) e.line("line " + i);
    assert.equal(e.markCount(), 200);
    assert.equal(e.dots, 200 * 30);
    assert.equal(e.markOffset(199), e.length);
    e.reset().line("x");
    assert.equal(e.length, 2);
    assert.equal(e.markCount(), 1);
  });
});
