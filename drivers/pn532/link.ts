// PN532 transports: I2C (address 0x24; every read starts with a status byte, 0x01 = ready;
// poll it or wait for the active-low IRQ) and HSU (UART, 115200 8N1, woken with 55 55 00..).
// Both deliver one parsed frame per receive() or an error code.
import { I2CBus, Io, UartPort } from "../hal";
import { FrameInfo, FrameKind, newFrameInfo, parseFrame } from "./frame";

export type LinkCallback = (err: string | null, buf?: Uint8Array, info?: FrameInfo) => void;

export interface Pn532Link {
  send(frame: ArrayLike<number>): void;
  /** next frame (ACK/NACK/Data/Error) within timeoutMs; readLen bounds an I2C read */
  receive(timeoutMs: number, readLen: number, cb: LinkCallback): void;
  cancel(): void;
  /** the chip was reset: forget link state (HSU must wake it again) */
  reset(): void;
}

var POLL_MS = 2;

export class I2CLink implements Pn532Link {
  private i2c: I2CBus; private io: Io; private address: number; private irq: PinLike | undefined;
  private timer: number | undefined; private deadline: number | undefined; private watch: number | undefined;
  private info = newFrameInfo();

  constructor(o: { i2c: I2CBus; io: Io; address?: number; irq?: PinLike }) {
    this.i2c = o.i2c; this.io = o.io; this.address = o.address === undefined ? 0x24 : o.address; this.irq = o.irq;
  }

  send(frame: ArrayLike<number>): void {
    this.i2c.writeTo(this.address, frame as Uint8Array);
  }

  receive(timeoutMs: number, readLen: number, cb: LinkCallback): void {
    var self = this;
    this.cancel();
    this.deadline = this.io.setTimeout(function () { self.deadline = undefined; self.cancel(); cb("timeout"); }, timeoutMs);
    function check(): void {
      self.timer = undefined;
      var ready = false;
      try {
        ready = self.irq !== undefined ? self.io.digitalRead(self.irq) === 0 : self.i2c.readFrom(self.address, 1)[0] === 0x01;
      } catch (e) { self.cancel(); cb("bus"); return; }
      if (!ready) { wait(); return; }
      var buf: Uint8Array;
      try { buf = self.i2c.readFrom(self.address, readLen + 1); } catch (e) { self.cancel(); cb("bus"); return; }
      self.cancel();
      if (buf[0] !== 0x01) { cb("frame"); return; }
      var kind = parseFrame(buf, 1, buf.length, self.info);
      if (kind === FrameKind.NeedMore || kind === FrameKind.Bad) cb("frame");
      else cb(null, buf, self.info);
    }
    function wait(): void {
      if (self.irq !== undefined) {
        self.watch = self.io.setWatch(function () { self.watch = undefined; check(); }, self.irq, { repeat: false, edge: "falling", debounce: 0 });
        // IRQ may have fallen between the read and the watch: look again
        if (self.io.digitalRead(self.irq) === 0) { self.io.clearWatch(self.watch); self.watch = undefined; self.timer = self.io.setTimeout(check, 0); }
      } else {
        self.timer = self.io.setTimeout(check, POLL_MS);
      }
    }
    check();
  }

  reset(): void { this.cancel(); }

  cancel(): void {
    if (this.timer !== undefined) { this.io.clearTimeout(this.timer); this.timer = undefined; }
    if (this.deadline !== undefined) { this.io.clearTimeout(this.deadline); this.deadline = undefined; }
    if (this.watch !== undefined) { this.io.clearWatch(this.watch); this.watch = undefined; }
  }
}

var HSU_BUF = 300;
/** a frame that stops arriving this long (over 100 byte times at 115200) is broken */
var GAP_MS = 10;

export class HsuLink implements Pn532Link {
  private uart: UartPort; private io: Io;
  private buf = new Uint8Array(HSU_BUF); private n = 0;
  private cb: LinkCallback | null = null; private deadline: number | undefined;
  private gap: number | undefined;
  private info = newFrameInfo();
  private awake = false;

  constructor(o: { uart: UartPort; io: Io }) {
    var self = this;
    this.uart = o.uart; this.io = o.io;
    this.uart.on("data", function (s) { self.data(s); });
  }

  send(frame: ArrayLike<number>): void {
    // HSU wake-up: a long preamble of 55 then zeros, once after power-up
    if (!this.awake) { this.uart.write([0x55, 0x55, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]); this.awake = true; }
    this.buf.fill(0, 0, this.n);
    this.n = 0;
    this.uart.write(frame as Uint8Array);
  }

  receive(timeoutMs: number, _readLen: number, cb: LinkCallback): void {
    var self = this;
    this.cancel();
    this.cb = cb;
    this.deadline = this.io.setTimeout(function () { self.deadline = undefined; self.cb = null; cb("timeout"); }, timeoutMs);
    this.scan();
  }

  reset(): void { this.cancel(); this.awake = false; this.buf.fill(0, 0, this.n); this.n = 0; }

  cancel(): void {
    this.cb = null;
    if (this.deadline !== undefined) { this.io.clearTimeout(this.deadline); this.deadline = undefined; }
    this.clearGap();
  }

  private clearGap(): void {
    if (this.gap !== undefined) { this.io.clearTimeout(this.gap); this.gap = undefined; }
  }

  private data(s: string): void {
    for (var i = 0; i < s.length; i++) {
      if (this.n >= HSU_BUF) { this.buf.fill(0); this.n = 0; } // runaway junk: drop it
      this.buf[this.n++] = s.charCodeAt(i) & 0xff;
    }
    this.scan();
  }

  private scan(): void {
    while (this.cb && this.n > 0) {
      var kind = parseFrame(this.buf, 0, this.n, this.info);
      var used = this.info.consumed;
      if (kind === FrameKind.NeedMore) { this.drop(used); this.armGap(); return; }
      var cb = this.cb;
      if (kind === FrameKind.Bad) { this.drop(used); this.cancel(); cb("frame"); return; }
      var frame = new Uint8Array(this.buf.subarray(0, used));
      this.drop(used);
      this.cancel();
      cb(null, frame, this.info); // offsets in info are relative to frame (parsed from 0)
    }
  }

  /** a partial frame waits for its rest; if the rest never comes (a truncated frame), fail
   *  the receive so the driver NACKs for a resend instead of waiting for its timeout */
  private armGap(): void {
    var self = this;
    this.clearGap();
    if (!this.n || !this.cb) return;
    this.gap = this.io.setTimeout(function () {
      self.gap = undefined;
      var cb = self.cb;
      self.buf.fill(0, 0, self.n);
      self.n = 0;
      self.cancel();
      if (cb) cb("frame");
    }, GAP_MS);
  }

  private drop(k: number): void {
    if (k <= 0) return;
    this.buf.set(this.buf.subarray(k, this.n), 0);
    this.buf.fill(0, this.n - k, this.n); // frames carry card data (READ RECORD): none stays behind
    this.n -= k;
  }
}
