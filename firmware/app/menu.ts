// Idle screen and the function menu (MENU/FUNC): void, refund, reprint, X/Z reports,
// settlement, echo, logon, settings. Each function asks for its role's PIN (docs/roles.md).
import { App, State, screen, isDigitKey, message, confirm, busy, numberEntry } from "./flow";
import { Totals, TxnKind, TxnRecord, TxnState } from "../txn";
import { formatAmount, parseDigits } from "../util/money";
import { amountEntry, voidEntry } from "./sale";
import { requireRole, changePin } from "./supervisor";
import { Role } from "./pin";
import { printReceipt, printReport } from "./printing";
import { serviceMenu } from "./service-menu";
import { AuditEvent, AuditRole } from "../audit/format";
import { Utc } from "./settings";
import { clockInfo, clockSync, ClockSource } from "../clock";

export function idleState(app: App): State {
  return {
    name: "idle", timeout: 0,
    screen: function () {
      var w = app.ports.host.pendingWork();
      var lines = [app.settings.values.merchantName, "Key in amount", "for a sale"];
      var paused = salesPaused(app);
      if (paused) lines = [paused, "Sales paused:", "settle (MENU 6)"];
      // the operator should know the host is owed a reversal (sent before the next message)
      else if (w.reversal) lines.push("Reversal pending");
      else if (w.advices) lines.push(w.advices + " advice(s) to send");
      return screen("READY", lines, "MENU=functions");
    },
    key: function (k) {
      if ((isDigitKey(k) || k === "ENTER") && salesPaused(app)) { app.render(); return; }
      if (isDigitKey(k)) app.go(amountEntry(app, TxnKind.SALE, k));
      else if (k === "ENTER") app.go(amountEntry(app, TxnKind.SALE));
      else if (k === "MENU" || k === "FUNC") app.go(menu(app, 0));
    },
  };
}

/** Why new sales, refunds and voids must wait, or null: the open batch is full, or the
 *  interpreter is low on memory (a half-done sale must never be what runs out). Settlement,
 *  reports, reprints and reversals carry on; after settling, a restart frees the memory. */
export function salesPaused(app: App): string | null {
  if (app.ports.memoryLow && app.ports.memoryLow()) { if (app.ports.audit) app.ports.audit.append(AuditEvent.LowMemory, AuditRole.System, 0, 0); return "Low memory"; }
  return app.ports.journal.saleRefusal ? app.ports.journal.saleRefusal() : null;
}

/** 4 lines a page (the screen toolkit fits 4 lines above the hint), pages split by "|" and
 *  lines by "," when shown: one string in RAM instead of 14 */
const PAGES = "1 VOID,2 REFUND,3 REPRINT,4 X REPORT|5 Z REPORT,6 SETTLEMENT,7 ECHO TEST,8 LOGON|9 SETTINGS,0 SERVICE";
const PAGE_COUNT = 3;

export function menu(app: App, page: number): State {
  return {
    name: "menu", timeout: 30,
    screen: function () { return screen("MENU " + (page + 1) + "/" + PAGE_COUNT, PAGES.split("|")[page]!.split(","), "MENU=more CANCEL=exit"); },
    key: function (k) {
      if (k === "CANCEL") app.idle();
      else if (k === "MENU" || k === "FUNC") app.go(menu(app, (page + 1) % PAGE_COUNT));
      else if (k.length === 1 && k >= "0" && k <= "9") choose(app, k);
      else if (k === "ENTER") app.go(menu(app, (page + 1) % PAGE_COUNT));
    },
  };
}

function choose(app: App, k: string): void {
  var back = function () { app.go(menu(app, 0)); };
  var paused = (k === "1" || k === "2") && salesPaused(app);
  if (paused) app.go(message(app, "NOT NOW", [paused, "Settle first (MENU 6)"], 5, back));
  else if (k === "1") requireRole(app, Role.Supervisor, "for VOID", function () { app.go(voidEntry(app)); }, back);
  else if (k === "2") requireRole(app, Role.Supervisor, "for REFUND", function () { app.go(amountEntry(app, TxnKind.REFUND)); }, back);
  else if (k === "3") requireRole(app, Role.Cashier, "for REPRINT", function () { app.go(reprintMenu(app)); }, back);
  else if (k === "4") requireRole(app, Role.Cashier, "for X REPORT", function () { printReport(app, { title: "X REPORT", batch: batchOf(app), totals: app.ports.journal.shiftTotals(), eachLine: app.ports.journal.eachShiftLine }, function () { app.idle(); }); }, back);
  else if (k === "5") requireRole(app, Role.Cashier, "for Z REPORT", function () { zReport(app); }, back);
  else if (k === "6") requireRole(app, Role.Supervisor, "for SETTLEMENT", function () { settleConfirm(app); }, back);
  else if (k === "7") hostCheck(app, "ECHO TEST", false);
  else if (k === "8") hostCheck(app, "LOGON", true);
  else if (k === "9") requireRole(app, Role.Supervisor, "for SETTINGS", function (who) { app.go(settingsMenu(app, who)); }, back, Role.Technician);
  else if (k === "0") app.go(serviceMenu(app, back));
}

function batchOf(app: App): number {
  var last = app.ports.journal.last();
  return last ? last.batch : 0;
}

export function totalsLines(t: Totals): string[] {
  return ["Sales " + t.saleCount + " " + formatAmount(t.saleAmount), "Refunds " + t.refundCount + " " + formatAmount(t.refundAmount)];
}

function reprintMenu(app: App): State {
  var reprint = function (t: TxnRecord | null): string | null {
    if (!t) return "Not found";
    if (t.state !== TxnState.APPROVED && t.state !== TxnState.VOIDED) return "Not approved";
    if (app.ports.audit) app.ports.audit.append(AuditEvent.Reprint, app.who, t.invoice, t.stan);
    printReceipt(app, t, "merchant", true, [], function () { app.idle(); });
    return null;
  };
  return {
    name: "reprint", timeout: 30,
    screen: function () { return screen("REPRINT", ["1 LAST RECEIPT", "2 BY INVOICE"], "CANCEL=exit"); },
    key: function (k) {
      if (k === "CANCEL") app.idle();
      else if (k === "1") {
        var err = reprint(app.ports.journal.last());
        if (err) app.go(message(app, "REPRINT", [err], 10));
      } else if (k === "2") {
        app.go(numberEntry(app, {
          title: "REPRINT", prompt: "Invoice no:", maxDigits: 6,
          done: function (d) { return reprint(app.ports.journal.byInvoice(parseDigits(d))); },
        }));
      }
    },
  };
}

function zReport(app: App): void {
  var doc = { title: "Z REPORT", batch: batchOf(app), totals: app.ports.journal.shiftTotals(), eachLine: app.ports.journal.eachShiftLine };
  app.go(confirm(app, "Z REPORT?", totalsLines(doc.totals).concat(["Ends the shift"]), function () {
    printReport(app, doc, function () {
      var s = busy(app, "Z REPORT", "Closing shift...");
      app.go(s);
      app.ports.journal.closeShift(function (err) {
        if (!err && app.ports.audit) app.ports.audit.append(AuditEvent.ZReport, app.who, doc.batch, doc.totals.saleAmount);
        if (!app.isCurrent(s)) return;
        app.go(message(app, "Z REPORT", [err ? "Failed: " + err.message : "Shift closed"], 10));
      });
    });
  }));
}

function settleConfirm(app: App): void {
  var t = app.ports.journal.batchTotals();
  app.go(confirm(app, "SETTLE?", totalsLines(t), function () {
    var s = busy(app, "SETTLEMENT", "Settling...");
    app.go(s);
    app.ports.host.settle(function (err, res) {
      if (res && app.ports.audit) app.ports.audit.append(AuditEvent.Settlement, app.who, res.batch, res.approved ? 1 : 0);
      if (!app.isCurrent(s)) return;
      if (err || !res) { app.go(message(app, "SETTLE FAILED", [err ? err.message : "No result"], 15)); return; }
      var title = res.approved ? "SETTLED" : "SETTLE FAILED";
      var lines = ["Batch " + res.batch, "RC " + (res.rc || res.outcome) + (res.uploaded ? " (uploaded)" : "")];
      printReport(app, { title: "SETTLEMENT", batch: res.batch, totals: res.totals, settled: res }, function () {
        app.go(message(app, title, lines, 15));
      });
    });
  }));
}

function hostCheck(app: App, title: string, logon: boolean): void {
  var s = busy(app, title, "Contacting host...");
  app.go(s);
  var done = function (err: { message: string } | null, rc?: string) {
    if (!app.isCurrent(s)) return;
    var ok = !err && rc === "00";
    app.go(message(app, title + (ok ? " OK" : " FAILED"), [err ? err.message : "RC " + rc], 10));
  };
  if (logon) app.ports.host.logon(done); else app.ports.host.echo(done);
}

/** the supervisor sets the cashier and supervisor PINs and the amount limits; the technician
 *  the technician PIN and the UTC offset (a provisioning setting, like posConfig) */
function settingsMenu(app: App, who: number): State {
  var back = function () { app.go(settingsMenu(app, who)); };
  var v = app.settings.values;
  var tech = who === Role.Technician;
  var limit = function (title: string, set: (n: number) => string | null): State {
    return numberEntry(app, {
      title: title, prompt: "Amount in cents:", maxDigits: 9, cancel: back,
      done: function (d) {
        var err = set(parseDigits(d));
        if (err) return err;
        var saveErr = app.settings.save();
        if (!saveErr && app.ports.audit) app.ports.audit.append(AuditEvent.SettingsChange, app.who, title === "MIN AMOUNT" ? 2 : 3, parseDigits(d));
        app.go(message(app, title, [saveErr ? "Not saved: " + saveErr : "Saved"], 10, back));
        return null;
      },
    });
  };
  // the UTC offset SNTP needs (docs/time.md): east or west, then minutes
  var utc = function (m: number): string {
    var a = Math.abs(m), h = Math.floor(a / 60), mm = a % 60;
    return m === Utc.UNSET ? "not set" : (m < 0 ? "-" : "+") + (h < 10 ? "0" : "") + h + ":" + (mm < 10 ? "0" : "") + mm;
  };
  var offset = function (sign: number): State {
    return numberEntry(app, {
      title: sign < 0 ? "UTC- (WEST)" : "UTC+ (EAST)", prompt: "Minutes from UTC:", maxDigits: 3, cancel: back,
      done: function (d) {
        var n = sign * parseDigits(d);
        if (n < Utc.MIN || n > Utc.MAX) return sign < 0 ? "0..720 minutes" : "0..840 minutes";
        // as configure() does for posConfig (not called here: a second caller would keep it apart
        // from main.ts's posConfig, in RAM): save, and move a clock SNTP set by the change
        var old = v.utcOffset, c = clockInfo();
        v.utcOffset = n;
        var err = app.settings.save();
        if (!err && old !== Utc.UNSET && c.t >= 0 && c.source === ClockSource.Sntp) clockSync(c.t + (n - old) * 60, ClockSource.Sntp, app.ports.log);
        if (!err && app.ports.audit) app.ports.audit.append(AuditEvent.SettingsChange, app.who, 5, n + 720);
        app.go(message(app, "UTC OFFSET", [err ? "Not saved: " + err : "UTC" + utc(n) + " saved"], 10, back));
        // a clock that is not trusted may now be set from SNTP (main.ts's query, if the board has one)
        if (!err && c.resync) c.resync();
        return null;
      },
    });
  };
  return {
    name: "settings", timeout: 30,
    screen: function () {
      if (tech) return screen("SETTINGS", ["1 TECHNICIAN PIN", "2 UTC " + utc(v.utcOffset), "TID " + v.tid], "CANCEL=exit");
      return screen("SETTINGS", ["1 CASHIER PIN", "2 SUPERVISOR PIN", "3 MIN " + formatAmount(v.minAmount), "4 MAX " + formatAmount(v.maxAmount)], "CANCEL=exit");
    },
    key: function (k) {
      // one call of changePin (a second would keep it apart from this function, in RAM)
      var pin = tech ? (k === "1" ? Role.Technician : 0) : k === "1" ? Role.Cashier : k === "2" ? Role.Supervisor : 0;
      if (k === "CANCEL") app.idle();
      else if (pin) app.go(changePin(app, pin, back));
      else if (tech && k === "2") {
        app.go({
          name: "utc", timeout: 30,
          screen: function () { return screen("UTC OFFSET", ["Now UTC " + utc(v.utcOffset), "1 UTC+ (east)", "2 UTC- (west)"], "CANCEL=back"); },
          key: function (k2) { if (k2 === "1" || k2 === "2") app.go(offset(k2 === "1" ? 1 : -1)); else if (k2 === "CANCEL") back(); },
          expire: back,
        });
      } else if (tech) return;
      else if (k === "3") app.go(limit("MIN AMOUNT", function (n) { if (n < 1 || n > v.maxAmount) return "1.." + v.maxAmount; v.minAmount = n; return null; }));
      else if (k === "4") app.go(limit("MAX AMOUNT", function (n) { if (n < v.minAmount || n > 999999999) return "Too small/large"; v.maxAmount = n; return null; }));
    },
  };
}
