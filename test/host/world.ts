// A deterministic host world for engine tests: virtual clock, virtual network, the acquirer
// simulator, an Espruino-style `net` module over the virtual network, and the engine.
import { VirtualClock, WORLD_EPOCH_MS } from "../../sim/bus/clock";
import { VirtualNetworkImpl } from "../../sim/bus/network";
import { Acquirer, AcquirerOptions } from "../../sim/acquirer/acquirer";
import { createLink, HostLink } from "../../firmware/host/link";
import { createEngine, Engine, EngineOptions } from "../../firmware/host/engine";
import { createMemoryStore, MemoryStore } from "../../firmware/host/memory-store";
import type { HostSettings, HostStore, PaymentRequest } from "../../firmware/host/types";
import type { TxnRecord } from "../../firmware/txn";
import type { VirtualNetwork } from "../../sim/bus/types";
import { PowerCutError } from "../../sim/parts/nor-flash";
import { TEST_MAC_KEY } from "../../sim/acquirer/mac";
import { macFunction } from "../../firmware/app/hmac";
import { sha256Latin1 } from "../support/fake-ports";

/** the terminal's MAC with the simulator's test key */
export const TEST_MAC = macFunction(sha256Latin1, TEST_MAC_KEY)!;

export const HOST = "10.0.0.2";
export const PORT = 5000;
export const SETTINGS: HostSettings = { tid: "TERM0001", mid: "MERCHANT0000001", nii: "123" };

/** Espruino's require("net") over a VirtualNetwork: connect(opts, cb) -> socket with on(). */
export function espruinoNet(vnet: VirtualNetwork, clock: VirtualClock): NetModule {
  return {
    connect(opts: { host: string; port: number }, cb: (s: NetSocket) => void): NetSocket {
      const handlers: { [ev: string]: ((x?: any) => void)[] } = {};
      const emit = (ev: string, x?: any) => { for (const f of handlers[ev] ?? []) f(x); };
      let vs: ReturnType<VirtualNetwork["connect"]> | null = null;
      const sock: NetSocket = {
        write(d: string) { if (vs) vs.write(d); return true; },
        end() { if (vs) vs.end(); },
        on(ev: string, fn: (x?: any) => void) { (handlers[ev] ??= []).push(fn); },
      } as NetSocket;
      try {
        vs = vnet.connect(opts.host, opts.port);
      } catch (e) {
        clock.after(vnet.latency, () => { emit("error", e); emit("close"); });
        return sock;
      }
      vs.onData((d) => emit("data", d));
      vs.onClose(() => emit("close"));
      clock.after(vnet.latency * 2, () => cb(sock)); // SYN / SYN-ACK
      return sock;
    },
  };
}

export function timersOf(clock: VirtualClock) {
  return {
    setTimeout: (fn: () => void, ms: number) => clock.after(ms / 1000, fn),
    clearTimeout: (id: number) => clock.cancel(id),
  };
}

export interface World {
  clock: VirtualClock;
  net: VirtualNetworkImpl;
  acq: Acquirer;
  store: MemoryStore;
  link: HostLink;
  engine: Engine;
  /** run the clock until cb fired (or `limit` virtual seconds passed) */
  call<T>(fn: (cb: (err: any, v?: T) => void) => void, limit?: number): { err: any; value: T | undefined; done: boolean };
  /** a new engine over the same store and network: the terminal rebooted */
  reboot(): void;
}

export function makeWorld(opts: { acquirer?: AcquirerOptions; engine?: Partial<EngineOptions>; openStore?: () => HostStore } = {}): World {
  const clock = new VirtualClock();
  const net = new VirtualNetworkImpl(clock);
  const acq = new Acquirer({ now: () => WORLD_EPOCH_MS + clock.now() * 1000, after: (ms, fn) => clock.after(ms / 1000, fn), cancel: (h) => clock.cancel(h as number), ...opts.acquirer });
  acq.attach(net, HOST, PORT);
  // a memory store survives a reboot as is; a journal store is reopened from flash
  const store = (opts.openStore ? opts.openStore() : createMemoryStore()) as MemoryStore;
  let n = 0;
  const io = {
    ...timersOf(clock),
    now: () => { const t = Math.floor(clock.now()); return { date: "1126", time: "10" + String(Math.floor(t / 60) % 60).padStart(2, "0") + String(t % 60).padStart(2, "0") }; },
  };
  const w: World = {
    clock, net, acq, store,
    link: null as any, engine: null as any,
    call<T>(fn: (cb: (err: any, v?: T) => void) => void, limit = 3600) {
      const r = { err: null as any, value: undefined as T | undefined, done: false };
      fn((err, v) => { r.err = err; r.value = v; r.done = true; });
      const end = clock.now() + limit;
      while (!r.done && clock.step(end)) { /* run events */ }
      n++;
      return r;
    },
    reboot() {
      net.resetAll((label) => label === "client");
      const first = !w.link;
      w.link = createLink({ net: espruinoNet(net, clock), host: HOST, port: PORT, nii: SETTINGS.nii, io, connectTimeoutMs: 5000, responseTimeoutMs: 30000, mac: TEST_MAC });
      if (opts.openStore && !first) w.store = opts.openStore() as MemoryStore;
      w.engine = createEngine({ store: w.store, link: w.link, settings: SETTINGS, io, ...opts.engine });
    },
  };
  w.reboot();
  return w;
}

export function card(amount: number, track2 = "4111111111111111=30121011234567890"): PaymentRequest {
  return { amount, card: { track2, entryMode: "021" }, token: "tok-" + track2.slice(0, 6), last4: track2.slice(12, 16) };
}

/** runs fn to completion; a PowerCutError anywhere stops the world: returns "cut" */
export function runCut<T>(w: World, fn: (cb: (err: any, v?: T) => void) => void): { cut: boolean; err?: any; value?: T } {
  const r: { cut: boolean; err?: any; value?: T; done?: boolean } = { cut: false };
  try {
    fn((err, v) => { r.err = err; r.value = v; r.done = true; });
    while (!r.done && w.clock.step(w.clock.now() + 3600)) { /* events */ }
  } catch (e) {
    if (!(e instanceof PowerCutError)) throw e;
    r.cut = true;
  }
  return r;
}

/** the open batch's records as an array (the store itself visits them one at a time) */
export function records(store: HostStore): TxnRecord[] {
  const out: TxnRecord[] = [];
  store.eachRecord((r) => { out.push(r); });
  return out;
}
