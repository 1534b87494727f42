// 4x4 (any size up to 30 keys) matrix keypad, active low: the ESP32 forces a pull-up on any
// watched pin, so columns are inputs with pull-ups and rows pull them low.
//  - Idle: every row driven low, a falling-edge watch on every column, no timer at all.
//  - A press pulls a column low: the watch wakes us, watches are dropped (scanning toggles the
//    columns) and we poll: one row driven low at a time, the others high-impedance, so two
//    keys in one column never short a high row against a low one.
//  - A hit mask is accepted once unchanged for debounceMs; new bits become key events.
//  - With one key held: auto-repeat for repeatKeys, otherwise one long-press event.
//  - Three keys at rectangle corners make a diode-less matrix show the fourth: such masks
//    are rejected (onGhost) rather than guessed.
//  - All keys up and stable: rows low, watches back, polling stops.
import type { Io } from "../hal";
import { keymapError, keyName, bitCount, lowestBit, isAmbiguous } from "./keymap";

export interface KeyEvent { key: string; row: number; col: number; long?: boolean; repeat?: boolean; }

export interface KeypadOptions {
  io: Io;
  rows: PinLike[];
  cols: PinLike[];
  /** keys[row][col], from the board file */
  keys: string[][];
  debounceMs?: number;
  pollMs?: number;
  longMs?: number;
  repeatDelayMs?: number;
  repeatMs?: number;
  /** keys that auto-repeat while held; the others send one long press */
  repeatKeys?: string[];
}

export class Keypad {
  /** wakes from idle, scans, rejected ambiguous masks, key events sent */
  stats = { wakes: 0, scans: 0, ghosts: 0, events: 0 };
  private io: Io;
  private rows: PinLike[];
  private cols: PinLike[];
  private keys: string[][];
  private debounce: number;
  private pollMs: number;
  private longS: number;
  private repeatDelay: number;
  private repeatS: number;
  private repeatKeys: string[];
  private onKey: ((e: KeyEvent) => void) | null = null;
  private onGhost: ((mask: number) => void) | null = null;
  private watches: number[] = [];
  private poller = -1;
  private idleSince = 0;
  private candidate = 0;
  private candidateSince = 0;
  private stable = 0;
  private ghost = false;
  private heldSince = 0;
  private nextRepeat = 0;
  private longSent = false;

  constructor(o: KeypadOptions) {
    var err = keymapError(o.keys, o.rows.length, o.cols.length);
    if (err) throw new Error(err);
    this.io = o.io;
    this.rows = o.rows;
    this.cols = o.cols;
    this.keys = o.keys;
    this.debounce = (o.debounceMs === undefined ? 20 : o.debounceMs) / 1000;
    this.pollMs = o.pollMs || 10;
    this.longS = (o.longMs || 1000) / 1000;
    this.repeatDelay = (o.repeatDelayMs || 500) / 1000;
    this.repeatS = (o.repeatMs || 150) / 1000;
    this.repeatKeys = o.repeatKeys || ["CLEAR"];
  }

  /** start watching; onGhost gets each ambiguous mask once while it lasts */
  start(onKey: (e: KeyEvent) => void, onGhost?: (mask: number) => void): void {
    if (this.onKey) throw new Error("keypad: already started");
    this.onKey = onKey;
    this.onGhost = onGhost || null;
    for (var c = 0; c < this.cols.length; c++) this.io.pinMode(this.cols[c]!, "input_pullup");
    this.stable = 0;
    this.ghost = false;
    // keys already down make no falling edge: take them as held (stuck), not as presses
    this.stuck = this.scan();
    if (this.stuck) {
      this.stable = this.stuck;
      this.ghost = isAmbiguous(this.stuck, this.rows.length, this.cols.length);
      this.startPolling(this.stuck);
    } else {
      this.goIdle();
    }
  }

  /** keys found down when start() ran (a stuck key, or one held through boot) */
  stuck = 0;

  /** stop watching and polling; rows left high-impedance. Safe to call twice. */
  stop(): void {
    this.unwatch();
    if (this.poller >= 0) { this.io.clearInterval(this.poller); this.poller = -1; }
    for (var r = 0; r < this.rows.length; r++) this.io.pinMode(this.rows[r]!, "input");
    this.onKey = null;
  }

  /** keys held now (accepted mask) */
  held(): number { return this.stable; }

  /** Raw matrix scan, one row at a time; bit r*cols+c set where column c reads low while
   *  only row r is driven low. Leaves every row driven low (the idle state). */
  scan(): number {
    var nc = this.cols.length, mask = 0, r: number, c: number;
    this.stats.scans++;
    for (r = 0; r < this.rows.length; r++) this.io.pinMode(this.rows[r]!, "input");
    for (r = 0; r < this.rows.length; r++) {
      var row = this.rows[r]!;
      this.io.pinMode(row, "output");
      this.io.digitalWrite(row, 0);
      for (c = 0; c < nc; c++) if (!this.io.digitalRead(this.cols[c]!)) mask |= 1 << (r * nc + c);
      this.io.pinMode(row, "input");
    }
    this.driveRowsLow();
    return mask;
  }

  private driveRowsLow(): void {
    for (var r = 0; r < this.rows.length; r++) {
      this.io.pinMode(this.rows[r]!, "output");
      this.io.digitalWrite(this.rows[r]!, 0);
    }
  }

  private goIdle(): void {
    if (this.poller >= 0) { this.io.clearInterval(this.poller); this.poller = -1; }
    this.driveRowsLow();
    this.idleSince = this.io.getTime();
    var self = this;
    var wake = function (e: WatchEvent): void { self.wake(e); };
    for (var c = 0; c < this.cols.length; c++) {
      this.watches.push(this.io.setWatch(wake, this.cols[c]!, { repeat: true, edge: "falling", debounce: 0 }));
    }
    // a key that closed between the last scan and the watches makes no edge: look once
    for (c = 0; c < this.cols.length; c++) {
      if (!this.io.digitalRead(this.cols[c]!)) { this.wake({ state: false, time: this.idleSince, lastTime: this.idleSince }); return; }
    }
  }

  private unwatch(): void {
    for (var i = 0; i < this.watches.length; i++) this.io.clearWatch(this.watches[i]!);
    this.watches.splice(0);
  }

  private wake(e: WatchEvent): void {
    // edges queued before we went idle are stale (our own scan toggled the columns)
    if (this.poller >= 0 || !this.onKey || e.time < this.idleSince) return;
    this.stats.wakes++;
    this.unwatch();
    this.startPolling(this.scan());
  }

  private startPolling(first: number): void {
    this.candidate = first;
    this.candidateSince = this.io.getTime();
    var self = this;
    this.poller = this.io.setInterval(function () { self.poll(); }, this.pollMs);
  }

  private poll(): void {
    var m = this.scan();
    var now = this.io.getTime();
    if (m !== this.candidate) {
      this.candidate = m;
      this.candidateSince = now;
      return;
    }
    if (now - this.candidateSince + 1e-6 < this.debounce) return;
    if (m !== this.stable) this.accept(m, now);
    else this.hold(now);
    if (this.stable === 0 && !this.ghost) this.goIdle();
  }

  private accept(m: number, now: number): void {
    var nc = this.cols.length;
    if (isAmbiguous(m, this.rows.length, nc)) {
      if (!this.ghost) {
        this.ghost = true;
        this.stats.ghosts++;
        if (this.onGhost) this.onGhost(m);
      }
      return;
    }
    this.ghost = false;
    var fresh = m & ~this.stable;
    this.stable = m;
    while (fresh) {
      var bit = lowestBit(fresh);
      fresh &= ~(1 << bit);
      this.emit(bit, false, false);
    }
    if (bitCount(m) === 1) {
      this.heldSince = now;
      this.nextRepeat = now + this.repeatDelay;
      this.longSent = false;
    }
  }

  private hold(now: number): void {
    if (this.ghost || bitCount(this.stable) !== 1) return;
    var bit = lowestBit(this.stable);
    var key = keyName(this.keys, bit, this.cols.length);
    if (this.repeatKeys.indexOf(key) >= 0) {
      if (now + 1e-6 >= this.nextRepeat) {
        this.nextRepeat += this.repeatS;
        this.emit(bit, false, true);
      }
    } else if (!this.longSent && now - this.heldSince + 1e-6 >= this.longS) {
      this.longSent = true;
      this.emit(bit, true, false);
    }
  }

  private emit(bit: number, long: boolean, repeat: boolean): void {
    var nc = this.cols.length;
    var e: KeyEvent = { key: keyName(this.keys, bit, nc), row: Math.floor(bit / nc), col: bit % nc };
    if (long) e.long = true;
    if (repeat) e.repeat = true;
    this.stats.events++;
    if (this.onKey) this.onKey(e);
  }
}
