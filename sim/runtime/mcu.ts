// One power-on of the simulated ESP32 running Espruino: a fresh firmware context, the bounded
// IO event queue (4,096 B: watch edge 6 B, UART chunk 2 B + data), the timer list, and the
// idle loop that runs IO events, then other queued JS work (Promise reactions, socket and WiFi
// callbacks), then due timers, one callback per step. Each callback costs
// `callbackCost` virtual seconds of interpreter time, plus whatever it blocked for (UART TX
// queue full, I2C transfers, flash programming), so ISR-side events can pile up and overflow
// the queue as on the device. A power cut kills this instance for good; powerOn makes a new one.
import * as vm from "vm";
import type { Board } from "../../boards/types";
import type { VirtualClock } from "../bus/clock";
import type { PinNetsImpl } from "../bus/pins";
import type { I2CBusImpl } from "../bus/i2c";
import { UartWire } from "../bus/uart";
import type { VirtualNetworkImpl } from "../bus/network";
import type { NorFlash } from "../parts/nor-flash";
import { Realm, espruinoError } from "./realm";
import { PRELUDE } from "./prelude";
import { PositionMapper } from "./sourcemap";
import type { StorageFs } from "./storage";
import { formatLog } from "./format";
import { instrumentLoops, LOOP_HOOK } from "./runaway";
import type { MemoryMonitor } from "./memory";

export const EVENT_QUEUE_BYTES = 4096;
export const WATCH_EVENT_BYTES = 6;
export const UART_EVENT_OVERHEAD = 2;
export const UART_EVENT_MAX_DATA = 64;
/** the largest string one on('data') call gets on the ESP32 */
export const UART_DATA_CHUNK_MAX = 256;
/** default virtual interpreter time per JS callback; see docs/simulator.md "Cost model" */
export const DEFAULT_CALLBACK_COST = 0.001;
export const TIMER_MIN_INTERVAL = 0.0001;
/** the console is Serial1 (UART0) at 115,200 baud: long output blocks like any UART write */
export const CONSOLE_BAUD = 115200;

/** runaway code (sim/runtime/runaway.ts): a callback is interrupted once it has run this many
 *  loop iterations (deterministic; ~1,000 s of ESP32 time at ~100 us per iteration, espruino.md
 *  §10) or this much wall time; the boot code also runs under vm's timeout of `wallMs` */
export interface RunawayLimits { iterations: number; wallMs: number; }
export const DEFAULT_RUNAWAY: RunawayLimits = { iterations: 1e7, wallMs: 5000 };
/** loop iterations between two budget checks by the host */
const CHECK_EVERY = 16384;
export const INTERRUPTED = "Execution Interrupted";

interface Compiled { script: vm.Script; columnFix: (line: number, col: number) => number; }
/** recently compiled bundles: a vm.Script runs in any context, so power cycles and new worlds
 *  on the same bundle (tests switch between firmware and probe bundles) skip the parse */
const scripts: { source: string; filename: string; compiled: Compiled }[] = [];
const SCRIPT_CACHE_SIZE = 8;
function compiled(source: string, filename: string): Compiled {
  const i = scripts.findIndex((e) => e.filename === filename && e.source === source);
  if (i >= 0) return scripts[i]!.compiled;
  const inst = instrumentLoops(ignoreUseStrict(source));
  const c = { script: new vm.Script(inst.code, { filename }), columnFix: inst.columnFix };
  if (scripts.length >= SCRIPT_CACHE_SIZE) scripts.shift();
  scripts.push({ source, filename, compiled: c });
  return c;
}

/** Espruino ignores "use strict": the directive becomes a plain string of the same length, so
 *  bundle positions do not move */
export function ignoreUseStrict(source: string): string {
  return source.replace(/(["'])use strict\1/g, "$1use-strict$1");
}

const WIDE_CHAR = /[^\x00-\xff]/;

/** timer times on a microsecond grid, as Espruino's integer time base keeps them */
function micros(t: number): number { return Math.round(t * 1e6) / 1e6; }

export interface McuHost {
  board: Board;
  clock: VirtualClock;
  pins: PinNetsImpl;
  i2c: Record<string, I2CBusImpl>;
  uarts: Record<string, UartWire>;
  flash: NorFlash;
  net: VirtualNetworkImpl;
  storage: StorageFs;
  callbackCost: number;
  random(): number;
  /** a console line (already split at newlines) */
  console(line: string): void;
  /** an uncaught exception (also printed) */
  error(e: { message: string; position?: string; time: number }): void;
  /** the firmware asked for a reset (E.reboot) */
  reboot(): void;
  /** the file a large eval'd text (a firmware image the boot loader read from Storage) came
   *  from, for positions; null: run it without a source map */
  sourceFile?(code: string): string | null;
  /** a flash operation hit an armed power cut */
  flashPowerCut(): void;
  /** runaway limits (default DEFAULT_RUNAWAY) */
  runaway?: RunawayLimits;
  /** harness messages (world.log) */
  log?(line: string): void;
  /** tls checks the server certificate against the `ca` given (default true); false is
   *  Espruino 2v29, which never does (docs/host-protocol.md §1.5) */
  tlsVerify?: boolean;
}

export type IoEvent =
  | { kind: "pin"; gpio: number; level: number; time: number; data: [number, number][]; size: number }
  | { kind: "uart"; port: string; bytes: number[]; size: number };

export interface Timer { id: number; due: number; interval: number; fn: any; args: any[]; seq: number; }

export class Mcu {
  readonly realm = new Realm();
  readonly native: any;
  dead = false;
  loadError: string | null = null;
  /** IO event queue (ISR side), bounded by bytes */
  queue: IoEvent[] = [];
  queueBytes = 0;
  /** other queued work (Promise reactions, network callbacks): held in JS memory, unbounded */
  jsEvents: (() => void)[] = [];
  /** timers, due in clock time (setTime() does not move them) */
  timers = new Map<number, Timer>();
  /** ids of the timers due when the current timer phase began, in run order */
  private dueTimers: number[] = [];
  errorFlags = new Set<string>();
  stats = { callbacks: 0, ioEvents: 0, dropped: 0, maxQueueBytes: 0, uncaught: 0 };
  /** handlers per IO event kind, set by the API modules */
  pinEvent: (e: Extract<IoEvent, { kind: "pin" }>) => number = () => 0;
  uartEvent: (port: string, chunk: string) => number = () => 0;
  /** extra teardown on power cut, registered by API modules */
  private cleanups: (() => void)[] = [];
  private timerSeq = 0;
  private wake: { handle: number; at: number } | null = null;
  private inStep = false;
  private busyUntil = 0;
  private lineBuf = "";
  /** Serial1's wire (nothing attached: the console is captured as text) */
  readonly consoleWire: UartWire;
  /** JsVars taken from the store by native code the memory model cannot walk: mbedTLS's
   *  context and buffers while a TLS socket is open (api-modules.ts) */
  nativeJsVars = 0;
  /** time offset set by setTime() (getTime() = clock + offset) */
  timeOffset = 0;
  positions: PositionMapper | null = null;
  /** the bundle as booted (the memory model analyses the code V8 runs from it) */
  bundleSource: string | null = null;
  /** the JsVar model (sim/runtime/memory.ts): checked around each callback */
  memory: MemoryMonitor | null = null;
  /** the watches' callbacks (set by the GPIO module), roots of the memory model */
  watchList: () => Iterable<{ fn: unknown }> = () => [];
  /** E.enableWatchdog state (api-core): manual mode resets `timeout` s after `kickedAt`; auto
   *  mode is kicked by the idle loop, so it resets when one callback runs longer than that */
  watchdog: { timeout: number; auto: boolean; kickedAt: number } | null = null;
  /** runaway detection: the loop counter the bundle's loops bump (context object) */
  private loop: { n: number; next: number };
  private readonly limits: RunawayLimits;
  private depth = 0;
  private cbWall = 0;
  private cbStart = 0;
  /** why the running callback is being interrupted (sticky until it returns) */
  private interrupt: string | null = null;

  constructor(readonly host: McuHost) {
    const r = this.realm;
    this.consoleWire = new UartWire("console", host.clock, CONSOLE_BAUD);
    this.onCut(() => this.consoleWire.powerCut());
    this.native = r.obj();
    this.native.queue = r.fn((fn: any) => { this.queueJs(() => this.invoke(fn, undefined, [])); });
    this.native.unhandled = r.fn((v: any) => { this.reportUncaught(v, "Unhandled promise rejection: "); });
    this.native.nowMs = r.fn(() => this.getTime() * 1000);
    r.run(PRELUDE, "sim-prelude.js")(this.native, r.global);
    this.limits = host.runaway ?? DEFAULT_RUNAWAY;
    this.loop = r.run("({ n: 0, next: 0 })");
    const hook = r.run(`(function (st, check) { return function () { if (++st.n >= st.next) check(); }; })`)(this.loop, r.fn(this.loopCheck));
    Object.defineProperty(r.global, LOOP_HOOK, { value: hook, writable: false, configurable: false, enumerable: false });
    host.pins.onMcuEdge((gpio, level, t) => this.onEdge(gpio, level, t));
  }

  /** the pin-edge ISR hook (set by the GPIO module) */
  onEdge: (gpio: number, level: number, t: number) => void = () => {};

  getTime(): number { return this.host.clock.now() + this.timeOffset; }

  // ---------- boot ----------
  boot(source: string, filename: string, useMap = true): boolean {
    const c = compiled(source, filename);
    this.positions = new PositionMapper(filename, useMap, c.columnFix);
    this.bundleSource = source;
    this.startCallback();
    this.depth++;
    let failed = false, err: unknown = null;
    try {
      // the boot code runs once per power-on: vm's timeout (a thread per run) is cheap here
      c.script.runInContext(this.realm.context, { timeout: this.limits.wallMs });
    } catch (e) {
      failed = true; err = e;
    } finally {
      this.depth--;
    }
    if (failed && (err as any)?.code === "ERR_SCRIPT_EXECUTION_TIMEOUT") this.interrupt ??= `${this.limits.wallMs} ms of wall time (vm timeout)`;
    if (failed && this.interrupt === null) {
      this.loadError = this.reportUncaught(err);
      return false;
    }
    if (this.interrupt !== null) this.interrupted(err, INTERRUPTED);
    if (this.dead) return true;
    // boot order after the code: E.on('init') handlers, then onInit()
    const E = this.realm.global.E;
    this.invoke(() => this.native.emit.call(E, "init"), undefined, []);
    const onInit = this.realm.global.onInit;
    if (typeof onInit === "function" && !this.dead) this.invoke(onInit, undefined, []);
    this.reschedule();
    return true;
  }

  /** Espruino's eval, at the top level. A firmware image the boot loader evaluates from
   *  Storage (firmware/update/loader.ts) runs as boot code does: loops counted, positions
   *  mapped to its bundle, and the memory model analyses it */
  evalCode(code: string): unknown {
    if (code.length < 4096) return vm.runInContext(instrumentLoops(code).code, this.realm.context);
    const file = this.host.sourceFile?.(code) ?? null;
    const c = compiled(code, file ?? "storage-image.js");
    this.positions = new PositionMapper(file ?? "storage-image.js", file !== null, c.columnFix);
    this.bundleSource = code;
    return c.script.runInContext(this.realm.context);
  }

  // ---------- the idle loop ----------
  /** run a firmware function like Espruino runs a callback: uncaught errors are printed */
  invoke(fn: any, self: any, args: any[]): void {
    if (this.dead) return;
    if (this.memory && this.depth === 0 && this.memory.blocked(fn)) return;
    this.stats.callbacks++;
    if (this.depth === 0) this.startCallback();
    this.depth++;
    let caught: unknown = null;
    try {
      if (typeof fn === "string") this.realm.global.eval(instrumentLoops(fn).code);
      else fn.apply(self, args);
    } catch (e) {
      if (this.interrupt === null) { if (!this.dead) this.reportUncaught(e); } else caught = e;
    } finally {
      this.depth--;
    }
    if (this.interrupt !== null && this.depth === 0) this.interrupted(caught, INTERRUPTED + " during event processing.");
    if (this.memory && this.depth === 0 && !this.dead) this.memory.afterCallback(fn);
  }

  // ---------- runaway code and the watchdog ----------
  private startCallback(): void {
    this.loop.n = 0;
    this.loop.next = CHECK_EVERY;
    this.interrupt = null;
    this.cbWall = performance.now();
    this.cbStart = this.host.clock.now();
  }

  /** every CHECK_EVERY loop iterations of a callback (and at every iteration once interrupted) */
  private readonly loopCheck = (): void => {
    if (this.dead) throw espruinoError("power cut: the MCU is unpowered");
    const l = this.loop;
    if (this.interrupt === null) {
      const wall = performance.now() - this.cbWall;
      const oom = this.memory ? this.memory.overLimit(l.n) : null;
      if (oom) this.interrupt = oom;
      else if (l.n >= this.limits.iterations) this.interrupt = `${l.n} loop iterations`;
      else if (wall >= this.limits.wallMs) this.interrupt = `${Math.round(wall)} ms of wall time`;
      else { l.next = l.n + CHECK_EVERY; return; }
    }
    // sticky, as Espruino's interrupt flag: every further loop iteration throws too
    l.next = 0;
    throw espruinoError(INTERRUPTED);
  };

  /** The interpreter auto-kicks the watchdog from its idle loop: a callback (blocked in natives,
   *  so virtual time moves) that outlives the timeout resets the chip. Called by block(). */
  private autoWatchdogDue(until: number): number | null {
    const w = this.watchdog;
    if (!w || !w.auto || this.depth === 0) return null;
    const due = this.cbStart + w.timeout;
    return until > due ? due : null;
  }

  /** a runaway callback was stopped: with a watchdog the chip never reaches its idle loop
   *  again and resets when the watchdog expires; without one, Espruino's Ctrl-C message */
  private interrupted(e: unknown, message: string): void {
    const why = this.interrupt ?? "runaway";
    this.interrupt = null;
    if (this.dead) return;
    const position = e && typeof e === "object" ? this.positions?.fromStack(String((e as any).stack)) : undefined;
    const where = position ? ` at ${position}` : "";
    // out of memory (sim/runtime/memory.ts) interrupts like Ctrl-C, and the idle loop then runs
    if (this.memory && this.memory.stopped(why, position)) return;
    const w = this.watchdog;
    if (w) {
      const due = w.auto ? this.cbStart + w.timeout : w.kickedAt + w.timeout;
      this.host.log?.(`runaway code${where} (${why}): the watchdog resets the chip at ${due.toFixed(3)} s`);
      try { this.block(Math.max(0, due - this.host.clock.now())); } catch { /* the watchdog already fired */ }
      if (!this.dead) this.watchdogReset(`${w.auto ? "auto" : "manual"}, ${w.timeout} s: runaway code${where}`);
      return;
    }
    this.host.log?.(`runaway code interrupted${where} (${why})`);
    this.write(message + "\n");
    if (position) this.write(` at ${position}\n`);
  }

  /** the watchdog was not kicked in time: the chip resets (same flash, parts stay powered) */
  watchdogReset(why: string): void {
    if (this.dead) return;
    this.host.console(`[sim] watchdog reset (${why})`);
    this.host.log?.(`watchdog reset at ${this.host.clock.now().toFixed(3)} s (${why})`);
    this.host.reboot();
  }

  queueJs(fn: () => void): void {
    if (this.dead) return;
    this.jsEvents.push(fn);
    this.reschedule();
  }

  /** ISR side: push an IO event; dropped with FIFO_FULL when the 4 KB queue is full */
  pushEvent(e: IoEvent): boolean {
    if (this.dead) return false;
    if (this.queueBytes + e.size > EVENT_QUEUE_BYTES) {
      this.stats.dropped++;
      this.setFlag("FIFO_FULL");
      return false;
    }
    this.queue.push(e);
    this.queueBytes += e.size;
    if (this.queueBytes > this.stats.maxQueueBytes) this.stats.maxQueueBytes = this.queueBytes;
    this.reschedule();
    return true;
  }

  /** ISR side: one received UART byte, merged into the last event of that port when it fits */
  pushUartByte(port: string, byte: number): void {
    if (this.dead) return;
    const last = this.queue[this.queue.length - 1];
    if (last && last.kind === "uart" && last.port === port && last.bytes.length < UART_EVENT_MAX_DATA) {
      if (this.queueBytes + 1 > EVENT_QUEUE_BYTES) { this.stats.dropped++; this.setFlag("FIFO_FULL"); return; }
      last.bytes.push(byte); last.size++; this.queueBytes++;
      if (this.queueBytes > this.stats.maxQueueBytes) this.stats.maxQueueBytes = this.queueBytes;
      return;
    }
    this.pushEvent({ kind: "uart", port, bytes: [byte], size: UART_EVENT_OVERHEAD + 1 });
  }

  setFlag(flag: string): void {
    if (this.errorFlags.has(flag)) return;
    this.errorFlags.add(flag);
    const E = this.realm.global.E;
    if (E && this.native.hasListeners(E, "errorFlag")) {
      const flags = [...this.errorFlags];
      this.queueJs(() => this.invoke(() => this.native.emit.call(E, "errorFlag", this.realm.toCtx(flags)), undefined, []));
    }
  }

  /** The interpreter is busy for dt seconds inside a native call (a blocking write): the
   *  world moves on meanwhile (ISRs fill the queue, bytes travel). */
  block(dt: number): void {
    if (dt <= 0 || this.dead) return;
    const until = this.host.clock.now() + dt;
    const due = this.watchdog ? this.autoWatchdogDue(until) : null;
    if (due !== null) {
      this.host.clock.advanceTo(due);
      if (!this.dead) this.watchdogReset(`auto, ${this.watchdog!.timeout} s: a callback never returned to the idle loop`);
    } else this.host.clock.advanceTo(until);
    if (this.dead) throw espruinoError("power cut: the MCU is unpowered");
  }

  private nextTimer(): Timer | undefined {
    let best: Timer | undefined;
    for (const t of this.timers.values()) {
      if (!best || t.due < best.due || (t.due === best.due && t.seq < best.seq)) best = t;
    }
    return best;
  }

  reschedule(): void {
    if (this.dead || this.inStep) return;
    const now = this.host.clock.now();
    let at = Infinity;
    if (this.queue.length || this.jsEvents.length || this.dueTimers.length) at = now;
    else {
      const t = this.nextTimer();
      if (t) at = Math.max(now, t.due);
    }
    if (at !== Infinity) at = Math.max(at, this.busyUntil);
    if (this.wake && this.wake.at === at) return;
    if (this.wake) { this.host.clock.cancel(this.wake.handle); this.wake = null; }
    if (at === Infinity) return;
    const handle = this.host.clock.at(at, this.onWake);
    this.wake = { handle, at };
  }

  private readonly onWake = (): void => { this.wake = null; this.step(); };

  /** one unit of interpreter work */
  private step(): void {
    if (this.dead) return;
    this.inStep = true;
    const before = this.stats.callbacks;
    try {
      this.runOne();
    } finally {
      this.inStep = false;
    }
    const ran = this.stats.callbacks - before;
    this.busyUntil = this.host.clock.now() + ran * this.host.callbackCost;
    this.reschedule();
  }

  /** Espruino's idle loop, one callback at a time: IO events until the queue is empty (watch
   *  and data callbacks run as they are popped), then queued JS jobs (Promise reactions...)
   *  until none is left, then every timer that was due when the timer phase began. So a
   *  reaction queued at load runs before a 0 ms timer, and one queued inside a timer runs
   *  after the other timers due at the same time (both measured on the interpreter). */
  private runOne(): void {
    if (this.dueTimers.length === 0) {
      const ev = this.queue.shift();
      if (ev) { this.runIoEvent(ev); return; }
      const js = this.jsEvents.shift();
      if (js) { js(); return; }
      const now = this.host.clock.now();
      this.dueTimers = [...this.timers.values()].filter((t) => t.due <= now)
        .sort((a, b) => a.due - b.due || a.seq - b.seq).map((t) => t.id);
    }
    while (this.dueTimers.length) {
      const t = this.timers.get(this.dueTimers.shift()!);
      if (t && t.due <= this.host.clock.now()) { this.runTimer(t); return; }
    }
  }

  private runIoEvent(ev: IoEvent): void {
    this.queueBytes -= ev.size;
    this.stats.ioEvents++;
    if (ev.kind === "pin") { this.pinEvent(ev); return; }
    // consecutive chunks of one port reach on('data') as one string, up to 256 bytes (ESP32)
    const bytes = ev.bytes.slice();
    while (this.queue[0] && this.queue[0].kind === "uart" && (this.queue[0] as any).port === ev.port &&
      bytes.length + (this.queue[0] as any).bytes.length <= UART_DATA_CHUNK_MAX) {
      const more = this.queue.shift() as Extract<IoEvent, { kind: "uart" }>;
      this.queueBytes -= more.size;
      bytes.push(...more.bytes);
    }
    this.uartEvent(ev.port, String.fromCharCode(...bytes));
  }

  private runTimer(t: Timer): void {
    if (t.interval > 0) t.due = micros(t.due + t.interval); // no drift: from the planned time
    else this.timers.delete(t.id);
    this.invoke(t.fn, undefined, t.args);
  }

  addTimer(fn: any, ms: number, args: any[], repeat: boolean): number {
    let id = 1;
    while (this.timers.has(id)) id++;
    let dt = Number(ms) / 1000;
    if (!(dt > 0)) dt = 0;
    if (repeat && dt < TIMER_MIN_INTERVAL) dt = TIMER_MIN_INTERVAL;
    this.timers.set(id, { id, due: micros(this.host.clock.now() + dt), interval: repeat ? dt : 0, fn, args, seq: this.timerSeq++ });
    this.reschedule();
    return id;
  }

  // ---------- console and errors ----------
  /** console text (may hold partial lines) */
  write(text: string): void {
    if (this.dead) return;
    // bytes on the wire: print/console.log send \r\n
    const wire = text.indexOf("\n") < 0 ? text : text.replace(/\r?\n/g, "\r\n");
    const now = this.host.clock.now();
    // 8-bit text (the usual case) converts directly; anything wider goes code point by code point
    const bytes = WIDE_CHAR.test(wire) ? Uint8Array.from(wire, (c) => c.charCodeAt(0) & 0xff) : Buffer.from(wire, "latin1");
    const done = this.consoleWire.mcuWrite(bytes, now);
    this.lineBuf += text.indexOf("\r") < 0 ? text : text.replace(/\r/g, "");
    let i: number;
    while ((i = this.lineBuf.indexOf("\n")) >= 0) {
      this.host.console(this.lineBuf.slice(0, i));
      this.lineBuf = this.lineBuf.slice(i + 1);
    }
    this.block(done - now);
  }

  log(args: any[]): void { this.write(formatLog(args) + "\n"); }

  /** print "Uncaught ..." with the bundle (and TypeScript) position; returns the message */
  reportUncaught(e: any, prefix = ""): string {
    this.stats.uncaught++;
    let text: string;
    if (e !== null && typeof e === "object" && "message" in e) {
      const kind = e.constructor && e.constructor.name && e.constructor.name !== "Object" ? e.constructor.name : "Error";
      text = `${kind}: ${e.message}`;
    } else text = formatLog([e], true);
    const message = prefix ? `Error: ${prefix}${text}` : text;
    const position = e && typeof e === "object" ? this.positions?.fromStack(String(e.stack)) : undefined;
    this.write(`Uncaught ${message}\n`);
    if (position) this.write(` at ${position}\n`);
    this.host.error({ message, position, time: this.host.clock.now() });
    return message + (position ? " at " + position : "");
  }

  onCut(fn: () => void): void { this.cleanups.push(fn); }

  /** the supply is gone: nothing more runs, lands or leaves */
  powerCut(): void {
    if (this.dead) return;
    this.dead = true;
    this.realm.close(espruinoError("power cut: the MCU is unpowered"));
    if (this.wake) { this.host.clock.cancel(this.wake.handle); this.wake = null; }
    this.timers.clear();
    this.dueTimers = [];
    this.queue = [];
    this.queueBytes = 0;
    this.jsEvents = [];
    for (const fn of this.cleanups) { try { fn(); } catch { /* teardown must finish */ } }
  }
}
