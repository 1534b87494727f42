// The ESC/POS interpreter on its own: command coverage, streaming, robustness.
import { strict as assert } from "assert";
import { EscPosInterpreter } from "../../sim/escpos/interpreter";
import { renderText } from "../../sim/escpos/text";
import { EscPosEncoder, Mode } from "../../drivers/escpos/encoder";
import { Align, Hri, QrEc } from "../../drivers/print-doc";

function render(bytes: ArrayLike<number>, width?: number) {
  const it = new EscPosInterpreter({ width });
  it.run(bytes);
  it.finish();
  return { text: renderText(it.paper), it };
}
const B = (...parts: (number[] | string)[]) => parts.flatMap((p) => (typeof p === "string" ? [...Buffer.from(p, "latin1")] : p));

describe("escpos interpreter", () => {
  it("places aligned text by dots: left, centre, right, double width", () => {
    const r = render(B([0x1b, 0x40], "L\n", [0x1b, 0x61, 1], "CC\n", [0x1b, 0x61, 2], "R\n", [0x1b, 0x61, 1, 0x1d, 0x21, 0x10], "WW\n"));
    assert.deepEqual(r.text.split("\n").slice(0, 4), ["L", "               CC", "                               R", "              WW"]);
    assert.equal(r.it.paper.y, 4 * 30);
  });

  it("wraps a line longer than 32 columns, font B fits 42", () => {
    const r = render(B("x".repeat(40), "\n", [0x1b, 0x4d, 1], "y".repeat(42), "\n"));
    assert.deepEqual(r.text.split("\n").slice(0, 3), ["x".repeat(32), "x".repeat(8), "y".repeat(42)]);
    assert.equal(r.it.wraps, 1);
  });

  it("draws bold, underline and reverse as dots", () => {
    const plain = render(B("I\n")).it.paper, bold = render(B([0x1b, 0x45, 1], "I\n")).it.paper;
    const count = (p: typeof plain) => { let n = 0; for (let y = 0; y < 24; y++) for (let x = 0; x < 12; x++) if (p.get(x, y)) n++; return n; };
    assert.ok(count(bold) > count(plain), "bold is heavier");
    const ul = render(B([0x1b, 0x2d, 2], "a\n")).it.paper;
    assert.ok(ul.get(0, 23) && ul.get(11, 22), "thick underline under the cell");
    const rev = render(B([0x1d, 0x42, 1], " \n")).it.paper;
    assert.ok(rev.get(0, 0) && rev.get(11, 23), "reversed space is black");
  });

  it("feeds: ESC d, ESC J, line spacing, and GS V with feed", () => {
    const r = render(B("a\n", [0x1b, 0x64, 2], [0x1b, 0x33, 50], "b\n", [0x1b, 0x32], [0x1b, 0x4a, 60], [0x1d, 0x56, 0x42, 16]));
    assert.equal(r.it.paper.y, 30 + 60 + 50 + 60 + 16);
    assert.equal(r.it.cuts, 1);
    assert.deepEqual(r.text.split("\n"), ["a", "", "", "b", "", "", "[PARTIAL CUT]", ""]);
  });

  it("decodes CODE128 sets B and C, CODE39, EAN13 (check digit), and refuses a too wide barcode", () => {
    const bc = (m: number, data: number[]) => B([0x1d, 0x77, 2, 0x1d, 0x6b, m, data.length], data);
    const r = render(B(bc(73, B("{BAb{C", [12, 34])), bc(69, B("AB-1")), [0x1d, 0x6b, 2], "400638133393", [0]));
    assert.deepEqual(r.text.split("\n").slice(0, 3), ["[BARCODE CODE128: Ab1234]", "[BARCODE CODE39: AB-1]", "[BARCODE EAN13: 4006381333931]"]);
    const wide = render(B([0x1d, 0x77, 6, 0x1d, 0x6b, 73, 22], "{B" + "W".repeat(20)));
    assert.match(wide.text, /NOT PRINTED \(too wide\)/);
    assert.ok(wide.it.warnings.length === 1);
  });

  it("prints QR from the stored data with the module size, at the alignment", () => {
    const e = new EscPosEncoder();
    e.align(Align.Center).qr("HELLO", 5, QrEc.L);
    const r = render(e.bytes());
    assert.equal(r.text, "[QR: HELLO]\n");
    assert.equal(r.it.paper.y, 21 * 5, "version 1, 5 dots per module");
    const x0 = (384 - 105) / 2;
    assert.ok(r.it.paper.get(Math.floor(x0), 0) && r.it.paper.get(Math.floor(x0) + 34, 34), "finder pattern corner");
    assert.ok(!r.it.paper.get(Math.floor(x0) - 1, 0), "left of the symbol is white");
  });

  it("renders our raster bands as one image and keeps the bits", () => {
    const img = new Uint8Array(6 * 40);
    img[0] = 0x80; img[6 * 39 + 5] = 0x01;
    const e = new EscPosEncoder();
    e.raster(6, 40, img);
    const r = render(e.bytes());
    assert.equal(r.text, "[IMAGE 48x40 raster]\n");
    assert.ok(r.it.paper.get(0, 0) && r.it.paper.get(47, 39) && !r.it.paper.get(1, 0));
  });

  it("streams: a command split across chunks waits for its bytes", () => {
    const e = new EscPosEncoder();
    e.init().mode(Mode.Bold).line("hello").qr("x", 3, QrEc.M).cut();
    const bytes = e.bytes();
    const whole = render(bytes).text;
    const it = new EscPosInterpreter();
    const buf: number[] = [];
    let pos = 0;
    for (const b of bytes) {
      buf.push(b);
      for (let n; (n = it.step(buf, pos, buf.length)) > 0;) pos += n;
    }
    assert.equal(pos, bytes.length);
    assert.equal(renderText(it.paper), whole);
  });

  it("skips unknown commands with a warning and survives random bytes", () => {
    const r = render(B([0x1b, 0x01], "ok\n", [0x1d, 0x99], [0x07], "fine\n"));
    assert.deepEqual(r.text.split("\n").slice(0, 2), ["ok", "fine"]);
    assert.equal(r.it.warnings.length, 3);
    let seed = 42;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let i = 0; i < 200; i++) {
      const junk = Array.from({ length: 200 }, () => (rnd() < 0.3 ? [0x1b, 0x1d, 0x10, 0x0a][Math.floor(rnd() * 4)]! : Math.floor(rnd() * 256)));
      const it = new EscPosInterpreter();
      it.run(junk); // must not throw
      it.finish();
    }
  });

  it("reports a truncated command and an unterminated last line", () => {
    const r = render(B("tail", [0x1d, 0x76, 0x30, 0, 10, 0, 10, 0, 1, 2]));
    assert.ok(r.it.warnings.some((w) => w.startsWith("truncated command")));
    assert.ok(r.it.warnings.some((w) => w.startsWith("last line not terminated")));
    assert.equal(r.text, "tail\n");
  });

  it("answers GS r / ESC v paper sensor queries through the reply hook", () => {
    const replies: number[] = [];
    const it = new EscPosInterpreter({ hooks: { reply: (b) => replies.push(...b), sensors: () => ({ paperOut: true, nearEnd: true }) } });
    it.run([0x1d, 0x72, 1, 0x1b, 0x76, 0]);
    assert.deepEqual(replies, [0x0f, 0x04]);
  });

  it("encoder dot estimate matches the printed paper for a receipt with barcode and QR", () => {
    const e = new EscPosEncoder();
    e.init().size(2, 2).line("BIG").size(1, 1).line("small").feed(3).barcode128("12345", 50, 2, Hri.Below)
      .qr("TID00001-000003-000007-000012", 4, QrEc.M).lineSpacingDots(40).line("x").lineSpacingDots().cut();
    const r = render(e.bytes());
    assert.equal(r.it.paper.y, e.dots);
  });
});
