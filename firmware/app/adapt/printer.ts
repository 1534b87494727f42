// PrinterPort over the ESC/POS driver and the receipt layouts (firmware/receipt). The
// driver takes a re-renderable job; its paper-out error reaches the flow as PAPER_OUT. The
// layouts take the transaction record and the settlement result as they are.
import { PrinterPort, AppError, appError } from "../ports";
import { PrintJob } from "../../../drivers/print-doc";
import { receiptJob, MerchantInfo } from "../../receipt/receipt";
import { batchReportJob, settlementJob } from "../../receipt/reports";
import { Settings } from "../settings";

/** The printer driver as the app uses it. */
export interface PrinterLike {
  print(job: PrintJob, cb: (err: { code?: string; message?: string } | null) => void): void;
  cancel(): void;
}

export function merchantOf(v: Settings): MerchantInfo {
  return { name: v.merchantName, address: [v.merchantAddr], mid: v.mid, tid: v.tid, currency: "USD", training: v.training === 1 };
}

function done(cb: (err: AppError | null) => void) {
  return function (err: { code?: string; message?: string } | null) {
    if (!err) { cb(null); return; }
    cb(appError(err.code === "PAPER_OUT" ? "PAPER_OUT" : "PRINTER", err.message || "Printer error"));
  };
}

/** statusHub: give its `emit` to the driver's onStatus option; `tap` sees every status too
 *  (the health counters count "paper out") */
export interface StatusHub { emit: (what: string) => void; listen: (fn: (what: string) => void) => void; }
export function statusHub(tap?: (what: string) => void): StatusHub {
  var fn: ((what: string) => void) | null = null;
  return { emit: function (w) { if (tap) tap(w); if (fn) fn(w); }, listen: function (f) { fn = f; } };
}

/** now: the report time (Unix-style seconds of the acquirer's local time), or why there is none */
export function printerPort(printer: PrinterLike, status: StatusHub, settings: () => Settings, now: () => number | string): PrinterPort {
  return {
    onStatus: status.listen,
    cancel: function () { printer.cancel(); },
    job: function (j, cb) { printer.print(j, done(cb)); },
    receipt: function (t, copy, reprint, cb) {
      printer.print(receiptJob(merchantOf(settings()), t, copy === "customer" ? 1 : 0, reprint), done(cb));
    },
    report: function (doc, cb) {
      var m = merchantOf(settings());
      var own = doc.render;
      if (own) {
        var time = now();
        printer.print({ render: function (e, reprint) { own!(e, m, time, reprint); } }, done(cb));
      } else if (doc.settled) {
        printer.print(settlementJob(m, doc.settled, now()), done(cb));
      } else {
        printer.print(batchReportJob(m, { kind: doc.title.charAt(0) === "Z" ? "Z" : "X", batch: doc.batch, time: now(), totals: doc.totals, eachLine: doc.eachLine }), done(cb));
      }
    },
  };
}
