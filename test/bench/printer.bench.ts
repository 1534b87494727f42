// printer.* figures: a standard sale receipt (merchant copy) through layout -> encoder ->
// paced driver -> simulated UART -> virtual printer, at the board file's baud and mm/s.
// receipt_time_ratio = (cut time - first byte time) / max(bytes*10/baud, paper mm / mm/s).
import * as fs from "fs";
import * as path from "path";
import { PrinterRig } from "../support/escpos-rig";
import { EscPosPrinter, PrintError } from "../../drivers/escpos/printer";
import { receiptJob, Copy } from "../../firmware/receipt/receipt";
import { MERCHANT, SALE } from "../fixtures/receipts/samples";
import { createWorld } from "../../sim/harness";
import type { EscposPart } from "../../sim/parts/escpos";

const board = JSON.parse(fs.readFileSync(path.join(__dirname, "../../boards/pos-esp32-v1.json"), "utf8"));
const spec = board.parts.printer;
const BAUD: number = board.buses[spec.bus].baud;
const MM_S: number = spec.mmPerSecond;

function measure(baud: number, mmPerSecond: number) {
  const rig = new PrinterRig({ baud, mmPerSecond });
  const printer = new EscPosPrinter({ uart: rig.port, io: rig.io, baud, dots: spec.dots, mmPerSecond });
  let done = null as { err: PrintError | null } | null;
  rig.call(() => printer.print(receiptJob(MERCHANT, SALE, Copy.Merchant), (err) => { done = { err }; }));
  rig.runUntil(() => done !== null, 120);
  if (!done || done.err) throw new Error("print failed: " + JSON.stringify(done));
  const st = rig.part.stats;
  const seconds = st.cutTimes[0]! - st.firstByteAt;
  const uart = st.bytesReceived * 10 / baud, paper = rig.part.paperMm / mmPerSecond;
  return { ratio: seconds / Math.max(uart, paper), seconds, uart, paper, bytes: st.bytesReceived, mm: rig.part.paperMm, stallMax: rig.stalls.max, lost: st.bytesLost, maxBuffered: st.maxBuffered };
}

const m = measure(BAUD, MM_S);
console.log(`printer.receipt_time_ratio: ${m.ratio.toFixed(3)}  # first byte to cut ${m.seconds.toFixed(3)} s / physical limit ${Math.max(m.uart, m.paper).toFixed(3)} s (uart ${m.uart.toFixed(3)} s, paper ${m.paper.toFixed(3)} s) at ${BAUD} baud, ${MM_S} mm/s; goal <= 1.1`);
console.log(`printer.receipt_bytes: ${m.bytes} bytes  # on the wire, status queries included`);
console.log(`printer.receipt_paper: ${m.mm.toFixed(1)} mm`);
console.log(`printer.write_stall_max: ${(m.stallMax * 1000).toFixed(3)} ms  # longest interpreter stall in Serial.write; goal ~0`);
console.log(`printer.buffer_peak: ${m.maxBuffered} bytes  # printer receive buffer high-water mark (4096 B); ${m.lost} lost`);
for (const [baud, mm] of [[9600, 50], [115200, 90]] as const) {
  const x = measure(baud, mm);
  console.log(`printer.receipt_time_ratio_${baud}_${mm}: ${x.ratio.toFixed(3)}  # same receipt at ${baud} baud, ${mm} mm/s; stall max ${(x.stallMax * 1000).toFixed(3)} ms`);
}

// The same driver in the full simulator (runtime cost model) via the probe bundle, if built.
const bundle = path.join(__dirname, "../../dist/pos-esp32-v1/probe-printer.js");
if (fs.existsSync(bundle)) {
  const w = createWorld({ board: "pos-esp32-v1", bundle });
  w.runUntil(() => w.console.some((l) => l.startsWith("printer: probe done")), 120);
  const part = w.parts.printer as unknown as EscposPart;
  const st = part.stats;
  const limit = Math.max(st.bytesReceived * 10 / BAUD, part.paperMm / MM_S);
  console.log(`printer.selftest_time_ratio_world: ${((st.cutTimes[0]! - st.firstByteAt) / limit).toFixed(3)}  # probe-printer.js self-test page in the world (runtime's blocking Serial2), ${st.bytesReceived} bytes, ${part.paperMm.toFixed(1)} mm`);
} else {
  console.log("# printer.selftest_time_ratio_world skipped: run make build first");
}
