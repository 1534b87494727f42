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
import { createLink } from "./host/link";
import { macFunction } from "./app/hmac";
import { createJournalStore } from "./host/journal-store";
import { openJournal } from "./journal/journal";
import { createCardService } from "./cards/service";
import { zeroPad } from "./util/money";
import { platformFault } from "./app/platform";
import { markReady } from "./update/ready";
import { consoleUpdate } from "./update/serial";

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
  connectWifi(v.ssid, v.wifiPass, p.log);
  var journal = openJournal(p.flash, p.board().flashRegions.journal, { crc32: p.crc32 });
  if (journal.state === "fault") p.log("journal: fault: " + journal.reason);
  var store = createJournalStore(journal);
  var mac = macFunction(p.sha256, v.macKey);
  if (!mac) p.log("host: no valid MAC key: financial messages refused (posConfig macKey)");
  var link = createLink({ net: p.net as NetModule, host: v.host, port: v.port, nii: zeroPad(v.nii, 3), io: p.io, mac: mac });
  var engine = createEngine({ store: store, link: link, settings: { tid: v.tid, mid: v.mid, nii: zeroPad(v.nii, 3) },
    io: { setTimeout: p.io.setTimeout, clearTimeout: p.io.clearTimeout, now: localStamp } });
  var cards = cardsHub();
  var service: any = null;
  var readers = makeReaders(p, function () { return service.terminal(); });
  service = createCardService({ msr: readers.msr, nfc: readers.nfc, date: function () { return "26" + localStamp().date; }, log: p.log },
    cards.onCard, cards.onError);
  cards.attach(service);
  var status = statusHub();
  var printer = makePrinter(p, status.emit);
  var display = makeDisplay(p);
  var keypad = makeKeypad(p);
  var ports = buildPorts(p, settings, engine, store, journal, {
    graphics: display || undefined, keypad: keypad || undefined, printer: printer ? { driver: printer, status: status } : undefined,
  }, cards);
  startApp(ports, settings, function () { markReady(p.flash, p.board().flashRegions.boot, p.log); });
  // provisioning from the console (USB): posConfig("ssid", "shop-wifi"), then reboot
  global.posConfig = function (name: string, value: any): void {
    var err = configure(settings, name, value);
    p.log(err ? "posConfig: " + err : "posConfig: " + name + " saved; reboot to apply");
  };
  // the firmware update's serial path (docs/update.md)
  global.posUpdate = consoleUpdate;
  p.log("POS firmware on " + p.board().name);
}

global.onInit = main;
