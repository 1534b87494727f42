// MENU 0 SERVICE -> 1 AUDIT: supervisor PIN, how many entries (ENTER alone: 20), then the
// newest entries printed through the report path, oldest first, with the chain head to note
// down. Everything here is built when the menu is used (nothing of it lives at idle).
import { App, State, screen, message, isDigitKey } from "../app/flow";
import { requirePin } from "../app/supervisor";
import { printReport } from "../app/printing";
import { pair, rule, dateTime } from "../receipt/format";
import { renderHeader, renderFooter } from "../receipt/receipt";
import { PrintDoc, Align } from "../../drivers/print-doc";
import { MerchantInfo } from "../receipt/receipt";
import { toHex } from "../host/hex";
import { zeroPad } from "../util/money";
import { getU32, NO_TIME } from "./format";

export const AUDIT_DEFAULT_ENTRIES = 20;

export function auditMenu(app: App, back: () => void): void {
  var log = app.ports.audit;
  if (!log) { app.go(message(app, "AUDIT", ["No audit log", "on this terminal"], 10, back)); return; }
  var audit = log;
  requirePin(app, "for AUDIT", function () {
    var digits = "";
    var ask: State = {
      name: "audit-count", timeout: 30,
      screen: function () { return screen("AUDIT", ["Entries to print:", (digits || "" + AUDIT_DEFAULT_ENTRIES) + "_", "ENTER alone: " + AUDIT_DEFAULT_ENTRIES], "ENTER=print CANCEL=exit"); },
      key: function (k) {
        if (k === "CANCEL") back();
        else if (k === "CLEAR") { digits = digits.substr(0, digits.length ? digits.length - 1 : 0); app.render(); }
        else if (k === "ENTER") print(digits ? parseInt(digits, 10) : AUDIT_DEFAULT_ENTRIES);
        else if (isDigitKey(k) && digits.length + k.length <= 3 && (digits || k.charAt(0) !== "0")) { digits += k; app.render(); }
      },
      expire: back,
    };
    var print = function (n: number): void {
      var render = function (e: PrintDoc, m: MerchantInfo, time: string, reprint: boolean): void {
        var W = e.columns, head = audit.head(), from = head.seq - n, shown = 0;
        var names = "BOOT,CUT RECOVERED,JOURNAL FAULT,JOURNAL RECOVER,PIN OK,PIN FAILED,PIN LOCKOUT,VOID,REFUND,REPRINT,SETTLEMENT,Z REPORT,SETTINGS,UPDATE STAGED,UPDATE APPLIED,ROLLBACK,LOW MEMORY,TRAINING ON,TRAINING OFF".split(",");
        var roles = "SYS,CASHIER,SUPERV,TECH".split(",");
        renderHeader(e, m, reprint);
        var dt = dateTime(time);
        e.line(pair("DATE: " + dt[0], "TIME: " + dt[1], W)).line(rule("=", W));
        e.align(Align.Center).size(2, 2).line("AUDIT LOG").size(1, 1).align(Align.Left).line(rule("-", W));
        audit.each(from > 1 ? from : 1, function (b) {
          var ev = b[4]!, t = getU32(b, 16);
          shown++;
          e.line(pair(zeroPad(getU32(b, 0), 6) + " " + (names[ev - 1] || "EVENT " + ev), roles[b[5]!] || "ROLE " + b[5], W));
          e.line(pair("  " + getU32(b, 8) + " " + getU32(b, 12) + (b[6] ? " (" + b[6] + " cut)" : ""), t === NO_TIME ? "no time" : dateTime(t).join(" "), W));
        });
        if (!shown) e.line("No entries");
        e.line(rule("-", W));
        e.line("HEAD " + (head.seq - 1)).line(toHex(head.chain).toLowerCase().substr(0, W));
        renderFooter(e, "--- END OF AUDIT ---", reprint);
      };
      printReport(app, { title: "AUDIT", batch: 0, totals: { saleCount: 0, saleAmount: 0, refundCount: 0, refundAmount: 0, voidCount: 0, voidAmount: 0 }, render: render }, back);
    };
    app.go(ask);
  }, back);
}
