// The audit trail: an append-only ring of hash-chained 32-byte entries in the board's `audit`
// flash region (format.ts, docs/audit.md). Sectors are used in turn (the oldest is erased when
// the newest is full: wear spreads evenly, each header keeps its sector's erase count). Every
// write and erase is read back; a slot whose write did not take is burnt (programmed to zero)
// and the next entry says how many burnt slots precede it, so a verifier can tell a power cut
// from a deletion. Boot reads the headers and the newest sector, and checks only the tail.
// RAM: one Uint32Array of state and the 12-byte chain; nothing per entry. The code is written
// inline on purpose: each function of the bundle costs ~5 JsVars for the terminal's life, and
// closures made during a call would be garbage until the next collection.
import { FlashDevice } from "../../drivers/hal";
import { Sha256 } from "../app/hmac";
import { Fmt, AuditEvent, digest, encodeEntry } from "./format";
import { Clock } from "../clock";

export interface AuditRegion { base: number; sectors: number; sectorSize: number; }

/** st[] indexes. PREV: 3 words, the chain of the newest entry (or, before the first entry of a
 *  sector, its header's). Per sector from HV on, 4 words: flags (1 header valid, 2 retired for
 *  this power-up), sector seq, erase count, first entry seq. NONE: no sector yet. An entry's
 *  time is the trusted clock's (firmware/clock.ts) in Unix-style seconds, else none. Words of
 *  flash are read through Uint32Array views: the format is little-endian, as the ESP32 and the
 *  simulator's hosts are. */
export const enum S { BASE, SECTORS, SIZE, NEWEST, POS, SEQ, BURNS, LOW, PREV, HV = 11, NONE = 0xffffffff }

export class AuditLog {
  /** why entries are no longer written (unset while healthy) */
  fault?: string;
  /** the state (S): where the ring stands, the newest chain, per sector its header (read by
   *  menu.ts eachEntry) */
  st: Uint32Array;

  /** clock: seconds since 2020 when trusted, else -1 (firmware/clock.ts clockNow) */
  constructor(public flash: FlashDevice, region: AuditRegion, private sha: Sha256, private clock: () => number) {
    var n = region.sectors, size = region.sectorSize, slots = size / Fmt.SLOT, newest = -1;
    var st = new Uint32Array(S.HV + n * 4), prev = new Uint8Array(st.buffer, S.PREV * 4, Fmt.CHAIN), zero = new Uint8Array(Fmt.CHAIN);
    var s: number, i: number, k: number;
    this.st = st;
    st[S.BASE] = region.base; st[S.SECTORS] = n; st[S.SIZE] = size;
    st[S.NEWEST] = S.NONE; st[S.POS] = slots; st[S.SEQ] = 1;
    for (s = 0; s < n; s++) {
      var h = new Uint8Array(flash.read(Fmt.SLOT, region.base + s * size)), hw = new Uint32Array(h.buffer, 0, 8), o = S.HV + s * 4;
      var d = digest(sha, zero, h, 0, Fmt.HEADER_BODY);
      for (k = 0; k < 4 && (d.charCodeAt(k) & 255) === h[Fmt.HEADER_BODY + k]; k++);
      if (hw[0] !== Fmt.MAGIC || k < 4) continue;
      st[o] = 1; st[o + 1] = hw[1]!; st[o + 2] = hw[2]!; st[o + 3] = hw[3]!;
      if (newest < 0 || st[o + 1]! > st[S.HV + newest * 4 + 1]!) newest = s;
    }
    if (newest < 0) return; // blank (or foreign) region: the first append formats a sector
    // the newest sector: entries were read back when written, so only the tail can be torn
    var base = region.base + newest * size, b = flash.read(size, base), last = 0, affirm = true;
    if (b.byteOffset & 3) b = new Uint8Array(b); // a word view needs an aligned start
    var bw = new Uint32Array(b.buffer, b.byteOffset, size / 4);
    for (i = 1; i < slots; i++) {
      for (k = 0; k < Fmt.SLOT && b[i * Fmt.SLOT + k] === 255; k++);
      if (k < Fmt.SLOT) last = i;
    }
    prev.set(b.subarray(16, 16 + Fmt.CHAIN));
    st[S.NEWEST] = newest; st[S.SEQ] = bw[3]!;
    for (i = 1; i <= last; i++) {
      var at = i * Fmt.SLOT;
      for (k = 0; k < Fmt.SLOT && b[at + k] === 0; k++);
      var ok = k < Fmt.SLOT && bw[at >> 2] === st[S.SEQ];
      if (ok && i === last) {
        // the tail is checked against the chain; before it, a slot that is not the next
        // entry is a burn that did not take
        var dt = digest(sha, prev, b, at, Fmt.BODY);
        for (k = 0; k < Fmt.CHAIN && (dt.charCodeAt(k) & 255) === b[at + Fmt.BODY + k]; k++);
        ok = k === Fmt.CHAIN;
      }
      // torn by a cut: burn it (a burn that does not take is burnt again at the next boot)
      if (!ok && i === last) { flash.write(new Uint8Array(Fmt.SLOT), base + at); affirm = false; }
      if (!ok) { st[S.BURNS] = st[S.BURNS]! + 1; continue; }
      st[S.SEQ] = bw[at >> 2]! + 1; st[S.BURNS] = 0;
      prev.set(b.subarray(at + Fmt.BODY, at + Fmt.SLOT));
    }
    // the last write may have been cut with all its bits in but some weak: program it again
    // (what reads back does not matter here: the next append reads back its own slot)
    if (affirm) flash.write(new Uint8Array(b.subarray(last * Fmt.SLOT, last * Fmt.SLOT + Fmt.SLOT)), base + last * Fmt.SLOT);
    st[S.POS] = last + 1;
  }

  /** Appends one entry (event codes: format.ts AuditEvent; role: AuditRole). False when the
   *  flash refuses it (the log is then in the fault state and says why). LowMemory is kept
   *  once per boot. */
  append(event: number, role: number, a: number, b: number): boolean {
    var st = this.st, flash = this.flash, size = st[S.SIZE]!, slots = size / Fmt.SLOT, n = st[S.SECTORS]!;
    var prev = new Uint8Array(st.buffer, S.PREV * 4, Fmt.CHAIN);
    if (this.fault) return false;
    if (event === AuditEvent.LowMemory) { if (st[S.LOW]) return true; st[S.LOW] = 1; }
    var c = this.clock(), e = new Uint8Array(Fmt.SLOT), s: number, j: number, r: Uint8Array, ok: boolean;
    for (var attempt = 0; attempt < 6; attempt++) {
      while (st[S.POS]! >= slots) {
        // open a sector: an unused one (or one whose header was torn), else the oldest; erase
        // it (always: an erase cut late reads blank yet holds weak bits), check it is blank,
        // write its header. A sector that will not erase or program is left for this power-up.
        var v = -1, maxSeq = 0, maxErase = 0;
        for (s = 0; s < n; s++) {
          var f = S.HV + s * 4;
          if (st[f]! & 1) { maxSeq = Math.max(maxSeq, st[f + 1]!); maxErase = Math.max(maxErase, st[f + 2]!); }
          if (s === st[S.NEWEST] || st[f]! & 2 || (v >= 0 && !(st[S.HV + v * 4]! & 1))) continue;
          if (v < 0 || !(st[f]! & 1) || st[f + 1]! < st[S.HV + v * 4 + 1]!) v = s;
        }
        if (v < 0) { this.fault = "audit flash: no sector takes an erase"; return false; }
        var hv = S.HV + v * 4, at = st[S.BASE]! + v * size, blank = true, erases = st[hv + 2]!;
        if (!(st[hv]! & 1)) {
          // never erased before: 0; a sector whose header was lost: at least the highest known
          for (j = 0; j < size && blank; j += 256) for (var r0 = flash.read(256, at + j), k = 0; k < 256; k++) if (r0[k] !== 255) blank = false;
          erases = blank ? 0 : maxErase;
        }
        st[hv] = 0; ok = false;
        for (var t = 0; t < 3 && !ok; t++) {
          flash.erasePage(at);
          erases++;
          ok = true;
          for (j = 0; j < size && ok; j += 256) for (var r2 = flash.read(256, at + j), k2 = 0; k2 < 256; k2++) if (r2[k2] !== 255) ok = false;
        }
        var h = new Uint8Array(Fmt.SLOT), w = [Fmt.MAGIC, maxSeq + 1, erases, st[S.SEQ]!];
        for (j = 0; j < 16; j++) h[j] = (w[j >> 2]! >>> ((j & 3) * 8)) & 255;
        h.set(prev, 16);
        var d = digest(this.sha, new Uint8Array(Fmt.CHAIN), h, 0, Fmt.HEADER_BODY);
        for (j = 0; j < 4; j++) h[Fmt.HEADER_BODY + j] = d.charCodeAt(j) & 255;
        if (ok) flash.write(h, at);
        for (j = 0, r = flash.read(Fmt.SLOT, at); ok && j < Fmt.SLOT; j++) ok = r[j] === h[j]; // read back
        if (ok) {
          st[hv] = 1; st[hv + 1] = maxSeq + 1; st[hv + 2] = erases; st[hv + 3] = st[S.SEQ]!;
          st[S.NEWEST] = v; st[S.POS] = 1; st[S.BURNS] = 0;
        } else st[hv] = 2;
      }
      var addr = st[S.BASE]! + st[S.NEWEST]! * size + st[S.POS]! * Fmt.SLOT;
      encodeEntry(this.sha, e, [st[S.SEQ]!, event, role, st[S.BURNS]!, a >>> 0, b >>> 0, c >= 0 ? c + Clock.EPOCH_2020 : Fmt.NO_TIME], prev);
      st[S.POS] = st[S.POS]! + 1;
      flash.write(e, addr);
      for (j = 0, r = flash.read(Fmt.SLOT, addr), ok = true; ok && j < Fmt.SLOT; j++) ok = r[j] === e[j]; // read back
      if (ok) {
        st[S.SEQ] = st[S.SEQ]! + 1; st[S.BURNS] = 0;
        prev.set(e.subarray(Fmt.BODY, Fmt.SLOT));
        return true;
      }
      flash.write(new Uint8Array(Fmt.SLOT), addr); // burn: never read as an entry (an entry declares it)
      st[S.BURNS] = st[S.BURNS]! + 1;
      if (attempt % 2 === 1) st[S.POS] = slots; // two failures in a row: leave this sector
    }
    this.fault = "audit flash does not take writes";
    return false;
  }
}
