// Health counters in the board's `health` flash region (2 x 4 KiB sectors of raw flash;
// docs/health.md). Each save appends one 80-byte record (record.ts: CRC last) in the next free
// slot of the current sector, read back; when the sector is full the other one is erased
// (read back erased) and takes the next record. Open reads every slot: the valid record with
// the highest sequence wins, so a torn save leaves the one before it standing, and a slot
// that is not erased is never written again. The counters live in one Uint32Array.
import { FlashDevice } from "../../drivers/hal";
import { H, HR, encodeRecord, decodeRecord } from "./record";
import { decodeHeader, HEADER_SIZE } from "../journal/format";

export interface HealthRegion { base: number; sectors: number; sectorSize: number; }
export interface HealthOptions {
  flash: FlashDevice;
  region: HealthRegion;
  /** the journal's region: its sector headers carry erase counts (read for the report) */
  journal?: HealthRegion;
  crc32: (d: Uint8Array) => number;
}

export interface Health {
  /** the counters by slot (record.ts H), live: read them, count through note() */
  c: Uint32Array;
  /** sector in use (-1: none yet), next free slot in it, last sequence, LOW_FREE as saved */
  st: Int32Array;
  o: HealthOptions;
  /** Counts one event and saves at once; returns null or why the save failed (the count
   *  stays in RAM and goes out with the next save). `what`:
   *  - a slot number: adds `arg` (default 1); H.BOOTS takes the journal's bootInfo() as
   *    `arg` and counts a recovered cut (H.CUTS) and its skipped numbers in the same save;
   *    H.LOW_FREE keeps the lower of the two, saved when 64 below the saved figure;
   *  - "paper out" (the printer's status): H.PAPER_OUTS; other statuses are ignored;
   *  - "swipe" / "tap" with arg = the reason and `fault` (card service errors). */
  note(what: number | string, arg?: any, fault?: boolean): string | null;
  /** set by wireHealth: sends the 0800 health message (cb(null) when the host took it) */
  send?: (cb: (err: string | null) => void) => void;
}

export function openHealth(o: HealthOptions): Health {
  var h: Health = { c: new Uint32Array(H.COUNT), st: new Int32Array(4), o: o, note: function (what, arg, fault) {
    var c = h.c, st = h.st, slot = -1;
    if (typeof what === "number") slot = what;
    else if (what === "paper out") slot = H.PAPER_OUTS;
    else if (what === "tap") slot = fault ? H.TAP_FAULT : H.TAP_ERROR;
    else if (what === "swipe") {
      // the reasons of drivers/magstripe/track.ts TrackReason
      slot = arg === "parity" ? H.SWIPE_PARITY : arg === "lrc" ? H.SWIPE_LRC : arg === "too_long" || arg === "overflow" ? H.SWIPE_LONG :
        String(arg).substr(0, 4) === "bad_" ? H.SWIPE_FORMAT : H.SWIPE_NODATA;
    }
    if (slot < 0 || slot >= H.COUNT) return null;
    if (slot === H.LOW_FREE) {
      if (!(arg >= 0) || arg >= c[slot]!) return null;
      c[slot] = arg;
      var saved = st[3]! >>> 0;
      if (saved !== HR.NONE && arg + 64 > saved) return null; // small dips: saved with the next count
    } else if (slot === H.BOOTS) {
      c[slot] = c[slot]! + 1;
      if (arg && arg.cut) { c[H.CUTS] = c[H.CUTS]! + 1; c[H.SKIPPED] = c[H.SKIPPED]! + (arg.skipped > 0 ? arg.skipped : 0); }
    } else {
      c[slot] = c[slot]! + (typeof arg === "number" ? arg : 1);
    }
    // one record in the next free slot (the other sector, erased, when this one is full),
    // read back; a slot that does not read back is skipped. Built per call: no RAM at idle.
    var r = o.region, n = Math.floor(r.sectorSize / HR.SIZE), out = new Uint8Array(HR.SIZE);
    for (var tries = 0; tries < 3; tries++) {
      if (st[0]! < 0 || st[1]! >= n) {
        // the other sector: erase it, check every byte, and count the erase in the record
        var to = st[0] === 0 ? 1 : 0, base = r.base + to * r.sectorSize, erased = false;
        for (var e = 0; e < 3 && !erased; e++) {
          o.flash.erasePage(base);
          c[H.ERASES] = c[H.ERASES]! + 1;
          erased = true;
          for (var a = 0; a < r.sectorSize && erased; a += 256) {
            var chunk = o.flash.read(256, base + a);
            for (var j = 0; j < 256; j++) if (chunk[j] !== 255) { erased = false; break; }
          }
        }
        if (!erased) return "health flash: sector does not erase";
        st[0] = to; st[1] = 0;
      }
      var addr = r.base + st[0]! * r.sectorSize + st[1]! * HR.SIZE;
      st[1] = st[1]! + 1;
      st[2] = st[2]! + 1;
      encodeRecord(c, st[2]! >>> 0, o.crc32, out);
      o.flash.write(out, addr);
      var back = o.flash.read(HR.SIZE, addr), same = true;
      for (var i = 0; i < HR.SIZE; i++) if (back[i] !== out[i]) { same = false; break; }
      if (same) { st[3] = c[H.LOW_FREE]! | 0; return null; }
    }
    return "health flash: write does not read back";
  } };
  readHealth(h);
  return h;
}

/** the newest valid record into h.c, and where the next one goes (h.st); a blank or
 *  unreadable region leaves zeros (LOW_FREE unsampled) and no sector */
function readHealth(h: Health): void {
  var o = h.o, r = o.region, n = Math.floor(r.sectorSize / HR.SIZE), c = h.c, st = h.st, tmp = new Uint32Array(H.COUNT);
  c[H.LOW_FREE] = HR.NONE;
  st[0] = -1; st[1] = n; st[2] = 0; st[3] = -1;
  var best = -1, bestSlot = 0, used = [-1, -1];
  for (var s = 0; s < 2; s++) {
    for (var k = 0; k < n; k++) {
      var b = o.flash.read(HR.SIZE, r.base + s * r.sectorSize + k * HR.SIZE);
      var blank = true;
      for (var i = 0; i < HR.SIZE && blank; i++) if (b[i] !== 255) blank = false;
      if (blank) continue;
      used[s] = k;
      var seq = decodeRecord(b, 0, o.crc32, tmp);
      if (seq >= 0 && (best < 0 || seq > best)) { best = seq; bestSlot = k; st[0] = s; c.set(tmp); }
    }
  }
  // each torn slot after the newest record took a sequence number: never hand one out again
  if (best >= 0) { st[1] = used[st[0]!]! + 1; st[2] = best + st[1]! - 1 - bestSlot; st[3] = c[H.LOW_FREE]! | 0; }
}

/** The journal's wear from its sector headers: [most erases of one sector, all erases]. */
export function journalWear(h: Health): number[] {
  var w = [0, 0], j = h.o.journal;
  if (!j) return w;
  for (var s = 0; s < j.sectors; s++) {
    var hd = decodeHeader(h.o.flash.read(HEADER_SIZE, j.base + s * j.sectorSize), 0, h.o.crc32);
    if (!hd) continue;
    if (hd.erases > w[0]!) w[0] = hd.erases;
    w[1] = w[1]! + hd.erases;
  }
  return w;
}
