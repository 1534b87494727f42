// A small MCU-side stand-in for driver tests and figures, built on the simulator buses
// (sim/bus): Espruino-like timers, setWatch with data-pin capture through a 4 KB event queue
// (6 B per edge, FIFO_FULL on overflow), E.getErrorFlags, and hal I2CBus/UartPort adapters.
// It lets driver tests run the TypeScript drivers directly (no bundle); it follows the
// runtime's model (sim/runtime/mcu.ts, espruino.md 5): on the ESP32 every edge of a watched
// pin is queued, the edge filter runs when JS takes the event, and JS runs one callback at a
// time at DEFAULT_CALLBACK_COST of virtual interpreter time.
import { VirtualClock } from "../../sim/bus/clock";
import { PinNetsImpl } from "../../sim/bus/pins";
import { I2CBusImpl } from "../../sim/bus/i2c";
import { UartWire } from "../../sim/bus/uart";
import type { PartContext } from "../../sim/bus/types";
import type { Io, I2CBus, UartPort } from "../../drivers/hal";
import { DEFAULT_CALLBACK_COST } from "../../sim/runtime/mcu";

export const EVENT_QUEUE_BYTES = 4096;
export const WATCH_EVENT_BYTES = 6;

export interface TestbedOptions {
  seed?: number;
  /** virtual seconds the interpreter spends running one watch callback (model, see docs/cards.md) */
  callbackCost?: number;
  /** seconds to take and drop an event whose edge the watch filters out */
  filterCost?: number;
}

interface Watch { id: number; gpio: number; fn: (e: WatchEvent) => void; edge: string; data: number | null; last: number; repeat: boolean; }
interface QueuedEdge { watch: Watch; state: boolean; time: number; data: boolean | undefined; }

/** Mulberry32: small seeded PRNG. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return function () {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Testbed {
  clock = new VirtualClock();
  pins = new PinNetsImpl(this.clock);
  private buses = new Map<string, I2CBusImpl>();
  private uarts = new Map<string, UartWire>();
  private watches: Watch[] = [];
  private nextWatch = 1;
  private queue: QueuedEdge[] = [];
  private queueBytes = 0;
  private draining = false;
  private flags: string[] = [];
  readonly random: () => number;
  callbackCost: number;
  filterCost: number;
  /** JS is busy (drawing, printing...) until this time: events wait in the queue */
  busyUntil = 0;
  stats = { edges: 0, dropped: 0, maxQueued: 0, callbacks: 0 };
  log: string[] = [];

  constructor(opts: TestbedOptions = {}) {
    this.random = seededRandom(opts.seed ?? 1);
    // the runtime's cost model (sim/runtime/mcu.ts): a callback costs, a filtered edge does not
    this.callbackCost = opts.callbackCost ?? DEFAULT_CALLBACK_COST;
    this.filterCost = opts.filterCost ?? 0;
    this.pins.onMcuEdge((gpio, level, t) => this.isr(gpio, level, t));
  }

  i2cSim(id: string): I2CBusImpl {
    let b = this.buses.get(id);
    if (!b) { b = new I2CBusImpl(id, this.clock); b.bitrate = 400000; this.buses.set(id, b); }
    return b;
  }
  uartSim(id: string, baud = 115200): UartWire {
    let u = this.uarts.get(id);
    if (!u) { u = new UartWire(id, this.clock, baud); this.uarts.set(id, u); }
    return u;
  }

  /** what a part factory receives */
  partContext(): PartContext {
    return {
      clock: this.clock, pins: this.pins,
      i2c: (id) => this.i2cSim(id), uart: (id) => this.uartSim(id),
      random: this.random, log: (l) => { this.log.push(l); },
    };
  }

  /** the Espruino globals a driver gets through drivers/hal.ts */
  io(): Io {
    const clock = this.clock;
    return {
      setTimeout: (fn, ms) => clock.after(Math.max(ms, 0.1) / 1000, fn),
      clearTimeout: (id) => clock.cancel(id),
      setInterval: (fn, ms) => {
        const period = Math.max(ms, 0.1) / 1000;
        let h = 0;
        const tick = (): void => { h2.h = clock.after(period, tick); fn(); };
        const h2 = { h: clock.after(period, tick) };
        h = this.nextWatch++ + 100000;
        this.intervals.set(h, h2);
        return h;
      },
      clearInterval: (id) => { const x = this.intervals.get(id); if (x) clock.cancel(x.h); this.intervals.delete(id); },
      getTime: () => clock.now(),
      digitalWrite: (pin, v) => { this.pins.setMode(Number(pin), "output"); this.pins.setOutput(Number(pin), v ? 1 : 0); },
      digitalRead: (pin) => this.pins.level(Number(pin)),
      pinMode: (pin, mode) => this.pins.setMode(Number(pin), mode),
      setWatch: (fn, pin, o) => {
        const gpio = Number(pin);
        if (this.pins.mode(gpio) !== "output") this.pins.setMode(gpio, "input_pullup"); // ESP32 forces pull-up
        const w: Watch = { id: this.nextWatch++, gpio, fn, edge: String(o.edge ?? "both"), data: o.data === undefined ? null : Number(o.data), last: clock.now(), repeat: !!o.repeat };
        this.watches.push(w);
        return w.id;
      },
      clearWatch: (id) => {
        if (id === undefined) throw new Error("clearWatch(undefined) would clear every watch");
        this.watches = this.watches.filter((w) => w.id !== id);
      },
    };
  }
  private intervals = new Map<number, { h: number }>();

  /** E.getErrorFlags(): returns and clears */
  getErrorFlags = (): string[] => { const f = this.flags; this.flags = []; return f; };

  i2c(id: string): I2CBus {
    const sim = this.i2cSim(id);
    return {
      writeTo: (addr, data) => sim.write(typeof addr === "number" ? addr : addr.address, typeof data === "number" ? new Uint8Array([data]) : new Uint8Array(data as ArrayLike<number>)),
      readFrom: (addr, n) => sim.read(typeof addr === "number" ? addr : addr.address, n),
    };
  }

  /** UART as the firmware sees it: received bytes arrive as latin1 chunks through the event queue */
  uart(id: string, baud = 115200): UartPort {
    const wire = this.uartSim(id, baud);
    let listeners: ((s: string) => void)[] = [];
    let pending = "";
    let scheduled = false;
    wire.setRxSink((b) => {
      pending += String.fromCharCode(b);
      if (scheduled) return;
      scheduled = true;
      this.clock.after(0.001, () => { scheduled = false; const s = pending; pending = ""; for (const fn of listeners) fn(s); });
    });
    return {
      write: (d) => {
        const bytes = typeof d === "string" ? Buffer.from(d, "latin1") : typeof d === "number" ? [d] : d;
        wire.mcuWrite(bytes as ArrayLike<number>, this.clock.now());
      },
      on: (_e, fn) => { listeners.push(fn); },
      removeAllListeners: () => { listeners = []; },
    };
  }

  run(seconds: number): void { this.clock.advanceTo(this.clock.now() + seconds); }

  /** runs until cond() or the time limit; returns cond() */
  runUntil(cond: () => boolean, maxSeconds: number): boolean {
    const end = this.clock.now() + maxSeconds;
    while (!cond() && this.clock.step(end)) { /* keep stepping */ }
    if (!cond()) this.clock.advanceTo(end);
    return cond();
  }

  private isr(gpio: number, level: number, t: number): void {
    for (const w of this.watches) {
      if (w.gpio !== gpio) continue;
      this.stats.edges++;
      if (this.queueBytes + WATCH_EVENT_BYTES > EVENT_QUEUE_BYTES) {
        this.stats.dropped++;
        if (this.flags.indexOf("FIFO_FULL") < 0) this.flags.push("FIFO_FULL");
        continue;
      }
      const data = w.data === null ? undefined : this.pins.level(w.data) === 1;
      this.queue.push({ watch: w, state: level === 1, time: t, data });
      this.queueBytes += WATCH_EVENT_BYTES;
      if (this.queue.length > this.stats.maxQueued) this.stats.maxQueued = this.queue.length;
    }
    this.kick();
  }

  private kick(): void {
    if (this.draining || !this.queue.length) return;
    this.draining = true;
    this.clock.at(Math.max(this.clock.now(), this.busyUntil), () => this.drainOne());
  }

  /** the interpreter takes one event, runs (or filters) it, and spends its cost */
  private drainOne(): void {
    const ev = this.queue.shift();
    if (!ev) { this.draining = false; return; }
    this.queueBytes -= WATCH_EVENT_BYTES;
    const w = ev.watch;
    const wanted = w.edge === "both" || (w.edge === "falling" ? !ev.state : ev.state);
    let cost = this.filterCost;
    if (wanted && this.watches.indexOf(w) >= 0) {
      const e: WatchEvent = { state: ev.state, time: ev.time, lastTime: w.last };
      if (ev.data !== undefined) e.data = ev.data;
      w.last = ev.time;
      if (!w.repeat) this.watches = this.watches.filter((x) => x !== w);
      this.stats.callbacks++;
      cost = this.callbackCost;
      w.fn(e);
    }
    this.clock.after(cost, () => {
      if (this.queue.length) this.drainOne(); else this.draining = false;
    });
  }
}
