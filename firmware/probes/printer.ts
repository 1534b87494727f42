// probe-printer.js: status readout, self-test page, status again (firmware/receipt/probe.ts).
import { bringUp, makePrinter } from "../board";
import { runPrinterProbe } from "../receipt/probe";

var p = bringUp();
var spec = p.board().parts["printer"] as any;
var printer = makePrinter(p, function (what) { p.log("printer: " + what); });
if (!printer || !spec) {
  p.log("printer: no escpos printer on this board");
} else {
  var bus = p.board().buses[spec.bus] as any;
  runPrinterProbe({ printer: printer, log: p.log, baud: bus.baud, dots: spec.dots, mmPerSecond: spec.mmPerSecond });
}
