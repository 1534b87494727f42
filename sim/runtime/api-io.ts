// Pins, watches, Serial, I2C and SPI: the firmware side of sim/bus.
import type { Mcu } from "./mcu";
import { WATCH_EVENT_BYTES } from "./mcu";
import { espruinoError } from "./realm";
import { toBytes, latin1 } from "./bytes";
import type { Level } from "../bus/types";
import type { UartWire } from "../bus/uart";
import { I2CBusImpl, I2CError } from "../bus/i2c";
import { GPIO_COUNT } from "../bus/pins";

const NUM = "\u00ffpin";
const OUTPUT_MODES = new Set(["output", "opendrain", "opendrain_pullup"]);
const MODES = new Set(["input", "input_pullup", "input_pulldown", "output", "opendrain", "opendrain_pullup", "analog", "auto"]);
/** ESP32 default UART pins ([E] boards/ESP32.py) and I2C pins */
const SERIAL_DEFAULT: Record<string, { tx: number; rx: number }> = { Serial2: { tx: 4, rx: 5 }, Serial3: { tx: 17, rx: 16 } };
const I2C_DEFAULT: Record<string, { scl: number; sda: number }> = { I2C1: { scl: 22, sda: 21 }, I2C2: { scl: 16, sda: 17 } };

interface Watch {
  id: number; gpio: number; fn: any; repeat: boolean; edge: number; debounce: number;
  dataPin: number | null; lastTime: number; lastState: number;
  pending: { level: number; time: number; data: number | undefined } | null; debounceHandle: number;
}

export function installIo(mcu: Mcu): void {
  const r = mcu.realm;
  const g = r.global;
  const host = mcu.host;
  const pins = host.pins;
  // Espruino's pin state (g_pinState, what getPinMode reports) and whether pinMode() fixed it
  // ("manual"). The hardware may differ: setWatch forces a pull-up without changing the state.
  const manual = new Set<number>();
  const state: string[] = new Array(GPIO_COUNT).fill("input_pullup");
  const setState = (n: number, mode: string) => { state[n] = mode; pins.setMode(n, mode as PinMode); };

  // ---------- Pin objects ----------
  const pinProto = r.obj();
  const pinCache: any[] = [];
  const pinObj = (n: number): any => {
    if (!pinCache[n]) {
      const p = r.Object.create(pinProto);
      Object.defineProperty(p, NUM, { value: n, enumerable: false });
      pinCache[n] = p;
    }
    return pinCache[n];
  };
  const pinNum = (p: any): number => {
    let n: number;
    if (p !== null && typeof p === "object" && NUM in p) n = p[NUM];
    else if (typeof p === "string" && /^D\d+$/.test(p)) n = Number(p.slice(1));
    else n = Number(p);
    if (!(Number.isInteger(n) && n >= 0 && n < GPIO_COUNT)) throw espruinoError("Invalid pin: " + String(p), "TypeError");
    return n;
  };
  const PinFn = r.fn((v: any) => pinObj(pinNum(v)));
  PinFn.prototype = pinProto;
  Object.defineProperty(pinProto, "constructor", { value: PinFn, enumerable: false, writable: true });
  g.Pin = PinFn;
  for (let n = 0; n < GPIO_COUNT; n++) g["D" + n] = pinObj(n);

  const setMode = (n: number, mode: string, automatic = false) => {
    if (mode === undefined || mode === "auto") { manual.delete(n); return; }
    if (!MODES.has(mode)) throw espruinoError("Unknown pin mode " + mode);
    if (OUTPUT_MODES.has(mode) && n >= 34) throw espruinoError(`Pin D${n} is input-only`);
    if (!automatic) manual.add(n);
    setState(n, mode);
  };
  const writePin = (n: number, v: number) => {
    // jshPinOutput: an automatic pin becomes a push-pull output
    if (!manual.has(n) && state[n] !== "output") setState(n, "output");
    pins.setOutput(n, (v ? 1 : 0) as Level);
  };
  const readPin = (n: number): number => {
    // jshPinInput: an automatic pin becomes a plain input, which on the ESP32 means NO pull
    // (even on a watched pin, whose pull-up setWatch had forced): set pinMode to keep pulls
    if (!manual.has(n) && (state[n] !== "input" || pins.mode(n) !== "input")) setState(n, "input");
    return pins.level(n);
  };
  const digitalWrite = (p: any, v: any) => {
    if (Array.isArray(p)) {
      const all = typeof v === "boolean";
      for (let i = p.length - 1; i >= 0; i--) writePin(pinNum(p[i]), all ? (v ? 1 : 0) : (Number(v) >> (p.length - 1 - i)) & 1);
    } else writePin(pinNum(p), Number(v) ? 1 : 0);
  };
  const digitalRead = (p: any): number => {
    if (Array.isArray(p)) {
      let v = 0;
      for (let i = 0; i < p.length; i++) v = (v << 1) | readPin(pinNum(p[i]));
      return v;
    }
    return readPin(pinNum(p));
  };
  g.digitalWrite = r.fn(digitalWrite);
  g.digitalRead = r.fn(digitalRead);
  g.pinMode = r.fn((p: any, mode?: string, automatic?: boolean) => {
    if (mode === undefined) return state[pinNum(p)];
    setMode(pinNum(p), mode, !!automatic);
  });
  g.getPinMode = r.fn((p: any) => state[pinNum(p)]);
  r.methods(pinProto, {
    read(this: any) { return digitalRead(this) === 1; },
    write(this: any, v: any) { digitalWrite(this, v ? 1 : 0); },
    set(this: any) { digitalWrite(this, 1); },
    reset(this: any) { digitalWrite(this, 0); },
    toggle(this: any) { const n = pinNum(this); const v = pins.outputLevel(n) ? 0 : 1; writePin(n, v); return v === 1; },
    mode(this: any, m: string) { setMode(pinNum(this), m); },
    getMode(this: any) { return state[pinNum(this)]; },
    getInfo(this: any) { return { port: "D", num: pinNum(this) }; },
    toString(this: any) { return "D" + pinNum(this); },
    valueOf(this: any) { return pinNum(this); },
  });

  // ---------- watches ----------
  const watches = new Map<number, Watch>();
  mcu.watchList = () => watches.values();
  /** the watches of each GPIO in id order; rebuilt (never mutated) when watches change, so a
   *  list taken for one event is that event's snapshot */
  let byGpio: Watch[][] = [];
  const NONE: Watch[] = [];
  const refreshHw = () => {
    byGpio = [];
    for (const w of watches.values()) (byGpio[w.gpio] ??= []).push(w);
    for (const l of byGpio) if (l) l.sort((a, b) => a.id - b.id);
  };
  const NO_DATA: [number, number][] = [];
  mcu.onEdge = (gpio, level, t) => {
    const list = byGpio[gpio];
    if (!list) return;
    let data = NO_DATA;
    for (const w of list) if (w.dataPin !== null) { if (data === NO_DATA) data = []; data.push([w.id, pins.level(w.dataPin)]); }
    mcu.pushEvent({ kind: "pin", gpio, level, time: t + mcu.timeOffset, data, size: WATCH_EVENT_BYTES });
  };
  const edgeOk = (w: Watch, level: number) => w.edge === 0 || (w.edge > 0 ? level === 1 : level === 0);
  const fire = (w: Watch, level: number, time: number, data: number | undefined) => {
    // the callback's argument, made in the context directly (same keys, same order)
    const ev = new r.Object() as any;
    ev.state = level === 1; ev.time = time; ev.lastTime = w.lastTime;
    if (w.dataPin !== null) ev.data = data === 1;
    w.lastTime = time;
    w.lastState = level;
    if (!w.repeat) { watches.delete(w.id); refreshHw(); }
    mcu.invoke(w.fn, undefined, [ev]);
  };
  mcu.pinEvent = (e) => {
    let n = 0;
    const list = byGpio[e.gpio] || NONE;
    for (const w of list) {
      if (!watches.has(w.id)) continue;
      let d: number | undefined;
      for (const x of e.data) if (x[0] === w.id) { d = x[1]; break; }
      if (w.debounce > 0) {
        // fire only once the level has held for `debounce` seconds
        w.pending = { level: e.level, time: e.time, data: d };
        host.clock.cancel(w.debounceHandle);
        w.debounceHandle = host.clock.after(w.debounce, () => mcu.queueJs(() => {
          const p = w.pending;
          w.pending = null;
          if (!p || !watches.has(w.id) || p.level === w.lastState || !edgeOk(w, p.level)) { if (p) w.lastState = p.level; return; }
          fire(w, p.level, p.time, p.data);
        }));
        continue;
      }
      if (!edgeOk(w, e.level)) { w.lastTime = e.time; w.lastState = e.level; continue; }
      fire(w, e.level, e.time, d);
      n++;
    }
    return n;
  };
  g.setWatch = r.fn((fn: any, pin: any, opts?: any) => {
    if (typeof fn !== "function" && typeof fn !== "string") throw espruinoError("Function or String not supplied!");
    const gpio = pinNum(pin);
    if (gpio >= 6 && gpio <= 12) throw espruinoError(`Unable to set watch on pin D${gpio} (flash pins)`);
    const o = typeof opts === "boolean" ? { repeat: opts } : (opts || {});
    let edge = 0;
    if (o.edge === "rising" || o.edge === 1) edge = 1;
    else if (o.edge === "falling" || o.edge === -1) edge = -1;
    const dataPin = o.data !== undefined ? pinNum(o.data) : null;
    let id = 1;
    while (watches.has(id)) id++;
    // setWatch makes an automatic pin an input; the ESP32's jshPinWatch then sets the pad to
    // input with pull-up whatever the mode (pinMode's pull-down is overridden)
    if (!manual.has(gpio)) state[gpio] = "input";
    pins.setMode(gpio, "input_pullup");
    watches.set(id, {
      id, gpio, fn, repeat: !!o.repeat, edge, debounce: Math.max(0, Number(o.debounce) || 0) / 1000, dataPin,
      lastTime: mcu.getTime(), lastState: pins.level(gpio), pending: null, debounceHandle: 0,
    });
    refreshHw();
    return id;
  });
  g.clearWatch = r.fn((...args: any[]) => {
    if (args.length === 0) { watches.clear(); refreshHw(); return; }
    if (args[0] === undefined) throw espruinoError("clearWatch(undefined) not allowed. Use clearWatch() instead.");
    watches.delete(Number(args[0]));
    refreshHw();
  });
  mcu.onCut(() => { for (const w of watches.values()) host.clock.cancel(w.debounceHandle); watches.clear(); byGpio = []; });

  // ---------- Serial ----------
  interface Port { name: string; obj: any; wire: UartWire | null; buffer: string; partner?: string; baud: number; }
  const ports = new Map<string, Port>();
  const wireFor = (name: string, tx?: number, rx?: number): UartWire | null => {
    const d = SERIAL_DEFAULT[name];
    const wantTx = tx ?? d?.tx, wantRx = rx ?? d?.rx;
    for (const [id, spec] of Object.entries(host.board.buses)) {
      if (spec.kind !== "uart") continue;
      if (spec.tx === wantTx || spec.rx === wantRx) return host.uarts[id] ?? null;
    }
    return null;
  };
  const makePort = (name: string, partner?: string) => {
    const obj = r.obj();
    const port: Port = { name, obj, wire: null, buffer: "", partner, baud: 9600 };
    ports.set(name, port);
    const send = (bytes: Uint8Array) => {
      if (name === "Serial1") { mcu.write(latin1(bytes)); return; }
      if (port.partner) { for (const b of bytes) mcu.pushUartByte(port.partner, b); return; }
      if (!port.wire) return; // not set up: bytes go nowhere
      const now = host.clock.now();
      const done = port.wire.mcuWrite(bytes, now);
      mcu.block(done - now);
    };
    r.methods(obj, {
      setup(baud?: number, opts?: any) {
        const o = opts || {};
        if (o.errors) throw espruinoError("errors:true is not supported on ESP32");
        port.baud = Number(baud) || 9600;
        if (name === "Serial1" || port.partner) return;
        if (port.wire) port.wire.setRxSink(null);
        port.wire = wireFor(name, o.tx !== undefined ? pinNum(o.tx) : undefined, o.rx !== undefined ? pinNum(o.rx) : undefined);
        if (port.wire) {
          port.wire.setBaud(port.baud);
          port.wire.setRxSink((b) => mcu.pushUartByte(name, b));
        }
      },
      write(...data: any[]) { send(toBytes(...data)); },
      print(s: any) { send(toBytes(String(s).replace(/\n/g, "\r\n"))); },
      println(s: any) { send(toBytes(String(s).replace(/\n/g, "\r\n") + "\r\n")); },
      available() { return port.buffer.length; },
      read(n?: number) {
        const k = n === undefined ? port.buffer.length : Math.min(Number(n), port.buffer.length);
        const s = port.buffer.slice(0, k);
        port.buffer = port.buffer.slice(k);
        return s;
      },
      inject(...data: any[]) { for (const b of toBytes(...data)) mcu.pushUartByte(name, b); },
      setConsole() { /* console output stays captured by the simulator */ },
      getConsole() { return false; },
    });
    g[name] = obj;
  };
  makePort("Serial1"); makePort("Serial2"); makePort("Serial3");
  makePort("LoopbackA", "LoopbackB"); makePort("LoopbackB", "LoopbackA");
  mcu.uartEvent = (name, chunk) => {
    const port = ports.get(name);
    if (!port) return 0;
    if (mcu.native.hasListeners(port.obj, "data")) { mcu.invoke(mcu.native.emit, port.obj, ["data", chunk]); return 1; }
    port.buffer += chunk;
    return 0;
  };
  mcu.onCut(() => { for (const p of ports.values()) p.wire?.setRxSink(null); });

  // ---------- I2C ----------
  const makeI2C = (name: string) => {
    const obj = r.obj();
    let bus: I2CBusImpl | null = null;
    let bitrate = 100000;
    const need = () => {
      if (!bus) bus = findI2C(name);
      bus.bitrate = bitrate;
      return bus;
    };
    const addrOf = (a: any) => (a !== null && typeof a === "object" ? Number(a.address) : Number(a));
    /** a bus error as the firmware sees it (no closure per call: this is a hot path) */
    const busError = (e: unknown): unknown => (e instanceof I2CError ? espruinoError(e.message) : e);
    r.methods(obj, {
      setup(opts?: any) {
        const o = opts || {};
        bitrate = Number(o.bitrate) || 100000;
        const d = I2C_DEFAULT[name]!;
        bus = findI2C(name, o.scl !== undefined ? pinNum(o.scl) : d.scl, o.sda !== undefined ? pinNum(o.sda) : d.sda);
        bus.bitrate = bitrate;
      },
      writeTo(addr: any, ...data: any[]) {
        const b = need();
        const bytes = toBytes(...data);
        mcu.block(b.duration(bytes.length));
        try { b.write(addrOf(addr), bytes); } catch (e) { throw busError(e); }
      },
      readFrom(addr: any, n: number) {
        const b = need();
        mcu.block(b.duration(Number(n)));
        try { return b.read(addrOf(addr), Number(n)); } catch (e) { throw busError(e); }
      },
      readReg(addr: number, reg: number, n: number) {
        const b = need();
        mcu.block(b.duration(1) + b.duration(Number(n)));
        try { b.write(Number(addr), Uint8Array.of(reg)); } catch (e) { throw busError(e); }
        try { return b.read(Number(addr), Number(n)); } catch (e) { throw busError(e); }
      },
      writeReg(addr: number, reg: number, ...data: any[]) {
        const b = need();
        const bytes = toBytes(reg, ...data);
        mcu.block(b.duration(bytes.length));
        try { b.write(Number(addr), bytes); } catch (e) { throw busError(e); }
      },
    });
    g[name] = obj;
  };
  const orphans = new Map<string, I2CBusImpl>();
  const findI2C = (name: string, scl?: number, sda?: number): I2CBusImpl => {
    const d = I2C_DEFAULT[name]!;
    const wantScl = scl ?? d.scl, wantSda = sda ?? d.sda;
    for (const [id, spec] of Object.entries(host.board.buses)) {
      if (spec.kind === "i2c" && spec.scl === wantScl && spec.sda === wantSda && host.i2c[id]) return host.i2c[id]!;
    }
    // pins with nothing wired: an empty bus where every address NACKs
    const key = `${wantScl}/${wantSda}`;
    if (!orphans.has(key)) orphans.set(key, new I2CBusImpl(key, host.clock));
    return orphans.get(key)!;
  };
  makeI2C("I2C1"); makeI2C("I2C2");

  // ---------- SPI (nothing wired on our boards: MISO reads 0xFF) ----------
  const makeSPI = (name: string) => {
    const obj = r.obj();
    let baud = 100000;
    r.methods(obj, {
      setup(opts?: any) { baud = Number((opts || {}).baud) || 100000; },
      send(data: any, nss?: any) {
        const bytes = toBytes(data);
        if (nss !== undefined) writePin(pinNum(nss), 0);
        mcu.block((bytes.length * 8) / baud);
        if (nss !== undefined) writePin(pinNum(nss), 1);
        if (typeof data === "number") return 0xff;
        if (typeof data === "string") return "\xff".repeat(bytes.length);
        if (Array.isArray(data)) return new Array(bytes.length).fill(0xff);
        return new Uint8Array(bytes.length).fill(0xff);
      },
      write(...data: any[]) { mcu.block((toBytes(...data).length * 8) / baud); },
    });
    g[name] = obj;
  };
  makeSPI("SPI1"); makeSPI("SPI2");
}
