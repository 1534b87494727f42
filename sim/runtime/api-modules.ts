// Built-in modules behind require(): Flash (over the NOR model), Storage, net, Wifi, crypto.
// Graphics is a global (./graphics.ts). Anything else is not on the device build.
import * as nodeCrypto from "crypto";
import type { Mcu } from "./mcu";
import { espruinoError } from "./realm";
import { toBytes, latin1 } from "./bytes";
import { PowerCutError } from "../parts/nor-flash";
import type { VirtualSocket } from "../bus/types";

/** NOR timing (typical, 4 MB SPI flash): sector erase 45 ms, page program 0.7 ms per 256 B */
export const FLASH_ERASE_SECONDS = 0.045;
export const FLASH_PROGRAM_SECONDS_PER_BYTE = 0.0007 / 256;
/** WiFi association time when the link is up */
export const WIFI_CONNECT_SECONDS = 1.5;
const FLASH_SIZE = 4 * 1024 * 1024;
const PAGE = 4096;

export function installModules(mcu: Mcu): void {
  const r = mcu.realm;
  const host = mcu.host;
  const modules = new Map<string, () => any>();
  const cache = new Map<string, any>();
  r.global.require = r.fn((name: any) => {
    const n = String(name);
    if (cache.has(n)) return cache.get(n);
    const make = modules.get(n);
    if (!make) throw espruinoError(`Module ${n} not found`);
    const m = make();
    cache.set(n, m);
    return m;
  });

  // ---------- Flash ----------
  const flashOp = <T>(f: () => T): T => {
    try { return f(); } catch (e) {
      if (e instanceof PowerCutError) { host.flashPowerCut(); throw espruinoError("power cut: the MCU is unpowered"); }
      throw e;
    }
  };
  modules.set("Flash", () => r.methods(r.obj(), {
    read: (length: number, addr: number) => host.flash.read(Number(length), Number(addr)),
    write: (data: any, addr: number) => {
      const bytes = toBytes(data);
      mcu.block(bytes.length * FLASH_PROGRAM_SECONDS_PER_BYTE);
      flashOp(() => host.flash.write(bytes, Number(addr)));
    },
    erasePage: (addr: any) => {
      mcu.block(FLASH_ERASE_SECONDS);
      flashOp(() => host.flash.erasePage(Number(addr)));
    },
    getPage: (addr: number) => {
      const a = Number(addr);
      if (!(a >= 0 && a < FLASH_SIZE)) return undefined;
      return { addr: a - (a % PAGE), length: PAGE };
    },
    // as on the ESP32 build: the second entry lies inside Storage (espruino.md §4)
    getFree: () => [{ addr: 0x310000, length: 0x10000 }, { addr: 0x360000, length: 0xa0000 }],
  }));

  // ---------- Storage ----------
  const fs = host.storage;
  const strData = (d: any) => (typeof d === "string" ? toBytes(d) : toBytes(d));
  modules.set("Storage", () => r.methods(r.obj(), {
    read: (name: string, offset?: number, length?: number) => {
      const f = fs.read(name);
      if (!f) return undefined;
      const o = Number(offset) || 0;
      return latin1(f.subarray(o, length === undefined ? f.length : o + Number(length)));
    },
    readArrayBuffer: (name: string) => { const f = fs.read(name); return f ? new Uint8Array(f).buffer : undefined; },
    readJSON: (name: string, noExceptions?: boolean) => {
      const f = fs.read(name);
      if (!f) return undefined;
      try { return r.global.JSON.parse(latin1(f)); } catch (e) {
        if (noExceptions) return undefined;
        throw e;
      }
    },
    write: (name: string, data: any, offset?: number, size?: number) => {
      try {
        fs.write(name, strData(data), offset === undefined ? undefined : Number(offset), size === undefined ? undefined : Number(size));
      } catch (e) {
        if (e instanceof PowerCutError) { host.flashPowerCut(); throw espruinoError("power cut: the MCU is unpowered"); }
        throw espruinoError((e as Error).message);
      }
      return true;
    },
    writeJSON: (name: string, data: any) => { fs.write(name, toBytes(r.global.JSON.stringify(data))); return true; },
    erase: (name: string) => flashOp(() => fs.erase(name)),
    list: (pattern?: any) => {
      const all = fs.list();
      if (pattern === undefined) return all;
      if (typeof pattern === "string") return all.filter((n) => n.includes(pattern));
      return all.filter((n) => pattern.test(n));
    },
    getFree: () => fs.free(),
    compact: () => { /* nothing to reclaim in the model */ },
    getStats: () => ({ totalBytes: fs.capacity, freeBytes: fs.free(), fileBytes: fs.used(), fileCount: fs.files.size, trashBytes: 0, trashCount: 0 }),
  }));

  // ---------- Wifi ----------
  let wifiState: "off" | "connecting" | "connected" = "off";
  const wifi = r.obj();
  const emit = (o: any, ...args: any[]) => mcu.queueJs(() => mcu.invoke(mcu.native.emit, o, args));
  let wanted: string | null = null; // the station the firmware asked for (reconnected to, like the ESP32 does)
  const associate = (ssid: string, cb?: any) => {
    wifiState = "connecting";
    host.clock.after(WIFI_CONNECT_SECONDS, () => mcu.queueJs(() => {
      if (wanted !== ssid) return;
      if (host.net.up) {
        wifiState = "connected";
        if (cb) mcu.invoke(cb, undefined, [null]);
        mcu.invoke(mcu.native.emit, wifi, ["connected", r.toCtx({ ip: "192.168.4.2", ssid })]);
      } else {
        wifiState = "off";
        if (cb) mcu.invoke(cb, undefined, ["auth_fail"]);
      }
    }));
  };
  const unlink = host.net.onLink((up) => {
    if (mcu.dead) return;
    if (!up && wifiState === "connected") { wifiState = "off"; emit(wifi, "disconnected", r.obj({ reason: "link down" })); }
    if (up && wanted !== null && wifiState === "off") associate(wanted);
  });
  mcu.onCut(unlink); // a dead MCU must not stay reachable from the network (power-cut campaigns)
  r.methods(wifi, {
    connect: (ssid: string, opts: any, cb?: any) => {
      if (typeof opts === "function") { cb = opts; opts = {}; }
      wanted = String(ssid);
      associate(wanted, cb);
    },
    disconnect: (cb?: any) => {
      wanted = null;
      wifiState = "off";
      mcu.queueJs(() => { if (cb) mcu.invoke(cb, undefined, []); mcu.invoke(mcu.native.emit, wifi, ["disconnected", r.obj({ reason: "requested" })]); });
    },
    getIP: (cb?: any) => {
      const info = { ip: wifiState === "connected" ? "192.168.4.2" : "0.0.0.0", netmask: "255.255.255.0", gw: "192.168.4.1", mac: "24:0a:c4:00:00:01" };
      if (cb) mcu.queueJs(() => mcu.invoke(cb, undefined, [null, r.toCtx(info)]));
      return info;
    },
    getStatus: () => ({ station: wifiState === "connected" ? "connected" : wifiState === "connecting" ? "connecting" : "off" }),
  });
  modules.set("Wifi", () => wifi);

  // ---------- net ----------
  const sockets = new Set<VirtualSocket>();
  // a dead MCU sends no FIN: its sockets just go silent (the peer finds out by its own timeout)
  mcu.onCut(() => sockets.clear());
  modules.set("net", () => r.methods(r.obj(), {
    connect: (opts: any, cb?: any) => {
      const sock = r.obj();
      let vs: VirtualSocket | null = null;
      let closed = false;
      const close = () => {
        if (closed) return;
        closed = true;
        if (vs) sockets.delete(vs);
        emit(sock, "end");
        emit(sock, "close", false);
      };
      r.methods(sock, {
        write: (data: any) => {
          if (closed || !vs) return false;
          vs.write(latin1(toBytes(data)));
          return true;
        },
        end: () => { if (vs && !closed) { vs.end(); close(); } },
      });
      if (wifiState !== "connected" && !host.net.up) {
        mcu.queueJs(() => { emit(sock, "error", r.obj({ code: -1, message: "not connected" })); close(); });
        return sock;
      }
      try {
        vs = host.net.connect(String(opts.host), Number(opts.port));
      } catch (e) {
        const msg = (e as Error).message;
        host.clock.after(host.net.latency * 2, () => { emit(sock, "error", r.obj({ code: -1, message: msg })); close(); });
        return sock;
      }
      sockets.add(vs);
      vs.onData((d) => { if (!closed) emit(sock, "data", d); });
      vs.onClose(() => close());
      host.clock.after(host.net.latency * 2, () => {
        if (closed) return;
        emit(sock, "connect");
        if (cb) mcu.queueJs(() => mcu.invoke(cb, undefined, [sock]));
      });
      return sock;
    },
  }));

  // ---------- crypto (returns ArrayBuffers, as Espruino's does) ----------
  const buf = (d: any) => Buffer.from(toBytes(d));
  const ab = (b: Buffer) => new Uint8Array(b).buffer;
  const aes = (encrypt: boolean) => (data: any, key: any, opts?: any) => {
    const o = opts || {};
    const mode = String(o.mode || "CBC").toUpperCase();
    const k = buf(key);
    if (![16, 24, 32].includes(k.length)) throw espruinoError("Invalid key length");
    const algo = `aes-${k.length * 8}-${mode.toLowerCase()}`;
    const iv = mode === "ECB" ? null : (o.iv !== undefined ? buf(o.iv) : Buffer.alloc(16));
    const d = buf(data);
    if ((mode === "CBC" || mode === "ECB") && d.length % 16 !== 0) throw espruinoError("Message length must be a multiple of 16 bytes");
    const c = encrypt ? nodeCrypto.createCipheriv(algo, k, iv) : nodeCrypto.createDecipheriv(algo, k, iv);
    c.setAutoPadding(false);
    return ab(Buffer.concat([c.update(d), c.final()]));
  };
  modules.set("crypto", () => {
    const c = r.methods(r.obj(), {
    SHA1: (d: any) => ab(nodeCrypto.createHash("sha1").update(buf(d)).digest()),
    SHA224: (d: any) => ab(nodeCrypto.createHash("sha224").update(buf(d)).digest()),
    SHA256: (d: any) => ab(nodeCrypto.createHash("sha256").update(buf(d)).digest()),
    SHA384: (d: any) => ab(nodeCrypto.createHash("sha384").update(buf(d)).digest()),
    SHA512: (d: any) => ab(nodeCrypto.createHash("sha512").update(buf(d)).digest()),
    // keySize is in 32-bit words (Espruino/CryptoJS style); default hasher SHA1
    PBKDF2: (pass: any, salt: any, opts?: any) => {
      const o = opts || {};
      const words = Number(o.keySize) || 4;
      const hasher = String(o.hasher || "SHA1").toLowerCase();
      return ab(nodeCrypto.pbkdf2Sync(buf(pass), buf(salt), Number(o.iterations) || 1, words * 4, hasher));
    },
    });
    c.AES = r.methods(r.obj(), { encrypt: aes(true), decrypt: aes(false) });
    return c;
  });
}
