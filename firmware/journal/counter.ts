// A monotonic counter (boot count and the like) with the journal's guarantees, at one
// 4-byte word per increment: 1016 increments per 4 KiB erase.
//
// Sector: a 32-byte header (magic "CNT1", seq, base value, erase count, CRC-32, commit word),
// then words. value = base of the newest sector + (index of its last non-erased word + 1): any
// programmed bit consumes the word (round up). An increment programs the next word to zero
// and reads it back; zero is the only target value, so a word left weak by a cut is simply
// programmed again in full by the next increment. The first read after boot affirms a
// partially programmed tail word, so the value never reads lower later.
import { FlashDevice } from "../../drivers/hal";
import * as F from "./format";

export interface CounterRegion { base: number; sectors: number; sectorSize: number; }
export interface CounterError { code: string; reason: string; }

var CMAGIC = [0x43, 0x4E, 0x54, 0x31];

function encodeCounterHeader(seq: number, base: number, erases: number, crc: F.Crc32): Uint8Array {
  var b = new Uint8Array(32);
  b.fill(255);
  b.set(CMAGIC, 0);
  F.putU32(b, 4, seq); F.putU32(b, 8, base); F.putU32(b, 12, erases);
  F.putU32(b, 24, crc(b.subarray(0, 24)));
  return b;
}
function decodeCounterHeader(b: Uint8Array, crc: F.Crc32): { seq: number; base: number; erases: number } | null {
  for (var i = 0; i < 4; i++) if (b[i] !== CMAGIC[i]) return null;
  if (F.getU32(b, 28) !== 0 || crc(b.subarray(0, 24)) !== F.getU32(b, 24)) return null;
  return { seq: F.getU32(b, 4), base: F.getU32(b, 8), erases: F.getU32(b, 12) };
}

export class MonotonicCounter {
  state: "ok" | "fault" = "ok";
  reason = "";
  bootBytesRead = 0;
  private crc: F.Crc32;
  private words: number;
  private hdrs: ({ seq: number; base: number; erases: number } | null)[] = [];
  private newest = -1;
  private used = 0;      // words consumed in the newest sector
  private settled = false;
  private ffCrc: number;
  /** sectors of a blank region seen erased: the first format uses them without erasing */
  private fresh: boolean[] = [];

  constructor(private flash: FlashDevice, private region: CounterRegion, crc32?: F.Crc32) {
    this.crc = crc32 || function (d: Uint8Array) { return E.CRC32(d); };
    this.words = (region.sectorSize - 32) / 4;
    var ff = new Uint8Array(region.sectorSize); ff.fill(255);
    this.ffCrc = this.crc(ff);
    for (var s = 0; s < region.sectors; s++) {
      var d = decodeCounterHeader(this.read(32, this.addr(s, 0)), this.crc);
      this.hdrs.push(d);
      if (d && (this.newest < 0 || d.seq > this.hdrs[this.newest]!.seq)) this.newest = s;
    }
    if (this.newest >= 0) this.used = this.tail() + 1;
    else if (!this.blankRegion()) { this.state = "fault"; this.reason = "counter unrecognised: no valid header; supervisor recovery needed"; }
  }

  private addr(s: number, off: number): number { return this.region.base + s * this.region.sectorSize + off; }
  private read(n: number, a: number): Uint8Array { this.bootBytesRead += n; return this.flash.read(n, a); }
  /** erased except, perhaps, a header whose first write was cut: a new device */
  private blankRegion(): boolean {
    for (var s = 0; s < this.region.sectors; s++) {
      var b = this.read(this.region.sectorSize, this.addr(s, 0));
      if (!F.isErased(b, 32, this.region.sectorSize - 32)) return false;
      this.fresh.push(F.isErased(b, 0, 32));
    }
    return true;
  }
  /** index of the last non-erased word of the newest sector (-1: none) */
  private tail(): number {
    var b = this.read(this.region.sectorSize - 32, this.addr(this.newest, 32));
    for (var w = this.words - 1; w >= 0; w--) {
      if (b[w * 4] !== 255 || b[w * 4 + 1] !== 255 || b[w * 4 + 2] !== 255 || b[w * 4 + 3] !== 255) return w;
    }
    return -1;
  }

  /** the current value (0 on a blank region); affirms a torn tail word first */
  value(): number {
    if (this.state === "fault") return -1;
    if (this.newest < 0) return 0;
    if (!this.settled) {
      this.settled = true;
      this.used = Math.max(this.used, this.tail() + 1);
      var a = this.addr(this.newest, 32 + (this.used - 1) * 4);
      if (this.used > 0 && F.getU32(this.flash.read(4, a), 0) !== 0) this.program(a);
    }
    return this.hdrs[this.newest]!.base + this.used;
  }

  private program(a: number): boolean {
    var z = new Uint8Array(4);
    this.flash.write(z, a);
    var back = this.flash.read(4, a);
    return back[0] === 0 && back[1] === 0 && back[2] === 0 && back[3] === 0;
  }

  /** consumes the next value and returns it once it is on flash, or an error */
  increment(): number | CounterError {
    var v = this.value();
    if (this.state === "fault") return { code: "fault", reason: this.reason };
    for (var attempt = 0; attempt < 4; attempt++) {
      if (this.newest < 0 || this.used >= this.words) {
        var e = this.open(v);
        if (e) return e;
      }
      var w = this.used++;
      v++;
      if (this.program(this.addr(this.newest, 32 + w * 4))) return v;
      if (attempt === 1) this.used = this.words; // this sector does not take programs: move on
    }
    return { code: "flash", reason: "counter flash does not take writes" };
  }

  /** erase the oldest sector, verify it, and start it at base = value */
  private open(base: number): CounterError | null {
    var seq = 0, erases = 0, i: number;
    for (i = 0; i < this.region.sectors; i++) {
      var h = this.hdrs[i];
      if (h) { if (h.seq > seq) seq = h.seq; if (h.erases > erases) erases = h.erases; }
    }
    for (var tries = 0; tries < this.region.sectors; tries++) {
      var v = -1;
      for (i = 0; i < this.fresh.length && v < 0; i++) if (this.fresh[i]) v = i;
      for (i = 0; i < this.region.sectors && !this.fresh[v]; i++) {
        if (i === this.newest) continue;
        if (v < 0 || !this.hdrs[i] || (this.hdrs[v] && this.hdrs[i]!.seq < this.hdrs[v]!.seq)) v = i;
      }
      if (v < 0) return { code: "flash", reason: "counter needs two sectors" };
      var old = this.hdrs[v];
      this.hdrs[v] = null;
      var ok = !!this.fresh[v] && this.crc(this.flash.read(this.region.sectorSize, this.addr(v, 0))) === this.ffCrc;
      this.fresh[v] = false;
      for (var t = 0; t < 3 && !ok; t++) {
        this.flash.erasePage(this.addr(v, 0));
        ok = this.crc(this.flash.read(this.region.sectorSize, this.addr(v, 0))) === this.ffCrc;
      }
      var hb = encodeCounterHeader(seq + 1, base, (old ? old.erases : erases) + 1, this.crc);
      if (ok) {
        this.flash.write(hb.subarray(0, 28), this.addr(v, 0));
        ok = F.sameBytes(this.flash.read(28, this.addr(v, 0)), 0, hb, 0, 28) && this.program(this.addr(v, 28));
      }
      if (ok) {
        this.hdrs[v] = { seq: seq + 1, base: base, erases: (old ? old.erases : erases) + 1 };
        this.newest = v; this.used = 0; this.settled = true;
        return null;
      }
      seq++;
    }
    return { code: "flash", reason: "counter sectors do not erase" };
  }

  /** supervisor action for the fault state: restart no lower than atLeast */
  recover(atLeast: number): CounterError | null {
    if (this.state !== "fault") return { code: "state", reason: "counter is not in the fault state" };
    this.state = "ok"; this.reason = "";
    var e = this.open(atLeast);
    if (e) { this.state = "fault"; this.reason = e.reason; }
    return e;
  }

  diag(): string {
    var lines = ["counter " + this.state + " value " + this.value()];
    for (var s = 0; s < this.region.sectors; s++) {
      var h = this.hdrs[s];
      lines.push("sector " + s + ": " + (h ? "seq " + h.seq + " base " + h.base + " erases " + h.erases + (s === this.newest ? " newest, used " + this.used + "/" + this.words : "") : "free"));
    }
    return lines.join("\n");
  }
}
