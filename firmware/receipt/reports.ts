// X/Z (batch totals) and settlement report layouts, as wide as the printer (enc.columns).
// Totals are integer minor units; the detail lines are the transaction records themselves
// (firmware/txn.ts).
import { PrintDoc, PrintJob, Align } from "../../drivers/print-doc";
import { formatAmount, zeroPad } from "../util/money";
import { pair, rule, dateTime, wrap } from "./format";
import { MerchantInfo, renderHeader, renderFooter } from "./receipt";
import { SettleResult, Totals, TxnKind, TxnRecord, TxnState } from "../txn";

export interface BatchReport {
  /** "X": running totals, batch stays open; "Z": end of day, batch closes */
  kind: "X" | "Z";
  batch: number;
  /** Unix-style seconds of the acquirer's local time, or why the time is not known */
  time: number | string;
  totals: Totals;
  /** optional per-transaction lines (approved or voided records), visited one at a time */
  eachLine?: (fn: (t: TxnRecord) => void) => void;
}

/** sales minus refunds (voids are already excluded from sales) */
export function netAmount(t: Totals): number {
  return t.saleAmount - t.refundAmount;
}

function totalsBlock(e: PrintDoc, cur: string, t: Totals): void {
  var COLUMNS = e.columns; // the printer's characters per line
  e.line(pair("SALES   " + zeroPad(t.saleCount, 3), cur + " " + formatAmount(t.saleAmount), COLUMNS));
  e.line(pair("REFUNDS " + zeroPad(t.refundCount, 3), cur + " -" + formatAmount(t.refundAmount), COLUMNS));
  e.line(pair("VOIDS   " + zeroPad(t.voidCount, 3), cur + " " + formatAmount(t.voidAmount), COLUMNS));
  e.line(rule("-", COLUMNS));
  e.bold(true).line(pair("NET", cur + " " + formatAmount(netAmount(t)), COLUMNS)).bold(false);
}

function stamp(e: PrintDoc, batch: number, time: number | string): void {
  stampTime(e, time);
  e.line("BATCH: " + zeroPad(batch, 6));
  e.line(rule("=", e.columns));
}

/** the date and time, or why there is none */
export function stampTime(e: PrintDoc, time: number | string): void {
  var COLUMNS = e.columns; // the printer's characters per line
  if (typeof time === "number") {
    var dt = dateTime(time);
    e.line(pair("DATE: " + dt[0], "TIME: " + dt[1], COLUMNS));
  } else {
    var w = wrap("TIME: not set (" + time + ")", COLUMNS); // no trusted clock: say why, print none
    for (var i = 0; i < w.length; i++) e.line(w[i]!);
  }
}

export function renderBatchReport(e: PrintDoc, m: MerchantInfo, r: BatchReport, reprint: boolean): void {
  var COLUMNS = e.columns;
  renderHeader(e, m, reprint);
  stamp(e, r.batch, r.time);
  e.align(Align.Center).size(2, 2).line(r.kind + " REPORT").size(1, 1).align(Align.Left);
  var first = true;
  if (r.eachLine) r.eachLine(function (l) {
    if (first) e.line(rule("-", COLUMNS));
    first = false;
    var neg = l.kind === TxnKind.REFUND ? "-" : "";
    var type = (l.kind as string) + (l.state === TxnState.VOIDED ? "*" : "");
    e.line(pair(zeroPad(l.invoice, 6) + " " + type.substr(0, 6) + " *" + l.last4, neg + formatAmount(l.amount), COLUMNS));
  });
  e.line(rule("-", COLUMNS));
  totalsBlock(e, m.currency, r.totals);
  renderFooter(e, r.kind === "Z" ? "--- SHIFT CLOSED ---" : "--- SHIFT OPEN ---", reprint, m.training);
}

/** the settlement as the engine answered it (uploaded: a batch upload reconciled it), at `time` */
export function renderSettlement(e: PrintDoc, m: MerchantInfo, s: SettleResult, time: number | string, reprint: boolean): void {
  var COLUMNS = e.columns;
  renderHeader(e, m, reprint);
  stamp(e, s.batch, time);
  e.align(Align.Center).size(2, 2).line("SETTLEMENT").size(1, 1).align(Align.Left);
  e.line(rule("-", COLUMNS));
  totalsBlock(e, m.currency, s.totals);
  e.newline();
  e.align(Align.Center).size(2, 2).line(s.approved ? "SETTLED" : "FAILED").size(1, 1);
  if (s.uploaded) e.line("BATCH UPLOADED");
  if (!s.approved && (s.rc || s.outcome)) e.line("RESPONSE CODE " + (s.rc || s.outcome));
  e.align(Align.Left);
  renderFooter(e, "--- END OF SETTLEMENT ---", reprint, m.training);
}

export function batchReportJob(m: MerchantInfo, r: BatchReport): PrintJob {
  return { render: function (e: PrintDoc, reprint: boolean) { renderBatchReport(e, m, r, reprint); } };
}

export function settlementJob(m: MerchantInfo, s: SettleResult, time: number | string): PrintJob {
  return { render: function (e: PrintDoc, reprint: boolean) { renderSettlement(e, m, s, time, reprint); } };
}
