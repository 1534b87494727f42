// Start-up order: settings (provision on first boot) -> journal state (a fault refuses to
// transact and says why; the supervisor can recover) -> the host engine's boot work
// (pending reversal, in-doubt messages) -> an unfinished receipt is reprinted (REPRINT) ->
// idle.
import { App, State, screen, busy, message, numberEntry } from "./flow";
import { Ports } from "./ports";
import { SettingsStore } from "./settings";
import { provision, requireRole } from "./supervisor";
import { Role } from "./pin";
import { idleState } from "./menu";

import { printReceipt } from "./printing";
import { parseDigits } from "../util/money";
import { AuditEvent } from "../audit/format";

/** onReady: called once when the app first reaches its idle screen (READY: firmware update
 *  confirmation, docs/update.md) */
export function startApp(ports: Ports, settings: SettingsStore, onReady?: () => void): App {
  if (!settings.load()) ports.log("settings: no valid copy, using defaults");
  var app = new App(ports, settings, idleState);
  provision(app);
  // a restart during training (docs/training.md) comes back live: say so before anything
  if (settings.values.training) {
    settings.values.training = 0;
    var err = settings.save();
    if (err) ports.log("settings: " + err);
    app.go(message(app, "TRAINING OFF", ["Restarted: LIVE", "Cards are charged", "for real now"], 30, function () { checkJournal(app, onReady); }));
  } else checkJournal(app, onReady);
  return app;
}

function checkJournal(app: App, onReady?: () => void): void {
  var ready = function (): void {
    app.idle();
    if (onReady) { var f = onReady; onReady = undefined; f(); }
  };
  var why = app.ports.journal.fault();
  if (why) { app.go(faultState(app, why)); return; }
  var s = busy(app, "STARTING", "Checking host...");
  app.go(s);
  app.ports.host.boot(function (err) {
    if (!app.isCurrent(s)) return;
    if (err) app.ports.log("boot: " + err.message);
    var t = app.ports.journal.unfinishedReceipt();
    if (t) {
      var txn = t;
      // a second printing of a receipt, even by the terminal itself, is on the audit trail
      if (app.ports.audit) app.ports.audit.append(AuditEvent.Reprint, Role.System, txn.invoice, txn.stan);
      app.go(message(app, "RECEIPT", ["Receipt INV " + txn.invoice, "was not finished:", "reprinting"], 3, function () {
        printReceipt(app, txn, "merchant", true, [], function () {
          app.ports.journal.receiptDone(txn.stan, function () { ready(); });
        });
      }));
      return;
    }
    ready();
  });
}

/** Journal fault: no transactions. MENU -> PIN -> minimum STAN and invoice -> recover. */
function faultState(app: App, why: string): State {
  return {
    name: "fault", timeout: 0,
    screen: function () { return screen("JOURNAL FAULT", [why, "No transactions.", "Supervisor: MENU"], "MENU=recover"); },
    key: function (k) {
      if (k !== "MENU" && k !== "FUNC") return;
      var back = function () { app.go(faultState(app, why)); };
      requireRole(app, Role.Supervisor, "to RECOVER", function () { recoverEntry(app, back); }, back);
    },
  };
}

/** three numbers, each no lower than the host's (e.g. its last STAN + 1), then recover */
function recoverEntry(app: App, back: () => void): void {
  var asked: number[] = [];
  var prompts = ["Min STAN (host):", "Min invoice:", "Min batch:"];
  var ask = function (): void {
    app.go(numberEntry(app, {
      title: "RECOVER", prompt: prompts[asked.length]!, maxDigits: 6, cancel: back,
      done: function (d) {
        var n = parseDigits(d);
        if (n < 1) return "1 to 999999";
        asked.push(n);
        if (asked.length < prompts.length) { ask(); return null; }
        var s = busy(app, "RECOVER", "Rebuilding journal...");
        app.go(s);
        app.ports.journal.recover(asked[0]!, asked[1]!, asked[2]!, function (err) {
          if (!err && app.ports.audit) app.ports.audit.append(AuditEvent.JournalRecovered, app.who, asked[0]!, asked[1]!);
          if (!app.isCurrent(s)) return;
          if (err) { app.go(message(app, "RECOVER FAILED", [err.message], 15, back)); return; }
          app.go(message(app, "RECOVERED", ["STAN >= " + asked[0], "Invoice >= " + asked[1], "Batch >= " + asked[2]], 5, function () { checkJournal(app); }));
        });
        return null;
      },
    }));
  };
  ask();
}
