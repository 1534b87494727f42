// Printer bring-up probe: status readout, a self-test page (styles, alignment, font B,
// ruler, CODE128, QR, raster), then the status again. Logs "printer: ..." lines.
import { EscPosEncoder, Mode } from "../../drivers/escpos/encoder";
import { Align, Hri, QrEc } from "../../drivers/print-doc";
import { EscPosPrinter } from "../../drivers/escpos/printer";
import { PrinterStatus, describeStatus } from "../../drivers/escpos/status";
import { COLUMNS } from "./format";

export interface PrinterProbeOptions {
  printer: EscPosPrinter;
  log: (line: string) => void;
  /** what the board file says, printed on the page */
  baud: number;
  dots: number;
  mmPerSecond: number;
  done?: (ok: boolean) => void;
}

/** a 128x32 checkerboard of 8-dot squares with a frame, as GS v 0 rows */
function testPattern(): Uint8Array {
  var w = 16, h = 32;
  var img = new Uint8Array(w * h);
  for (var y = 0; y < h; y++) {
    for (var x = 0; x < w; x++) {
      var v = ((x + (y >> 3)) & 1) ? 0xff : 0x00;
      if (y === 0 || y === h - 1) v = 0xff;
      if (x === 0) v |= 0x80;
      if (x === w - 1) v |= 0x01;
      img[y * w + x] = v;
    }
  }
  return img;
}

export function renderSelfTestPage(e: EscPosEncoder, o: { baud: number; dots: number; mmPerSecond: number }, reprint: boolean): void {
  e.init().align(Align.Center).size(2, 2).line("SELF-TEST").size(1, 1);
  if (reprint) e.line("(REPRINT)");
  e.line(o.baud + " BAUD  " + o.dots + " DOTS  " + o.mmPerSecond + " MM/S");
  e.align(Align.Left).newline();
  e.line("12345678901234567890123456789012".substr(0, COLUMNS));
  e.line("Normal text, font A");
  e.bold(true).line("Bold").bold(false);
  e.underline(1).line("Underline thin").underline(2).line("Underline thick").underline(0);
  e.size(2, 1).line("Double width").size(1, 2).line("Double height").size(2, 2).line("2x2 size").size(1, 1);
  e.invert(true).line(" Reverse ").invert(false);
  e.mode(Mode.FontB).line("Font B: 42 columns of smaller text").mode(0);
  e.align(Align.Center).line("centre").align(Align.Right).line("right").align(Align.Left);
  e.newline();
  e.align(Align.Center);
  e.barcode128("SELFTEST-01", 60, 2, Hri.Below);
  e.newline();
  e.qr("POS SELF-TEST", 4, QrEc.M);
  e.newline();
  e.raster(16, 32, testPattern());
  e.align(Align.Left).newline().line("END OF SELF-TEST").feed(3).cut();
}

function statusLine(st: PrinterStatus): string {
  return "printer: status " + describeStatus(st);
}

export function runPrinterProbe(o: PrinterProbeOptions): void {
  var log = o.log;
  var finish = function (ok: boolean) {
    log("printer: probe done" + (ok ? "" : " (FAILED)"));
    if (o.done) o.done(ok);
  };
  o.printer.status(function (err, st) {
    if (err) { log("printer: " + err.code + ": " + err.message); finish(false); return; }
    log(statusLine(st!));
    o.printer.print({ render: function (e, reprint) { renderSelfTestPage(e, o, reprint); } }, function (perr, res) {
      if (perr) { log("printer: self-test page " + perr.code + ": " + perr.message); finish(false); return; }
      log("printer: self-test page printed, " + res!.bytes + " bytes, " + res!.reprints + " reprint(s)");
      o.printer.status(function (err2, st2) {
        if (err2) { log("printer: " + err2.code + ": " + err2.message); finish(false); return; }
        log(statusLine(st2!));
        finish(true);
      });
    });
  });
}
