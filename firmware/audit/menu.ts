// MENU 0 SERVICE -> 1 AUDIT: supervisor PIN, how many entries (ENTER alone: 20), then the
// newest entries printed through the report path, oldest first, with the chain head to note
// down. Everything here is built when the menu is used (nothing of it lives at idle).
import { App, State, screen, message, isDigitKey } from "../app/flow";
import { requireRole } from "../app/supervisor";
import { Role } from "../app/pin";
import { printReport } from "../app/printing";
import { pair, rule, dateTime } from "../receipt/format";
import { renderHeader, renderFooter } from "../receipt/receipt";
import { stampTime } from "../receipt/reports";
import { PrintDoc, Align } from "../../drivers/print-doc";
import { MerchantInfo } from "../receipt/receipt";
import { toHex } from "../host/hex";
import { zeroPad } from "../util/money";
import { Fmt } from "./format";
import { S } from "./log";
import { AuditPort } from "../app/ports";

export const AUDIT_DEFAULT_ENTRIES = 20;

/** Visits the log's retained entries with seq >= from, oldest first, one 32-byte slot at a
 *  time (the bytes as on flash: format.ts). Returns the next entry's seq; chain (12 bytes), if
 *  given, gets the newest chain. */
export function eachEntry(log: AuditPort, from: number, fn: (e: Uint8Array) => void, chain?: Uint8Array): number {
  var st = log.st, size = st[S.SIZE]!, n = st[S.SECTORS]!, done = -1;
  if (chain) chain.set(new Uint8Array(st.buffer, S.PREV * 4, Fmt.CHAIN));
  for (;;) {
    var s = -1;
    for (var t = 0; t < n; t++) { // the next sector in seq order
      var q = st[S.HV + t * 4 + 1]!;
      if ((st[S.HV + t * 4]! & 1) && (done < 0 || q > st[S.HV + done * 4 + 1]!) && (s < 0 || q < st[S.HV + s * 4 + 1]!)) s = t;
    }
    if (s < 0) return st[S.SEQ]!;
    done = s;
    for (var i = 1; i < size / Fmt.SLOT; i++) {
      var e = new Uint8Array(log.flash.read(Fmt.SLOT, st[S.BASE]! + s * size + i * Fmt.SLOT)), seq = new Uint32Array(e.buffer, 0, 8)[0]!;
      if (seq >= from && seq > 0 && seq < st[S.SEQ]!) fn(e);
    }
  }
}

export function auditMenu(app: App, back: () => void): void {
  var log = app.ports.audit;
  if (!log) { app.go(message(app, "AUDIT", ["No audit log", "on this terminal"], 10, back)); return; }
  var audit = log;
  requireRole(app, Role.Supervisor, "for AUDIT", function () {
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
      var render = function (e: PrintDoc, m: MerchantInfo, time: number | string, reprint: boolean): void {
        var W = e.columns, chain = new Uint8Array(12), from = audit.st[S.SEQ]! - n, shown = 0;
        var names = "BOOT,CUT RECOVERED,JOURNAL FAULT,JOURNAL RECOVER,PIN OK,PIN FAILED,PIN LOCKOUT,VOID,REFUND,REPRINT,SETTLEMENT,Z REPORT,SETTINGS,UPDATE STAGED,UPDATE APPLIED,ROLLBACK,LOW MEMORY,TRAINING ON,TRAINING OFF,PIN REFUSED".split(",");
        var roles = "SYS,CASHIER,SUPERV,TECH".split(",");
        renderHeader(e, m, reprint);
        stampTime(e, time);
        e.line(rule("=", W));
        e.align(Align.Center).size(2, 2).line("AUDIT LOG").size(1, 1).align(Align.Left).line(rule("-", W));
        var next = eachEntry(audit, from > 1 ? from : 1, function (b) {
          var w = new Uint32Array(b.buffer, b.byteOffset, 8), u = function (o: number) { return w[o >> 2]!; };
          var ev = b[4]!, t = u(16);
          shown++;
          e.line(pair(zeroPad(u(0), 6) + " " + (names[ev - 1] || "EVENT " + ev), roles[b[5]!] || "ROLE " + b[5], W));
          e.line(pair("  " + u(8) + " " + u(12) + (b[6] ? " (" + b[6] + " cut)" : ""), t === Fmt.NO_TIME ? "no time" : dateTime(t).join(" "), W));
        }, chain);
        if (!shown) e.line("No entries");
        e.line(rule("-", W));
        e.line("HEAD " + (next - 1)).line(toHex(chain).toLowerCase().substr(0, W));
        renderFooter(e, "--- END OF AUDIT ---", reprint, m.training);
      };
      printReport(app, { title: "AUDIT", batch: 0, totals: { saleCount: 0, saleAmount: 0, refundCount: 0, refundAmount: 0, voidCount: 0, voidAmount: 0 }, render: render }, back);
    };
    app.go(ask);
  }, back);
}
