// Receipt printing with the journal's receipt marks: started before the first byte, done
// after the merchant copy. A power cut in between leaves the mark open and the next boot
// reprints (marked REPRINT). Paper out stops the job; ENTER reprints the whole receipt
// marked REPRINT after paper is loaded, CANCEL skips it (it can be reprinted from the menu).
import { App, State, screen } from "./flow";
import { TxnInfo, ReceiptCopy, ReportDoc } from "./ports";

export function printReceipt(app: App, txn: TxnInfo, copy: ReceiptCopy, reprint: boolean, head: string[], then: () => void): void {
  printTracked(app, txn, copy, reprint, head, then, copy === "merchant" && !reprint);
}

/** tracked: the first merchant copy, whose receipt marks live in the journal (kept through
 *  paper-out retries, which are REPRINTs) */
function printTracked(app: App, txn: TxnInfo, copy: ReceiptCopy, reprint: boolean, head: string[], then: () => void, tracked: boolean): void {
  var s: State = {
    name: "printing", timeout: 0,
    screen: function () { return screen(head.length ? "APPROVED" : "PRINTING", head.concat(["Printing " + copy + " copy" + (reprint ? " (REPRINT)" : "")]), "please wait"); },
  };
  app.go(s);
  var journal = app.ports.journal;
  var finish = function () {
    if (!tracked) { then(); return; }
    journal.receiptDone(txn.stan, function (err) {
      if (err) app.ports.log("receipt mark: " + err.message);
      then();
    });
  };
  var print = function () {
    app.ports.printer.receipt(txn, copy, reprint, function (err) {
      if (!app.isCurrent(s)) return;
      if (!err) { finish(); return; }
      app.go(paperProblem(app, err.code === "PAPER_OUT" ? "PAPER OUT" : "PRINTER ERROR", err.message, function () {
        printTracked(app, txn, copy, true, head, then, tracked);
      }, finish));
    });
  };
  if (tracked && !reprint) {
    journal.receiptStarted(txn.stan, function (err) {
      if (err) app.ports.log("receipt mark: " + err.message);
      if (app.isCurrent(s)) print();
    });
  } else {
    print();
  }
}

export function printReport(app: App, doc: ReportDoc, then: () => void): void {
  var s: State = { name: "printing", timeout: 0, screen: function () { return screen(doc.title, ["Printing..."], "please wait"); } };
  app.go(s);
  app.ports.printer.report(doc, function (err) {
    if (!app.isCurrent(s)) return;
    if (!err) { then(); return; }
    app.go(paperProblem(app, err.code === "PAPER_OUT" ? "PAPER OUT" : "PRINTER ERROR", err.message, function () {
      printReport(app, doc, then);
    }, then));
  });
}

function paperProblem(app: App, title: string, why: string, retry: () => void, skip: () => void): State {
  return {
    name: "paper", timeout: 0,
    screen: function () { return screen(title, [why, "Fix, then ENTER", "to reprint"], "ENTER=reprint CANCEL=skip"); },
    key: function (k) { if (k === "ENTER") retry(); else if (k === "CANCEL") skip(); },
  };
}
