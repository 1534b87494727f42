// Ssd1306 driver against the virtual SSD1306 over the simulated I2C bus (sim/bus): init,
// diff flushes, commands, faults. The glass is compared with the Graphics buffer pixel by pixel.
import { strict as assert } from "assert";
import { PNG } from "pngjs";
import { Testbed, seededRandom } from "../support/testbed";
import { useSmallFont } from "../../firmware/ui/fonts";
import { Ssd1306Part } from "../../sim/parts/ssd1306";
import { Ssd1306, type Ssd1306Fault } from "../../drivers/ssd1306/ssd1306";
import { displayRig } from "../support/ssd1306-rig";

function glassMatches(part: Ssd1306Part, g: any): void {
  for (let y = 0; y < 64; y++) for (let x = 0; x < 128; x++) {
    if (part.lit(x, y) !== g.getPixel(x, y)) assert.fail(`glass (${x},${y}) = ${part.lit(x, y)}, Graphics has ${g.getPixel(x, y)}`);
  }
}

describe("SSD1306 driver <-> virtual SSD1306", () => {
  it("init turns the panel on in horizontal mode, callback from a timer", () => {
    const r = displayRig();
    assert.equal(r.initErr(), null);
    assert.equal(r.part.displayOn, true);
    assert.equal(r.part.chargePump, true);
    assert.equal(r.part.memoryMode, 0);
    assert.equal(r.part.stats.unknown, 0);
  });

  it("before any flush the glass shows the RAM noise a real panel powers up with", () => {
    const r = displayRig();
    assert.ok(r.part.toText().includes("#"));
  });

  it("first flip sends the whole frame; the glass equals the Graphics pixels", () => {
    const r = displayRig();
    r.g.setColor(1); r.g.fillRect(10, 5, 40, 20); r.g.setPixel(127, 63); r.g.setPixel(0, 0);
    const n = r.drv.flip(r.g);
    assert.ok(n >= 1024, `sent ${n}`);
    glassMatches(r.part, r.g);
  });

  it("an unchanged frame sends nothing; a one-pixel change sends one small window", () => {
    const r = displayRig();
    r.g.fillRect(0, 0, 127, 10);
    r.drv.flip(r.g);
    assert.equal(r.drv.flip(r.g), 0);
    r.g.setPixel(64, 40);
    const before = r.bytes.length;
    const n = r.drv.flip(r.g);
    assert.ok(n > 0 && n < 20, `sent ${n}`);
    assert.equal(r.bytes.length - before, 2); // window command + one data transaction
    glassMatches(r.part, r.g);
  });

  it("redrawing the same picture after clear() sends nothing (true diff, not the modified box)", () => {
    const r = displayRig();
    r.g.fillRect(20, 20, 60, 30); r.drv.flip(r.g);
    r.g.clear(); r.g.fillRect(20, 20, 60, 30);
    assert.equal(r.drv.flip(r.g), 0);
  });

  it("sends data in chunks behind 0x40 control bytes", () => {
    const r = displayRig({ chunk: 16 });
    const seen: Uint8Array[] = [];
    r.tb.i2cSim("i2c1").onTransaction((t) => seen.push(t.data));
    r.g.fillRect(0, 0, 127, 63);
    r.drv.flip(r.g);
    const data = seen.filter((d) => d[0] === 0x40);
    assert.equal(data.length, 1024 / 16);
    assert.ok(data.every((d) => d.length === 17));
    glassMatches(r.part, r.g);
  });

  it("contrast, off/on and inverse reach the panel", () => {
    const r = displayRig();
    r.g.fillRect(0, 0, 63, 63); r.drv.flip(r.g);
    assert.ok(r.drv.setContrast(0x10));
    assert.equal(r.part.contrast, 0x10);
    r.drv.off();
    assert.equal(r.part.lit(0, 0), 0);
    assert.equal(r.tb.i2c("i2c1").readFrom(0x3c, 1)[0], 0x40); // status: display off
    r.drv.on();
    assert.equal(r.part.lit(0, 0), 1);
    r.drv.invert(true);
    assert.equal(r.part.lit(0, 0), 0);
    assert.equal(r.part.lit(100, 0), 1);
  });

  it("an I2C error becomes a fault, never an exception, and the next flip resends everything", () => {
    const r = displayRig();
    r.g.fillRect(0, 0, 127, 31); r.drv.flip(r.g);
    r.g.fillRect(0, 40, 127, 50);
    r.part.nackNext(1);
    assert.equal(r.drv.flip(r.g), -1);
    assert.equal(r.faults.length, 1);
    assert.equal(r.drv.fault!.code, "I2C");
    assert.match(r.drv.fault!.message, /no ACK/);
    assert.equal(r.drv.faults, 1);
    const n = r.drv.flip(r.g);
    assert.ok(n >= 1024, "full resend after a fault");
    assert.equal(r.drv.fault, null);
    glassMatches(r.part, r.g);
  });

  it("init reports a missing panel as a fault", () => {
    const tb = new Testbed();
    const drv = new Ssd1306({ i2c: tb.i2c("i2c1"), io: tb.io() });
    let err: Ssd1306Fault | null | undefined;
    drv.init((e) => { err = e; });
    assert.equal(err, undefined, "callback is never synchronous");
    tb.run(0.01);
    assert.equal(err!.op, "init");
  });

  it("the reset pin is pulsed low before init", () => {
    const tb = new Testbed();
    const part = new Ssd1306Part("display", { address: 0x3c }, tb.partContext());
    tb.i2cSim("i2c1").attach(part);
    const levels: number[] = [];
    tb.pins.onChange(4, (l) => levels.push(l));
    const drv = new Ssd1306({ i2c: tb.i2c("i2c1"), io: tb.io(), reset: 4 });
    let done = false;
    drv.init(() => { done = true; });
    tb.run(0.02);
    assert.ok(done);
    assert.deepEqual(levels, [0, 1]);
    assert.equal(part.displayOn, true);
  });

  it("PNG output is a viewable image of the panel, scaled", () => {
    const r = displayRig();
    r.g.fillRect(0, 0, 10, 10); r.drv.flip(r.g);
    const png = PNG.sync.read(r.part.toPng({ scale: 4, colour: "blue" }));
    assert.equal(png.width, 512);
    assert.equal(png.height, 256);
    assert.ok(png.data[(1 * 512 + 1) * 4 + 2]! > 100, "lit pixel is bright");
    assert.ok(png.data[(100 * 512 + 400) * 4 + 2]! < 40, "dark pixel is dark");
  });
});

describe("virtual SSD1306 decoder", () => {
  function rawRig() {
    const tb = new Testbed();
    const part = new Ssd1306Part("display", { address: 0x3c }, tb.partContext());
    tb.i2cSim("i2c1").attach(part);
    const i2c = tb.i2c("i2c1");
    i2c.writeTo(0x3c, [0x00, 0x8d, 0x14, 0xa1, 0xc8, 0xaf]);
    part.ram.fill(0);
    return { part, i2c };
  }

  it("page addressing: B0+page, low/high column nibbles, column wraps in the page", () => {
    const { part, i2c } = rawRig();
    i2c.writeTo(0x3c, [0x00, 0x20, 0x02, 0xb3, 0x0e, 0x17]); // page 3, column 0x7e
    i2c.writeTo(0x3c, [0x40, 0x01, 0x80, 0xff]);
    assert.equal(part.ram[3 * 128 + 126], 0x01);
    assert.equal(part.ram[3 * 128 + 127], 0x80);
    assert.equal(part.ram[3 * 128 + 0], 0xff); // wrapped, same page
    assert.equal(part.lit(126, 24), 1);
    assert.equal(part.lit(127, 31), 1);
  });

  it("vertical addressing walks down the pages first", () => {
    const { part, i2c } = rawRig();
    i2c.writeTo(0x3c, [0x00, 0x20, 0x01, 0x21, 5, 6, 0x22, 0, 1]);
    i2c.writeTo(0x3c, [0x40, 1, 2, 3, 4, 5]);
    assert.deepEqual([part.ram[5], part.ram[128 + 5], part.ram[6], part.ram[128 + 6], part.ram[5]], [5, 2, 3, 4, 5]);
  });

  it("Co=1 control bytes carry one byte each; commands may span transactions", () => {
    const { part, i2c } = rawRig();
    i2c.writeTo(0x3c, [0x80, 0x81, 0x80, 0x22]); // contrast command and its argument, Co=1 each
    assert.equal(part.contrast, 0x22);
    i2c.writeTo(0x3c, [0x00, 0x81]);
    i2c.writeTo(0x3c, [0x00, 0x55]);
    assert.equal(part.contrast, 0x55);
  });

  it("segment remap and COM scan direction flip the picture as on the glass", () => {
    const { part, i2c } = rawRig();
    i2c.writeTo(0x3c, [0x00, 0x20, 0x00, 0x21, 0, 127, 0x22, 0, 7]);
    i2c.writeTo(0x3c, [0x40, 0x01]); // RAM column 0, row 0
    assert.equal(part.lit(0, 0), 1);
    i2c.writeTo(0x3c, [0x00, 0xa0]);
    assert.equal(part.lit(127, 0), 1);
    i2c.writeTo(0x3c, [0x00, 0xc0]);
    assert.equal(part.lit(127, 63), 1);
  });

  it("nothing lights without the charge pump, and a power cut blanks the panel", () => {
    const tb = new Testbed();
    const part = new Ssd1306Part("display", { address: 0x3c }, tb.partContext());
    tb.i2cSim("i2c1").attach(part);
    tb.i2c("i2c1").writeTo(0x3c, [0x00, 0xa5, 0xaf]);
    assert.equal(part.lit(0, 0), 0);
    tb.i2c("i2c1").writeTo(0x3c, [0x00, 0x8d, 0x14]);
    assert.equal(part.lit(0, 0), 1);
    part.powerCut();
    assert.equal(part.lit(0, 0), 0);
    assert.throws(() => tb.i2c("i2c1").writeTo(0x3c, [0x00, 0xaf]), /no ACK/);
  });
});

describe("SSD1306 diff flush: random drawing keeps glass == Graphics", () => {
  it("300 random edits (rects, pixels, clears, text), each flushed", () => {
    const r = displayRig({ chunk: 32 });
    const rnd = seededRandom(1306);
    const n = (k: number) => Math.floor(rnd() * k);
    let sent = 0;
    for (let i = 0; i < 300; i++) {
      const op = n(10);
      r.g.setColor(n(2));
      if (op === 0) r.g.clear();
      else if (op < 5) r.g.fillRect(n(128), n(64), n(128), n(64));
      else if (op < 8) for (let k = 0; k < 1 + n(20); k++) r.g.setPixel(n(128), n(64));
      else { useSmallFont(r.g); r.g.drawString("x" + i, n(120), n(60)); }
      const b = r.drv.flip(r.g);
      assert.ok(b >= 0);
      sent += b;
      glassMatches(r.part, r.g);
    }
    assert.ok(sent < 300 * 1024, "diffing sends less than whole frames");
  });

  it("random bytes written to the panel never crash the decoder", () => {
    const tb = new Testbed({ seed: 9 });
    const part = new Ssd1306Part("display", { address: 0x3c }, tb.partContext());
    tb.i2cSim("i2c1").attach(part);
    const rnd = seededRandom(77);
    for (let i = 0; i < 2000; i++) {
      const len = 1 + Math.floor(rnd() * 40);
      const d = new Uint8Array(len);
      for (let k = 0; k < len; k++) d[k] = Math.floor(rnd() * 256);
      tb.i2c("i2c1").writeTo(0x3c, d);
    }
    part.toText();
    assert.ok(part.stats.commands > 0 && part.stats.dataBytes > 0);
  });
});
