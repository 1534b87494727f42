// A simulated world: one board (boards/<name>.json), its buses and virtual parts, the NOR
// flash image, the virtual network, and the MCU running a bundle (dist/<board>/firmware.js by
// default). Time is virtual: run(seconds) and runUntil(predicate) advance it; startRealtime()
// paces it to the wall clock for interactive use. Power: powerCut() at any instant,
// flash.armCut(n) to cut inside a flash operation, powerOn() boots a fresh context from the
// same bundle and flash image while parts keep their physical state.
import * as fs from "fs";
import * as path from "path";
import type { Board } from "../boards/types";
import { VirtualClock } from "./bus/clock";
import { PinNetsImpl } from "./bus/pins";
import { I2CBusImpl } from "./bus/i2c";
import { UartWire } from "./bus/uart";
import { VirtualNetworkImpl } from "./bus/network";
import type { PartContext, VirtualPart } from "./bus/types";
import { NorFlash } from "./parts/nor-flash";
import { findPartFactory } from "./parts/registry";
import { createMcu, DEFAULT_CALLBACK_COST, StorageFs, type Mcu } from "./runtime";
import { DEFAULT_RUNAWAY, type RunawayLimits } from "./runtime/mcu";
import { boardNames, loadBoard } from "../tools/board";
import { bootSlots } from "./update/install";

// Espruino dates are GMT+0; the context's Date uses the process time zone.
if (process.env.TZ !== "UTC") process.env.TZ = "UTC";

const ROOT = path.resolve(__dirname, "..");

export interface WorldOptions {
  /** board name (boards/<name>.json) or a board object */
  board: string | Board;
  /** bundle file; default dist/<board>/firmware.js. Ignored when `source` is given. */
  bundle?: string;
  /** bundle text to boot instead of a file (tests); `bundle` then only names it */
  source?: string;
  /** false: build the world without booting firmware (call powerOn() later) */
  boot?: boolean;
  seed?: number;
  /** initial flash contents: absolute base address -> bytes */
  flashImage?: Record<number, Uint8Array>;
  /** virtual interpreter seconds per JS callback (docs/simulator.md, cost model) */
  callbackCost?: number;
  /** start pacing virtual time to the wall clock at once (speed 1, or the given speed);
   *  stop it with world.stopRealtime() */
  realtime?: boolean | { speed?: number };
  /** boot through the boot loader (dist/<board>/loader.js as .bootcde, the bundle as Storage
   *  slot "fw.a", a first boot-control snapshot in the `boot` region), as a board `make flash`
   *  has started once (docs/update.md). Default: when the bundle is a firmware.js with a loader.js beside it */
  loader?: boolean;
  /** initial Storage files (carried over from another world's `storage.snapshot()`) */
  storage?: Map<string, Uint8Array>;
  /** runaway code: a callback is interrupted after this many loop iterations or this much wall
   *  time (default 1e7 iterations, 5,000 ms; docs/simulator.md "Runaway code and the watchdog") */
  runaway?: Partial<RunawayLimits>;
  /** the tls module checks the server certificate against its CA (default true; false:
   *  Espruino 2v29's tls, which does not: docs/host-protocol.md §1.5) */
  tlsVerify?: boolean;
  /** files in Storage before the first boot (provisioning: the TLS CA, acq-ca.der) */
  storageFiles?: Record<string, Uint8Array>;
}

export interface WorldError { message: string; position?: string; time: number; }

export interface World {
  board: Board;
  clock: VirtualClock;
  pins: PinNetsImpl;
  i2c: Record<string, I2CBusImpl>;
  uarts: Record<string, UartWire>;
  parts: Record<string, VirtualPart & Record<string, any>>;
  flash: NorFlash;
  storage: StorageFs;
  net: VirtualNetworkImpl;
  /** firmware console lines, across power cycles */
  console: string[];
  /** part and harness messages (missing parts, part logs) */
  log: string[];
  warnings: string[];
  errors: WorldError[];
  bundlePath: string;
  /** the MCU of the current power-on (a new one after each powerOn) */
  mcu: Mcu;
  /** the message of an exception thrown while the bundle loaded, if any */
  loadError: string | null;
  powered: boolean;
  onConsole(fn: (line: string) => void): void;
  run(seconds: number): void;
  runUntil(predicate: () => boolean, timeoutSeconds: number): boolean;
  powerCut(): void;
  powerOn(): void;
  flashImage(): Record<number, Uint8Array>;
  /** pace virtual time to the wall clock (speed x); returns stop() */
  startRealtime(opts?: { speed?: number; tickMs?: number; onTick?: () => void }): () => void;
  /** stop pacing started by the realtime option (or the last startRealtime) */
  stopRealtime(): void;
}

export class WorldSetupError extends Error {}

export { boardNames };

export function readBoard(name: string): Board {
  const file = path.join(ROOT, "boards", name + ".json");
  if (!/^[A-Za-z0-9._-]+$/.test(name) || !fs.existsSync(file)) {
    throw new WorldSetupError(`unknown board '${name}'; known boards: ${boardNames().join(", ") || "(none)"}`);
  }
  // the toolchain's loader, validation included (an allowed sim -> tools arrow: docs/architecture.md)
  try { return loadBoard(name); } catch (e) { throw new WorldSetupError(`board '${name}': ${(e as Error).message}`); }
}

export function defaultBundle(board: string): string {
  return path.join(ROOT, "dist", board, "firmware.js");
}

/** a console line (8-bit string) for a UTF-8 terminal: UTF-8 byte sequences become characters */
export function displayText(line: string): string {
  if (!/[\x80-\xff]/.test(line)) return line;
  try { return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.from(line, "latin1")); } catch { return line; }
}

/** small seeded PRNG (mulberry32) */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function createWorld(opts: WorldOptions): World {
  const board = typeof opts.board === "string" ? readBoard(opts.board) : opts.board;
  const boardName = board.name || (typeof opts.board === "string" ? opts.board : "board");
  const bundlePath = path.resolve(opts.bundle ?? defaultBundle(boardName));
  let source = opts.source;
  if (source === undefined) {
    if (!fs.existsSync(bundlePath)) {
      throw new WorldSetupError(`bundle not built: ${path.relative(process.cwd(), bundlePath)} is missing (run \`make build\`)`);
    }
    const rel = path.relative(process.cwd(), bundlePath).startsWith("..") ? bundlePath : path.relative(process.cwd(), bundlePath);
    if (fs.statSync(bundlePath).isDirectory()) throw new WorldSetupError(`${rel} is a directory, not a bundle file`);
    // 8-bit strings as on the ESP32 build (no Unicode): a non-ASCII literal counts its UTF-8 bytes
    try { source = fs.readFileSync(bundlePath, "latin1"); } catch (e) {
      throw new WorldSetupError(`cannot read ${rel}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
  const seed = opts.seed ?? 1;
  const random = seededRandom(seed);
  const clock = new VirtualClock();
  const pins = new PinNetsImpl(clock);
  const i2c: Record<string, I2CBusImpl> = {};
  const uarts: Record<string, UartWire> = {};
  for (const [id, spec] of Object.entries(board.buses)) {
    if (spec.kind === "i2c") i2c[id] = new I2CBusImpl(id, clock);
    else if (spec.kind === "uart") uarts[id] = new UartWire(id, clock, spec.baud);
  }
  const ranges = [board.partitions.flash, board.partitions.storage];
  if (board.partitions.free) ranges.push(board.partitions.free);
  const flash = new NorFlash({ ranges: ranges.map((p) => ({ base: p.base, size: p.size })) });
  if (opts.flashImage) for (const [base, bytes] of Object.entries(opts.flashImage)) flash.load(Number(base), bytes);
  const storage = new StorageFs(board.partitions.storage.size, flash);
  if (opts.storage) for (const [k, v] of opts.storage) storage.files.set(k, new Uint8Array(v));
  for (const [name, data] of Object.entries(opts.storageFiles ?? {})) storage.write(name, data);
  // the boot loader path: boot the loader, which evaluates the firmware from its Storage slot
  const loaderPath = path.join(path.dirname(bundlePath), "loader.js");
  const viaLoader = opts.loader ?? (opts.source === undefined && path.basename(bundlePath) === "firmware.js" && fs.existsSync(loaderPath));
  let bootSource = source, bootPath = bundlePath, useMap = opts.source === undefined;
  if (viaLoader && source !== undefined) {
    if (!fs.existsSync(loaderPath)) throw new WorldSetupError(`boot loader not built: ${path.relative(process.cwd(), loaderPath)} is missing (run \`make build\`)`);
    bootSource = fs.readFileSync(loaderPath, "latin1");
    bootPath = loaderPath;
    useMap = true;
    bootSlots(board, flash, storage, bootSource, source);
  }
  const net = new VirtualNetworkImpl(clock);
  const consoleFns: ((line: string) => void)[] = [];

  const world = {
    board, clock, pins, i2c, uarts, parts: {}, flash, storage, net,
    console: [] as string[], log: [] as string[], warnings: [] as string[], errors: [] as WorldError[],
    bundlePath, mcu: null as unknown as Mcu, loadError: null as string | null, powered: false,
  } as World;

  const partCtx: PartContext = {
    clock, pins,
    i2c: (id) => { const b = i2c[id]; if (!b) throw new Error(`board has no I2C bus '${id}'`); return b; },
    uart: (id) => { const u = uarts[id]; if (!u) throw new Error(`board has no UART '${id}'`); return u; },
    random: () => random(),
    log: (line) => world.log.push(line),
  };
  for (const [role, spec] of Object.entries(board.parts)) {
    const { factory, warning } = findPartFactory(spec.type);
    if (!factory) { world.warnings.push(`${role}: ${warning}`); continue; }
    const ctx: PartContext = { ...partCtx, random: seededRandom(seed ^ hash(role)), log: (l) => world.log.push(`[${role}] ${l}`) };
    world.parts[role] = factory(role, spec, ctx) as any;
  }

  const runaway: RunawayLimits = { ...DEFAULT_RUNAWAY, ...opts.runaway };
  let rebootPending = false;
  const boot = () => {
    world.powered = true;
    const mcu = createMcu({
      board, clock, pins, i2c, uarts, flash, net, storage,
      callbackCost: opts.callbackCost ?? DEFAULT_CALLBACK_COST,
      random,
      console: (line) => { world.console.push(line); for (const fn of consoleFns) fn(line); },
      error: (e) => world.errors.push(e),
      reboot: () => {
        if (rebootPending || !world.powered) return;
        rebootPending = true;
        cutMcu();
        clock.after(0, () => { rebootPending = false; pins.powerOn(); boot(); });
      },
      flashPowerCut: () => world.powerCut(),
      sourceFile: (code) => (code === source ? bundlePath : null),
      runaway,
      log: (line) => world.log.push(line),
      tlsVerify: opts.tlsVerify,
    });
    world.mcu = mcu;
    if (bootSource !== undefined) {
      const ok = mcu.boot(bootSource, bootPath, useMap);
      if (!ok) world.loadError = mcu.loadError;
    }
  };
  const cutMcu = () => {
    world.mcu?.powerCut();
    pins.powerCut();
    for (const u of Object.values(uarts)) u.powerCut();
  };

  world.onConsole = (fn) => { consoleFns.push(fn); };
  world.run = (seconds) => clock.advanceTo(clock.now() + seconds);
  world.runUntil = (predicate, timeout) => {
    const end = clock.now() + timeout;
    for (;;) {
      if (predicate()) return true;
      if (clock.nextTime() > end) { clock.advanceTo(end); return predicate(); }
      clock.step(end);
    }
  };
  world.powerCut = () => {
    if (!world.powered) return;
    world.powered = false;
    cutMcu();
    flash.dead = true; // nothing more lands, even if firmware code keeps running
    for (const p of Object.values(world.parts)) p.powerCut?.();
  };
  world.powerOn = () => {
    if (world.powered) world.powerCut();
    flash.powerOn();
    pins.powerOn();
    for (const p of Object.values(world.parts)) p.powerOn?.();
    boot();
  };
  world.flashImage = () => {
    const out: Record<number, Uint8Array> = {};
    for (const r of ranges) out[r.base] = flash.image(r.base);
    return out;
  };
  world.startRealtime = (o = {}) => {
    const speed = o.speed ?? 1;
    let last = Date.now();
    const timer = setInterval(() => {
      const now = Date.now();
      world.run(((now - last) / 1000) * speed);
      last = now;
      o.onTick?.();
    }, o.tickMs ?? 20);
    const stop = () => clearInterval(timer);
    world.stopRealtime = stop;
    return stop;
  };
  world.stopRealtime = () => {};

  if (opts.boot !== false) boot();
  if (opts.realtime) world.startRealtime(typeof opts.realtime === "object" ? opts.realtime : {});
  return world;
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}
