// Settings store: A/B copies in the board's `settings` flash region (two 4 KiB sectors of
// raw flash). A save erases the sector NOT holding the newest valid copy, writes the payload,
// then the header (magic, CRC, sequence) last: a power cut at any point leaves the previous
// copy valid. Load picks the valid copy with the highest sequence.
//
// Sector layout: 0 magic "SET1" | 4 CRC-32 of [8, 16+len) | 8 seq u32 LE | 12 len u16 LE,
// 2 pad | 16 payload (JSON, ASCII) | ... 0xFF ... | the last 64 bytes: the PIN attempt tally.
//
// PIN attempt tally (outside the CRC; erased with its copy, so a save starts a fresh one):
// 128 slots of 4 bits, slot k in byte k>>1 at bits 4*(k&1): bit 0 "attempt" (cleared BEFORE
// the PIN is compared), then "that attempt was the right PIN of" the supervisor (bit 1), the
// cashier (bit 2) or the technician (bit 3), cleared after. A wrong attempt counts against
// every role (it was compared with every role's hash); a right one clears only its own role's
// count, so knowing one PIN never buys guesses at another (docs/roles.md). Counting an
// attempt is one word program, read back; a role's failure count is its count in the JSON
// plus the wrong attempts after its last right one. Slots are scanned whole (a slot torn by a
// power cut is an attempt whose PIN was never compared, counted or not; load programs the
// last used word again as read, so weak bits settle the way they were counted). A full tally,
// or no valid copy, falls back to a save carrying the counts. A copy written before roles
// (no rolePins in its JSON) has 256 slots of 2 bits (attempt, right supervisor PIN): the same
// bits at half the width, read as such and replaced by a save at the next attempt.
import { FlashDevice } from "../../drivers/hal";
import { fromHex } from "./hmac";
import { clockInfo, clockSync, ClockSource } from "../clock";

/** the UTC offset in minutes (the acquirer's local time = UTC + offset): UNSET until provisioned,
 *  then UTC-12:00..UTC+14:00 (a const enum: inlined, no RAM) */
export const enum Utc { UNSET = 9999, MIN = -720, MAX = 840 }

export interface Settings {
  tid: string;
  mid: string;
  merchantName: string;
  merchantAddr: string;
  host: string;
  port: number;
  nii: number;
  ssid: string;
  wifiPass: string;
  /** role PINs (firmware/app/pin.ts RolePins): one salt; the supervisor's hash and count
   *  keep their pre-roles names; cashier + technician hashes (32 hex each) and counts */
  pinSalt: string;
  pinHash: string;
  pinFails: number;
  rolePins: string;
  cashierFails: number;
  techFails: number;
  /** amount limits, minor units */
  minAmount: number;
  maxAmount: number;
  /** HMAC key for PAN tokens, hex */
  deviceKey: string;
  /** host MAC key, hex (16..32 bytes; docs/host-protocol.md §1.4); never printed or logged */
  macKey: string;
  /** firmware update key, hex (16..32 bytes; docs/update.md): HMAC over each offered image */
  updateKey: string;
  /** Z report mark: batch and last invoice covered by the previous Z report */
  shiftBatch: number;
  shiftFrom: number;
  /** STAN of the transaction whose merchant receipt was started and not finished (0 = none) */
  receiptOpen: number;
  /** 1 while training mode is on (firmware/app/training.ts): documents print the TRAINING
   *  mark; found set at boot (a restart during training), it is cleared and the operator told */
  training: number;
  /** minutes east of UTC of the acquirer's local time (DE 12/13), for SNTP's UTC
   *  (firmware/clock-sntp.ts); Utc.UNSET: not provisioned, SNTP never sets the clock */
  utcOffset: number;
}

/** Simulator defaults; a real terminal is provisioned over these. */
export function defaultSettings(): Settings {
  return {
    tid: "POS00001", mid: "000000000000001", merchantName: "DEMO STORE", merchantAddr: "1 MAIN ST",
    host: "acquirer.local", port: 5000, nii: 1, ssid: "pos-lab", wifiPass: "",
    pinSalt: "", pinHash: "", pinFails: 0, rolePins: "", cashierFails: 0, techFails: 0, minAmount: 100, maxAmount: 500000,
    deviceKey: "",
    // TEST ONLY: the acquirer simulator's key (sim/acquirer/mac.ts); provision a real one
    macKey: "000102030405060708090a0b0c0d0e0f",
    // TEST ONLY: the update server's default key (npx pos-sim update-server); provision a real one
    updateKey: "101112131415161718191a1b1c1d1e1f",
    shiftBatch: 0, shiftFrom: 0, receiptOpen: 0, training: 0, utcOffset: Utc.UNSET,
  };
}

/** fields an installer may set from the console (posConfig); the PIN, its salt and counter,
 *  the token key and the marks are not among them */
/** one string, not an array of 11 (which would stay in RAM): split where used */
export const CONFIGURABLE = "tid mid merchantName merchantAddr host port nii ssid wifiPass minAmount maxAmount macKey updateKey utcOffset";

/** Sets one configurable field (type-checked) and saves; returns an error text or null. A new
 *  UTC offset moves a clock that SNTP set by the change (the change itself is audited). */
export function configure(store: SettingsStore, name: string, value: any): string | null {
  var names = CONFIGURABLE.split(" ");
  if (names.indexOf(name) < 0) return "not configurable: " + name + " (one of " + names.join(", ") + ")";
  var v = store.values as any, old = v[name];
  if (name === "utcOffset") {
    if (typeof value !== "number" || Math.floor(value) !== value || value < Utc.MIN || value > Utc.MAX) return "utcOffset: whole minutes east of UTC, -720..840 (60 is UTC+01:00, -300 UTC-05:00)";
  } else if (typeof value !== typeof old) return name + " must be a " + typeof old;
  else if (typeof value === "number" && (value < 0 || value > 999999999 || Math.floor(value) !== value)) return name + ": a whole number 0..999999999";
  if (typeof value === "string" && value.length > 64) return name + ": 64 characters at most";
  if ((name === "macKey" || name === "updateKey") && (value.length < 32 || !fromHex(value))) return name + ": 32..64 hex digits";
  v[name] = value;
  var err = store.save();
  // SNTP's reading stays right in UTC: its local time moves with the offset (the host's does not)
  var c = clockInfo();
  if (!err && name === "utcOffset" && old !== Utc.UNSET && c.t >= 0 && c.source === ClockSource.Sntp) clockSync(c.t + (value - old) * 60, ClockSource.Sntp, function () {});
  return err;
}

const MAGIC0 = 0x53, MAGIC1 = 0x45, MAGIC2 = 0x54, MAGIC3 = 0x31;
const HEADER = 16;
const TALLY = 64;
/** tally slots of 4 bits */
const SLOTS = TALLY * 2;

export interface SettingsRegion { base: number; sectors: number; sectorSize: number; }

export class SettingsStore {
  private flash: FlashDevice;
  private region: SettingsRegion;
  private crc32: (d: Uint8Array) => number;
  /** sector index of the newest valid copy, -1 if none */
  private current = -1;
  private seq = 0;
  /** next free tally slot of the current copy */
  private slot = 0;
  values: Settings;

  constructor(options: { flash: FlashDevice; region: SettingsRegion; crc32: (d: Uint8Array) => number }) {
    this.flash = options.flash;
    this.region = options.region;
    this.crc32 = options.crc32;
    if (this.region.sectors < 2) throw new Error("settings region needs 2 sectors");
    this.values = defaultSettings();
  }

  /** Reads both copies; keeps defaults (and reports false) when neither is valid. */
  load(): boolean {
    var best = -1, bestSeq = -1, bestValues: any = null;
    for (var s = 0; s < 2; s++) {
      var rec = this.readCopy(s);
      if (rec && rec.seq > bestSeq) { best = s; bestSeq = rec.seq; bestValues = rec.values; }
    }
    this.current = best;
    this.seq = best < 0 ? 0 : bestSeq;
    var v = defaultSettings() as any;
    if (bestValues) for (var k in v) if (bestValues[k] !== undefined && typeof bestValues[k] === typeof v[k]) v[k] = bestValues[k];
    this.values = v;
    this.readTally(bestValues && typeof bestValues.rolePins !== "string" ? 2 : 4);
    return best >= 0;
  }

  /** Counts a PIN attempt in flash; call it BEFORE comparing the PIN and compare only on
   *  null (the count is in flash and read back). Every role's count includes the attempt. */
  countAttempt(): string | null {
    var v = this.values;
    v.pinFails++; v.cashierFails++; v.techFails++;
    if (this.current < 0 || this.slot >= SLOTS) return this.save();
    var k = this.slot++;
    return this.mark(k, 0) ? null : "settings write failed";
  }

  /** The attempt just counted was the right PIN of role (1..3): that role's count goes back
   *  to 0 in flash, and the others' lose the attempt (PINs differ: it was no guess at theirs). */
  attemptOk(role: number): string | null {
    var v = this.values;
    v.pinFails--; v.cashierFails--; v.techFails--;
    if (role === 1) v.cashierFails = 0; else if (role === 3) v.techFails = 0; else v.pinFails = 0;
    if (this.current >= 0 && this.slot > 0 && this.mark(this.slot - 1, role === 2 ? 1 : role === 1 ? 2 : 3)) return null;
    return this.save();
  }

  private tallyAddr(): number { return this.region.base + (this.current + 1) * this.region.sectorSize - TALLY; }

  /** width: bits per slot, 4 (roles) or 2 (a copy written before roles) */
  private readTally(width: number): void {
    this.slot = 0;
    if (this.current < 0) return;
    var t = this.flash.read(TALLY, this.tallyAddr());
    var v = this.values;
    for (var k = 0; k < TALLY * 8 / width; k++) {
      var b = t[(k * width) >> 3]! >> ((k * width) & 7);
      if (b & 1) continue;
      // an attempt no right mark followed counts against every role (before roles: against
      // the one PIN, the supervisor's); a right PIN clears its role's count (bit 1
      // supervisor, 2 cashier, 3 technician)
      if (width === 2 ? b & 2 : (b & 14) === 14) {
        v.pinFails++;
        if (width === 4) { v.cashierFails++; v.techFails++; }
      } else if (!(b & 2)) v.pinFails = 0;
      else if (!(b & 4)) v.cashierFails = 0;
      else v.techFails = 0;
      this.slot = k + 1;
    }
    // a power cut during a tally program can leave weak bits that read 0 or 1 at random:
    // program the last used slot's word again as it was just read, so the count taken now
    // is the one every later boot reads (a count never goes down without a right PIN)
    if (this.slot > 0) {
      var w = (((this.slot - 1) * width) >> 3) & ~3;
      this.flash.write(t.subarray(w, w + 4), this.tallyAddr() + w);
    }
    // the next attempt starts a copy with the roles' layout
    if (width !== 4) this.slot = SLOTS;
  }

  /** clears one tally bit (slot k, bit 0 attempt / 1..3 right) with a one-word program */
  private mark(k: number, bit: number): boolean {
    var byte = k >> 1, off = byte & 3, addr = this.tallyAddr() + byte - off;
    var m = 1 << ((k & 1) * 4 + bit);
    var w = new Uint8Array([255, 255, 255, 255]);
    w[off] = 255 & ~m;
    this.flash.write(w, addr);
    return (this.flash.read(4, addr)[off]! & m) === 0;
  }

  /** Persists the current values; returns an error message or null. */
  save(): string | null {
    var target = this.current === 0 ? 1 : 0;
    var addr = this.region.base + target * this.region.sectorSize;
    var json = JSON.stringify(this.values);
    var len = json.length;
    if (HEADER + len > this.region.sectorSize - TALLY) return "settings too large";
    var padded = (len + 3) & ~3;
    var buf = new Uint8Array(HEADER + padded);
    for (var i = padded - 1; i >= len; i--) buf[HEADER + i] = 0xff;
    for (var j = 0; j < len; j++) buf[HEADER + j] = json.charCodeAt(j) & 255;
    var seq = this.seq + 1;
    putU32(buf, 8, seq);
    buf[12] = len & 255; buf[13] = len >> 8; buf[14] = 0xff; buf[15] = 0xff;
    putU32(buf, 4, this.crc32(buf.subarray(8, HEADER + len)));
    buf[0] = MAGIC0; buf[1] = MAGIC1; buf[2] = MAGIC2; buf[3] = MAGIC3;
    this.flash.erasePage(addr);
    // payload first, header last: the header is the commit
    this.flash.write(buf.subarray(HEADER), addr + HEADER);
    // the new copy's tally must read erased before the commit (a stray 0 could read as an
    // accepted PIN)
    var t = this.flash.read(TALLY, addr + this.region.sectorSize - TALLY);
    for (var x = 0; x < TALLY; x++) if (t[x] !== 255) return "settings write failed";
    this.flash.write(buf.subarray(0, HEADER), addr);
    var back = this.flash.read(buf.length, addr);
    for (var b = 0; b < buf.length; b++) if (back[b] !== buf[b]) return "settings write failed";
    this.current = target;
    this.seq = seq;
    this.slot = 0;
    return null;
  }

  private readCopy(sector: number): { seq: number; values: any } | null {
    var addr = this.region.base + sector * this.region.sectorSize;
    var h = this.flash.read(HEADER, addr);
    if (h[0] !== MAGIC0 || h[1] !== MAGIC1 || h[2] !== MAGIC2 || h[3] !== MAGIC3) return null;
    var len = h[12]! | (h[13]! << 8);
    if (HEADER + len > this.region.sectorSize - TALLY) return null;
    var all = this.flash.read(HEADER + len, addr);
    if (this.crc32(all.subarray(8)) !== getU32(all, 4)) return null;
    var json = "";
    for (var i = HEADER; i < all.length; i++) json += String.fromCharCode(all[i]!);
    try {
      var values = JSON.parse(json);
      return typeof values === "object" && values ? { seq: getU32(all, 8), values: values } : null;
    } catch (e) {
      return null;
    }
  }
}

function putU32(b: Uint8Array, off: number, v: number): void {
  b[off] = v & 255; b[off + 1] = (v >> 8) & 255; b[off + 2] = (v >> 16) & 255; b[off + 3] = (v >>> 24) & 255;
}

function getU32(b: Uint8Array, off: number): number {
  return (b[off]! | (b[off + 1]! << 8) | (b[off + 2]! << 16) | (b[off + 3]! << 24)) >>> 0;
}
