// Receipt printing with the journal's receipt mark: a merchant receipt is unfinished from
// the moment the transaction is approved until the merchant copy has printed (then
// receiptDone); a power cut in between makes the next boot reprint it, marked REPRINT.
// Paper out: the driver waits for paper and prints the whole job again marked REPRINT; the
// screen says so and CANCEL gives up (the receipt can be reprinted from the menu). If the
// driver gives up itself (offline, no paper for too long) ENTER retries as a REPRINT.
import { App, State, screen } from "./flow";
import { ReceiptCopy, ReportDoc, AppError, appError } from "./ports";
import { PrintJob } from "../../drivers/print-doc";
import { TxnRecord } from "../txn";

export function printReceipt(app: App, txn: TxnRecord, copy: ReceiptCopy, reprint: boolean, head: string[], then: () => void): void {
  printTracked(app, txn, copy, reprint, head, then, copy === "merchant" && !reprint);
}

/** tracked: the first merchant copy, whose receipt mark lives in the journal (kept through
 *  retries, which are REPRINTs) */
function printTracked(app: App, txn: TxnRecord, copy: ReceiptCopy, reprint: boolean, head: string[], then: () => void, tracked: boolean): void {
  var journal = app.ports.journal;
  var finish = function () {
    if (!tracked) { then(); return; }
    journal.receiptDone(txn.stan, function (err) {
      if (err) app.ports.log("receipt mark: " + err.message);
      then();
    });
  };
  var start = function (go: () => void) {
    if (!tracked || reprint) { go(); return; }
    journal.receiptStarted(txn.stan, function (err) {
      if (err) app.ports.log("receipt mark: " + err.message);
      go();
    });
  };
  var title = head.length ? "APPROVED" : "PRINTING";
  var line = "Printing " + copy + (reprint ? " (REPRINT)" : "");
  runJob(app, title, head.concat([line]), start, function (cb) { app.ports.printer.receipt(txn, copy, reprint, cb); }, function () {
    printTracked(app, txn, copy, true, head, then, tracked);
  }, finish);
}

export function printReport(app: App, doc: ReportDoc, then: () => void): void {
  runJob(app, doc.title, ["Printing..."], function (go) { go(); }, function (cb) { app.ports.printer.report(doc, cb); }, function () {
    printReport(app, doc, then);
  }, then);
}

/** a ready layout (service receipts), with the same screens as a report */
export function printJob(app: App, title: string, job: PrintJob, then: () => void): void {
  var printer = app.ports.printer;
  runJob(app, title, ["Printing..."], function (go) { go(); }, function (cb) {
    if (printer.job) printer.job(job, cb); else cb(appError("PRINTER", "No printer"));
  }, function () { printJob(app, title, job, then); }, then);
}

/** One print job with its screens: printing, paper out (driver waiting), and a retry/skip
 *  choice if the driver failed. */
function runJob(app: App, title: string, lines: string[], start: (go: () => void) => void,
  job: (cb: (err: AppError | null) => void) => void, retry: () => void, done: () => void): void {
  var blocked = "";
  var s: State = {
    name: "printing", timeout: 0,
    screen: function () {
      if (blocked) return screen(blocked === "cover open" ? "COVER OPEN" : "PAPER OUT", [blocked === "cover open" ? "Close the cover:" : "Load paper:", "the receipt prints", "again (REPRINT)"], "CANCEL=skip");
      return screen(title, lines, "please wait");
    },
    key: function (k) { if (k === "CANCEL" && blocked) app.ports.printer.cancel(); },
  };
  app.go(s);
  app.ports.printer.onStatus(function (what) {
    if (!app.isCurrent(s)) return;
    var b = what === "paper out" || what === "cover open" ? what : "";
    if (b !== blocked) { blocked = b; app.render(); }
  });
  start(function () {
    if (!app.isCurrent(s)) return;
    job(function (err) {
      if (!app.isCurrent(s)) return;
      if (!err || err.code === "CANCELLED") { done(); return; }
      app.go(printProblem(app, err.code === "PAPER_OUT" ? "PAPER OUT" : "PRINTER ERROR", err.message, retry, done));
    });
  });
}

function printProblem(app: App, title: string, why: string, retry: () => void, skip: () => void): State {
  return {
    name: "paper", timeout: 0,
    screen: function () { return screen(title, [why, "Fix, then ENTER", "to reprint"], "ENTER=reprint CANCEL=skip"); },
    key: function (k) { if (k === "ENTER") retry(); else if (k === "CANCEL") skip(); },
  };
}
