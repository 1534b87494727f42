// memtest.js: the device memory bench (issue 10), run on the ESP32 twin or a board. The real
// App (firmware/app) with the journal on the board's region (require("Flash")), the host
// engine and link, receipts, reports, menus and the supervisor, wired like main.ts but with
// in-bundle stand-ins: a keypad the script presses, a printer that renders each job into an
// ESC/POS encoder, a Graphics buffer without a panel, a card service the script injects card
// reads through (the cards hub), and a loopback acquirer under the link (require("net")'s
// place) that answers with the firmware's ISO 8583 codec: approved, settlement 95 once per
// flow so the batch upload runs (batches up to UPLOAD_MAX sales), then 00.
// process.memory(false).usage is sampled while each result is held (printer: job rendered;
// acquirer: request in flight; every screen; the journal queries) and reported per flow:
//   memtest: idle U             at READY after boot
//   memtest: flow NAME peak P   (or: memtest: flow NAME failed: WHY (peak P))
//   memtest: done
// Each flow starts after a garbage collection (process.memory()), so garbage left by an earlier
// flow (closures form cycles, which reference counting does not free) is not counted.
// The flows run by themselves after boot; global MEMTEST = {mode: "flows", only: "a,b"}
// defined before the bundle runs picks some of them.
// Growth mode (MEMTEST = {mode: "growth", sales: 1000}, or memtest("growth", 1000) typed at the
// console when MEMTEST = {mode: "wait"}): consecutive swipe sales, printing
// `memtest: after N sales U` (process.memory(), i.e. after a garbage collection) every 10
// sales and after the last. A sale the journal refuses (NOT SENT) is followed by a settlement.
import { bringUp } from "../board";
import { SettingsStore } from "../app/settings";
import { startApp } from "../app/boot";
import { buildPorts, cardsHub } from "../app/wiring";
import { statusHub } from "../app/adapt/printer";
import { App } from "../app/flow";
import { createEngine } from "../host/engine";
import { createLink, packMacked } from "../host/link";
import { macFunction } from "../app/hmac";
import { createJournalStore } from "../host/journal-store";
import { createDeframer, frame } from "../host/frame";
import { pack, unpack, digits, IsoMsg } from "../host/iso8583";
import { bytesToStr } from "../host/hex";
import { responseMti } from "../host/messages";
import { openJournal, IX_DOUBT } from "../journal/journal";
import { EscPosEncoder } from "../../drivers/escpos/encoder";
import { PrintJob } from "../../drivers/print-doc";
import { CardEvent } from "../cards/types";
import { zeroPad } from "../util/money";
import { localStamp } from "../app/wiring";
import { openHealth } from "../health/store";
import { wireHealth } from "../health/wire";
import { AuditLog } from "../audit/log";
import { clockNow } from "../clock";

var peak = 0;
var sampling = true;
function usage(): number { return process.memory(false).usage; }
function sample(): void { if (!sampling) return; var u = usage(); if (u > peak) peak = u; }
function out(line: string): void { console.log("memtest: " + line); }

// ---- loopback acquirer at the net level: the link's own framing and codec both ways ----
var settle95 = false;
/** batches up to this many sales settle with the batch upload (RC 95 first); larger ones are
 *  answered 00 at once (500 uploads take minutes on the twin) */
var UPLOAD_MAX = 50;
var rrnSeq = 0;
function answer(req: IsoMsg): IsoMsg {
  var r: IsoMsg = { mti: responseMti(req.mti), f: {} };
  var copy = [3, 4, 11, 12, 13, 24, 41, 42, 60, 62];
  for (var i = 0; i < copy.length; i++) { var v = req.f[copy[i]!]; if (v !== undefined) r.f[copy[i]!] = v; }
  r.f[39] = "00";
  if (req.mti === "0200") {
    rrnSeq++;
    r.f[37] = digits(rrnSeq, 12);
    r.f[38] = "A" + digits(rrnSeq % 100000, 5);
  } else if (req.mti === "0500" && req.f[3] === "920000" && settle95 && parseInt(("" + req.f[63]).substr(0, 3), 10) <= UPLOAD_MAX) {
    settle95 = false;
    r.f[39] = "95";
  }
  return r;
}

function loopbackNet(nii: string, mac: ((d: string) => string) | null): NetModule {
  return {
    connect: function (_o, onConnect) {
      var on: { [ev: string]: (x?: any) => void } = {};
      var closed = false;
      var d = createDeframer(function (_t, body) {
        var req = unpack(body);
        sample(); // the request is in flight: the link, engine and flow hold theirs
        var a = answer(req);
        var reply = bytesToStr(frame(mac && a.mti.charAt(1) !== "8" ? packMacked(a, mac) : pack(a), nii));
        setTimeout(function () { sample(); if (!closed && on["data"]) on["data"]!(reply); }, 5);
      }, function () { /* a bad frame: the link times out */ });
      var sock: NetSocket = {
        write: function (s: string) { d.push(s); return true; },
        end: function () { closed = true; },
        on: function (ev: string, fn: (x?: any) => void) { on[ev] = fn; },
      } as NetSocket;
      setTimeout(function () { if (!closed) onConnect(sock); }, 5);
      return sock;
    },
  };
}

// ---- the wiring (as main.ts, stand-ins for the drivers) ----
var p = bringUp();
var app: App;
var keyFn: ((k: string) => void) | null = null;
var reading = false;
var hub: ReturnType<typeof cardsHub> | null = null;
var settings = new SettingsStore({ flash: p.flash, region: p.board().flashRegions.settings, crc32: p.crc32 });
var journal = openJournal(p.flash, p.board().flashRegions.journal, { crc32: p.crc32 });

function wire(): void {
  if (!settings.load()) p.log("settings: defaults");
  var v = settings.values;
  var nii = zeroPad(v.nii, 3);
  var store = createJournalStore(journal);
  var mac = macFunction(p.sha256, v.macKey);
  var link = createLink({ net: loopbackNet(nii, mac), host: v.host, port: v.port, nii: nii, io: p.io, mac: mac });
  var engine = createEngine({ store: store, link: link, settings: { tid: v.tid, mid: v.mid, nii: nii },
    io: { setTimeout: p.io.setTimeout, clearTimeout: p.io.clearTimeout, now: localStamp } });
  // the health counters and the audit trail, as main.ts wires them (MENU 0 1 and 2, and the
  // appends of every audited flow, are part of the figures)
  var health = openHealth({ flash: p.flash, region: p.board().flashRegions.health, journal: p.board().flashRegions.journal, crc32: p.crc32 });
  wireHealth(health, link, engine);
  var cards = hub = cardsHub();
  cards.attach({
    start: function () { reading = true; },
    stop: function () { reading = false; },
    wipe: function (c: CardEvent) { c.pan = ""; c.track2 = ""; c.expiry = ""; },
    stats: function () { return { swipes: 0, taps: 0, errors: {} }; },
    terminal: function () { return null as any; },
  });
  var printer = {
    print: function (job: PrintJob, cb: (err: { code?: string; message?: string } | null) => void) {
      // an encoder per job, as the driver has (drivers/escpos/printer.ts): a grown buffer kept
      // between jobs would count a 500-line report in every later flow
      var enc: EscPosEncoder | null = new EscPosEncoder(2048);
      job.render(enc, false);
      sample(); // the receipt or report is rendered and held
      enc = null;
      setTimeout(function () { cb(null); }, 5);
    },
    cancel: function () {},
  };
  var g = Graphics.createArrayBuffer(128, 64, 1, { vertical_byte: true, msb: false });
  var ports = buildPorts(p, settings, engine, store, journal, {
    graphics: { g: g, flip: function () {} },
    keypad: { onKey: function (fn) { keyFn = fn; } },
    printer: { driver: printer, status: statusHub() },
  }, cards);
  ports.health = health;
  ports.audit = new AuditLog(p.flash, p.board().flashRegions.audit, p.sha256, clockNow);
  var show = ports.display.show;
  ports.display.show = function (s) { show(s); sample(); };
  app = startApp(ports, settings);
}

// ---- the script runner: tokens run one per timer tick ----
var KEYS: { [t: string]: string } = { E: "ENTER", C: "CANCEL", M: "MENU" };
var SWIPE = "4111111111111111";
function card(tap: boolean): void {
  var ev: CardEvent = { source: tap ? "tap" : "swipe", pan: SWIPE, expiry: "2812", serviceCode: "201",
    track2: SWIPE + (tap ? "D" : "=") + "28122010000012300000", name: "MEMTEST/CARD", uid: tap ? "04A1B2C3" : "", last4: "1111" };
  sample();
  hub!.onCard(ev);
}

function press(keys: string): void {
  for (var i = 0; i < keys.length; i++) { keyFn!(keys.charAt(i)); sample(); }
}
function stateName(): string { return app.state ? app.state.name : ""; }
function screenText(): string { var s = app.lastScreen; return s.title + " | " + s.lines.join(" | "); }

/** runs `script` (space-separated tokens), then done(null) or done(why) */
function run(script: string, done: (why: string | null) => void): void {
  var toks = script.split(" ");
  var i = 0;
  var t0 = 0;
  function step(): void {
    if (i >= toks.length) { done(null); return; }
    var t = toks[i]!;
    if (t.charAt(0) === "w") {
      var want = t.substr(2);
      var now = getTime();
      if (!t0) t0 = now;
      if (stateName() === want) { t0 = 0; i++; setTimeout(step, 5); return; }
      if (stateName() === "message" && want !== "message") { done("at " + t + ": " + screenText()); return; }
      // the idle screen refused the keys (e.g. a full batch pauses sales)
      if (stateName() === "idle" && want !== "idle" && now - t0 > 3) { done("stayed at READY: " + screenText()); return; }
      if (now - t0 > 60) { done("timeout at " + t + ": " + screenText()); return; }
      setTimeout(step, 20);
      return;
    }
    i++;
    if (t.charAt(0) === "x" && app.lastScreen.title !== t.substr(2).split("_").join(" ")) { done("expected " + t.substr(2) + ": " + screenText()); return; }
    else if (KEYS[t]) { keyFn!(KEYS[t]!); sample(); }
    else if (t === "P") { press("1234"); keyFn!("ENTER"); sample(); }
    else if (t === "S" || t === "T") card(t === "T");
    else if (t === "I") { var last = app.ports.journal.last(); sample(); press(last ? "" + last.invoice : "1"); }
    else if (t === "q") probeQueries();
    else if (t === "g") process.memory(); // a garbage collection (peak kept)
    else if (t.charAt(0) !== "x") press(t);
    setTimeout(step, 5);
  }
  step();
}

/** the journal probe's queries (firmware/probes/journal.ts), each result held while sampled;
 *  the records in doubt one at a time, as the journal visits them */
function probeQueries(): void {
  var n = journal.next(); sample();
  var t = journal.batchTotals(); sample();
  var r = journal.pendingReversal(); sample();
  var nd = 0;
  journal.each(IX_DOUBT, function (slot: number) { var x = journal.bySlot(slot); sample(); if (x) nd++; return false; });
  var s = journal.diag(); sample();
  p.log("journal: next STAN " + n.stan + ", batch " + t.batch + " sales " + t.saleCount + ", reversal " + (r ? r.stan : "none") +
    ", in doubt " + nd + "; " + s.split("\n").length + " diag lines");
}

/** back to READY after a failed flow: CANCEL, any key on a message */
function recover(then: () => void): void {
  var tries = 0;
  function again(): void {
    if (stateName() === "idle" || tries++ > 200) { then(); return; }
    if (stateName() !== "busy" && stateName() !== "printing") keyFn!("CANCEL");
    setTimeout(again, 50);
  }
  again();
}

var TRAINING_SALES = "";
for (var ts = 0; ts < 7; ts++) TRAINING_SALES += " g 1999 E w:card S w:customer-copy C w:idle";
var FLOWS = [
  "journal-probe q",
  "sale-swipe 1999 E w:card S w:customer-copy E w:idle",
  "sale-tap 2500 E w:card T w:customer-copy E w:idle",
  "void M 1 w:entry P I E w:confirm E w:customer-copy C w:idle",
  "refund M 2 w:entry P 1500 E E w:card S w:customer-copy C w:idle",
  "reprint-last M 3 P 1 w:idle",
  "reprint-invoice M 3 P 2 I E w:idle",
  "x-report M 4 P w:idle",
  "z-report M 5 P E w:message x:Z_REPORT E w:idle",
  "echo M 7 w:message x:ECHO_TEST_OK E w:idle",
  "logon M 8 w:message x:LOGON_OK E w:idle",
  "supervisor M 9 P w:settings 3 100 E w:message E w:settings C w:idle",
  "settlement M 6 P E w:message x:SETTLED E w:idle",
  // training mode (docs/training.md): on and a sale; a decline (ends 51) and a void; 7 more
  // sales (the training store full: 10 records; g: a garbage collection between sales, as
  // between flows); X report; local settlement; off. Each flow after the first holds the
  // training store the earlier ones filled.
  "training-on M M M 0 3 P w:message x:TRAINING_ON E w:idle 1999 E w:card S w:customer-copy C w:idle",
  "training-decline-void 1051 E w:card S w:message x:TRAINING_DECLINED E w:idle g M 1 w:entry P 1 E w:confirm E w:customer-copy C w:idle",
  "training-full" + TRAINING_SALES,
  "training-x-report M 4 P w:idle",
  "training-settlement M 6 P E w:message x:TRAINING_SETTLED E w:idle",
  "training-off M M M 0 3 w:confirm E w:message x:LIVE_MODE E w:idle",
  // MENU 0 SERVICE (issue 12): the audit print (20 entries), the health receipt and its 0800,
  // the clock screen
  "audit-print M 0 w:service 1 P w:audit-count E w:service C w:menu C w:idle",
  "health M 0 w:service 2 P w:health 1 w:health 2 w:message E w:health C w:service C w:menu C w:idle",
  "clock M 0 w:service 5 w:clock C w:service C w:menu C w:idle",
];

/** the journal refused: NOT SENT, NOT NOW (a void or refund while sales are paused), or READY
 *  saying the batch is full (sales paused) */
function refusedScreen(): boolean {
  return app.lastScreen.title === "NOT SENT" || app.lastScreen.title === "NOT NOW" || (app.lastScreen.title === "READY" && screenText().toLowerCase().indexOf("full") >= 0);
}

/** runs FLOWS from k on; `only`: comma-separated names to run (all when empty) */
function flows(k: number, only: string): void {
  if (k >= FLOWS.length) { out("done"); return; }
  var f = FLOWS[k]!;
  var sp = f.indexOf(" ");
  var name = f.substr(0, sp);
  // split + array indexOf: Espruino 2v29's string indexOf reports a match for a needle that
  // runs past the end when the part that fits matches ("a,sale-swipe,".indexOf(",sale-tap,") is 12)
  if (only && only.split(",").indexOf(name) < 0) { flows(k + 1, only); return; }
  settle95 = true;
  out("flow " + name + " start");
  peak = process.memory().usage; // a garbage collection first: a flow starts from live data only
  var t0 = getTime();
  run(f.substr(sp + 1), function (why) {
    var took = " [" + Math.round(getTime() - t0) + " s]";
    // a full journal refusing a transaction (NOT SENT, or READY saying the batch is full) is
    // that flow's outcome on a full batch
    if (why && refusedScreen()) {
      out("flow " + name + " peak " + peak + " (refused: " + screenText() + ")" + took);
    }
    else if (why) out("flow " + name + " failed: " + why + " (peak " + peak + ")" + took);
    else out("flow " + name + " peak " + peak + took);
    recover(function () { setTimeout(function () { flows(k + 1, only); }, 50); });
  });
}

var SALE = "1999 E w:card S w:customer-copy C w:idle";
function growth(total: number): void {
  var done = 0, refused = 0, t0 = getTime();
  settle95 = false;
  function at(): string { return " (" + Math.round(getTime() - t0) + " s)"; }
  sampling = false;
  function next(): void {
    if (done >= total) { if (done % 10) out("after " + done + " sales " + process.memory().usage + at()); out("done"); return; }
    run(SALE, function (why) {
      if (why && refusedScreen() && refused < 20) {
        refused++;
        out("journal refused sale " + (done + 1) + " (" + screenText() + "): settling");
        recover(function () {
          run("M 6 P E w:message E w:idle", function (w2) {
            if (w2) { out("growth failed: settlement: " + w2); out("done"); return; }
            setTimeout(next, 5);
          });
        });
        return;
      }
      if (why) { out("growth failed at sale " + (done + 1) + ": " + why); out("done"); return; }
      done++;
      if (done % 10 === 0) out("after " + done + " sales " + process.memory().usage + at());
      setTimeout(next, 5);
    });
  }
  next();
}

var started = false;
var wanted: { mode: string; sales: number; only?: string } | null = global.MEMTEST || null;
var ready = false;

function go(): void {
  if (!ready || !wanted) return;
  var w = wanted;
  wanted = null;
  if (w.mode === "wait") return; // a console memtest(...) call starts it
  if (w.mode === "growth") growth(w.sales > 10 ? w.sales : 1000); else flows(0, w.only || "");
}

global.memtest = function (mode: string, sales: number, only: string): void { wanted = { mode: mode || "flows", sales: sales || 1000, only: only }; go(); };

global.onInit = function (): void {
  if (started) return;
  started = true;
  if (!wanted) wanted = { mode: "flows", sales: 0 };
  wire();
  function waitIdle(): void {
    if (stateName() !== "idle") { setTimeout(waitIdle, 50); return; }
    setTimeout(function () {
      out("idle " + usage() + " gc " + process.memory().usage);
      ready = true;
      go();
    }, 300);
  }
  waitIdle();
};
