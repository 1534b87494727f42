// Boot entry: platform -> settings -> flash journal (recovery on open; a fault refuses to
// transact) ->
// host engine (pending reversal / in-doubt work) -> the flow's idle screen.
// onInit is published on the root scope: the interpreter calls it after loading the code.
import { bringUp, connectWifi, makeDisplay, makeKeypad, makePrinter, makeReaders } from "./board";
import { SettingsStore, configure } from "./app/settings";
import { startApp } from "./app/boot";
import { buildPorts, cardsHub, localStamp } from "./app/wiring";
import { statusHub } from "./app/adapt/printer";
import { createEngine } from "./host/engine";
import { createLink, LinkOptions } from "./host/link";
import { macFunction } from "./app/hmac";
import { createJournalStore } from "./host/journal-store";
import { openJournal } from "./journal/journal";
import { createCardService } from "./cards/service";
import { zeroPad } from "./util/money";
import { platformFault } from "./app/platform";
import { openHealth } from "./health/store";
import { wireHealth } from "./health/wire";
import { H } from "./health/record";
import { AuditLog } from "./audit/log";
import { AuditEvent, AuditRole } from "./audit/format";
import { clockInfo, clockNow, clockSync, parseHostTime, Clock, ClockSource } from "./clock";
import { sntpSync } from "./clock-sntp";
import { dateTime } from "./receipt/format";
import { markReady } from "./update/ready";
import { consoleUpdate } from "./update/serial";
import { consoleTechPin } from "./app/supervisor";

var started = false;

function main(): void {
  if (started) return;
  started = true;
  var p = bringUp();
  // an interpreter older than the board file's, or a flash map where the journal is not raw
  // flash: no journal, no transactions; say so on the screen (firmware/app/platform.ts)
  var bad = platformFault(p.board(), process.version, require("Flash").getFree());
  if (bad) {
    p.log("BOARD MISMATCH: " + bad);
    var d = makeDisplay(p);
    if (d) { d.g.drawString("BOARD MISMATCH", 0, 0); d.g.drawString(bad, 0, 12); d.g.drawString("No transactions.", 0, 24); d.g.drawString("Reflash: make flash", 0, 36); d.flip(); }
    return;
  }
  // a JS hang reboots the terminal (auto mode: kicked from the idle loop); the journal makes
  // a reboot at any point safe
  try { E.enableWatchdog(15, true); } catch (e) { p.log("watchdog: " + e); }
  var settings = new SettingsStore({ flash: p.flash, region: p.board().flashRegions.settings, crc32: p.crc32 });
  if (!settings.load()) p.log("settings: defaults");
  var v = settings.values;
  // SNTP, on boards whose file names a server (docs/time.md): while the clock is not trusted,
  // once WiFi is up at boot and when a sync's trust runs out; the CLOCK menu asks it too. The
  // clock keeps the one closure (clockInfo().resync): no variable of main's holds it
  if (p.board().sntp) clockSync(-1, ClockSource.None, p.log, function (cb) {
    sntpSync({ server: p.board().sntp, offset: settings.values.utcOffset, timers: p.io, randomByte: p.randomByte, log: p.log }, cb);
  });
  connectWifi(v.ssid, v.wifiPass, p.log);
  var journal = openJournal(p.flash, p.board().flashRegions.journal, { crc32: p.crc32 });
  if (journal.state === "fault") p.log("journal: fault: " + journal.reason);
  var health = openHealth({ flash: p.flash, region: p.board().flashRegions.health, journal: p.board().flashRegions.journal, crc32: p.crc32 });
  // the boot, with the cut the journal recovered and the numbers it skipped
  health.note(H.BOOTS, journal.bootInfo());
  var audit = new AuditLog(p.flash, p.board().flashRegions.audit, p.sha256, clockNow);
  audit.append(AuditEvent.Boot, AuditRole.System, journal.state === "fault" ? 1 : 0, 0);
  if (journal.bootInfo().cut) audit.append(AuditEvent.CutRecovered, AuditRole.System, journal.bootInfo().skipped, 0);
  if (journal.state === "fault") audit.append(AuditEvent.JournalFault, AuditRole.System, 0, 0);
  if (audit.fault) p.log("audit: " + audit.fault);
  var store = createJournalStore(journal, clockNow);
  // the clock's lower bound (picks DE 13's year): the newest time the journal kept
  var left = 20;
  journal.each(0, function (slot) {
    var r = journal.bySlot(slot);
    if (r && r.time >= 0) { clockSync(r.time, ClockSource.None, p.log); return true; }
    return --left <= 0;
  }, true);
  var mac = macFunction(p.sha256, v.macKey);
  if (!mac) p.log("host: no valid MAC key: financial messages refused (posConfig macKey)");
  var linkOpts: LinkOptions = { net: p.net as NetModule, host: v.host, port: v.port, nii: zeroPad(v.nii, 3), io: p.io, mac: mac };
  if (p.board().hostLink.transport === "tls") {
    // TLS to the acquirer (docs/host-protocol.md §1.5): the CA certificate is a Storage file,
    // read (memory-mapped, no RAM) at each connect; without it the link refuses to connect
    // never plain TCP instead: without the module connect() throws and nothing is sent
    linkOpts.net = null as any;
    try { linkOpts.net = require("tls"); } catch (e) { p.log("host: no tls module: " + e); }
    linkOpts.tlsCa = function () { return require("Storage").read("acq-ca.der"); };
    linkOpts.log = p.log;
    if (!linkOpts.tlsCa()) p.log("host: TLS: no CA certificate in Storage (acq-ca.der): host link refused");
  }
  var link = createLink(linkOpts);
  var engine = createEngine({ store: store, link: link, settings: { tid: v.tid, mid: v.mid, nii: zeroPad(v.nii, 3) },
    io: { setTimeout: p.io.setTimeout, clearTimeout: p.io.clearTimeout, now: localStamp,
      hostTime: function (de13, de12) { var t = parseHostTime(de13, de12, p.log); if (t >= 0) clockSync(t, ClockSource.Host, p.log); } } });
  wireHealth(health, link, engine);
  var cards = cardsHub();
  var service: any = null;
  var readers = makeReaders(p, function () { return service.terminal(); });
  // EMV 9A (YYMMDD): the day when the clock is trusted, else the firmware's floor date
  service = createCardService({ msr: readers.msr, nfc: readers.nfc, log: p.log, count: health.note, date: function () {
    var d = dateTime(Clock.EPOCH_2020 + Math.max(clockNow(), Clock.FLOOR))[0]!;
    return d.substr(2, 2) + d.substr(5, 2) + d.substr(8, 2);
  } },
    cards.onCard, cards.onError);
  cards.attach(service);
  var status = statusHub(health.note);
  var printer = makePrinter(p, status.emit);
  var display = makeDisplay(p);
  var keypad = makeKeypad(p);
  var ports = buildPorts(p, settings, engine, store, journal, {
    graphics: display || undefined, keypad: keypad || undefined, printer: printer ? { driver: printer, status: status } : undefined,
  }, cards);
  ports.health = health;
  // startApp loads the settings again: drop this first copy, which the closures below
  // (posConfig) would otherwise keep for the terminal's life (48-69 JsVars on the twin)
  v = null as any;
  ports.audit = audit;
  startApp(ports, settings, function () { markReady(p.flash, p.board().flashRegions.boot, p.log, audit); });
  // provisioning from the console (USB): posConfig("ssid", "shop-wifi"), then reboot
  global.posConfig = function (name: string, value: any): void {
    // the TLS CA (docs/host-protocol.md §1.5): base64 of its DER into Storage, read back
    if (name === "acqCa") {
      var der = "";
      try { der = atob(String(value)); } catch (e) { /* not base64: refused below */ }
      var n = der.length;
      if (typeof value !== "string" || n < 4 || der.charCodeAt(0) !== 0x30 || der.charCodeAt(1) !== 0x82 || ((der.charCodeAt(2) << 8) | der.charCodeAt(3)) + 4 !== n) {
        p.log("posConfig: acqCa: base64 of one DER certificate (openssl x509 -outform DER | base64 -w0)");
        return;
      }
      var st = require("Storage");
      st.write("acq-ca.der", der);
      var saved = st.read("acq-ca.der") === der;
      if (saved) audit.append(AuditEvent.SettingsChange, AuditRole.Technician, 6, n);
      p.log(saved ? "posConfig: acqCa saved (" + n + " bytes, CRC32 " + (p.crc32(der as any) >>> 0).toString(16) + ")" : "posConfig: acqCa: Storage write failed");
      return;
    }
    if (name === "techPin") {
      var perr = consoleTechPin(settings, p.sha256, value);
      if (!perr) audit.append(AuditEvent.SettingsChange, AuditRole.Technician, 1, AuditRole.Technician);
      p.log("posConfig: " + (perr || "technician PIN set"));
      return;
    }
    var err = configure(settings, name, value), utc = name === "utcOffset";
    if (!err) audit.append(AuditEvent.SettingsChange, AuditRole.Technician, utc ? 5 : 4, utc ? value + 720 : 0);
    p.log(err ? "posConfig: " + err : "posConfig: " + name + (utc ? " saved" : " saved; reboot to apply"));
    // a new UTC offset: SNTP may set a clock that is not trusted now
    var resync = clockInfo().resync;
    if (!err && utc && resync) resync();
  };
  // the firmware update's serial path (docs/update.md)
  global.posUpdate = consoleUpdate;
  p.log("POS firmware on " + p.board().name);
}

global.onInit = main;
