// pos-sim escpos: text of any ESC/POS file, PNG output, clear errors.
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PNG } from "pngjs";

const root = path.join(__dirname, "../..");
function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(root, "sim/bin.js"), "escpos", ...args], { encoding: "utf8" });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe("pos-sim escpos", function () {
  this.timeout(30000);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "escpos-"));

  it("prints the text rendering of a third-party file and writes a viewable PNG", () => {
    const png = path.join(tmp, "r.png");
    const r = cli(path.join(root, "test/fixtures/escpos/rpe-receipt.bin"), "--png", png);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^ {8}THE COFFEE SHOP\n/);
    assert.match(r.out, /\[QR: https:\/\/example.com\/r\/42\]/);
    assert.match(r.err, /336 bytes, [\d.]+ mm of paper, 1 cut\(s\)/);
    const img = PNG.sync.read(fs.readFileSync(png));
    assert.equal(img.width, 384 + 32);
    assert.ok(img.height > 400);
  });

  it("--art draws the QR modules; --width changes the paper", () => {
    const png = path.join(tmp, "w.png");
    const r = cli(path.join(root, "test/fixtures/escpos/rpe-receipt.bin"), "--art", "--width", "576", "--png", png);
    assert.equal(r.code, 0);
    assert.match(r.out, /\n  ####### /);
    assert.equal(PNG.sync.read(fs.readFileSync(png)).width, 576 + 32);
    const img = cli(path.join(root, "test/fixtures/escpos/rpe-image-raster.bin"), "--art");
    assert.match(img.out, /\[IMAGE 64x32 raster\]\n  ########\n  ########\n/);
  });

  it("clear errors: missing file, directory, bad option values, no file, all exit 2", () => {
    let r = cli(path.join(tmp, "nope.bin"));
    assert.equal(r.code, 2);
    assert.match(r.err, /^pos-sim escpos: cannot read '.*nope.bin': no such file/);
    r = cli(tmp);
    assert.equal(r.code, 2);
    assert.match(r.err, /^pos-sim escpos: '.*' is a directory/);
    r = cli("x.bin", "--width", "abc");
    assert.equal(r.code, 2);
    assert.match(r.err, /^pos-sim escpos: --width needs an integer from 8 to 4096, got 'abc'/);
    r = cli("x.bin", "--width", "100");
    assert.equal(r.code, 2);
    assert.match(r.err, /multiple of 8/);
    r = cli("x.bin", "--bogus");
    assert.equal(r.code, 2);
    assert.match(r.err, /^pos-sim escpos: unknown option '--bogus'/);
    r = cli("x.bin", "--png");
    assert.equal(r.code, 2);
    assert.match(r.err, /^pos-sim escpos: --png needs a value/);
    r = cli();
    assert.equal(r.code, 2);
    assert.match(r.err, /^pos-sim escpos: missing input file/);
    for (const e of [r.err, cli(tmp).err]) assert.doesNotMatch(e, /\n\s+at /, "no stack trace");
  });

  it("an empty file renders nothing without failing", () => {
    const f = path.join(tmp, "empty.bin");
    fs.writeFileSync(f, Buffer.alloc(0));
    const r = cli(f);
    assert.equal(r.code, 0);
    assert.equal(r.out, "");
  });
});
