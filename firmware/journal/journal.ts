// Write-ahead serial journal on raw NOR flash (require("Flash")): STAN, invoice and batch
// numbers folded into fixed 48-byte frames, with every write and erase read back.
// Format and recovery rules: format.ts and docs/journal.md.
import { FlashDevice } from "../../drivers/hal";
import * as F from "./format";
import { Kind, Result, St } from "./format";
import { TxnRecord, UpdateFrame, parseSector, applyUpdates, inDoubt, isFinancial } from "./records";
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

export { Kind, Result } from "./format";
export { TxnRecord } from "./records";

export interface JournalRegion { base: number; sectors: number; sectorSize: number; }
export interface Numbers { stan: number; invoice: number; batch: number; }
export interface JournalOptions {
  /** CRC-32 (zlib); default E.CRC32 */
  crc32?: F.Crc32;
  /** numbers of a blank (all-erased) region; default 1, 1, 1 */
  first?: Numbers;
}
export interface JournalError { code: string; reason: string; }
export interface Reserved { stan: number; invoice: number; batch: number; slot: number; }
export interface ReserveFields { amount?: number; token?: Uint8Array; last4?: string; origInvoice?: number; }
export interface BatchTotals { batch: number; saleCount: number; saleAmount: number; refundCount: number; refundAmount: number; voidCount: number; }

function fail(code: string, reason: string): JournalError { return { code: code, reason: reason }; }
function isErr(x: any): x is JournalError { return !!x && typeof x.code === "string"; }
export { isErr as isJournalError };

/** frames kept free for settlement, reversals and batch close once sales are blocked */
var SALE_HEADROOM = 12;
var ANY_HEADROOM = 6;
var ERASE_TRIES = 3;
/** reads of the newest sector when sealing it: weak bits show up as differences */
var SEAL_READS = 3;

export class Journal {
  state: "ok" | "fault" = "ok";
  reason = "";
  /** flash bytes read by the constructor (boot) */
  bootBytesRead = 0;
  private crc: F.Crc32;
  private fps: number;
  private hdr: (F.Header | null)[] = [];
  private retired: boolean[] = [];
  private needCache: number[] = [];
  private newest = -1;
  private buf: Uint8Array | null = null; // the newest sector as last read or written
  private memo: { buf: Uint8Array | null; newest: number; result: { recs: TxnRecord[]; ups: UpdateFrame[] } } | null = null;
  private pos = 0;         // next frame to write in the newest sector
  private session = false; // sealed and positioned for this power-up
  private stan = 1; private inv = 1; private batch = 1; // next stan/invoice, current batch
  private ffCrc: number;
  /** sectors a blank region showed fully erased at boot: formatting uses them without an
   *  erase, so a cut first format leaves nothing but a partial header */
  private blank: boolean[] = [];

  constructor(private flash: FlashDevice, private region: JournalRegion, opts?: JournalOptions) {
    this.crc = (opts && opts.crc32) || function (d: Uint8Array) { return E.CRC32(d); };
    this.fps = F.framesPerSector(region.sectorSize);
    var ff = new Uint8Array(region.sectorSize); ff.fill(255);
    this.ffCrc = this.crc(ff);
    var first = opts && opts.first;
    if (first) { this.stan = first.stan; this.inv = first.invoice; this.batch = first.batch; }
    this.boot();
  }

  // ---- boot (reads only) --------------------------------------------------------------------
  private addr(sector: number, off: number): number { return this.region.base + sector * this.region.sectorSize + off; }
  private read(n: number, a: number): Uint8Array { this.bootBytesRead += n; return this.flash.read(n, a); }

  private boot(): void {
    var n = this.region.sectors, allFF = true, best = -1;
    for (var s = 0; s < n; s++) {
      var h = this.read(F.HEADER_SIZE, this.addr(s, 0));
      if (!isErased(h, 0, F.HEADER_SIZE)) allFF = false;
      var d = F.decodeHeader(h, 0, this.crc);
      this.hdr.push(d); this.retired.push(false); this.needCache.push(-1);
      if (d && (best < 0 || d.seq > this.hdr[best]!.seq)) best = s;
    }
    if (best < 0) {
      // No recognisable header. A blank device (or one whose first format was cut: bytes
      // only inside a header) formats itself; anything else is a fault.
      var blank = true;
      for (var t = 0; t < n && blank; t++) {
        var sec = this.read(this.region.sectorSize, this.addr(t, 0));
        if (!isErased(sec, F.HEADER_SIZE, this.region.sectorSize - F.HEADER_SIZE)) blank = false;
        this.blank.push(isErased(sec, 0, F.HEADER_SIZE));
      }
      if (!blank) { this.state = "fault"; this.reason = "journal unrecognised: no valid sector header (foreign or corrupt data); supervisor recovery needed"; }
      return;
    }
    this.newest = best;
    this.buf = this.read(this.region.sectorSize, this.addr(best, 0));
    this.scanNewest();
  }

  /** numbers, tail and torn status from the newest sector's bytes */
  private scanNewest(): { tail: number; torn: boolean } {
    var h = this.hdr[this.newest]!, b = this.buf!, crc = this.crc;
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
    return { tail: tail, torn: torn };
  }

  /** of two numbers counted from base, the one further along the ring */
  private furthest(x: number, y: number, base: number): number {
    var dx = (x - base + F.MAX_NUMBER) % F.MAX_NUMBER, dy = (y - base + F.MAX_NUMBER) % F.MAX_NUMBER;
    return dx >= dy ? x : y;
  }

  // ---- verified writes ----------------------------------------------------------------------
  private program(sector: number, off: number, data: Uint8Array): boolean {
    this.memo = null;
    var a = this.addr(sector, off);
    this.flash.write(data, a);
    var back = this.flash.read(data.length, a);
    if (sector === this.newest && this.buf) this.buf.set(back, off);
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
    var boot = this.scanNewest();
    var reads: Uint8Array[] = [this.buf!];
    this.buf = null; // program() must not touch the reads while they are compared
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
    this.buf = this.flash.read(size, this.addr(s, 0));
    this.session = true;
    var sealed = this.scanNewest();
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
  /** true when the sector holds records that must be kept (current batch, pending
   *  reversal) or updates of records still on flash; computed for all sectors at once, since an
   *  update in one sector can resolve a record in another */
  private needed(s: number): boolean {
    if (this.needCache[s]! < 0) {
      var c = this.collect(), recs = c.recs, ups = c.ups, i: number;
      for (i = 0; i < this.needCache.length; i++) this.needCache[i] = 0;
      for (i = 0; i < recs.length; i++) {
        var r = recs[i]!;
        if (r.batch === this.batch || r.reversalPending) this.needCache[Math.floor(r.slot / this.fps)] = 1;
      }
      for (var u = 0; u < ups.length; u++) {
        // an update is kept as long as its record is: erasing it first would bring back the
        // record's earlier state (a reversal already done would be pending again)
        var up = ups[u]!, keep = getBatch(up.bytes, up.rAt) === this.batch;
        var own = Math.floor(up.slot / this.fps) === Math.floor(up.target / this.fps);
        for (i = 0; i < recs.length && !keep && !own; i++) if (recs[i]!.slot === up.target && recs[i]!.stan === up.stan) keep = true;
        if (keep) this.needCache[Math.floor(up.slot / this.fps)] = 1;
      }
    }
    return this.needCache[s] === 1;
  }

  /** the sector to erase next: never the newest, never one holding needed records */
  private victim(): number {
    var best = -1;
    for (var b = 0; b < this.blank.length; b++) if (this.blank[b] && !this.retired[b]) return b;
    for (var s = 0; s < this.region.sectors; s++) {
      if (s === this.newest || this.retired[s]) continue;
      var h = this.hdr[s];
      if (!h) return s;
      if (this.needed(s)) continue;
      if (best < 0 || h.seq < this.hdr[best]!.seq) best = s;
    }
    return best;
  }

  private freeSectors(): number {
    var n = 0;
    for (var s = 0; s < this.region.sectors; s++) {
      if (s !== this.newest && !this.retired[s] && (!this.hdr[s] || !this.needed(s))) n++;
    }
    return n;
  }

  /** erase a victim, verify it erased, write and commit a header carrying the next numbers */
  private openSector(): JournalError | null {
    this.resetNeeds(); // the sector that stops being the newest was never evaluated
    var maxSeq = 0, maxErase = 0;
    for (var i = 0; i < this.region.sectors; i++) {
      var hi = this.hdr[i];
      if (hi) { if (hi.seq > maxSeq) maxSeq = hi.seq; if (hi.erases > maxErase) maxErase = hi.erases; }
    }
    for (;;) {
      var v = this.victim();
      if (v < 0) return fail("full", "journal full: settle the batch (no reusable sector)");
      var old = this.hdr[v];
      var erases = old ? old.erases : this.blank[v] ? 0 : maxErase; // unknown: round up
      var erased = !!this.blank[v] && this.crc(this.flash.read(this.region.sectorSize, this.addr(v, 0))) === this.ffCrc;
      this.blank[v] = false;
      for (var t = 0; t < ERASE_TRIES && !erased; t++) {
        this.memo = null;
        this.flash.erasePage(this.addr(v, 0));
        erases++;
        erased = this.crc(this.flash.read(this.region.sectorSize, this.addr(v, 0))) === this.ffCrc;
      }
      this.hdr[v] = null; this.needCache[v] = -1;
      if (erased) {
        var h: F.Header = { seq: maxSeq + 1, stan: this.stan, invoice: this.inv, batch: this.batch, erases: erases };
        var hb = F.encodeHeader(h, this.crc);
        if (this.program(v, 0, hb.subarray(0, 28)) && this.program(v, 28, this.zeros(4))) {
          this.hdr[v] = h; this.newest = v; this.pos = 0;
          this.buf = new Uint8Array(this.region.sectorSize); this.buf.fill(255); this.buf.set(hb, 0); this.buf.fill(0, 28, 32);
          return null;
        }
      }
      this.retired[v] = true; // worn out: erase or program did not take
    }
  }

  /** writes a frame's body then its commit byte; burns and moves on when a read-back fails */
  private writeFrame(kind: number, stan: number, inv: number, batch: number, amount: number, last4: number,
    token: Uint8Array | undefined, allocates: boolean, headroom: number, tail?: Uint8Array): number | JournalError {
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
      F.encodeBody(body, kind, stan, inv, batch, amount, last4, token, this.crc, tail);
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
    if (!this.buf) return -1;
    for (var f = this.fps - 1; f >= 0; f--) {
      if (isErased(this.buf, rOff(f), F.R_SIZE) && isErased(this.buf, aOff(f), F.A_SIZE)) return f;
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
    var inv = fin ? this.inv : 0;
    if (kind === Kind.Void) {
      if (!fields.origInvoice || !F.validNumber(fields.origInvoice)) return fail("arg", "void needs the original invoice");
      inv = fields.origInvoice;
    }
    var res = this.writeFrame(kind, this.stan, inv, this.batch, amount, F.packLast4(fields.last4), fields.token, true,
      fin || kind === Kind.Void ? SALE_HEADROOM : ANY_HEADROOM);
    if (isErr(res)) return res;
    // writeFrame may have skipped numbers after a failed write: read them back from the frame
    var b = this.buf!, r = rOff(res % this.fps);
    var out: Reserved = { stan: getStan(b, r), invoice: getInv(b, r), batch: this.batch, slot: res };
    this.stan = nextNumber(out.stan);
    if (fin) this.inv = nextNumber(out.invoice);
    return out;
  }

  closeBatch(): number | JournalError {
    var se = this.startSession();
    if (se) return se;
    var nb = nextNumber(this.batch);
    var res = this.writeFrame(Kind.BatchClose, this.stan, this.inv, nb, this.batch, F.NO_LAST4, undefined, false, 0);
    if (isErr(res)) return res;
    this.batch = nb;
    this.resetNeeds();
    return nb;
  }

  private resetNeeds(): void { for (var i = 0; i < this.needCache.length; i++) this.needCache[i] = -1; }

  /** reads a committed transaction frame: {sector, r, a, bytes} or an error */
  private locate(slot: number): { s: number; r: number; a: number; b: Uint8Array } | JournalError {
    var s = Math.floor(slot / this.fps), f = slot % this.fps;
    if (!(slot >= 0) || s >= this.region.sectors || !this.hdr[s]) return fail("arg", "no record at slot " + slot);
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
    if (st >= St.RevSet) this.resetNeeds();
    if (loc.b[st] === 0) return null;
    if (loc.s === this.newest && this.program(loc.s, loc.r + st, this.zeros(1))) return null;
    return this.update(slot, loc.b, st, null);
  }

  private update(slot: number, target: Uint8Array, st: number, answer: F.Answer | null): JournalError | null {
    var res = this.writeFrame(Kind.Update, getStan(target, 0), getInv(target, 0), getBatch(target, 0), slot,
      F.NO_LAST4, undefined, false, 0);
    if (isErr(res)) return res;
    var s = this.newest, f = res % this.fps, r = rOff(f);
    var ok = true;
    if (st) ok = this.program(s, r + st, this.zeros(1));
    if (answer) {
      var enc = F.encodeAnswer(this.buf!, r, answer, this.crc);
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

  markAnswered(slot: number, result: number, rc: string, authCode: string, rrn: string): JournalError | null {
    var e = this.startSession();
    if (e) return e;
    var loc = this.locate(slot);
    if (isErr(loc)) return loc;
    var ans: F.Answer = { result: result, rc: rc, authCode: authCode, rrn: rrn };
    var enc = F.encodeAnswer(loc.b, 0, ans, this.crc);
    if (!enc) return fail("arg", "answer cannot be stored (characters or lengths)");
    this.resetNeeds();
    if (sameBytes(loc.b, F.R_SIZE, enc, 0, F.A_SIZE)) return null;
    if (decodeAnswer(loc.b, 0, loc.b, F.R_SIZE, this.crc)) return fail("state", "record already answered");
    if (F.rrnNeedsExtension(rrn)) {
      // the RRN goes first, in an extension frame; the answer written after it commits both
      var x = this.writeFrame(Kind.Update, getStan(loc.b, 0), getInv(loc.b, 0), getBatch(loc.b, 0), slot,
        F.NO_LAST4, undefined, false, 0, F.encodeRrnExt(rrn));
      if (isErr(x)) return x;
    }
    if (isErased(loc.b, F.R_SIZE, F.A_SIZE) && loc.s === this.newest && this.program(loc.s, loc.a, enc)) return null;
    return this.update(slot, loc.b, 0, ans);
  }

  /** supervisor action for the fault state: format, numbering no lower than given */
  recover(atLeast: Numbers): JournalError | null {
    if (this.state !== "fault") return fail("state", "journal is not in the fault state");
    if (!F.validNumber(atLeast.stan) || !F.validNumber(atLeast.invoice) || !F.validNumber(atLeast.batch)) return fail("arg", "numbers must be 1..999999");
    this.stan = atLeast.stan; this.inv = atLeast.invoice; this.batch = atLeast.batch;
    this.state = "ok"; this.reason = ""; this.session = true; this.newest = -1;
    var e = this.openSector();
    if (e) { this.state = "fault"; this.reason = "recovery failed: " + e.reason; this.session = false; }
    return e;
  }

  // ---- queries ------------------------------------------------------------------------------
  /** every retained transaction record, oldest first */
  all(): TxnRecord[] {
    if (this.state !== "fault" && !this.session && this.newest >= 0) this.seal(); // settle what a cut left first
    return this.collect().recs;
  }

  private collect(): { recs: TxnRecord[]; ups: UpdateFrame[] } {
    // Decoding every retained sector costs far more than the queries that need it (the
    // idle screen, each host message): keep the result until the flash or the newest
    // sector's buffer changes. Callers treat the records as read-only.
    var m = this.memo;
    if (m && m.buf === this.buf && m.newest === this.newest) return m.result;
    var order: number[] = [];
    for (var s = 0; s < this.region.sectors; s++) if (this.hdr[s]) order.push(s);
    var hdr = this.hdr;
    order.sort(function (x, y) { return hdr[x]!.seq - hdr[y]!.seq; });
    var recs: TxnRecord[] = [], ups: UpdateFrame[] = [];
    for (var i = 0; i < order.length; i++) {
      var sec = order[i]!;
      var b = sec === this.newest && this.buf ? this.buf : this.flash.read(this.region.sectorSize, this.addr(sec, 0));
      parseSector(b, sec, this.fps, this.crc, recs, ups);
    }
    applyUpdates(recs, ups, this.crc);
    var result = { recs: recs, ups: ups };
    this.memo = { buf: this.buf, newest: this.newest, result: result };
    return result;
  }

  bySlot(slot: number): TxnRecord | null {
    var s = Math.floor(slot / this.fps);
    if (!(slot >= 0) || s >= this.region.sectors || !this.hdr[s]) return null;
    var all = this.all();
    for (var i = 0; i < all.length; i++) if (all[i]!.slot === slot) return all[i]!;
    return null;
  }
  last(): TxnRecord | null { var all = this.all(); return all.length ? all[all.length - 1]! : null; }
  batchList(): TxnRecord[] {
    var all = this.all(), out: TxnRecord[] = [];
    for (var i = 0; i < all.length; i++) if (all[i]!.batch === this.batch) out.push(all[i]!);
    return out;
  }
  byInvoice(invoice: number): TxnRecord | null {
    var all = this.all(), found: TxnRecord | null = null;
    for (var i = 0; i < all.length; i++) {
      var r = all[i]!;
      if (isFinancial(r.kind) && r.invoice === invoice && (!found || r.batch === this.batch)) found = r;
    }
    return found;
  }
  batchTotals(): BatchTotals {
    var t: BatchTotals = { batch: this.batch, saleCount: 0, saleAmount: 0, refundCount: 0, refundAmount: 0, voidCount: 0 };
    var list = this.batchList();
    for (var i = 0; i < list.length; i++) {
      var r = list[i]!;
      if (r.result !== Result.Approved || r.voided || r.reversed || r.reversalPending) continue;
      if (r.kind === Kind.Sale) { t.saleCount++; t.saleAmount += r.amount; }
      else if (r.kind === Kind.Refund) { t.refundCount++; t.refundAmount += r.amount; }
      else if (r.kind === Kind.Void) t.voidCount++;
    }
    return t;
  }
  pendingReversal(): TxnRecord | null {
    var all = this.all();
    for (var i = 0; i < all.length; i++) if (all[i]!.reversalPending) return all[i]!;
    return null;
  }
  inDoubt(): TxnRecord[] {
    var all = this.all(), out: TxnRecord[] = [];
    for (var i = 0; i < all.length; i++) if (inDoubt(all[i]!)) out.push(all[i]!);
    return out;
  }

  /** region layout, erase counts, free frames and counters, one item per line */
  diag(): string {
    var g = this.region;
    var lines = ["journal " + this.state + (this.reason ? " (" + this.reason + ")" : ""),
      "region 0x" + g.base.toString(16) + " " + g.sectors + " x " + g.sectorSize + " B, " + this.fps + " frames/sector",
      "next stan " + this.stan + " invoice " + this.inv + " batch " + this.batch];
    for (var s = 0; s < g.sectors; s++) {
      var h = this.hdr[s];
      lines.push("sector " + s + ": " + (this.retired[s] ? "retired" : h ? "seq " + h.seq + " erases " + h.erases +
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
