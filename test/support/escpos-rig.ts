// A printer test rig on the simulator buses: virtual clock, the UART wire (10 bits per byte,
// 256-byte TX queue whose write blocks), the virtual printer, and an MCU-side stand-in that
// runs the driver's callbacks one at a time like Espruino (timers and UART data wait while
// a callback - or a blocked Serial.write - runs). Used by driver tests, golden receipts and
// the bench; the firmware probe runs in the full simulator instead.
import { VirtualClock } from "../../sim/bus/clock";
import { UartWire } from "../../sim/bus/uart";
import type { PartContext } from "../../sim/bus/types";
import type { Timers, UartPort } from "../../drivers/hal";
import { EscposPart } from "../../sim/parts/escpos";

export interface RigOptions {
  baud?: number; mmPerSecond?: number; dots?: number;
  /** virtual interpreter time per JS callback (the runtime's default is 1 ms) */
  callbackCost?: number;
}

export class PrinterRig {
  readonly clock = new VirtualClock();
  readonly wire: UartWire;
  readonly part: EscposPart;
  readonly log: string[] = [];
  /** MCU stalls inside Serial.write (seconds) */
  stalls = { total: 0, max: 0, writes: 0, bytes: 0 };
  private jsBusy = false;
  private jsFreeAt = 0;
  private readonly callbackCost: number;
  private jsQueue: (() => void)[] = [];
  private listeners: ((s: string) => void)[] = [];
  private rxPending = "";
  private rxScheduled = false;

  constructor(opts: RigOptions = {}) {
    this.callbackCost = opts.callbackCost ?? 0.001;
    this.wire = new UartWire("uart2", this.clock, opts.baud || 19200);
    const ctx: PartContext = {
      clock: this.clock,
      pins: undefined as never,
      i2c: () => { throw new Error("no I2C in the printer rig"); },
      uart: () => this.wire,
      random: Math.random,
      log: (l) => { this.log.push(l); },
    };
    this.part = new EscposPart("printer", { bus: "uart2", dots: opts.dots || 384, mmPerSecond: opts.mmPerSecond || 60 }, ctx, this.wire);
    this.wire.setRxSink((b) => {
      this.rxPending += String.fromCharCode(b);
      if (this.rxScheduled) return;
      this.rxScheduled = true;
      // Espruino hands UART data to JS as one event per idle-loop pass
      this.clock.after(0.0005, () => this.js(() => {
        this.rxScheduled = false;
        const s = this.rxPending;
        this.rxPending = "";
        for (const fn of this.listeners) fn(s);
      }));
    });
  }

  /** run fn as a JS callback: never inside another one, each costing callbackCost */
  call(fn: () => void): void { this.js(fn); }

  private js(fn: () => void): void {
    if (this.jsBusy || this.clock.now() < this.jsFreeAt) {
      this.jsQueue.push(fn);
      if (!this.jsBusy && this.jsQueue.length === 1) this.clock.at(this.jsFreeAt, () => this.drain());
      return;
    }
    this.jsBusy = true;
    try { fn(); } finally {
      this.jsBusy = false;
      this.jsFreeAt = this.clock.now() + this.callbackCost;
    }
    if (this.jsQueue.length) this.clock.at(this.jsFreeAt, () => this.drain());
  }

  private drain(): void {
    const next = this.jsQueue.shift();
    if (next) this.js(next);
  }

  /** Serial2 as the driver sees it (drivers/hal.ts UartPort) */
  readonly port: UartPort = {
    write: (d) => {
      const bytes = typeof d === "string" ? Buffer.from(d, "latin1") : typeof d === "number" ? [d] : d;
      const now = this.clock.now();
      const done = this.wire.mcuWrite(bytes as ArrayLike<number>, now);
      const stall = done - now;
      this.stalls.writes++;
      this.stalls.bytes += bytes.length;
      if (stall > 0) {
        this.stalls.total += stall;
        if (stall > this.stalls.max) this.stalls.max = stall;
        this.clock.advanceTo(done); // the interpreter is stuck here; the world moves on
      }
    },
    on: (_e, fn) => { this.listeners.push(fn); },
    removeAllListeners: () => { this.listeners = []; },
  };

  readonly io: Timers = {
    setTimeout: (fn, ms) => this.clock.after(Math.max(ms, 0) / 1000, () => this.js(fn)),
    clearTimeout: (id) => this.clock.cancel(id),
    setInterval: () => { throw new Error("the printer driver uses setTimeout only"); },
    clearInterval: () => undefined,
    getTime: () => this.clock.now(),
  };

  /** run until cond() holds or maxSeconds pass; returns cond() */
  runUntil(cond: () => boolean, maxSeconds: number): boolean {
    const end = this.clock.now() + maxSeconds;
    while (!cond() && this.clock.step(end)) { /* step */ }
    return cond();
  }

  run(seconds: number): void { this.clock.advanceTo(this.clock.now() + seconds); }
}
