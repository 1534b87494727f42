// The committed font data matches the glyph art, and decodes (the way Espruino's
// setFontCustom reads it) back into exactly that art.
import { strict as assert } from "assert";
import * as fs from "fs";
import { generate, parseArt, ART_FILE, OUT_FILE, SMALL_FIRST, SMALL_LAST } from "../../tools/font-gen";
import { Graphics } from "../../sim/runtime/graphics";
import { useSmallFont, useBigFont, bigWidth } from "../../firmware/ui/fonts";

describe("ui font", () => {
  it("firmware/ui/font-data.ts is generated from font6x8.txt (npx tsx tools/font-gen.ts)", () => {
    assert.equal(fs.readFileSync(OUT_FILE, "utf8"), generate(fs.readFileSync(ART_FILE, "utf8")));
  });

  it("every glyph drawn through setFontCustom reproduces its art, with a blank gap column", () => {
    const art = parseArt(fs.readFileSync(ART_FILE, "utf8"));
    const g = Graphics.createArrayBuffer(8, 8, 1, { vertical_byte: true, msb: false });
    for (let c = SMALL_FIRST; c <= SMALL_LAST; c++) {
      g.clear();
      useSmallFont(g as any);
      g.drawString(String.fromCharCode(c), 0, 0);
      const rows = art.get(c)!;
      for (let y = 0; y < 8; y++) {
        let got = "";
        for (let x = 0; x < 6; x++) got += g.getPixel(x, y) ? "#" : ".";
        assert.equal(got, rows[y] + ".", `char ${c} row ${y}`);
      }
    }
  });

  it("big digits are the small ones doubled; stringWidth agrees with bigWidth", () => {
    const g = Graphics.createArrayBuffer(128, 16, 1, { vertical_byte: true, msb: false });
    useBigFont(g as any);
    assert.equal(g.stringWidth("1,234.56"), bigWidth("1,234.56"));
    g.drawString("8", 0, 0);
    const small = Graphics.createArrayBuffer(8, 8, 1, { vertical_byte: true, msb: false });
    useSmallFont(small as any);
    small.drawString("8", 0, 0);
    for (let y = 0; y < 7; y++) for (let x = 0; x < 5; x++) {
      assert.equal(g.getPixel(2 * x + 1, 2 * y + 2), small.getPixel(x, y), `(${x},${y})`);
    }
  });
});
