// Bring-up: the only file that touches Espruino's hardware globals. It reads the embedded
// board file, sets up the buses it declares, and hands out the platform services (Io, flash,
// network, crypto) and the parts by role; roles the board does not declare are null. Which
// driver fills a role is the build's business ("@parts": the factory of the board's part type
// in that role, firmware/parts.ts): no part type is named here.
import readBoard from "@board";
import { display, keypad, printer, msr, nfc } from "@parts";
import { Board, BusSpec, I2CBusSpec, UartBusSpec } from "../boards/types";
import { Io, FlashDevice } from "../drivers/hal";
import { EscPosPrinter } from "../drivers/escpos/printer";
import { createReaders, Readers } from "./cards/readers";
import { makePart } from "./parts";
import { Terminal } from "../drivers/emv/apdu";
import { clockInfo } from "./clock";

export interface Platform {
  /** the board file, built anew on each call (see board-data.d.ts): keep only what you need */
  board: () => Board;
  io: Io;
  flash: FlashDevice;
  /** require("net"), or null when the build has none */
  net: NetModule | null;
  /** SHA-256 of an 8-bit string, as an 8-bit string */
  sha256: (s: string) => string;
  randomByte: () => number;
  crc32: (d: Uint8Array) => number;
  errorFlags: () => string[];
  /** the interpreter ran low on memory (LOW_MEMORY or MEMORY flag seen since boot, or fewer
   *  than LOW_FREE JsVars free now): sales stop, numbers, records and settlement carry on */
  memoryLow: () => boolean;
  /** buses by id, set up from the board file */
  i2c: { [id: string]: I2C };
  uart: { [id: string]: Serial };
  log: (line: string) => void;
}

/** The interpreter's own functions, not wrappers: a wrapper closure costs about 7 JsVars for
 *  the terminal's life, a reference to a built-in 1-2 (measured on the twin). */
function makeIo(): Io {
  return {
    digitalWrite: digitalWrite, digitalRead: digitalRead, pinMode: pinMode as any,
    setWatch: setWatch as any, clearWatch: clearWatch as any,
    setTimeout: setTimeout as any, clearTimeout: clearTimeout as any,
    setInterval: setInterval as any, clearInterval: clearInterval as any,
    getTime: getTime,
  };
}

function setupI2C(spec: I2CBusSpec): I2C {
  var bus = spec.hw === "I2C2" ? I2C2 : I2C1;
  bus.setup({ scl: spec.scl, sda: spec.sda, bitrate: spec.bitrate });
  return bus;
}

function setupUart(spec: UartBusSpec): Serial {
  var port = spec.hw === "Serial3" ? Serial3 : Serial2;
  port.setup(spec.baud, { tx: spec.tx, rx: spec.rx });
  return port;
}

/** a SHA-256 digest (32 bytes) as an 8-bit string: one native call, no per-byte loop (the
 *  supervisor PIN hash runs 256 of these); Function.apply takes up to 64 arguments */
function bytesToLatin1(buf: ArrayBuffer): string {
  return String.fromCharCode.apply(null, new Uint8Array(buf) as any);
}

/** JsVars that must stay free for a sale to start: a sale's peak over idle, measured on the twin
 *  (make memtest), with room to spare; 3,500 more on a TLS board (bringUp) */
export var LOW_FREE = 2500;

/** Only buses that some declared part uses are set up. */
function setupBuses(board: Board): { i2c: { [id: string]: I2C }; uart: { [id: string]: Serial } } {
  var i2c: { [id: string]: I2C } = {};
  var uart: { [id: string]: Serial } = {};
  var used: { [id: string]: boolean } = {};
  for (var role in board.parts) {
    var bus = board.parts[role]!.bus;
    if (bus) used[bus] = true;
  }
  for (var id in board.buses) {
    if (!used[id]) continue;
    var spec: BusSpec = board.buses[id]!;
    if (spec.kind === "i2c") i2c[id] = setupI2C(spec);
    else uart[id] = setupUart(spec);
  }
  return { i2c: i2c, uart: uart };
}

/** The platform's closures keep this function's scope for the terminal's life: it holds no
 *  board data (the buses are set up in setupBuses). */
export function bringUp(): Platform {
  var low = false;
  var note = function (flags: string[]): string[] {
    for (var i = 0; i < flags.length; i++) if (flags[i] === "LOW_MEMORY" || flags[i] === "MEMORY") low = true;
    return flags;
  };
  E.on("errorFlag", note);
  var buses = setupBuses(readBoard());
  // a TLS exchange also needs mbedTLS's buffers, taken from the JsVar store: +3,329 at the
  // highest sample on the twin (docs/host-protocol.md §1.5), rounded up
  var lowFree = LOW_FREE + (readBoard().hostLink.transport === "tls" ? 3500 : 0);
  var net: NetModule | null = null;
  try { net = require("net"); } catch (e) { net = null; }
  var crypto = require("crypto");
  var flash = require("Flash");
  return {
    board: readBoard,
    io: makeIo(),
    flash: flash, // read(length, addr), write(data, addr), erasePage(addr): the module itself
    net: net,
    sha256: function (s) { return bytesToLatin1(crypto.SHA256(s)); },
    randomByte: function () { return E.hwRand() & 255; },
    crc32: E.CRC32,
    errorFlags: function () { return note(E.getErrorFlags()); },
    // the quick figure counts cyclic garbage not yet collected: collect (process.memory())
    // before calling it low
    memoryLow: function () { return low || (process.memory(false).free < lowFree && process.memory().free < lowFree); },
    i2c: buses.i2c,
    uart: buses.uart,
    log: console.log,
  };
}

/** WiFi from the settings (the simulator's virtual network is up without it). Once connected
 *  the clock's SNTP query runs (clockInfo().resync, on a board with an SNTP server: docs/time.md);
 *  on a build without the Wifi module (the ESP32 twin, whose network is the host machine's) at
 *  once; never without an SSID. */
export function connectWifi(ssid: string, password: string, log: (line: string) => void): void {
  if (!ssid) return;
  var wifi: WifiModule, up = clockInfo().resync;
  try { wifi = require("Wifi"); } catch (e) { if (up) up(); return; }
  wifi.connect(ssid, { password: password }, function (err) {
    log(err ? "wifi: " + err : "wifi: connected to " + ssid);
    if (!err && up) up();
  });
}

/** The display role: a frame buffer in the panel's layout and a flip. */
export function makeDisplay(p: Platform): { g: Graphics; flip: () => void } | null {
  return makePart(p.board().parts, "display", display, p, Graphics.createArrayBuffer);
}

/** The keypad role: key names from the board file. */
export function makeKeypad(p: Platform): { onKey(fn: (key: string) => void): void } | null {
  return makePart(p.board().parts, "keypad", keypad, p, undefined);
}

/** The printer role: a paced ESC/POS driver laying receipts out for its columns. */
export function makePrinter(p: Platform, onStatus: (what: string) => void): EscPosPrinter | null {
  return makePart(p.board().parts, "printer", printer, p, onStatus);
}

/** The card readers (roles msr and nfc). */
export function makeReaders(p: Platform, terminal: () => Terminal): Readers {
  return createReaders(p.board().parts, { msr: msr, nfc: nfc }, p, terminal);
}
