// Write-ahead serial journal on raw NOR flash (require("Flash")): STAN, invoice and batch
// numbers folded into fixed 48-byte frames, with every write and erase read back.
// Format and recovery rules: format.ts and docs/journal.md.
import { FlashDevice } from "../../drivers/hal";
import * as F from "./format";
import { St } from "./format";
import { Kind, Result, Brand, Totals } from "../txn";
import { JournalRecord, parseRecord, updates, applyUpdate, applyRrnExt, derive, flagsOf, isFinancial, isReversible,
  IX_CUR, IX_PEND, IX_DOUBT, IX_ADV } from "./records";
// local names: one lookup at load instead of one per call on hot paths
var rOff = F.rOff;
var aOff = F.aOff;
var validR = F.validR;
var isErased = F.isErased;
var isZero = F.isZero;
var getNib = F.getNib;
var decodeAnswer = F.decodeAnswer;
var getStan = F.getStan;
var getInv = F.getInv;
var getBatch = F.getBatch;
var getU32 = F.getU32;
var sameBytes = F.sameBytes;
var nextNumber = F.nextNumber;

export { Kind, Result } from "../txn";
export { JournalRecord, IX_CUR, IX_PEND, IX_DOUBT, IX_ADV } from "./records";

export interface JournalRegion { base: number; sectors: number; sectorSize: number; }
export interface Numbers { stan: number; invoice: number; batch: number; }
export interface JournalOptions {
  /** CRC-32 (zlib); default E.CRC32 */
  crc32?: F.Crc32;
  /** numbers of a blank (all-erased) region; default 1, 1, 1 */
  first?: Numbers;
  /** sales, refunds and voids an open batch may hold (default BATCH_LIMIT) */
  batchLimit?: number;
}
export interface JournalError { code: string; reason: string; }
export interface Reserved { stan: number; invoice: number; batch: number; slot: number; }
/** entryMode: DE 22 of the card (swipe, tap and keyed are kept, firmware/txn.ts EntryMode) */
/** time: seconds since 2020-01-01 (acquirer local time), absent or -1 when the clock is not
 *  trusted; kept in sectors of format 2 (F.FORMAT), with the token's first 4 bytes */
export interface ReserveFields { amount?: number; token?: Uint8Array; last4?: string; entryMode?: string; origInvoice?: number; time?: number; }
export interface BatchTotals extends Totals { batch: number; }

function fail(code: string, reason: string): JournalError { return { code: code, reason: reason }; }
function isErr(x: any): x is JournalError { return !!x && typeof x.code === "string"; }
export { isErr as isJournalError };

/** A batch holds at most this many sales, refunds and voids ("batch full: settle"). Memory does
 *  not depend on it (queries visit one record at a time); flash does: the open batch's records
 *  are never erased, and 500 of them take 6 of the 16 sectors (docs/journal.md). */
export var BATCH_LIMIT = 500;
/** frames kept free for settlement, reversals and batch close once sales are blocked */
var SALE_HEADROOM = 12;
var ANY_HEADROOM = 6;
var ERASE_TRIES = 3;
/** sector flags */
var RETIRED = 1, BLANK = 2;
/** reads of the newest sector when sealing it: weak bits show up as differences */
var SEAL_READS = 3;

export class Journal {
  state: "ok" | "fault" = "ok";
  reason = "";
  /** flash bytes read by the constructor (boot) */
  bootBytesRead = 0;
  /** set when the previous session ended mid-write: how many serial numbers recovery passed
   *  over (bootInfo; unset otherwise, so a clean boot keeps no property) */
  private cut?: number;
  private crc: F.Crc32;
  private fps: number;
  /** per sector, in typed arrays (16 header objects would cost ~150 JsVars on the device):
   *  present, seq, next stan, next invoice, batch, erase count */
  private hv: Uint32Array;
  /** per sector: RETIRED (erase or program did not take, for this power-up), BLANK (seen fully
   *  erased at boot: a blank region's first format uses it without an erase, so a cut first
   *  format leaves nothing but a partial header) */
  private sf: Uint8Array;
  private newest = -1;
  /** the newest sector as read at boot, kept until the seal compares it with fresh reads;
   *  afterwards nothing is cached (4 KiB is 300 JsVars on the device: frames are read as needed) */
  private buf: Uint8Array | null = null;
  /** one byte per slot: kind and query flags (records.ts IX_*); built at the first query or
   *  write of a power-up, kept in step by every write. Null until then. */
  private ix: Uint8Array | null = null;
  /** the slots of update frames, in journal order (few: see records.ts) */
  private ups: number[] = [];
  private limit: number;
  private pos = 0;         // next frame to write in the newest sector
  private session = false; // sealed and positioned for this power-up
  private stan = 1; private inv = 1; private batch = 1; // next stan/invoice, current batch
  private ffCrc: number;

  constructor(private flash: FlashDevice, private region: JournalRegion, opts?: JournalOptions) {
    this.crc = (opts && opts.crc32) || function (d: Uint8Array) { return E.CRC32(d); };
    this.fps = F.framesPerSector(region.sectorSize);
    var ff = new Uint8Array(region.sectorSize); ff.fill(255);
    this.ffCrc = this.crc(ff);
    var first = opts && opts.first;
    if (first) { this.stan = first.stan; this.inv = first.invoice; this.batch = first.batch; }
    this.limit = (opts && opts.batchLimit) || BATCH_LIMIT;
    this.hv = new Uint32Array(region.sectors * 6);
    this.sf = new Uint8Array(region.sectors);
    this.boot();
  }

  // ---- boot (reads only) --------------------------------------------------------------------
  private addr(sector: number, off: number): number { return this.region.base + sector * this.region.sectorSize + off; }
  private read(n: number, a: number): Uint8Array { this.bootBytesRead += n; return this.flash.read(n, a); }

  private boot(): void {
    var n = this.region.sectors, allFF = true, best = -1, newer = 0;
    for (var s = 0; s < n; s++) {
      var h = this.read(F.HEADER_SIZE, this.addr(s, 0));
      if (!isErased(h, 0, F.HEADER_SIZE)) allFF = false;
      var d = F.decodeHeader(h, 0, this.crc);
      // magic (any "JRN" generation) and CRC good, format newer than this build's
      if (!d && h[0] === 0x4A && h[1] === 0x52 && h[2] === 0x4E && (h[8]! & 15) > F.FORMAT &&
        this.crc(h.subarray(0, 24)) === F.getU32(h, 24)) newer = Math.max(newer, h[8]! & 15);
      this.setHdr(s, d);
      if (d && (best < 0 || d.seq > this.seqOf(best))) best = s;
    }
    if (newer) {
      // written by a later firmware (docs/update.md): never misread it, never write over it
      this.state = "fault";
      this.reason = "journal format " + newer + " is newer than this firmware's " + F.FORMAT + ": install the newer firmware";
      return;
    }
    if (best < 0) {
      // No recognisable header. A blank device (or one whose first format was cut: bytes
      // only inside a header) formats itself; anything else is a fault.
      var blank = true;
      for (var t = 0; t < n && blank; t++) {
        var sec = this.read(this.region.sectorSize, this.addr(t, 0));
        if (!isErased(sec, F.HEADER_SIZE, this.region.sectorSize - F.HEADER_SIZE)) blank = false;
        if (isErased(sec, 0, F.HEADER_SIZE)) this.sf[t] = BLANK;
      }
      if (!blank) { this.state = "fault"; this.reason = "journal unrecognised: no valid sector header (foreign or corrupt data); supervisor recovery needed"; }
      return;
    }
    this.newest = best;
    this.buf = this.read(this.region.sectorSize, this.addr(best, 0));
    var scan = this.scanNewest(this.buf);
    if (scan.torn || scan.skipped) this.cut = scan.skipped;
  }

  /** how the previous session ended: cut mid-write (a torn frame, state byte or answer was
   *  found at boot), and how many serial numbers the recovery passed over */
  bootInfo(): { cut: boolean; skipped: number } { return { cut: this.cut !== undefined, skipped: this.cut || 0 }; }

  /** numbers, tail and torn status from the newest sector's bytes */
  private scanNewest(b: Uint8Array): { tail: number; torn: boolean; skipped: number } {
    var h = this.hdr(this.newest)!, crc = this.crc;
    var stan = h.stan, inv = h.invoice, batch = h.batch, tail = -1, torn = false, extra = 0;
    for (var f = 0; f < this.fps; f++) {
      var r = rOff(f), a = aOff(f);
      var used = !isErased(b, r, F.R_SIZE) || !isErased(b, a, F.A_SIZE);
      if (!used) continue;
      tail = f; torn = false;
      if (!validR(b, r, crc)) { extra++; torn = true; continue; }
      var k = getNib(b, r);
      if (k === Kind.BatchClose) batch = getBatch(b, r);
      else if (k !== Kind.Update) {
        stan = nextNumber(getStan(b, r));
        if (isFinancial(k)) inv = nextNumber(getInv(b, r));
      }
      extra = 0;
    }
    if (tail >= 0 && !torn) {
      // a partial state byte or a damaged answer also marks the tail as possibly torn
      var rt = rOff(tail), at = aOff(tail);
      for (var i = St.Commit; i <= St.Uploaded; i++) if (b[rt + i] !== 0 && b[rt + i] !== 255) torn = true;
      if (!isErased(b, at, F.A_SIZE) && !isZero(b, at, F.A_SIZE) && !decodeAnswer(b, rt, b, at, crc)) torn = true;
    }
    // round up: each unreadable frame after the last good one may have taken a number
    stan = F.advance(stan, extra); inv = F.advance(inv, extra);
    if (!this.session) { this.stan = stan; this.inv = inv; this.batch = batch; }
    else { this.stan = this.furthest(this.stan, stan, h.stan); this.inv = this.furthest(this.inv, inv, h.invoice); this.batch = batch; }
    return { tail: tail, torn: torn, skipped: extra };
  }

  /** of two numbers counted from base, the one further along the ring */
  private furthest(x: number, y: number, base: number): number {
    var dx = (x - base + F.MAX_NUMBER) % F.MAX_NUMBER, dy = (y - base + F.MAX_NUMBER) % F.MAX_NUMBER;
    return dx >= dy ? x : y;
  }

  // ---- sector headers ----
  /** hv[s * 6]: 0 no header, else the sector's format (F.FORMAT) */
  private has(s: number): boolean { return this.hv[s * 6]! > 0; }
  private seqOf(s: number): number { return this.hv[s * 6 + 1]!; }
  private hdr(s: number): F.Header | null {
    var v = this.hv, o = s * 6;
    return v[o] ? { seq: v[o + 1]!, stan: v[o + 2]!, invoice: v[o + 3]!, batch: v[o + 4]!, erases: v[o + 5]!, format: v[o]! } : null;
  }
  private setHdr(s: number, h: F.Header | null): void {
    var v = this.hv, o = s * 6;
    v[o] = h ? h.format || F.FORMAT : 0;
    if (h) { v[o + 1] = h.seq; v[o + 2] = h.stan; v[o + 3] = h.invoice; v[o + 4] = h.batch; v[o + 5] = h.erases; }
  }

  // ---- verified writes ----------------------------------------------------------------------
  private program(sector: number, off: number, data: Uint8Array): boolean {
    var a = this.addr(sector, off);
    this.flash.write(data, a);
    var back = this.flash.read(data.length, a);
    return sameBytes(back, 0, data, 0, data.length);
  }
  private zeros(n: number): Uint8Array { return new Uint8Array(n); }
  private burnFrame(sector: number, f: number): void {
    this.program(sector, rOff(f), this.zeros(F.R_SIZE));
    this.program(sector, aOff(f), this.zeros(F.A_SIZE));
  }

  /** First write (or record query) of a power-up: seal the newest sector, then continue one
   *  frame past its tail, or on the next 256-byte page when the tail itself was torn. */
  private startSession(): JournalError | null {
    if (this.state === "fault") return fail("fault", this.reason);
    if (this.session) return null;
    if (this.newest < 0) { this.session = true; return this.openSector(); }
    this.seal();
    return null;
  }

  /** Sealing neutralises what a power cut may have left in the newest sector (the only one
   *  ever programmed in place). The sector is read SEAL_READS times: weak bits read
   *  differently. A frame that never reads valid is burned to zero; a part that reads valid
   *  but varies is programmed again with its valid bytes (affirmed); a state byte that is
   *  partial or varies is completed to 0x00 (round up). */
  private seal(): void {
    var s = this.newest, crc = this.crc, size = this.region.sectorSize;
    var boot = this.scanNewest(this.buf!);
    var reads: Uint8Array[] = [this.buf!];
    this.buf = null;
    for (var k = 1; k < SEAL_READS; k++) reads.push(this.flash.read(size, this.addr(s, 0)));
    var ok = true, lastUsed = -1, tailTouched = false;
    for (var f = 0; f < this.fps; f++) {
      var r = rOff(f), a = aOff(f), valid = -1, used = false, i: number;
      for (i = 0; i < reads.length; i++) {
        var b = reads[i]!;
        if (!isErased(b, r, F.R_SIZE) || !isErased(b, a, F.A_SIZE)) used = true;
        if (valid < 0 && validR(b, r, crc)) valid = i;
      }
      if (!used) continue;
      lastUsed = f;
      var wrote = false;
      if (valid < 0) {
        for (i = 0; i < reads.length && !wrote; i++) {
          if (!isZero(reads[i]!, r, F.R_SIZE) || !isZero(reads[i]!, a, F.A_SIZE)) { this.burnFrame(s, f); wrote = true; }
        }
        if (wrote) tailTouched = true; else tailTouched = false;
        continue;
      }
      var vb = reads[valid]!;
      if (this.varies(reads, r, F.BODY_SIZE)) { ok = this.program(s, r, vb.subarray(r, r + F.BODY_SIZE)) && ok; wrote = true; }
      for (var st = St.Commit; st <= St.Uploaded; st++) {
        var set = false, full = true;
        for (i = 0; i < reads.length; i++) { if (reads[i]![r + st] !== 255) set = true; if (reads[i]![r + st] !== 0) full = false; }
        if (set && !full) { ok = this.program(s, r + st, this.zeros(1)) && ok; wrote = true; }
      }
      var va = -1, aUsed = false;
      for (i = 0; i < reads.length; i++) {
        if (!isErased(reads[i]!, a, F.A_SIZE) && !isZero(reads[i]!, a, F.A_SIZE)) aUsed = true;
        if (va < 0 && decodeAnswer(reads[i]!, r, reads[i]!, a, crc)) va = i;
      }
      if (va >= 0) {
        if (this.varies(reads, a, F.A_SIZE)) { ok = this.program(s, a, reads[va]!.subarray(a, a + F.A_SIZE)) && ok; wrote = true; }
      } else if (aUsed) { ok = this.program(s, a, this.zeros(F.A_SIZE)) && ok; wrote = true; }
      tailTouched = wrote;
    }
    if (lastUsed < 0 && (boot.tail < 0)) ok = this.program(s, 28, this.zeros(4)) && ok; // header may be the last write
    this.session = true;
    var sealed = this.scanNewest(this.flash.read(size, this.addr(s, 0)));
    var tail = Math.max(sealed.tail, boot.tail, lastUsed);
    if (boot.torn || sealed.torn || tailTouched) {
      var end = this.addr(s, F.HEADER_SIZE + (tail + 1) * F.FRAME_SIZE);
      var p = tail + 1;
      while (p < this.fps && this.addr(s, F.HEADER_SIZE + p * F.FRAME_SIZE) < ((end + F.PAGE_SIZE - 1) & ~(F.PAGE_SIZE - 1))) p++;
      this.pos = p;
    } else this.pos = tail + 2;
    if (!ok) this.pos = this.fps; // the sector no longer takes programs: move on
  }

  private varies(reads: Uint8Array[], at: number, n: number): boolean {
    for (var i = 1; i < reads.length; i++) if (!sameBytes(reads[0]!, at, reads[i]!, at, n)) return true;
    return false;
  }

  // ---- sectors ------------------------------------------------------------------------------
  /** true when the sector holds records that must be kept (a sale, refund or void of the open
   *  batch, a pending reversal) or an update of a record still on flash elsewhere: erasing the
   *  update first would bring back the record's earlier state (a reversal already done would
   *  be pending again). Admin frames (echo, logon, advice, upload, settlement) carry no money:
   *  only their numbers matter, and every newer sector's header carries those. */
  private needed(s: number): boolean {
    var ix = this.index(), fps = this.fps, base = s * fps;
    for (var f = 0; f < fps; f++) {
      var v = ix[base + f]!, k = v & 15;
      if (!k) continue;
      if (k === Kind.Update) { if (v & IX_CUR || this.updateKeeps(base + f)) return true; }
      else if (v & IX_PEND || (v & IX_CUR && isReversible(k))) return true;
    }
    return false;
  }

  /** an update whose record sits in another sector and is still there */
  private updateKeeps(u: number): boolean {
    var b = this.frame(u), t = getU32(b, 8), fps = this.fps;
    if (Math.floor(t / fps) === Math.floor(u / fps) || !(t >= 0) || t >= this.ix!.length) return false;
    var tk = this.ix![t]! & 15;
    return tk > 0 && tk < Kind.Update && getStan(this.frame(t), 0) === getStan(b, 0);
  }

  /** the sector to erase next: never the newest, never one holding needed records */
  private victim(): number {
    var best = -1;
    for (var b = 0; b < this.region.sectors; b++) if (this.sf[b] === BLANK) return b;
    for (var s = 0; s < this.region.sectors; s++) {
      if (s === this.newest || this.sf[s]! & RETIRED) continue;
      if (!this.has(s)) return s;
      if (this.needed(s)) continue;
      if (best < 0 || this.seqOf(s) < this.seqOf(best)) best = s;
    }
    return best;
  }

  private freeSectors(): number {
    var n = 0;
    for (var s = 0; s < this.region.sectors; s++) {
      if (s !== this.newest && !(this.sf[s]! & RETIRED) && (!this.has(s) || !this.needed(s))) n++;
    }
    return n;
  }

  /** erase a victim, verify it erased, write and commit a header carrying the next numbers */
  private openSector(): JournalError | null {
    var maxSeq = 0, maxErase = 0, hv = this.hv;
    for (var i = 0; i < this.region.sectors; i++) {
      if (!hv[i * 6]) continue;
      if (hv[i * 6 + 1]! > maxSeq) maxSeq = hv[i * 6 + 1]!;
      if (hv[i * 6 + 5]! > maxErase) maxErase = hv[i * 6 + 5]!;
    }
    for (;;) {
      var v = this.victim();
      if (v < 0) return fail("full", "journal full: settle the batch (no reusable sector)");
      var blank = this.sf[v] === BLANK;
      var erases = this.has(v) ? hv[v * 6 + 5]! : blank ? 0 : maxErase; // unknown: round up
      var erased = blank && this.crc(this.flash.read(this.region.sectorSize, this.addr(v, 0))) === this.ffCrc;
      this.sf[v] = 0;
      this.forget(v);
      for (var t = 0; t < ERASE_TRIES && !erased; t++) {
        this.flash.erasePage(this.addr(v, 0));
        erases++;
        erased = this.crc(this.flash.read(this.region.sectorSize, this.addr(v, 0))) === this.ffCrc;
      }
      this.setHdr(v, null);
      if (erased) {
        var h: F.Header = { seq: maxSeq + 1, stan: this.stan, invoice: this.inv, batch: this.batch, erases: erases, format: F.FORMAT };
        var hb = F.encodeHeader(h, this.crc);
        if (this.program(v, 0, hb.subarray(0, 28)) && this.program(v, 28, this.zeros(4))) {
          this.setHdr(v, h); this.newest = v; this.pos = 0;
          return null;
        }
      }
      this.sf[v] = RETIRED; // worn out: erase or program did not take
    }
  }

  /** writes a frame's body then its commit byte; burns and moves on when a read-back fails */
  private writeFrame(kind: number, stan: number, inv: number, batch: number, amount: number, card: number,
    token: Uint8Array | undefined, allocates: boolean, headroom: number, tail?: Uint8Array, time?: number): number | JournalError {
    var e = this.startSession();
    if (e) return e;
    var spare = -1;
    if (this.fps - this.pos <= headroom && this.freeSectors() === 0) {
      // Full. A batch close or an update may still use a frame the seal skipped as a guard
      // (read back verifies it), so the terminal can always settle out of a full journal.
      spare = headroom === 0 ? this.guardFrame() : -1;
      if (spare < 0) return fail("full", "journal full: settle the batch");
    }
    var body = new Uint8Array(F.BODY_SIZE);
    for (var attempt = 0; attempt < 6; attempt++) {
      if (spare < 0 && this.pos >= this.fps) { var oe = this.openSector(); if (oe) return oe; }
      var f = spare >= 0 ? spare : this.pos++;
      spare = -1;
      var r = rOff(f), s = this.newest;
      // a sector keeps the format it was opened in (an older firmware's goes on without times)
      F.encodeBody(body, kind, stan, inv, batch, amount, card, token, this.crc, tail, this.hv[s * 6]! >= 2 ? (time === undefined ? -1 : time) : undefined);
      if (this.program(s, r, body) && this.program(s, r + St.Commit, this.zeros(1))) return s * this.fps + f;
      this.burnFrame(s, f);
      if (allocates) { // the burnt frame may have taken these numbers: never reuse them
        this.stan = nextNumber(this.stan); stan = this.stan;
        if (isFinancial(kind)) { this.inv = nextNumber(this.inv); inv = this.inv; }
      }
      if (attempt % 2 === 1) this.pos = this.fps; // two failures in a row: leave this sector
    }
    return fail("flash", "journal flash does not take writes");
  }

  /** the last erased frame of the newest sector (a frame the seal skipped as a guard) */
  private guardFrame(): number {
    if (this.newest < 0) return -1;
    var b = this.flash.read(this.region.sectorSize, this.addr(this.newest, 0));
    for (var f = this.fps - 1; f >= 0; f--) {
      if (isErased(b, rOff(f), F.R_SIZE) && isErased(b, aOff(f), F.A_SIZE)) return f;
    }
    return -1;
  }

  // ---- public API ---------------------------------------------------------------------------
  /** the numbers the next reserve would hand out, and the current batch (no write) */
  next(): Numbers { return { stan: this.stan, invoice: this.inv, batch: this.batch }; }

  reserve(kind: number, fields: ReserveFields): Reserved | JournalError {
    if (kind < Kind.Sale || kind > Kind.Upload) return fail("arg", "unknown kind " + kind);
    var amount = fields.amount || 0;
    if (amount < 0 || amount > 4294967295 || amount !== Math.floor(amount)) return fail("arg", "amount must be integer minor units");
    // seal first: sealing may move the numbers (a torn frame read differently than at boot)
    var se = this.startSession();
    if (se) return se;
    var fin = isFinancial(kind);
    if (isReversible(kind) && this.batchCount() >= this.limit) return fail("batch", "batch full (" + this.limit + "): settle the batch");
    var inv = fin ? this.inv : 0;
    if (kind === Kind.Void) {
      if (!fields.origInvoice || !F.validNumber(fields.origInvoice)) return fail("arg", "void needs the original invoice");
      inv = fields.origInvoice;
    }
    var res = this.writeFrame(kind, this.stan, inv, this.batch, amount, F.packCard(fields.last4, fields.entryMode), fields.token, true,
      fin || kind === Kind.Void ? SALE_HEADROOM : ANY_HEADROOM, undefined, fields.time);
    if (isErr(res)) return res;
    // writeFrame may have skipped numbers after a failed write: read them back from the frame
    var b = this.frame(res);
    var out: Reserved = { stan: getStan(b, 0), invoice: getInv(b, 0), batch: this.batch, slot: res };
    this.stan = nextNumber(out.stan);
    if (fin) this.inv = nextNumber(out.invoice);
    this.reindex(res);
    return out;
  }

  closeBatch(): number | JournalError {
    var se = this.startSession();
    if (se) return se;
    var nb = nextNumber(this.batch);
    var res = this.writeFrame(Kind.BatchClose, this.stan, this.inv, nb, this.batch, F.NO_CARD, undefined, false, 0);
    if (isErr(res)) return res;
    this.batch = nb;
    var ix = this.index();
    for (var i = 0; i < ix.length; i++) ix[i] = ix[i]! & ~IX_CUR;
    return nb;
  }

  /** reads a committed transaction frame: {sector, r, a, bytes} or an error */
  private locate(slot: number): { s: number; r: number; a: number; b: Uint8Array } | JournalError {
    var s = Math.floor(slot / this.fps), f = slot % this.fps;
    if (!(slot >= 0) || s >= this.region.sectors || !this.has(s)) return fail("arg", "no record at slot " + slot);
    var r = rOff(f), a = aOff(f);
    var b = new Uint8Array(F.FRAME_SIZE);
    var rb = this.flash.read(F.R_SIZE, this.addr(s, r)), ab = this.flash.read(F.A_SIZE, this.addr(s, a));
    b.set(rb, 0); b.set(ab, F.R_SIZE);
    var k = getNib(b, 0);
    if (!validR(b, 0, this.crc) || k === Kind.Update || k === Kind.BatchClose) return fail("arg", "no record at slot " + slot);
    return { s: s, r: r, a: a, b: b };
  }

  /** sets one state byte in place, or in an update frame if the in-place write fails */
  private setState(slot: number, st: number): JournalError | null {
    var e = this.startSession();
    if (e) return e;
    var loc = this.locate(slot);
    if (isErr(loc)) return loc;
    if (loc.b[st] === 0) { this.reindex(slot); return null; }
    var e2 = loc.s === this.newest && this.program(loc.s, loc.r + st, this.zeros(1)) ? null : this.update(slot, loc.b, st, null);
    this.reindex(slot);
    return e2;
  }

  private update(slot: number, target: Uint8Array, st: number, answer: F.Answer | null): JournalError | null {
    var res = this.writeFrame(Kind.Update, getStan(target, 0), getInv(target, 0), getBatch(target, 0), slot,
      F.NO_CARD, undefined, false, 0);
    if (isErr(res)) return res;
    var s = this.newest, f = res % this.fps, r = rOff(f);
    this.noteUpdate(res, getBatch(target, 0));
    var ok = true;
    if (st) ok = this.program(s, r + st, this.zeros(1));
    if (answer) {
      var enc = F.encodeAnswer(this.frame(res), 0, answer, this.crc);
      ok = !!enc && this.program(s, aOff(f), enc) && ok;
    }
    return ok ? null : fail("flash", "journal flash does not take writes");
  }

  markSent(slot: number): JournalError | null { return this.setState(slot, St.Sent); }
  markNotSent(slot: number): JournalError | null { return this.setState(slot, St.RevCleared); }
  markPrinted(slot: number): JournalError | null { return this.setState(slot, St.Printed); }
  markVoided(slot: number): JournalError | null { return this.setState(slot, St.Voided); }
  markUploaded(slot: number): JournalError | null { return this.setState(slot, St.Uploaded); }
  setReversalPending(slot: number): JournalError | null { return this.setState(slot, St.RevSet); }
  clearReversal(slot: number, reversed: boolean): JournalError | null { return this.setState(slot, reversed ? St.Reversed : St.RevCleared); }

  /** brand: the card type (kept with the answer); an answer given again must be the same */
  markAnswered(slot: number, result: number, rc: string, authCode: string, rrn: string, brand?: Brand): JournalError | null {
    var e = this.startSession();
    if (e) return e;
    var loc = this.locate(slot);
    if (isErr(loc)) return loc;
    var ans: F.Answer = { result: result, rc: rc, authCode: authCode, rrn: rrn, brand: brand };
    var enc = F.encodeAnswer(loc.b, 0, ans, this.crc);
    if (!enc) return fail("arg", "answer cannot be stored (characters or lengths)");
    var e2 = this.answer(slot, loc, enc, ans, rrn);
    this.reindex(slot);
    return e2;
  }

  private answer(slot: number, loc: { s: number; r: number; a: number; b: Uint8Array }, enc: Uint8Array, ans: F.Answer, rrn: string): JournalError | null {
    if (sameBytes(loc.b, F.R_SIZE, enc, 0, F.A_SIZE)) return null;
    if (decodeAnswer(loc.b, 0, loc.b, F.R_SIZE, this.crc)) return fail("state", "record already answered");
    if (F.rrnNeedsExtension(rrn)) {
      // the RRN goes first, in an extension frame; the answer written after it commits both
      var x = this.writeFrame(Kind.Update, getStan(loc.b, 0), getInv(loc.b, 0), getBatch(loc.b, 0), slot,
        F.NO_CARD, undefined, false, 0, F.encodeRrnExt(rrn));
      if (isErr(x)) return x;
      this.noteUpdate(x, getBatch(loc.b, 0));
    }
    if (isErased(loc.b, F.R_SIZE, F.A_SIZE) && loc.s === this.newest && this.program(loc.s, loc.a, enc)) return null;
    return this.update(slot, loc.b, 0, ans);
  }

  /** supervisor action for the fault state: format, numbering no lower than given */
  recover(atLeast: Numbers): JournalError | null {
    if (this.state !== "fault") return fail("state", "journal is not in the fault state");
    // a newer firmware's journal holds numbers this build cannot read: formatting would lose them
    if (this.reason.indexOf("newer than this firmware") >= 0) return fail("newer", this.reason);
    if (!F.validNumber(atLeast.stan) || !F.validNumber(atLeast.invoice) || !F.validNumber(atLeast.batch)) return fail("arg", "numbers must be 1..999999");
    this.stan = atLeast.stan; this.inv = atLeast.invoice; this.batch = atLeast.batch;
    this.state = "ok"; this.reason = ""; this.session = true; this.newest = -1; this.ix = null; this.ups = [];
    var e = this.openSector();
    if (e) { this.state = "fault"; this.reason = "recovery failed: " + e.reason; this.session = false; }
    return e;
  }

  // ---- index and queries --------------------------------------------------------------------
  // Queries never hold more than one decoded record: they walk the index (one byte per slot)
  // and decode the frames they need from flash, one at a time (docs/journal.md).

  /** sectors holding a header, oldest first: journal order */
  private order(): number[] {
    var order: number[] = [], hv = this.hv;
    for (var s = 0; s < this.region.sectors; s++) if (hv[s * 6]) order.push(s);
    order.sort(function (x, y) { return hv[x * 6 + 1]! - hv[y * 6 + 1]!; });
    return order;
  }

  /** R (bytes 0..31) and A (32..47) of a slot, read from flash */
  private frame(slot: number): Uint8Array {
    var s = Math.floor(slot / this.fps), f = slot % this.fps, r = rOff(f), a = aOff(f);
    var b = new Uint8Array(F.FRAME_SIZE);
    b.set(this.flash.read(F.R_SIZE, this.addr(s, r)), 0);
    b.set(this.flash.read(F.A_SIZE, this.addr(s, a)), F.R_SIZE);
    return b;
  }

  /** the index, built on first use: every sector read once, oldest first */
  private index(): Uint8Array {
    if (this.ix) return this.ix;
    this.ix = new Uint8Array(this.region.sectors * this.fps);
    this.ups = [];
    var order = this.order();
    for (var i = 0; i < order.length; i++) this.indexSector(order[i]!);
    return this.ix;
  }

  /** (re)reads one sector into the index; an update re-derives its record */
  private indexSector(s: number): void {
    var ix = this.ix!, fps = this.fps, crc = this.crc, base = s * fps;
    var b = this.flash.read(this.region.sectorSize, this.addr(s, 0));
    var targets: number[] = [];
    for (var f = 0; f < fps; f++) {
      var r = rOff(f), slot = base + f;
      ix[slot] = 0;
      if (b[r] === 255 && b[r + 1] === 255) continue;
      if (!validR(b, r, crc)) continue;
      var k = getNib(b, r);
      if (k === Kind.Update) {
        if (this.ups.indexOf(slot) < 0) this.ups.push(slot);
        ix[slot] = k | (getBatch(b, r) === this.batch ? IX_CUR : 0);
        targets.push(getU32(b, r + 8));
        continue;
      }
      var rec = parseRecord(b, r, aOff(f), slot, crc, this.hv[s * 6]!);
      if (rec) { derive(rec); ix[slot] = flagsOf(rec, this.batch); }
    }
    for (var t = 0; t < targets.length; t++) this.reindex(targets[t]!);
  }

  /** drops an erased sector from the index */
  private forget(s: number): void {
    if (!this.ix) return;
    var lo = s * this.fps, hi = lo + this.fps;
    this.ix.fill(0, lo, hi);
    this.ups = this.ups.filter(function (u) { return u < lo || u >= hi; });
  }

  /** a new update frame at slot u for a record of batch b */
  private noteUpdate(u: number, b: number): void {
    if (!this.ix) return;
    this.ix[u] = Kind.Update | (b === this.batch ? IX_CUR : 0);
    if (this.ups.indexOf(u) < 0) this.ups.push(u);
  }

  /** re-derives one slot's index byte after a write */
  private reindex(slot: number): void {
    if (!this.ix || !(slot >= 0) || slot >= this.ix.length) return;
    var rec = this.decode(slot);
    this.ix[slot] = rec ? flagsOf(rec, this.batch) : 0;
  }

  /** one record with its updates folded in (state bytes, answer, RRN extension) */
  private decode(slot: number): JournalRecord | null {
    var s = Math.floor(slot / this.fps);
    if (!(slot >= 0) || s >= this.region.sectors || !this.has(s)) return null;
    var crc = this.crc, rec = parseRecord(this.frame(slot), 0, F.R_SIZE, slot, crc, this.hv[s * 6]!);
    if (!rec) return null;
    var ups = this.ups, ext = false, i: number;
    for (i = 0; i < ups.length; i++) {
      var b = this.frame(ups[i]!);
      if (!updates(b, rec, crc)) continue;
      if (F.decodeRrnExt(b, 12) !== null) ext = true;
      else applyUpdate(rec, b, crc);
    }
    // an RRN extension is written before its answer: fill it in once the answer is known
    for (i = 0; ext && i < ups.length; i++) {
      var x = this.frame(ups[i]!);
      if (updates(x, rec, crc)) applyRrnExt(rec, x, crc);
    }
    derive(rec);
    return rec;
  }

  /** what every query does first: settle what a cut left (seal), then the index */
  private ready(): boolean {
    if (this.state === "fault" || this.newest < 0) return false;
    if (!this.session) this.seal();
    this.index();
    return true;
  }

  /** Visits the slots of transaction records whose index byte has every bit of `flags`, in
   *  journal order (oldest first) or backwards; stops when fn returns true. */
  each(flags: number, fn: (slot: number, kind: number) => boolean, backwards?: boolean): void {
    if (!this.ready()) return;
    var order = this.order(), ix = this.ix!, fps = this.fps, n = order.length;
    for (var i = 0; i < n; i++) {
      var base = order[backwards ? n - 1 - i : i]! * fps;
      for (var j = 0; j < fps; j++) {
        var slot = base + (backwards ? fps - 1 - j : j), v = ix[slot]!, k = v & 15;
        if (k && k < Kind.Update && (v & flags) === flags && fn(slot, k)) return;
      }
    }
  }

  /** the first record slot after `slot` in journal order with those flags (-1: from the start) */
  nextSlot(slot: number, flags: number): number {
    var found = -1, passed = slot < 0;
    this.each(flags, function (s) {
      if (passed) { found = s; return true; }
      passed = s === slot;
      return false;
    });
    return found;
  }

  /** how many records have those flags (IX_CUR: the open batch) */
  count(flags: number): number {
    var n = 0;
    this.each(flags, function () { n++; return false; });
    return n;
  }

  /** records of the open batch that count against its limit: sales, refunds, voids */
  batchCount(): number {
    var n = 0;
    this.each(IX_CUR, function (_s, k) { if (isReversible(k)) n++; return false; });
    return n;
  }

  /** the open batch holds its limit of sales, refunds and voids: settle before the next */
  batchFull(): boolean { return this.state === "ok" && this.batchCount() >= this.limit; }

  bySlot(slot: number): JournalRecord | null { return this.ready() ? this.decode(slot) : null; }

  /** the first record with those flags, newest first when backwards */
  private first(flags: number, backwards: boolean): JournalRecord | null {
    var slot = -1;
    this.each(flags, function (s) { slot = s; return true; }, backwards);
    return slot < 0 ? null : this.decode(slot);
  }
  last(): JournalRecord | null { return this.first(0, true); }
  /** oldest record whose reversal is pending */
  pendingReversal(): JournalRecord | null { return this.first(IX_PEND, false); }

  /** the record of a STAN in the open batch (newest first), or the pending reversal's */
  byStan(stan: number): JournalRecord | null {
    var self = this, slot = -1;
    var match = function (s: number): boolean { if (getStan(self.frame(s), 0) !== stan) return false; slot = s; return true; };
    this.each(IX_CUR, match, true);
    if (slot < 0) this.each(IX_PEND, match);
    return slot < 0 ? null : this.decode(slot);
  }

  /** the sale or refund with that invoice: the open batch's (newest), else the oldest retained */
  byInvoice(invoice: number): JournalRecord | null {
    var self = this, found = -1;
    this.each(0, function (s, k) {
      var v = self.ix![s]!;
      if (isFinancial(k) && (found < 0 || v & IX_CUR) && getInv(self.frame(s), 0) === invoice) found = s;
      return false;
    });
    return found < 0 ? null : this.decode(found);
  }

  /** approved, not voided sales and refunds of the open batch (settlement DE 63), and its
   *  approved voids */
  batchTotals(): BatchTotals {
    var t: BatchTotals = { batch: this.batch, saleCount: 0, saleAmount: 0, refundCount: 0, refundAmount: 0, voidCount: 0, voidAmount: 0 };
    var self = this;
    this.each(IX_CUR, function (s, k) {
      if (!isReversible(k)) return false;
      var r = self.decode(s)!;
      if (r.result !== Result.Approved || r.voided || r.reversed || r.reversalPending) return false;
      if (r.kind === Kind.Sale) { t.saleCount++; t.saleAmount += r.amount; }
      else if (r.kind === Kind.Refund) { t.refundCount++; t.refundAmount += r.amount; }
      else if (r.kind === Kind.Void) { t.voidCount++; t.voidAmount += r.amount; }
      return false;
    });
    return t;
  }

  /** region layout, erase counts, free frames and counters, one item per line */
  diag(): string {
    var g = this.region;
    var lines = ["journal " + this.state + (this.reason ? " (" + this.reason + ")" : ""),
      "region 0x" + g.base.toString(16) + " " + g.sectors + " x " + g.sectorSize + " B, " + this.fps + " frames/sector",
      "next stan " + this.stan + " invoice " + this.inv + " batch " + this.batch];
    for (var s = 0; s < g.sectors; s++) {
      var h = this.hdr(s);
      lines.push("sector " + s + ": " + (this.sf[s]! & RETIRED ? "retired" : h ? "seq " + h.seq + " erases " + h.erases +
        (s === this.newest ? " newest, next frame " + (this.session ? this.pos : "?") : "") : "free/unformatted"));
    }
    var inNewest = this.newest < 0 ? 0 : Math.max(0, this.fps - (this.session ? this.pos : 0));
    var reusable = this.state === "fault" ? 0 : this.freeSectors();
    lines.push("free frames " + (inNewest + reusable * this.fps) + " (" + inNewest + " in the newest sector, " + reusable + " reusable sectors)");
    return lines.join("\n");
  }
}

export function openJournal(flash: FlashDevice, region: JournalRegion, opts?: JournalOptions): Journal {
  return new Journal(flash, region, opts);
}
