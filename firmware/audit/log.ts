// The audit trail: an append-only ring of hash-chained 32-byte entries in the board's `audit`
// flash region (format.ts, docs/audit.md). Sectors are used in turn (the oldest is erased when
// the newest is full: wear spreads evenly, each header keeps its sector's erase count). Every
// write and erase is read back; a slot whose write did not take is burnt (programmed to zero)
// and the next entry says how many burnt slots precede it, so a verifier can tell a power cut
// from a deletion. Boot reads the headers and the newest sector, and checks only the tail.
// RAM: two typed arrays and a 12-byte chain; nothing per entry.
import { FlashDevice } from "../../drivers/hal";
import { Sha256 } from "../app/hmac";
import * as F from "./format";

export interface AuditRegion { base: number; sectors: number; sectorSize: number; }

// st[] indexes
const NEWEST = 0, POS = 1, SEQ = 2, BURNS = 3, LOW = 4;
const NONE = 0xffffffff;
/** per sector in hv[]: flags (1 header valid, 2 retired), sector seq, erase count, first entry seq */
const HV = 4;
/** clock readings before 2020 are not a real time */
const CLOCK_FROM = 1577836800;

/** writes data, reads it back: true when it landed exactly */
function program(flash: FlashDevice, addr: number, data: Uint8Array): boolean {
  flash.write(data, addr);
  var back = flash.read(data.length, addr);
  for (var i = 0; i < data.length; i++) if (back[i] !== data[i]) return false;
  return true;
}

export class AuditLog {
  /** why entries are no longer written ("" while healthy) */
  fault = "";
  private hv: Uint32Array;
  private st: Uint32Array;
  /** chain of the newest entry (or of the header before it) */
  private prev: Uint8Array;

  constructor(private flash: FlashDevice, private region: AuditRegion, private sha: Sha256) {
    var n = region.sectors, hv = new Uint32Array(n * HV), st = new Uint32Array(5), prev = new Uint8Array(F.CHAIN);
    this.hv = hv; this.st = st; this.prev = prev;
    var size = region.sectorSize, slots = size / F.SLOT, newest = -1, s: number;
    st[NEWEST] = NONE; st[POS] = slots; st[SEQ] = 1;
    for (s = 0; s < n; s++) {
      var h = flash.read(F.SLOT, region.base + s * size);
      if (!F.headerValid(sha, h, 0)) continue;
      hv[s * HV] = 1; hv[s * HV + 1] = F.getU32(h, 4); hv[s * HV + 2] = F.getU32(h, 8); hv[s * HV + 3] = F.getU32(h, 12);
      if (newest < 0 || hv[s * HV + 1]! > hv[newest * HV + 1]!) newest = s;
    }
    if (newest < 0) return; // blank (or foreign) region: the first append formats a sector
    // the newest sector: entries were read back when written, so only the tail can be torn
    var base = region.base + newest * size, b = flash.read(size, base), last = 0, i: number;
    for (i = 1; i < slots; i++) if (!F.allAre(b, i * F.SLOT, F.SLOT, 255)) last = i;
    for (i = 0; i < F.CHAIN; i++) prev[i] = b[16 + i]!;
    st[NEWEST] = newest; st[SEQ] = F.getU32(b, 12);
    var affirm = true;
    for (i = 1; i <= last; i++) {
      var o = i * F.SLOT;
      if (F.allAre(b, o, F.SLOT, 0)) { st[BURNS] = st[BURNS]! + 1; continue; }
      // before the tail, a slot that is not the next entry is a burn that did not take
      var ok = i === last ? F.getU32(b, o) === st[SEQ] && F.entryValid(sha, b, o, prev) : F.getU32(b, o) === st[SEQ];
      if (!ok) {
        // torn by a cut: burn it so it reads the same forever (it may or may not have happened)
        if (i === last) { program(flash, base + o, new Uint8Array(F.SLOT)); affirm = false; }
        st[BURNS] = st[BURNS]! + 1;
        continue;
      }
      st[SEQ] = F.getU32(b, o) + 1; st[BURNS] = 0;
      for (var k = 0; k < F.CHAIN; k++) prev[k] = b[o + F.BODY + k]!;
    }
    // the last write may have been cut with all its bits in but some weak: program it again
    var tail = b.subarray(last * F.SLOT, last * F.SLOT + F.SLOT);
    if (affirm && !F.allAre(tail, 0, F.SLOT, 0)) program(flash, base + last * F.SLOT, new Uint8Array(tail));
    st[POS] = last + 1;
  }

  /** Appends one entry (event codes: format.ts AuditEvent; role: AuditRole). False when the
   *  flash refuses it (the log is then in the fault state and says why). LowMemory is kept
   *  once per boot. */
  append(event: number, role: number, a: number, b: number): boolean {
    var st = this.st, hv = this.hv, flash = this.flash, g = this.region, self = this;
    var slots = g.sectorSize / F.SLOT;
    if (this.fault) return false;
    if (event === F.AuditEvent.LowMemory) { if (st[LOW]) return true; st[LOW] = 1; }
    var now = Math.floor(Date.now() / 1000);
    var e = new Uint8Array(F.SLOT);
    /** erase the oldest (or an unused) sector, check it is blank, write its header */
    var open = function (): boolean {
      var maxSeq = 0, maxErase = 0, s: number, j: number;
      for (s = 0; s < g.sectors; s++) if (hv[s * HV]! & 1) { maxSeq = Math.max(maxSeq, hv[s * HV + 1]!); maxErase = Math.max(maxErase, hv[s * HV + 2]!); }
      for (;;) {
        var v = -1;
        for (s = 0; s < g.sectors; s++) {
          if (s === st[NEWEST] || hv[s * HV]! & 2) continue;
          if (!(hv[s * HV]! & 1)) { v = s; break; } // unused, or its header was torn
          if (v < 0 || hv[s * HV + 1]! < hv[v * HV + 1]!) v = s; // else the oldest
        }
        if (v < 0) return false;
        var at = g.base + v * g.sectorSize, blank = function (): boolean {
          for (j = 0; j < g.sectorSize; j += 256) if (!F.allAre(flash.read(256, at + j), 0, 256, 255)) return false;
          return true;
        };
        // a sector without a header never used before counts from 0, else from the highest known
        var erases = hv[v * HV]! & 1 ? hv[v * HV + 2]! : blank() ? 0 : maxErase, ok = false;
        hv[v * HV] = 0;
        for (var t = 0; t < 3 && !ok; t++) {
          flash.erasePage(at); // always, even when it reads blank: an erase cut late reads blank yet holds weak bits
          erases++;
          ok = blank();
        }
        var h = new Uint8Array(F.SLOT);
        F.encodeHeader(self.sha, h, maxSeq + 1, erases, st[SEQ]!, self.prev);
        if (ok && program(flash, at, h)) {
          hv[v * HV] = 1; hv[v * HV + 1] = maxSeq + 1; hv[v * HV + 2] = erases; hv[v * HV + 3] = st[SEQ]!;
          st[NEWEST] = v; st[POS] = 1; st[BURNS] = 0;
          return true;
        }
        hv[v * HV] = 2; // worn out for this power-up: try another sector
      }
    };
    for (var attempt = 0; attempt < 6; attempt++) {
      if (st[POS]! >= slots && !open()) break;
      var addr = g.base + st[NEWEST]! * g.sectorSize + st[POS]! * F.SLOT;
      F.encodeEntry(this.sha, e, st[SEQ]!, event, role, st[BURNS]!, a >>> 0, b >>> 0, now >= CLOCK_FROM ? now : F.NO_TIME, this.prev);
      st[POS] = st[POS]! + 1;
      if (program(flash, addr, e)) {
        st[SEQ] = st[SEQ]! + 1; st[BURNS] = 0;
        this.prev.set(e.subarray(F.BODY, F.SLOT));
        return true;
      }
      program(flash, addr, new Uint8Array(F.SLOT)); // burn: never read as an entry
      st[BURNS] = st[BURNS]! + 1;
      if (attempt % 2 === 1) st[POS] = slots; // two failures in a row: leave this sector
    }
    this.fault = "audit flash does not take writes";
    return false;
  }

  /** Visits the retained entries with seq >= from, oldest first, one 32-byte slot at a time
   *  (the bytes as on flash: format.ts). Returns the next entry's seq. */
  each(from: number, fn: (e: Uint8Array) => void): number {
    var g = this.region, hv = this.hv, done = -1, slots = g.sectorSize / F.SLOT;
    for (;;) {
      var s = -1;
      for (var t = 0; t < g.sectors; t++) {
        if ((hv[t * HV]! & 1) && (done < 0 || hv[t * HV + 1]! > hv[done * HV + 1]!) && (s < 0 || hv[t * HV + 1]! < hv[s * HV + 1]!)) s = t;
      }
      if (s < 0) return this.st[SEQ]!;
      done = s;
      for (var i = 1; i < slots; i++) {
        var e = this.flash.read(F.SLOT, g.base + s * g.sectorSize + i * F.SLOT);
        if (F.allAre(e, 0, F.SLOT, 255)) continue;
        var q = F.getU32(e, 0);
        if (q >= from && q < this.st[SEQ]! && !F.allAre(e, 0, F.SLOT, 0)) fn(e);
      }
    }
  }

  /** the next entry's seq, and the newest chain (12 bytes) */
  head(): { seq: number; chain: Uint8Array } { return { seq: this.st[SEQ]!, chain: new Uint8Array(this.prev) }; }
}
