// Bounded rendering: hostile or broken byte streams (huge feeds, 8x8 characters by the
// hundred thousand) render in bounded time and memory, with a warning, never a crash.
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PNG } from "pngjs";
import { EscPosInterpreter, MAX_FEED_MM, DEFAULT_MAX_PAPER_MM } from "../../sim/escpos/interpreter";
import { renderPng } from "../../sim/escpos/png";
import { renderText } from "../../sim/escpos/text";

const root = path.join(__dirname, "../..");
const repeat = (bytes: number[], n: number) => Buffer.from(new Array(n).fill(bytes).flat());

describe("escpos: bounded feed, scale and paper length", function () {
  this.timeout(60000);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "escpos-bounds-"));

  it("caps the paper at 2 m with one warning; text and dots past it are dropped", () => {
    const it = new EscPosInterpreter();
    it.run(Buffer.concat([repeat([0x1b, 0x64, 255], 100), Buffer.from("AFTER\n")]));
    it.finish();
    assert.equal(it.paper.mm, DEFAULT_MAX_PAPER_MM);
    assert.equal(it.warnings.filter((w) => /paper longer than 2000 mm: later output is not kept/.test(w)).length, 1);
    assert.ok(!renderText(it.paper).includes("AFTER"));
    assert.ok(it.paper.droppedRows > 0);
  });

  it("caps one feed command at 1 m (ESC 3 255 + ESC d 255 would feed 8 m)", () => {
    const it = new EscPosInterpreter({ maxPaperMm: Infinity });
    it.run(Buffer.from([0x1b, 0x33, 255, 0x1b, 0x64, 255]));
    assert.ok(it.paper.mm <= MAX_FEED_MM && it.paper.mm > MAX_FEED_MM - 32, String(it.paper.mm));
    assert.match(it.warnings.join("\n"), /feed of 255 lines \(8128 mm\) capped at 1000 mm/);
  });

  it("GS ! 0x77 with 100,000 characters renders a PNG (was: 'The value of \"size\" is out of range')", () => {
    const it = new EscPosInterpreter();
    it.run(Buffer.concat([Buffer.from([0x1d, 0x21, 0x77]), Buffer.alloc(100000, 0x41), Buffer.from("\n")]));
    it.finish();
    const warnings: string[] = [];
    const img = PNG.sync.read(renderPng(it.paper, { scale: 8, warn: (m) => warnings.push(m) }));
    assert.equal(img.width, 416);
    assert.equal(img.height, DEFAULT_MAX_PAPER_MM * 8 + 32);
    assert.match(warnings.join("\n"), /PNG scale 8 lowered to 1/);
    // the 8x8 glyphs are drawn: some black dots in the first line
    let black = 0;
    for (let i = 0; i < 416 * 200 * 4; i += 4) if (img.data[i] === 0) black++;
    assert.ok(black > 1000);
  });

  it("a session paper longer than one PNG shows its tail, the latest receipt", () => {
    const it = new EscPosInterpreter({ maxPaperMm: Infinity });
    it.run(Buffer.concat([repeat([0x1b, 0x4a, 255], 200), Buffer.from("LAST\n")]));
    const warnings: string[] = [];
    const img = PNG.sync.read(renderPng(it.paper, { keep: "tail", maxPixels: 416 * 2000, warn: (m) => warnings.push(m) }));
    assert.equal(img.height * img.width <= 416 * 2000, true);
    assert.match(warnings.join("\n"), /PNG shows the last \d+ mm of \d+ mm of paper/);
    let black = 0; // "LAST" sits at the bottom of the tail
    for (let i = (img.height - 120) * 416 * 4; i < img.data.length; i += 4) if (img.data[i] === 0) black++;
    assert.ok(black > 50, String(black));
  });

  it("pos-sim escpos on 300 bytes of ESC d 255 --png: seconds, not minutes; a 2 m PNG", () => {
    const bin = path.join(tmp, "feed.bin"), png = path.join(tmp, "feed.png");
    fs.writeFileSync(bin, repeat([0x1b, 0x64, 255], 100));
    const t0 = Date.now();
    const r = spawnSync(process.execPath, [path.join(root, "sim/bin.js"), "escpos", bin, "--png", png, "--scale", "4"], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    assert.ok(Date.now() - t0 < 30000);
    assert.match(r.stderr, /warning: paper longer than 2000 mm/);
    assert.match(r.stderr, /warning: PNG scale 4 lowered to 1/);
    const img = PNG.sync.read(fs.readFileSync(png));
    assert.equal(img.height, 16000 + 32);
  });
});
