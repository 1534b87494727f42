// MENU 0 SERVICE -> 2 HEALTH (docs/health.md): behind the supervisor PIN (technician duty
// once roles land), 1 prints the health receipt, 2 sends the 0800 health message now. All of
// it is built here when the menu opens: nothing but this one function stays in RAM.
import { App, State, screen, busy, message } from "../app/flow";
import { requireRole } from "../app/supervisor";
import { Role } from "../app/pin";
import { printJob } from "../app/printing";
import { merchantOf } from "../app/adapt/printer";
import { PrintDoc, Align } from "../../drivers/print-doc";
import { renderHeader, renderFooter } from "../receipt/receipt";
import { stampTime } from "../receipt/reports";
import { clockNow, clockInfo, Clock } from "../clock";
import { pair, rule } from "../receipt/format";
import { H, HR, FIRMWARE_VERSION } from "./record";
import { journalWear } from "./store";

export function healthMenu(app: App, back: () => void): void {
  var h = app.ports.health;
  if (!h) { app.go(message(app, "HEALTH", ["Not available"], 5, back)); return; }
  var hh = h;
  /** the receipt: every counter by name, the flash wear, terminal and firmware */
  var render = function (e: PrintDoc, reprint: boolean): void {
    var W = e.columns, c = hh.c, w = journalWear(hh), v = app.settings.values, m = merchantOf(v), now = clockNow();
    var names = ("BOOTS|CUTS RECOVERED|NUMBERS SKIPPED|HOST TIMEOUTS|REVERSALS SENT|PAPER OUTS|LOWEST FREE JSVARS|" +
      "HEALTH FLASH ERASES|SWIPE PARITY|SWIPE LRC|SWIPE NO DATA|SWIPE TOO LONG|SWIPE BAD DATA|TAP READER FAULT|TAP READ FAILED").split("|");
    renderHeader(e, m, reprint);
    // the trusted clock's time, or why there is none (docs/time.md): never the uptime clock
    stampTime(e, now >= 0 ? Clock.EPOCH_2020 + now : clockInfo().why);
    e.align(Align.Center).size(2, 2).line("HEALTH").size(1, 1).align(Align.Left);
    e.line(pair("TERMINAL", v.tid, W));
    e.line(pair("FIRMWARE", FIRMWARE_VERSION, W));
    e.line(rule("-", W));
    for (var i = 0; i < names.length; i++) {
      if (i === H.SWIPE_PARITY) { e.line(rule("-", W)); e.line("READER ERRORS"); }
      e.line(pair(names[i]!, i === H.LOW_FREE && c[i] === HR.NONE ? "-" : "" + c[i], W));
    }
    e.line(rule("-", W));
    e.line("FLASH WEAR");
    e.line(pair("JOURNAL MOST ERASES", "" + w[0], W));
    e.line(pair("JOURNAL ERASES", "" + w[1], W));
    e.line(pair("HEALTH RECORD", "" + (hh.st[2]! >>> 0), W));
    renderFooter(e, "--- HEALTH ---", reprint, m.training);
  };
  var menu = function (): State {
    return {
      name: "health", timeout: 60,
      screen: function () {
        return screen("HEALTH", ["1 PRINT RECEIPT", "2 SEND TO HOST", "Boots " + hh.c[H.BOOTS] + " cuts " + hh.c[H.CUTS]], "CANCEL=back");
      },
      key: function (k) {
        if (k === "CANCEL") back();
        else if (k === "1") printJob(app, "HEALTH", { render: render }, function () { app.go(menu()); });
        else if (k === "2") {
          var s = busy(app, "HEALTH", "Sending to host...");
          app.go(s);
          if (!hh.send) { app.go(message(app, "HEALTH", ["No host link"], 10, function () { app.go(menu()); })); return; }
          hh.send(function (err) {
            if (!app.isCurrent(s)) return;
            app.go(message(app, "HEALTH", err ? ["Not sent:", err] : ["Sent to host"], 10, function () { app.go(menu()); }));
          });
        }
      },
    };
  };
  // a technician duty; the supervisor may read the figures too
  requireRole(app, Role.Technician, "for HEALTH", function () { app.go(menu()); }, back, Role.Supervisor);
}
