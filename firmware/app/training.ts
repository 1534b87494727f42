// Training mode (docs/training.md): MENU 0 SERVICE -> 3 TRAINING. On (supervisor PIN), the
// app's host and journal ports are swapped for a training pair built here: a RAM store with
// its own numbers (firmware/host/memory-store.ts, never the flash journal's counters) under
// the real host engine, whose link is a built-in approver (no network). The display port is
// wrapped so every screen's title says TRAINING, and the settings flag `training` makes every
// printed document say TRAINING / NOT A TRANSACTION. The real journal, its counters, a pending
// reversal and advices are not touched, and nothing is sent, until training is left.
// Everything is built on entry, inside trainingMenu, and dropped on exit: at idle with
// training off this file costs one function and one variable.
import { App, message, confirm } from "./flow";
import { Screen } from "./ports";
import { requireRole } from "./supervisor";
import { Role } from "./pin";
import { AuditEvent } from "../audit/format";
import { hostPort } from "./adapt/host";
import { journalPort } from "./adapt/journal";
import { SettingsStore } from "./settings";
import { createEngine } from "../host/engine";
import { createMemoryStore } from "../host/memory-store";
import { IsoMsg, digits } from "../host/iso8583";
import { responseMti } from "../host/messages";

const enum Training {
  /** records the training store holds before sales pause (settle the training batch): each
   *  is an object in RAM */
  MaxRecords = 10,
  /** the built-in host's answer time: long enough to see "Processing..." */
  AnswerMs = 500,
}

/** while training is on: puts the real ports back (else null) */
var leaveTraining: (() => void) | null = null;

/** MENU 0 3: enter training (supervisor PIN) or leave it (confirm). back: the service menu. */
export function trainingMenu(app: App, back: () => void): void {
  var v = app.settings.values;
  var log = app.ports.log;

  function leave(): void {
    app.go(confirm(app, "LEAVE?", ["Leave training:", "training records", "are dropped"], function () {
      if (leaveTraining) leaveTraining();
      leaveTraining = null;
      app.go(message(app, "LIVE MODE", ["Training ended:", "cards are charged", "for real now"], 10));
    }, back));
  }

  /** the built-in host: a few lines that answer like one (no network). Declines: an amount
   *  ending in 51 (minor units) gets RC 51, as the acquirer simulator's default rule does. */
  function approver(): { exchange(req: IsoMsg, ms: number | undefined, cb: (err: null, resp: IsoMsg) => void): void; onStatus(fn: (t: string) => void): void } {
    return {
      exchange: function (req, _ms, cb) {
        var f = req.f, amount = f[4] as string | undefined, stan = f[11] as string;
        var a: IsoMsg = { mti: responseMti(req.mti), f: {} };
        a.f[11] = stan;
        a.f[39] = req.mti === "0200" && amount && amount.substr(amount.length - 2) === "51" ? "51" : "00";
        if (amount) a.f[4] = amount;
        if (req.mti === "0200") { a.f[38] = "TR" + stan.substr(2); a.f[37] = "TRAIN" + digits(+stan, 7); }
        req = f = null as any; // the request may hold card data: the timer's closure keeps this scope
        app.ports.timers.setTimeout(function () { cb(null, a); }, Training.AnswerMs);
      },
      onStatus: function () {},
    };
  }

  /** "MMDD", "hhmmss" as wiring.ts localStamp (not imported: wiring.ts pulls in the board
   *  bring-up, which the Node tests of the app cannot load) */
  function now(): { date: string; time: string } {
    var d = new Date();
    var two = function (n: number) { return n < 10 ? "0" + n : "" + n; };
    return { date: two(d.getMonth() + 1) + two(d.getDate()), time: two(d.getHours()) + two(d.getMinutes()) + two(d.getSeconds()) };
  }

  function enter(): void {
    v.training = 1;
    var err = app.settings.save();
    if (err) { v.training = 0; app.go(message(app, "TRAINING", ["Not started:", err], 15, back)); return; }
    var ports = app.ports;
    var real = { display: ports.display, host: ports.host, journal: ports.journal };
    var store = createMemoryStore();
    var engine = createEngine({ store: store, link: approver(), settings: { tid: v.tid, mid: v.mid, nii: "000" },
      io: { setTimeout: ports.timers.setTimeout, clearTimeout: ports.timers.clearTimeout, now: now } });
    // the journal port's shift and receipt marks go to this object, never to flash
    var marks = { values: { shiftBatch: 0, shiftFrom: 0, receiptOpen: 0 }, save: function () { return null; } };
    var journal = journalPort(store, null, marks as any as SettingsStore);
    journal.saleRefusal = function () { return store.state.records.length >= Training.MaxRecords ? "Training full" : null; };
    ports.host = hostPort(engine);
    ports.journal = journal;
    ports.display = {
      show: function (s: Screen) {
        // mark here, below every state: no screen can forget it (s is the screen just built,
        // also kept as the app's lastScreen and logged after this)
        if (s.title.substr(0, 8) !== "TRAINING") s.title = "TRAINING " + s.title;
        if (app.state && app.state.name === "idle" && s.lines.length < 4) s.lines.push("Leave: MENU 0 3");
        real.display.show(s);
      },
    };
    leaveTraining = function () {
      ports.display = real.display;
      ports.host = real.host;
      ports.journal = real.journal;
      // the last print's screen listens to the printer until the next print, and its job
      // holds the training journal port (measured: the store stayed, ~650 JsVars): let go
      ports.printer.onStatus(function () {});
      v.training = 0;
      var e = app.settings.save();
      if (e) log("settings: " + e);
      log("training: off");
      if (ports.audit) ports.audit.append(AuditEvent.TrainingOff, app.who, 0, 0);
    };
    log("training: on");
    if (ports.audit) ports.audit.append(AuditEvent.TrainingOn, app.who, 0, 0);
    app.go(message(app, "TRAINING ON", ["Practice: no card", "is charged, nothing", "is sent"], 10));
  }

  if (leaveTraining) { leave(); return; }
  // a reversal is money in doubt on a customer's card: it goes to the real host first
  if (app.ports.host.pendingWork().reversal) {
    app.go(message(app, "TRAINING", ["Reversal pending:", "send it first", "(MENU 7 ECHO TEST)"], 15, back));
    return;
  }
  if (app.ports.memoryLow && app.ports.memoryLow()) { app.go(message(app, "TRAINING", ["Low memory:", "restart first"], 15, back)); return; }
  requireRole(app, Role.Supervisor, "for TRAINING", enter, back);
}
