// The display probe against the virtual panel: bus scan, pattern on the glass, contrast sweep.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { createWorld } from "../../sim/harness";
import { Testbed } from "../support/testbed";
import { Ssd1306Part } from "../../sim/parts/ssd1306";
import { Graphics } from "../../sim/runtime/graphics";
import { runDisplayProbe } from "../../firmware/ui/display-probe";

function probeRig(withPanel: boolean) {
  const tb = new Testbed();
  const part = new Ssd1306Part("display", { address: 0x3c }, tb.partContext());
  if (withPanel) tb.i2cSim("i2c1").attach(part);
  tb.i2cSim("i2c1").attach({ address: 0x24, write: () => {}, read: (n) => new Uint8Array(n) }); // another chip (PN532)
  const contrasts: number[] = [];
  const lines: string[] = [];
  const g = Graphics.createArrayBuffer(128, 64, 1, { vertical_byte: true, msb: false });
  let done = false;
  runDisplayProbe({ io: tb.io(), buses: { i2c1: tb.i2c("i2c1") }, spec: { bus: "i2c1", address: 0x3c, width: 128, height: 64 }, g,
    log: (l) => { lines.push(l); const m = /contrast (\d+)$/.exec(l); if (m) contrasts.push(part.contrast); }, stepMs: 100, done: () => { done = true; } });
  tb.run(2);
  return { part, lines, contrasts, done: () => done, g };
}

describe("display probe", () => {
  it("scans the bus, draws the pattern on the glass, sweeps contrast, finishes", () => {
    const r = probeRig(true);
    assert.equal(r.lines[0], "display: i2c i2c1 scan: 0x24 0x3c");
    assert.ok(r.lines.includes("display: init ok at 0x3c"));
    assert.ok(r.lines.some((l) => /pattern sent, \d+ bytes/.test(l)));
    assert.deepEqual(r.contrasts, [0, 32, 64, 96, 128, 160, 192, 224, 255, 0xcf]);
    assert.ok(r.done());
    assert.equal(r.part.inverse, false);
    for (let y = 0; y < 64; y++) for (let x = 0; x < 128; x++) assert.equal(r.part.lit(x, y), r.g.getPixel(x, y));
    assert.equal(r.part.lit(0, 0), 1, "border");
  });

  it("reports a panel that does not answer", () => {
    const r = probeRig(false);
    assert.equal(r.lines[0], "display: i2c i2c1 scan: 0x24");
    assert.ok(r.lines.some((l) => l.startsWith("display: init FAILED at 0x3c")));
    assert.ok(r.done());
  });
});

describe("probe-display.js bundle in the simulated world", () => {
  const bundle = path.join(__dirname, "..", "..", "dist", "pos-esp32-v1", "probe-display.js");
  it("runs on the board's virtual panel (needs make build)", function () {
    if (!fs.existsSync(bundle)) this.skip();
    const w = createWorld({ board: "pos-esp32-v1", bundle });
    w.run(5);
    assert.deepEqual(w.errors, []);
    assert.equal(w.console[0], "display: i2c i2c1 scan: 0x24 0x3c");
    assert.equal(w.console[w.console.length - 1], "display: probe done, 0 faults");
    const panel = w.parts.display as unknown as Ssd1306Part;
    assert.equal(panel.lit(0, 0), 1);
    assert.equal(panel.contrast, 0xcf);
    const text = panel.toText();
    assert.equal(text.split("\n")[63], "#".repeat(128), "bottom border");
  });
});
