// Layouts write to the printer-neutral PrintDoc (drivers/print-doc.ts), not to ESC/POS: a
// document of another kind (here plain text, as a printer with another command set would take
// it) gets the same receipt, report and settlement, line for line, as the ESC/POS encoder does
// once the virtual printer has printed its bytes.
import { strict as assert } from "assert";
import { Align, Hri, PrintDoc, QrEc } from "../../drivers/print-doc";
import { EscPosEncoder } from "../../drivers/escpos/encoder";
import { EscPosInterpreter } from "../../sim/escpos/interpreter";
import { renderText } from "../../sim/escpos/text";
import { renderReceipt, Copy } from "../../firmware/receipt/receipt";
import { renderBatchReport, renderSettlement } from "../../firmware/receipt/reports";
import { MERCHANT, SALE, REFUND, X_REPORT, SETTLEMENT, SETTLED_AT } from "../fixtures/receipts/samples";

/** a text-only document: aligned lines (magnified text takes its width), codes as placeholders */
class TextDoc implements PrintDoc {
  lines: string[] = [];
  private al = Align.Left;
  private wide = 1;
  constructor(public columns: number) {}
  init(): PrintDoc { this.al = Align.Left; this.wide = 1; return this; }
  align(a: Align): PrintDoc { this.al = a; return this; }
  bold(_on: boolean): PrintDoc { return this; }
  size(width: number, _height: number): PrintDoc { this.wide = width; return this; }
  line(s: string): PrintDoc {
    const t = s;
    const room = this.columns - t.length * this.wide;
    const pad = this.al === Align.Center ? Math.floor(room / 2) : this.al === Align.Right ? room : 0;
    this.lines.push(" ".repeat(Math.max(0, pad)) + t);
    return this;
  }
  newline(): PrintDoc { this.lines.push(""); return this; }
  feed(n: number): PrintDoc { for (let i = 0; i < n; i++) this.lines.push(""); return this; }
  cut(): PrintDoc { return this; }
  barcode128(data: string, _h: number, _w: number, _hri: Hri): PrintDoc { this.lines.push(`[CODE128 ${data}]`); return this; }
  qr(data: string, _m: number, _ec: QrEc): PrintDoc { this.lines.push(`[QR ${data}]`); return this; }
}

/** the words of each printed line, pictures (codes) and blank lines left out */
function words(text: string): string[] {
  return text.split("\n").map((l) => l.trim().replace(/\s+/g, " ")).filter((l) => l && !l.startsWith("["));
}

function escpos(fn: (d: PrintDoc) => void, columns: number): string[] {
  const e = new EscPosEncoder();
  e.columns = columns;
  fn(e);
  const it = new EscPosInterpreter({ width: columns === 48 ? 576 : 384 });
  it.run(e.bytes());
  return words(renderText(it.paper));
}

function plain(fn: (d: PrintDoc) => void, columns: number): string[] {
  const d = new TextDoc(columns);
  fn(d);
  return words(d.lines.join("\n"));
}

describe("printer-neutral document (drivers/print-doc.ts)", () => {
  const layouts: [string, (d: PrintDoc) => void][] = [
    ["sale receipt", (d) => renderReceipt(d, MERCHANT, SALE, Copy.Customer, false)],
    ["refund receipt, reprint", (d) => renderReceipt(d, MERCHANT, REFUND, Copy.Merchant, true)],
    ["X report", (d) => renderBatchReport(d, MERCHANT, X_REPORT, false)],
    ["settlement", (d) => renderSettlement(d, MERCHANT, SETTLEMENT, SETTLED_AT, false)],
  ];
  for (const columns of [32, 48]) {
    for (const [name, fn] of layouts) {
      it(`${name}, ${columns} columns: a plain-text document gets the lines the ESC/POS printer prints`, () => {
        const want = escpos(fn, columns), got = plain(fn, columns);
        assert.ok(want.length > 8, "the ESC/POS rendering printed the layout");
        assert.deepEqual(got, want);
      });
    }
  }

  it("codes reach the document as codes, not as ESC/POS bytes", () => {
    const d = new TextDoc(32);
    renderReceipt(d, MERCHANT, SALE, Copy.Customer, false);
    assert.ok(d.lines.some((l) => l.startsWith("[CODE128 ") || l.startsWith("[QR ")), d.lines.join("\n"));
    assert.ok(d.lines.every((l) => !/[\x00-\x1f]/.test(l)), "no control bytes in a neutral document");
  });
});
