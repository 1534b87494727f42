// Third-party ESC/POS: byte streams from @point-of-sale/receipt-printer-encoder (committed as
// fixtures) must render to the text that encoder was given, and the same content encoded by
// our encoder must render the same.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { EscPosInterpreter } from "../../sim/escpos/interpreter";
import { renderText } from "../../sim/escpos/text";
import { EscPosEncoder } from "../../drivers/escpos/encoder";
import { Align, QrEc } from "../../drivers/print-doc";
import { fixtures } from "../fixtures/escpos/generate";

const dir = path.join(__dirname, "../fixtures/escpos");

function render(bytes: Uint8Array): { text: string; warnings: string[]; it: EscPosInterpreter } {
  const it = new EscPosInterpreter();
  it.run(bytes);
  it.finish();
  return { text: renderText(it.paper), warnings: it.warnings, it };
}

/** the printed content without the blank lines the two encoders place differently */
function content(text: string): string[] {
  return text.split("\n").filter((l) => l.trim().length > 0);
}

describe("escpos third-party streams (receipt-printer-encoder)", () => {
  for (const name of Object.keys(fixtures)) {
    it(name + ".bin is what the package encodes today", () => {
      const committed = fs.readFileSync(path.join(dir, name + ".bin"));
      assert.deepEqual(Buffer.from(fixtures[name]!()), committed, "regenerate with: npx tsx test/fixtures/escpos/generate.ts");
    });
  }

  it("renders the receipt text, styles, EAN13 and QR without warnings", () => {
    const r = render(fs.readFileSync(path.join(dir, "rpe-receipt.bin")));
    assert.deepEqual(r.warnings, []);
    assert.deepEqual(content(r.text), [
      "        THE COFFEE SHOP",
      "         1 Main Street",
      "Latte                       4.50",
      "Croissant                   3.25",
      "Total                       7.75",
      "                       Thank you",
      "BIG",
      "INVERTED",
      "[BARCODE EAN13: 3130630574613]",
      "[QR: https://example.com/r/42]",
      "[CUT]",
    ]);
    assert.equal(r.it.cuts, 1);
  });

  it("renders CODE128 with its human-readable line", () => {
    const r = render(fs.readFileSync(path.join(dir, "rpe-code128.bin")));
    assert.deepEqual(content(r.text), ["CODE128 below", "[BARCODE CODE128: T-0042]", "[CUT]"]);
    assert.deepEqual(r.warnings, []);
  });

  it("renders column (ESC *) and raster (GS v 0) images with the right dots", () => {
    for (const [name, mode, rows] of [["rpe-image-column", "column", 48], ["rpe-image-raster", "raster", 32]] as const) {
      const r = render(fs.readFileSync(path.join(dir, name + ".bin")));
      assert.deepEqual(content(r.text), [mode + " image", "[IMAGE 64x" + rows + " " + mode + "]", "after", "[CUT]"], name);
      // the image sits below the first text line (30 dots): left half black, right half checkered
      const p = r.it.paper, top = 30;
      assert.equal(p.get(5, top + 5), true, name + " black half");
      assert.equal(p.get(32, top + 2), true, name + " checker black square");
      assert.equal(p.get(40, top + 2), false, name + " checker white square");
      assert.equal(p.get(100, top + 2), false, name + " right of the image");
    }
  });

  it("our encoder's version of the same receipt renders the same content", () => {
    const e = new EscPosEncoder();
    e.init().codePage(0).align(Align.Center).bold(true).line("THE COFFEE SHOP").bold(false).line("1 Main Street")
      .align(Align.Left).newline()
      .line("Latte                       4.50").line("Croissant                   3.25")
      .underline(1).line("Total                       7.75").underline(0)
      .align(Align.Right).line("Thank you").align(Align.Left)
      .size(2, 2).line("BIG").size(1, 1).invert(true).line("INVERTED").invert(false);
    e.raw([0x1d, 0x68, 60, 0x1d, 0x77, 3, 0x1d, 0x48, 0, 0x1d, 0x6b, 2]).text("3130630574613").raw([0]);
    e.qr("https://example.com/r/42", 6, QrEc.M).cut();
    const ours = render(e.bytes());
    const theirs = render(fs.readFileSync(path.join(dir, "rpe-receipt.bin")));
    assert.deepEqual(content(ours.text), content(theirs.text));
    assert.equal(ours.warnings.length, 0);
  });
});
