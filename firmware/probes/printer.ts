// probe-printer.js: status readout, self-test page, status again (firmware/receipt/probe.ts).
import { bringUp, makePrinter } from "../board";
import { runPrinterProbe } from "../receipt/probe";

var p = bringUp();
var printer = makePrinter(p, function (what) { p.log("printer: " + what); });
if (!printer) {
  p.log("printer: no printer on this board");
} else {
  runPrinterProbe({ printer: printer, log: p.log, baud: printer.o.baud, dots: printer.o.dots, mmPerSecond: printer.o.mmPerSecond });
}
