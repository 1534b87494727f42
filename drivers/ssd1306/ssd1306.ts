// SSD1306 OLED over I2C. Flushes a Graphics buffer created with
// Graphics.createArrayBuffer(w, h, 1, {vertical_byte:true, msb:false}) (the panel's own RAM
// layout), sending only the windows that changed since the last flush. An I2C error never
// throws out of the driver: it sets `fault`, calls onFault, and the next flush resends the
// whole frame because the panel's RAM is then unknown.
import type { I2CBus, Io } from "../hal";
import { Cmd, Ctl, initSequence } from "./commands";
import { pageString, stringDiffRange, planWindows } from "./frame-diff";

export interface Ssd1306Fault { code: "I2C"; op: string; message: string; }

export interface Ssd1306Options {
  i2c: I2CBus;
  /** timers for the reset pulse and the deferred init callback; pins if `reset` is set */
  io: Io;
  address?: number;
  width?: number;
  height?: number;
  contrast?: number;
  /** data bytes per I2C transaction (after the 0x40 control byte) */
  chunk?: number;
  /** optional reset pin (active low) */
  reset?: PinLike;
  onFault?: (f: Ssd1306Fault) => void;
}

export interface FrameSource { buffer: ArrayBuffer; getModified?(reset?: boolean): { x1: number; y1: number; x2: number; y2: number } | undefined; }

export class Ssd1306 {
  readonly width: number;
  readonly height: number;
  readonly address: number;
  fault: Ssd1306Fault | null = null;
  faults = 0;
  /** I2C bytes written (control bytes included, address bytes not) and transactions */
  stats = { bytes: 0, transactions: 0, flushes: 0 };
  private i2c: I2CBus;
  private io: Io;
  private chunk: number;
  private contrast: number;
  private reset?: PinLike;
  private onFault?: (f: Ssd1306Fault) => void;
  /** what the panel RAM holds, one 8-bit string per page, or null when unknown (after
   *  init or a fault) */
  private shown: string[] | null = null;
  private ranges: Int16Array;
  private buf: Uint8Array;

  constructor(o: Ssd1306Options) {
    this.i2c = o.i2c;
    this.io = o.io;
    this.address = o.address || 0x3c;
    this.width = o.width || 128;
    this.height = o.height || 64;
    this.contrast = o.contrast === undefined ? 0xcf : o.contrast;
    this.chunk = o.chunk || 64;
    this.reset = o.reset;
    this.onFault = o.onFault;
    this.ranges = new Int16Array(2 * (this.height >> 3));
    this.buf = new Uint8Array(this.chunk + 1);
  }

  /** Reset (if wired) and send the init sequence; cb runs from a timer, never synchronously. */
  init(cb: (err: Ssd1306Fault | null) => void): void {
    var self = this;
    function send(): void {
      self.shown = null;
      var ok = self.command(initSequence(self.width, self.height, self.contrast), "init");
      cb(ok ? null : self.fault);
    }
    if (this.reset === undefined) { this.io.setTimeout(send, 0); return; }
    var rst = this.reset;
    this.io.digitalWrite(rst, 0);
    this.io.setTimeout(function () {
      self.io.digitalWrite(rst, 1);
      self.io.setTimeout(send, 5);
    }, 1);
  }

  setContrast(v: number): boolean {
    this.contrast = v & 0xff;
    return this.command(new Uint8Array([Cmd.SetContrast, this.contrast]), "contrast");
  }
  on(): boolean { return this.command(new Uint8Array([Cmd.DisplayOn]), "on"); }
  off(): boolean { return this.command(new Uint8Array([Cmd.DisplayOff]), "off"); }
  invert(inverse: boolean): boolean {
    return this.command(new Uint8Array([inverse ? Cmd.InverseDisplay : Cmd.NormalDisplay]), "invert");
  }
  /** forget what the panel shows: the next flip sends the whole frame */
  invalidate(): void { this.shown = null; }

  /** Send what changed in g's buffer. Returns the I2C bytes sent, or -1 on a fault. */
  flip(g: FrameSource): number {
    var frame = new Uint8Array(g.buffer);
    var pages = this.height >> 3;
    var w = this.width;
    var box = g.getModified ? g.getModified(true) : undefined;
    if (this.shown !== null && g.getModified && !box) return 0; // nothing drawn since the last flush
    var p0 = box ? Math.max(0, box.y1 >> 3) : 0, p1 = box ? Math.min(pages - 1, box.y2 >> 3) : pages - 1;
    var now: string[] = [];
    for (var p = 0; p < pages; p++) {
      var s = this.shown === null || (p >= p0 && p <= p1) ? pageString(frame, w, p) : this.shown[p]!;
      now.push(s);
      if (this.shown === null) { this.ranges[2 * p] = 0; this.ranges[2 * p + 1] = w - 1; }
      else stringDiffRange(this.shown[p]!, s, this.ranges, 2 * p);
    }
    var plan = planWindows(this.ranges, pages, this.chunk);
    var before = this.stats.bytes;
    for (var i = 0; i < plan.length; i++) {
      var win = plan[i]!;
      if (!this.command(new Uint8Array([Cmd.SetColumnAddress, win.c0, win.c1, Cmd.SetPageAddress, win.p0, win.p1]), "window")) return -1;
      if (!this.sendWindow(frame, win.c0, win.c1, win.p0, win.p1)) return -1;
    }
    this.shown = now;
    this.stats.flushes++;
    return this.stats.bytes - before;
  }

  /** stream the window's bytes page by page, chunked behind 0x40 control bytes */
  private sendWindow(frame: Uint8Array, c0: number, c1: number, p0: number, p1: number): boolean {
    var buf = this.buf;
    buf[0] = Ctl.Data;
    var n = 0;
    for (var p = p0; p <= p1; p++) {
      var at = p * this.width + c0, end = p * this.width + c1 + 1;
      while (at < end) {
        var take = Math.min(end - at, this.chunk - n);
        buf.set(frame.subarray(at, at + take), n + 1);
        n += take;
        at += take;
        if (n === this.chunk) {
          if (!this.write(buf, "data")) return false;
          n = 0;
        }
      }
    }
    return n === 0 || this.write(new Uint8Array(buf.buffer, 0, n + 1), "data");
  }

  private command(cmds: Uint8Array, op: string): boolean {
    var msg = new Uint8Array(cmds.length + 1);
    msg[0] = Ctl.Commands;
    msg.set(cmds, 1);
    return this.write(msg, op);
  }

  private write(data: Uint8Array, op: string): boolean {
    try {
      this.i2c.writeTo(this.address, data);
    } catch (e) {
      this.shown = null;
      this.faults++;
      this.fault = { code: "I2C", op: op, message: String((e as any) && (e as any).message ? (e as any).message : e) };
      if (this.onFault) this.onFault(this.fault);
      return false;
    }
    this.fault = null;
    this.stats.bytes += data.length;
    this.stats.transactions++;
    return true;
  }
}
