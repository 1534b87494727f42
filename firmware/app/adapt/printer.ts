// PrinterPort over the ESC/POS driver and the receipt layouts (firmware/receipt). The
// driver takes a re-renderable job; its paper-out error reaches the flow as PAPER_OUT.
import { PrinterPort, TxnInfo, AppError, appError } from "../ports";
import { PrintJob } from "../../../drivers/escpos/job";
import { receiptJob, MerchantInfo, ReceiptTxn } from "../../receipt/receipt";
import { batchReportJob, settlementJob } from "../../receipt/reports";
import { Settings } from "../settings";

/** The printer driver as the app uses it. */
export interface PrinterLike {
  print(job: PrintJob, cb: (err: { code?: string; message?: string } | null) => void): void;
  cancel(): void;
}

export function merchantOf(v: Settings): MerchantInfo {
  return { name: v.merchantName, address: [v.merchantAddr], mid: v.mid, tid: v.tid, currency: "USD" };
}

/** "MMDD" + "hhmmss" -> "MM-DD hh:mm:ss" (the device has no year of its own) */
export function stamp(date: string, time: string): string {
  if (date.length !== 4 || time.length !== 6) return date + " " + time;
  return date.substr(0, 2) + "-" + date.substr(2, 2) + " " + time.substr(0, 2) + ":" + time.substr(2, 2) + ":" + time.substr(4, 2);
}

function receiptTxn(t: TxnInfo): ReceiptTxn {
  return {
    type: t.kind === "refund" ? "REFUND" : t.kind === "void" ? "VOID" : "SALE",
    amount: t.amount, stan: t.stan, invoice: t.invoice, batch: t.batch, last4: t.last4,
    entryMode: t.entry === "071" ? "TAP" : t.entry === "021" ? "SWIPE" : undefined,
    authCode: t.authCode, rrn: t.rrn, time: stamp(t.date, t.time), approved: t.approved, responseCode: t.rc,
  };
}

function done(cb: (err: AppError | null) => void) {
  return function (err: { code?: string; message?: string } | null) {
    if (!err) { cb(null); return; }
    cb(appError(err.code === "PAPER_OUT" ? "PAPER_OUT" : "PRINTER", err.message || "Printer error"));
  };
}

/** statusHub: give its `emit` to the driver's onStatus option */
export interface StatusHub { emit: (what: string) => void; listen: (fn: (what: string) => void) => void; }
export function statusHub(): StatusHub {
  var fn: ((what: string) => void) | null = null;
  return { emit: function (w) { if (fn) fn(w); }, listen: function (f) { fn = f; } };
}

export function printerPort(printer: PrinterLike, status: StatusHub, settings: () => Settings, now: () => string): PrinterPort {
  return {
    onStatus: status.listen,
    cancel: function () { printer.cancel(); },
    receipt: function (t, copy, reprint, cb) {
      printer.print(receiptJob(merchantOf(settings()), receiptTxn(t), copy === "customer" ? 1 : 0, reprint), done(cb));
    },
    report: function (doc, cb) {
      var m = merchantOf(settings());
      if (doc.settled) {
        var s = doc.settled;
        printer.print(settlementJob(m, { batch: s.batch, time: now(), totals: s.totals, approved: s.approved, responseCode: s.rc, reconciled: s.uploaded }), done(cb));
      } else {
        printer.print(batchReportJob(m, { kind: doc.title.charAt(0) === "Z" ? "Z" : "X", batch: doc.batch, time: now(), totals: doc.totals, eachLine: doc.eachLine }), done(cb));
      }
    },
  };
}
