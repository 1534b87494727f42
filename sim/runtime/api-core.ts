// Globals of the interpreter itself: timers, time, console, E, process, global, btoa/atob.
import type { Mcu } from "./mcu";
import { espruinoError } from "./realm";
import { toBytes, latin1, crc32, CRC_TABLE } from "./bytes";

export function installCore(mcu: Mcu): void {
  const r = mcu.realm;
  const g = r.global;
  const host = mcu.host;
  g.global = g;

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

  // process: memory (sim/runtime/memory.ts, installed last)/env/version only
  const proc = r.obj({ env: r.obj({ VERSION: "2v29", BOARD: "ESP32", CONSOLE: "Serial1" }), version: "2v29" });
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
  // indirect (global) eval, as the boot loader uses it (Mcu.evalCode)
  Object.defineProperty(g, "eval", { value: r.fn((code: any) => mcu.evalCode(String(code))), writable: true, configurable: true, enumerable: false });
  mcu.onCut(() => { if (mcu.watchdog) host.clock.cancel(wdHandle); });
}
