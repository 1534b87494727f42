// The printer probe: on the printer rig, and as the probe-printer.js bundle in the world.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { PrinterRig } from "../support/escpos-rig";
import { EscPosPrinter } from "../../drivers/escpos/printer";
import { runPrinterProbe } from "../../firmware/receipt/probe";
import { createWorld } from "../../sim/harness";
import type { EscposPart } from "../../sim/parts/escpos";

function probe(setup?: (rig: PrinterRig) => void) {
  const rig = new PrinterRig({ baud: 19200, mmPerSecond: 60 });
  if (setup) setup(rig);
  const printer = new EscPosPrinter({ uart: rig.port, io: rig.io, baud: 19200, dots: 384, mmPerSecond: 60 });
  const lines: string[] = [];
  let ok: boolean | null = null;
  rig.call(() => runPrinterProbe({ printer, log: (l) => lines.push(l), baud: 19200, dots: 384, mmPerSecond: 60, done: (v) => { ok = v; } }));
  rig.runUntil(() => ok !== null, 60);
  return { rig, lines, ok };
}

describe("printer probe", () => {
  it("reads the status, prints the self-test page (styles, CODE128, QR, raster), reads it again", () => {
    const r = probe();
    assert.equal(r.ok, true);
    assert.equal(r.lines[0], "printer: status ready");
    assert.match(r.lines[1]!, /^printer: self-test page printed, \d+ bytes, 0 reprint\(s\)$/);
    assert.equal(r.lines[2], "printer: status ready");
    const text = r.rig.part.text();
    for (const s of ["SELF-TEST", "19200 BAUD  384 DOTS  60 MM/S", "12345678901234567890123456789012", "Font B: 42 columns of smaller text",
      "[BARCODE CODE128: SELFTEST-01]", "[QR: POS SELF-TEST]", "[IMAGE 128x32 raster]", "END OF SELF-TEST", "[CUT]"]) {
      assert.ok(text.includes(s), "page shows " + s);
    }
    assert.deepEqual(r.rig.part.interp.warnings, []);
  });

  it("reports paper near end, and a printer that does not answer", () => {
    assert.equal(probe((rig) => rig.part.setNearEnd(true)).lines[0], "printer: status paper near end");
    const off = probe((rig) => rig.part.powerCut());
    assert.equal(off.ok, false);
    assert.match(off.lines[0]!, /^printer: OFFLINE/);
  });
});

describe("probe-printer.js bundle in the simulated world", () => {
  const bundle = path.join(__dirname, "..", "..", "dist", "pos-esp32-v1", "probe-printer.js");
  it("prints the self-test page on the board's virtual printer (needs make build)", function () {
    if (!fs.existsSync(bundle)) this.skip();
    const w = createWorld({ board: "pos-esp32-v1", bundle });
    w.runUntil(() => w.console.some((l) => l.startsWith("printer: probe done")), 60);
    assert.deepEqual(w.errors, []);
    assert.ok(w.console.includes("printer: probe done"), w.console.join("\n"));
    const part = w.parts.printer as unknown as EscposPart;
    assert.ok(part.text().includes("END OF SELF-TEST"));
    assert.equal(part.stats.bytesLost, 0);
  });
});
