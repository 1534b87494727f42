// TTL magstripe reader (MagTek-style): STROBE, DATA, CARD PRESENT, all active low. DATA is
// latched on STROBE's falling edge, so one setWatch on STROBE with data: DATA captures a bit
// per event (debounce 0). CARD PRESENT rising (about 150 ms after the last flux reversal)
// ends the swipe: decode then. Every edge goes through Espruino's 4 KB event queue; if it
// overflowed during the swipe (FIFO_FULL) bits are missing, so ask for a re-swipe.
import { Io } from "../hal";
import { decodeTrack, TrackReason } from "./track";
import { CardFields, emptyFields, parseTrack } from "./fields";

export interface Swipe {
  track: number;
  /** SS..ES */
  text: string;
  fields: CardFields;
  reversed: boolean;
}
export type SwipeCallback = (err: { reason: TrackReason } | null, swipe?: Swipe) => void;

export interface MagstripeTtlOptions {
  io: Io;
  strobe: PinLike;
  data: PinLike;
  cardPresent: PinLike;
  /** 1 or 2: the track this head is wired to */
  track: number;
  /** E.getErrorFlags (returns and clears) */
  errorFlags: () => string[];
  /** keep bit timings of the last swipe for the capture probe */
  keepTimes?: boolean;
}

var GUARD_MS = 1500;
/** fewer bits than a start sentinel plus its leading zeros: noise, ignored */
var MIN_BITS = 16;

export class MagstripeTtl {
  private o: MagstripeTtlOptions;
  private bits: Uint8Array;
  private count = 0;
  private lastCount = 0;
  private times: Uint32Array | null;
  private t0 = 0;
  private watches: number[] = [];
  private cb: SwipeCallback | null = null;
  private guard: number | undefined;

  constructor(o: MagstripeTtlOptions) {
    this.o = o;
    // a whole stripe is 3.375 in: 253 bits at 75 bpi, 709 at 210 bpi; room for noise
    this.bits = new Uint8Array(o.track === 1 ? 800 : 320);
    this.times = o.keepTimes ? new Uint32Array(this.bits.length) : null;
  }

  start(cb: SwipeCallback): void {
    if (this.watches.length) this.stop();
    var self = this;
    this.cb = cb;
    this.count = 0;
    this.o.errorFlags(); // clear stale flags
    this.watches.push(this.o.io.setWatch(function (e) { self.bit(e); }, this.o.strobe,
      { repeat: true, edge: "falling", debounce: 0, data: this.o.data }));
    this.watches.push(this.o.io.setWatch(function () { self.end(); }, this.o.cardPresent,
      { repeat: true, edge: "rising", debounce: 0 }));
  }

  stop(): void {
    this.clearGuard();
    for (var i = 0; i < this.watches.length; i++) this.o.io.clearWatch(this.watches[i]!);
    this.watches.splice(0);
    this.cb = null;
    this.wipe();
  }

  /** raw capture of the last swipe (probe): bits and, with keepTimes, microseconds from the first bit */
  capture(): { bits: Uint8Array; times: Uint32Array | null; count: number } {
    return { bits: this.bits, times: this.times, count: this.lastCount };
  }

  private bit(e: WatchEvent): void {
    if (this.count === 0) { this.t0 = e.time; this.armGuard(); }
    if (this.count >= this.bits.length) { this.count = this.bits.length + 1; return; }
    this.bits[this.count] = e.data ? 0 : 1; // DATA low = 1
    if (this.times) this.times[this.count] = Math.round((e.time - this.t0) * 1e6);
    this.count++;
  }

  /** If the queue overflowed, CARD PRESENT's rising edge may have been dropped with the
   *  bits: a swipe lasts < 1 s even at 4 ips, so check the pin once in a while. */
  private armGuard(): void {
    var self = this;
    this.clearGuard();
    this.guard = this.o.io.setTimeout(function () {
      self.guard = undefined;
      if (self.o.io.digitalRead(self.o.cardPresent)) self.end(); else self.armGuard();
    }, GUARD_MS);
  }

  private clearGuard(): void {
    if (this.guard !== undefined) { this.o.io.clearTimeout(this.guard); this.guard = undefined; }
  }

  private end(): void {
    var cb = this.cb;
    this.clearGuard();
    if (!cb) return;
    var flags = this.o.errorFlags();
    var n = this.count;
    var err: TrackReason | "" = "";
    if (flags.indexOf("FIFO_FULL") >= 0) err = "overflow";
    else if (n < MIN_BITS) { this.count = 0; return; } // a few stray strobes: not a swipe
    else if (n > this.bits.length) err = "too_long";
    var swipe: Swipe | undefined;
    if (!err) {
      var d = decodeTrack(this.bits, n, this.o.track);
      if (d.reason !== "ok") err = d.reason;
      else {
        var f = emptyFields();
        var r = parseTrack(d.text, this.o.track, f);
        if (r !== "ok") err = r;
        else swipe = { track: this.o.track, text: d.text, fields: f, reversed: d.reversed };
      }
    }
    this.lastCount = this.times ? n : 0;
    if (!this.times) this.wipe();
    this.count = 0;
    if (err) cb({ reason: err }); else cb(null, swipe);
  }

  private wipe(): void {
    this.bits.fill(0);
  }
}
