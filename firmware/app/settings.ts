// Settings store: A/B copies in the board's `settings` flash region (two 4 KiB sectors of
// raw flash). A save erases the sector NOT holding the newest valid copy, writes the payload,
// then the header (magic, CRC, sequence) last: a power cut at any point leaves the previous
// copy valid. Load picks the valid copy with the highest sequence.
//
// Sector layout: 0 magic "SET1" | 4 CRC-32 of [8, 16+len) | 8 seq u32 LE | 12 len u16 LE,
// 2 pad | 16 payload (JSON, ASCII).
import { FlashDevice } from "../../drivers/hal";

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
  pinSalt: string;
  pinHash: string;
  pinFails: number;
  /** amount limits, minor units */
  minAmount: number;
  maxAmount: number;
  /** HMAC key for PAN tokens, hex */
  deviceKey: string;
  /** Z report mark: batch and last invoice covered by the previous Z report */
  shiftBatch: number;
  shiftFrom: number;
  /** STAN of the transaction whose merchant receipt was started and not finished (0 = none) */
  receiptOpen: number;
}

/** Simulator defaults; a real terminal is provisioned over these. */
export function defaultSettings(): Settings {
  return {
    tid: "POS00001", mid: "000000000000001", merchantName: "DEMO STORE", merchantAddr: "1 MAIN ST",
    host: "acquirer.local", port: 5000, nii: 1, ssid: "pos-lab", wifiPass: "",
    pinSalt: "", pinHash: "", pinFails: 0, minAmount: 100, maxAmount: 500000,
    deviceKey: "", shiftBatch: 0, shiftFrom: 0, receiptOpen: 0,
  };
}

/** fields an installer may set from the console (posConfig); the PIN, its salt and counter,
 *  the token key and the marks are not among them */
export const CONFIGURABLE = ["tid", "mid", "merchantName", "merchantAddr", "host", "port", "nii", "ssid", "wifiPass", "minAmount", "maxAmount"];

/** Sets one configurable field (type-checked); returns an error text or null. */
export function configure(store: SettingsStore, name: string, value: any): string | null {
  if (CONFIGURABLE.indexOf(name) < 0) return "not configurable: " + name + " (one of " + CONFIGURABLE.join(", ") + ")";
  var v = store.values as any;
  if (typeof value !== typeof v[name]) return name + " must be a " + typeof v[name];
  if (typeof value === "number" && (value < 0 || value > 999999999 || Math.floor(value) !== value)) return name + ": a whole number 0..999999999";
  if (typeof value === "string" && value.length > 64) return name + ": 64 characters at most";
  v[name] = value;
  return store.save();
}

const MAGIC0 = 0x53, MAGIC1 = 0x45, MAGIC2 = 0x54, MAGIC3 = 0x31;
const HEADER = 16;

export interface SettingsRegion { base: number; sectors: number; sectorSize: number; }

export class SettingsStore {
  private flash: FlashDevice;
  private region: SettingsRegion;
  private crc32: (d: Uint8Array) => number;
  /** sector index of the newest valid copy, -1 if none */
  private current = -1;
  private seq = 0;
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
    return best >= 0;
  }

  /** Persists the current values; returns an error message or null. */
  save(): string | null {
    var target = this.current === 0 ? 1 : 0;
    var addr = this.region.base + target * this.region.sectorSize;
    var json = JSON.stringify(this.values);
    var len = json.length;
    if (HEADER + len > this.region.sectorSize) return "settings too large";
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
    this.flash.write(buf.subarray(0, HEADER), addr);
    var back = this.flash.read(buf.length, addr);
    for (var b = 0; b < buf.length; b++) if (back[b] !== buf[b]) return "settings write failed";
    this.current = target;
    this.seq = seq;
    return null;
  }

  private readCopy(sector: number): { seq: number; values: any } | null {
    var addr = this.region.base + sector * this.region.sectorSize;
    var h = this.flash.read(HEADER, addr);
    if (h[0] !== MAGIC0 || h[1] !== MAGIC1 || h[2] !== MAGIC2 || h[3] !== MAGIC3) return null;
    var len = h[12]! | (h[13]! << 8);
    if (HEADER + len > this.region.sectorSize) return null;
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
