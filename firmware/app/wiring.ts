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
import { clockNow, clockInfo, hostFields, Clock } from "../clock";

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

/** DE 13 "MMDD", DE 12 "hhmmss" and the journal's time of now ("", "", -1 when the clock is not
 *  trusted: firmware/clock.ts) */
export function localStamp(): { date: string; time: string; when: number } {
  var at = clockNow(), f = hostFields(at) as { date: string; time: string; when: number };
  f.when = at;
  return f;
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
    // reports: the time (Unix-style seconds for dateTime) when trusted, else why there is none
    printer: devices.printer ? printerPort(devices.printer.driver, devices.printer.status, function (): Settings { return settings.values; }, function () {
      var c = clockInfo();
      return c.t >= 0 ? Clock.EPOCH_2020 + c.t : c.why;
    }) : noPrinter(),
    sha256: p.sha256,
    randomByte: p.randomByte,
    board: p.board,
    memoryLow: p.memoryLow,
    log: p.log,
  };
}

export { cardsHub };
