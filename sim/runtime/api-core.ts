// Globals of the interpreter itself: timers, time, console, E, process, global, btoa/atob.
import type { Mcu } from "./mcu";
import { espruinoError } from "./realm";
import { toBytes, latin1, isView, isArrayBuffer, crc32, CRC_TABLE } from "./bytes";
import { hookChars } from "./runaway";

/** blocks a native (API) function counts: what its 84-character wrapper source gave when
 *  sizes were calibrated (2 + 84/12), kept fixed so figures do not move with the wrapper */
export const NATIVE_FN_BLOCKS = 9;

/** approximate JsVar blocks (14 B each) a value takes; calibrated on espruino.md §10 figures.
 *  `isNative` tells API functions (a fixed size) from firmware functions (sized by source). */
export function sizeOf(v: any, depth = 0, seen = new Set<any>(), isNative?: (f: unknown) => boolean): number {
  if (v === null || v === undefined || typeof v === "boolean" || typeof v === "number") return 1;
  if (typeof v === "string") return v.length <= 4 ? 1 : 1 + Math.ceil(v.length / 12);
  if (seen.has(v)) return 0;
  seen.add(v);
  if (isArrayBuffer(v)) return Math.max(2, Math.ceil(v.byteLength / 13));
  if (isView(v)) return Math.max(2, Math.ceil(v.byteLength / 13));
  if (typeof v === "function") {
    if (isNative && isNative(v)) return NATIVE_FN_BLOCKS;
    const src = Function.prototype.toString.call(v);
    // the simulator's loop hooks (sim/runtime/runaway.ts) are not part of the firmware's source
    return 2 + Math.ceil((src.length - hookChars(src)) / 12);
  }
  let n = 1;
  for (const k of Object.keys(v)) {
    n += k.length > 4 ? 2 : 1;
    const x = v[k];
    const inline = x === null || x === undefined || typeof x === "boolean" ||
      (typeof x === "number" && Number.isInteger(x) && Math.abs(x) < 1 << 30);
    if (!inline) n += depth < 16 ? sizeOf(x, depth + 1, seen, isNative) : 1;
  }
  return n;
}

export function installCore(mcu: Mcu): void {
  const r = mcu.realm;
  const g = r.global;
  const host = mcu.host;
  g.global = g;
  const isNative = (f: unknown) => r.isNative(f);

  const timer = (repeat: boolean) => function (fn: any, ms?: any, ...args: any[]) {
    if (typeof fn !== "function" && typeof fn !== "string") throw espruinoError("Function or String not supplied!");
    return mcu.addTimer(fn, ms, args, repeat);
  };
  const clear = (what: string) => function (...args: any[]) {
    if (args.length === 0) { mcu.timers.clear(); mcu.reschedule(); return; }
    const id = args[0];
    if (id === undefined) throw espruinoError(`${what}(undefined) not allowed. Use ${what}() instead.`);
    // an unknown id is ignored: on 2v29 a probe clearing an already-cleared timer carried on
    mcu.timers.delete(Number(id));
    mcu.reschedule();
  };
  g.setTimeout = r.fn(timer(false));
  g.setInterval = r.fn(timer(true));
  g.clearTimeout = r.fn(clear("clearTimeout"));
  g.clearInterval = r.fn(clear("clearInterval"));
  g.changeInterval = r.fn((id: number, ms: number) => {
    const t = mcu.timers.get(Number(id));
    if (!t) throw espruinoError("Unknown Interval");
    t.interval = Math.max(Number(ms) / 1000, 0.0001);
    t.due = host.clock.now() + t.interval;
    mcu.reschedule();
  });
  // Math.random from the world's seed: runs are reproducible
  Object.defineProperty(g.Math, "random", { value: r.fn(() => host.random()), writable: true, configurable: true, enumerable: false });
  g.getTime = r.fn(() => mcu.getTime());
  g.setTime = r.fn((s: number) => { mcu.timeOffset = Number(s) - host.clock.now(); });

  const con = r.obj();
  r.methods(con, {
    log: (...a: any[]) => mcu.log(a),
    error: (...a: any[]) => mcu.log(a),
    warn: (...a: any[]) => mcu.log(a),
    info: (...a: any[]) => mcu.log(a),
    debug: (...a: any[]) => mcu.log(a),
  });
  g.console = con;
  g.print = r.fn((...a: any[]) => mcu.log(a));

  g.btoa = r.fn((s: string) => Buffer.from(String(s), "latin1").toString("base64"));
  g.atob = r.fn((s: string) => Buffer.from(String(s), "base64").toString("latin1"));

  // process: memory/env/version only
  const jsVars = host.board.mcu.jsVars;
  const proc = r.obj({ env: r.obj({ VERSION: "2v29", BOARD: "ESP32", CONSOLE: "Serial1" }), version: "2v29" });
  r.methods(proc, {
    memory: () => {
      const usage = Math.min(jsVars, sizeOf(g, 0, new Set(), isNative));
      return { free: jsVars - usage, usage, total: jsVars, history: 0, gc: 0, gctime: 0, blocksize: 14 };
    },
  });
  g.process = proc;

  // E
  const E = r.obj();
  // the watchdog: manual mode resets `timeout` s after the last kick (a clock event); auto
  // mode is kicked by the idle loop, so the Mcu resets the chip when one callback outlives it
  let wdHandle = 0;
  const armWatchdog = () => {
    const w = mcu.watchdog;
    if (!w) return;
    w.kickedAt = host.clock.now();
    if (w.auto) return;
    host.clock.cancel(wdHandle);
    wdHandle = host.clock.after(w.timeout, () => { if (!mcu.dead) mcu.watchdogReset(`manual, ${w.timeout} s: not kicked in time`); });
  };
  r.methods(E, {
    getErrorFlags: () => { const f = [...mcu.errorFlags]; mcu.errorFlags.clear(); return f; },
    getSizeOf: (v: any) => sizeOf(v, 0, new Set(), isNative),
    toUint8Array: (...a: any[]) => toBytes(...a),
    toString: (...a: any[]) => latin1(toBytes(...a)),
    toArrayBuffer: (s: string) => toBytes(String(s)).buffer,
    sum: (a: any) => { let s = 0; for (let i = 0; i < a.length; i++) s += Number(a[i]); return s; },
    hwRand: () => Math.floor(host.random() * 0x100000000) | 0,
    reboot: () => { host.reboot(); throw espruinoError("power cut: rebooting"); },
    reset: () => { host.reboot(); throw espruinoError("power cut: rebooting"); },
    setTimeZone: () => { /* dates stay GMT+0 in the simulator */ },
    enableWatchdog: (timeout: number, isAuto?: boolean) => {
      host.clock.cancel(wdHandle);
      mcu.watchdog = { timeout: Number(timeout), auto: isAuto !== false, kickedAt: host.clock.now() };
      armWatchdog();
    },
    kickWatchdog: () => armWatchdog(),
    getTemperature: () => 40,
  });
  // E.CRC32 runs in the context: the firmware checks many short records, and a byte array
  // needs nothing from the host (other arguments are flattened by the host, as toBytes does)
  const crcTable = new r.global.Int32Array(256);
  for (let n = 0; n < 256; n++) crcTable[n] = CRC_TABLE[n]!;
  Object.defineProperty(E, "CRC32", {
    value: r.contextNative(`(function (gate, fix, table, U8, other) {
      return function () {
        if (gate.closed !== null) throw fix(gate.closed);
        var d = arguments[0];
        if (!(d instanceof U8)) return other.apply(this, arguments);
        var c = -1;
        for (var i = 0; i < d.length; i++) c = table[(c ^ d[i]) & 255] ^ (c >>> 8);
        return (c ^ -1) >>> 0;
      };
    })`, crcTable, r.Uint8Array, r.fn((d: any) => crc32(toBytes(d)))),
    writable: true, configurable: true, enumerable: false,
  });
  g.E = E;
  mcu.onCut(() => { if (mcu.watchdog) host.clock.cancel(wdHandle); });
}
