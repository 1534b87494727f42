// Builds the flow's ports from the platform and whatever drivers the board declared. A role
// that is missing gets a stand-in that says so (no display: screens go to the console; no
// printer: PRINTER error; no reader: READER_FAULT), so a partial board still boots.
import { Ports, DisplayPort, KeypadPort, PrinterPort, Screen, appError } from "./ports";
import { SettingsStore, Settings } from "./settings";
import { hostPort } from "./adapt/host";
import { journalPort, JournalLike } from "./adapt/journal";
import { printerPort, PrinterLike, StatusHub } from "./adapt/printer";
import { cardsHub, CardsHub } from "./adapt/cards";
import { displayPort } from "./adapt/display";
import { Engine } from "../host/engine";
import { HostStore } from "../host/types";
import { Platform } from "../board";

export interface Devices {
  graphics?: { g: Graphics; flip: () => void };
  keypad?: { onKey(fn: (key: string) => void): void };
  printer?: { driver: PrinterLike; status: StatusHub };
}

/** no display: the flow logs every screen to the console already */
function consoleDisplay(): DisplayPort {
  return { show: function (_s: Screen) { /* nothing to drive */ } };
}

function noPrinter(): PrinterPort {
  return {
    receipt: function (_t, _c, _r, cb) { cb(appError("PRINTER", "No printer")); },
    report: function (_d, cb) { cb(appError("PRINTER", "No printer")); },
    onStatus: function () {},
    cancel: function () {},
  };
}

/** "MMDD" and "hhmmss" from the clock (Date: GMT unless E.setTimeZone was called) */
export function localStamp(): { date: string; time: string } {
  var d = new Date();
  var two = function (n: number) { return n < 10 ? "0" + n : "" + n; };
  return { date: two(d.getMonth() + 1) + two(d.getDate()), time: two(d.getHours()) + two(d.getMinutes()) + two(d.getSeconds()) };
}

export function buildPorts(p: Platform, settings: SettingsStore, engine: Engine, store: HostStore,
  journal: JournalLike | null, devices: Devices, cards: CardsHub): Ports {
  var keypad: KeypadPort = devices.keypad || { onKey: function () {} };
  return {
    display: devices.graphics ? displayPort(devices.graphics.g, devices.graphics.flip) : consoleDisplay(),
    keypad: keypad,
    timers: { setTimeout: p.io.setTimeout, clearTimeout: p.io.clearTimeout, getTime: p.io.getTime },
    cards: cards.port,
    host: hostPort(engine),
    journal: journalPort(store, journal, settings),
    printer: devices.printer ? printerPort(devices.printer.driver, devices.printer.status, function (): Settings { return settings.values; }, function () {
      var s = localStamp();
      return s.date.substr(0, 2) + "-" + s.date.substr(2) + " " + s.time.substr(0, 2) + ":" + s.time.substr(2, 2) + ":" + s.time.substr(4);
    }) : noPrinter(),
    sha256: p.sha256,
    randomByte: p.randomByte,
    board: p.board,
    memoryLow: p.memoryLow,
    log: p.log,
  };
}

export { cardsHub };
