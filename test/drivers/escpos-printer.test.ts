// The paced driver against the virtual printer over the simulated UART (10 bits per byte,
// blocking 256-byte TX queue), on the printer rig's virtual clock.
import { strict as assert } from "assert";
import { PrinterRig } from "../support/escpos-rig";
import { EscPosInterpreter } from "../../sim/escpos/interpreter";
import { renderText } from "../../sim/escpos/text";
import { EscPosPrinter, PrintError, PrintResult, PrinterOptions } from "../../drivers/escpos/printer";
import { EscPosEncoder } from "../../drivers/escpos/encoder";
import { PrintJob } from "../../drivers/print-doc";
import { StatusReader } from "../../drivers/escpos/status";
import { receiptJob, Copy } from "../../firmware/receipt/receipt";
import { MERCHANT, SALE } from "../fixtures/receipts/samples";

interface Setup { rig: PrinterRig; printer: EscPosPrinter; events: string[]; }

function setup(baud = 19200, mmPerSecond = 60, extra: Partial<PrinterOptions> = {}): Setup {
  const rig = new PrinterRig({ baud, mmPerSecond });
  const events: string[] = [];
  const printer = new EscPosPrinter({ uart: rig.port, io: rig.io, baud, dots: 384, mmPerSecond, onStatus: (w) => events.push(w), ...extra });
  return { rig, printer, events };
}

function printJob(s: Setup, job: PrintJob, maxSeconds = 60, during?: () => void): { err: PrintError | null; res?: PrintResult } {
  let out: { err: PrintError | null; res?: PrintResult } | null = null;
  s.rig.call(() => s.printer.print(job, (err, res) => { out = { err, res }; }));
  if (during) during();
  s.rig.runUntil(() => out !== null, maxSeconds);
  assert.ok(out, "print callback within " + maxSeconds + " s");
  return out!;
}

/** what the job renders to when interpreted straight from the encoder's bytes */
function direct(job: PrintJob, reprint: boolean): string {
  const e = new EscPosEncoder();
  job.render(e, reprint);
  const it = new EscPosInterpreter();
  it.run(e.bytes());
  return renderText(it.paper);
}

function ratio(rig: PrinterRig, baud: number, mmPerSecond: number): number {
  const st = rig.part.stats;
  const limit = Math.max(st.bytesReceived * 10 / baud, rig.part.paperMm / mmPerSecond);
  return (st.cutTimes[0]! - st.firstByteAt) / limit;
}

/** a 384x160 logo (stripes) as GS v 0 bands */
function logoJob(): PrintJob<EscPosEncoder> {
  const img = new Uint8Array(48 * 160);
  for (let i = 0; i < img.length; i++) img[i] = Math.floor(i / 48) % 16 < 8 ? 0xff : 0x81;
  return { render: (e) => { e.init().raster(48, 160, img).line("logo").cut(); } };
}

describe("ESC/POS driver <-> virtual printer over the UART", () => {
  it("prints a sale receipt exactly as rendered, paced: no write stall, no lost byte, near the physical limit", () => {
    const s = setup();
    const job = receiptJob(MERCHANT, SALE, Copy.Customer);
    const r = printJob(s, job);
    assert.equal(r.err, null);
    assert.equal(r.res!.reprints, 0);
    assert.equal(s.rig.part.text(), direct(job, false));
    assert.equal(s.rig.stalls.max, 0, "Serial.write never blocked");
    assert.equal(s.rig.part.stats.bytesLost, 0);
    assert.equal(s.rig.part.stats.cutTimes.length, 1);
    const q = ratio(s.rig, 19200, 60);
    assert.ok(q >= 1 && q <= 1.1, "time ratio " + q);
    assert.ok(s.rig.part.stats.maxBuffered <= 1024, "printer buffer stays under the budget: " + s.rig.part.stats.maxBuffered);
  });

  for (const [baud, mm] of [[9600, 50], [19200, 90], [115200, 60]] as const) {
    it(`paces at ${baud} baud and ${mm} mm/s without stalls`, () => {
      const s = setup(baud, mm);
      const r = printJob(s, receiptJob(MERCHANT, SALE, Copy.Merchant));
      assert.equal(r.err, null);
      assert.equal(s.rig.stalls.max, 0);
      assert.equal(s.rig.part.stats.bytesLost, 0);
      const q = ratio(s.rig, baud, mm);
      assert.ok(q <= 1.1, "time ratio " + q);
    });
  }

  it("streams a raster logo (UART-bound) without stalls or overflow", () => {
    const s = setup();
    const r = printJob(s, logoJob());
    assert.equal(r.err, null);
    assert.equal(s.rig.stalls.max, 0);
    assert.equal(s.rig.part.stats.bytesLost, 0);
    assert.match(s.rig.part.text(), /\[IMAGE 384x160 raster\]\nlogo\n\[CUT\]/);
    assert.ok(ratio(s.rig, 19200, 60) <= 1.1, "ratio " + ratio(s.rig, 19200, 60));
  });

  it("an unpaced write of the same receipt would stall the interpreter (why we pace)", () => {
    const rig = new PrinterRig({ baud: 9600 });
    const e = new EscPosEncoder();
    receiptJob(MERCHANT, SALE, Copy.Customer).render(e, false);
    rig.call(() => rig.port.write(e.bytes()));
    assert.ok(rig.stalls.max > 0.2, "stall " + rig.stalls.max);
  });

  it("an unpaced stream faster than the mechanism overflows the printer's 4 KB buffer (lost bytes are logged)", () => {
    const rig = new PrinterRig({ baud: 115200, mmPerSecond: 50 });
    const e = new EscPosEncoder();
    for (let i = 0; i < 300; i++) e.line("line " + i + " of a long unpaced text dump");
    rig.call(() => rig.port.write(e.bytes()));
    rig.run(30);
    assert.ok(rig.part.stats.bytesLost > 0, "lost " + rig.part.stats.bytesLost);
    assert.ok(rig.log.some((l) => l.includes("receive buffer full")));
  });

  it("a job whose layout throws fails with LAYOUT and leaves the driver idle", () => {
    const s = setup();
    const r = printJob(s, { render: () => { throw new Error("bad record"); } }, 2);
    assert.equal(r.err!.code, "LAYOUT");
    assert.match(r.err!.message, /bad record/);
    assert.equal(s.printer.busy(), false);
    assert.equal(printJob(s, receiptJob(MERCHANT, SALE, Copy.Customer)).err, null);
  });

  it("paper out mid-receipt: stops, reports, and after loading paper closes the partial and reprints marked REPRINT", () => {
    const s = setup();
    s.rig.part.setRoll(40); // runs out about a third of the way in
    let out: { err: PrintError | null; res?: PrintResult } | null = null;
    s.rig.call(() => s.printer.print(receiptJob(MERCHANT, SALE, Copy.Customer), (err, res) => { out = { err, res }; }));
    s.rig.runUntil(() => s.events.includes("paper out"), 30);
    assert.ok(s.events.includes("paper out"));
    const sentAtStop = s.rig.wire.stats.txBytes;
    s.rig.run(5); // waiting: only status polls go out
    assert.ok(s.rig.wire.stats.txBytes - sentAtStop < 100, "only polls while waiting");
    assert.equal(out, null);
    s.rig.part.loadPaper();
    s.rig.runUntil(() => out !== null, 60);
    const r = out!;
    assert.equal(r.err, null);
    assert.equal(r.res!.reprints, 1);
    const text = s.rig.part.text();
    assert.ok(text.includes("-- PRINT INTERRUPTED --"));
    const reprint = text.slice(text.indexOf("-- PRINT INTERRUPTED --"));
    assert.ok(reprint.includes(direct(receiptJob(MERCHANT, SALE, Copy.Customer), true)), "full reprint after the partial");
    assert.ok(reprint.includes("***** REPRINT *****"));
    assert.equal(s.rig.part.stats.cutTimes.length, 2, "partial closed by a cut, then the reprint's cut");
    assert.equal(s.rig.part.stats.bytesLost, 0);
  });

  it("cover open before the job: waits, then prints normally (nothing was printed, so no REPRINT)", () => {
    const s = setup();
    s.rig.part.setCoverOpen(true);
    let out: { err: PrintError | null; res?: PrintResult } | null = null;
    s.rig.call(() => s.printer.print(receiptJob(MERCHANT, SALE, Copy.Customer), (err, res) => { out = { err, res }; }));
    s.rig.run(3);
    assert.deepEqual(s.events, ["cover open"]);
    assert.equal(s.rig.part.interp.paper.entries.length, 0);
    s.rig.part.setCoverOpen(false);
    s.rig.runUntil(() => out !== null, 30);
    assert.equal(out!.err, null);
    assert.equal(out!.res!.reprints, 0);
    assert.ok(!s.rig.part.text().includes("REPRINT"));
  });

  it("offline printer (no power): OFFLINE error after the timeout and no timer left behind", () => {
    const s = setup();
    s.rig.part.powerCut();
    const t0 = s.rig.clock.now();
    const r = printJob(s, receiptJob(MERCHANT, SALE, Copy.Customer), 5);
    assert.equal(r.err!.code, "OFFLINE");
    assert.ok(s.rig.clock.now() - t0 < 0.5, "fails fast");
    const sent = s.rig.wire.stats.txBytes;
    s.rig.run(10);
    assert.equal(s.rig.wire.stats.txBytes, sent, "nothing more sent");
    assert.equal(s.printer.busy(), false);
    assert.ok(s.rig.clock.pending() === 0, "no pending events: " + s.rig.clock.pending());
  });

  it("printer dies mid-receipt: OFFLINE instead of waiting forever", () => {
    const s = setup();
    const r = printJob(s, receiptJob(MERCHANT, SALE, Copy.Customer), 10, () => {
      s.rig.runUntil(() => s.rig.part.stats.bytesReceived > 200, 5);
      s.rig.part.powerCut();
    });
    assert.equal(r.err!.code, "OFFLINE");
  });

  it("reports paper near end and still prints", () => {
    const s = setup();
    s.rig.part.setNearEnd(true);
    const r = printJob(s, receiptJob(MERCHANT, SALE, Copy.Customer));
    assert.equal(r.err, null);
    assert.equal(r.res!.nearEnd, true);
    assert.ok(s.events.includes("paper near end"));
  });

  it("status() reads DLE EOT 1/2/4; a second job while busy gets BUSY; cancel stops waiting", () => {
    const s = setup();
    s.rig.part.setPaperOut(true);
    let st: any = null;
    s.rig.call(() => s.printer.status((err, v) => { st = { err, v }; }));
    s.rig.runUntil(() => st !== null, 2);
    assert.equal(st.err, null);
    assert.equal(st.v.paperOut, true);
    assert.equal(st.v.offline, true);
    let first: PrintError | null | undefined, second: PrintError | null | undefined;
    s.rig.call(() => {
      s.printer.print(receiptJob(MERCHANT, SALE, Copy.Customer), (err) => { first = err; });
      s.printer.print(receiptJob(MERCHANT, SALE, Copy.Merchant), (err) => { second = err; });
    });
    s.rig.run(2);
    assert.equal(second!.code, "BUSY");
    s.rig.call(() => s.printer.cancel());
    assert.equal(first!.code, "CANCELLED");
    s.rig.run(5);
    assert.equal(s.rig.clock.pending(), 0, "no timers after cancel");
  });

  it("gives up after waitLimitMs with PAPER_OUT (COVER_OPEN when the cover is open)", () => {
    const s = setup(19200, 60, { waitLimitMs: 3000 });
    s.rig.part.setPaperOut(true);
    const r = printJob(s, receiptJob(MERCHANT, SALE, Copy.Customer), 10);
    assert.equal(r.err!.code, "PAPER_OUT");
    const c = setup(19200, 60, { waitLimitMs: 1000 });
    c.rig.part.setCoverOpen(true);
    assert.equal(printJob(c, receiptJob(MERCHANT, SALE, Copy.Customer), 10).err!.code, "COVER_OPEN");
  });

  it("Auto Status Back: GS a makes the printer report changes in 4-byte frames the reader parses", () => {
    const s = setup();
    const reader = new StatusReader();
    s.rig.port.on("data", (d) => reader.feed(d));
    s.rig.call(() => s.rig.port.write([0x1d, 0x61, 0x0f]));
    s.rig.run(0.1);
    assert.equal(reader.status.paperOut, false);
    s.rig.part.setPaperOut(true);
    s.rig.run(0.1);
    assert.equal(reader.status.paperOut, true);
    assert.equal(reader.status.offline, true);
    s.rig.part.loadPaper();
    s.rig.run(0.1);
    assert.equal(reader.status.paperOut, false);
  });
});
