// Built-in modules behind require(): Flash (over the NOR model), Storage, net, tls (a model of
// the handshake: sim/bus/tls.ts), dgram (UDP over the virtual network), Wifi, crypto.
// Graphics is a global (./graphics.ts). Anything else is not on the device build.
import * as nodeCrypto from "crypto";
import type { X509Certificate } from "crypto";
import type { Mcu } from "./mcu";
import { espruinoError } from "./realm";
import { toBytes, latin1 } from "./bytes";
import { PowerCutError } from "../parts/nor-flash";
import type { VirtualSocket } from "../bus/types";
import { checkServer, parseCa, record, RecordReader, Rec } from "../bus/tls";

/** NOR timing (typical, 4 MB SPI flash): sector erase 45 ms, page program 0.7 ms per 256 B */
export const FLASH_ERASE_SECONDS = 0.045;
export const FLASH_PROGRAM_SECONDS_PER_BYTE = 0.0007 / 256;
/** JsVars a TLS socket's mbedTLS context takes from the store: tls.connect() on the ESP32 twin
 *  (docs/host-protocol.md §1.5) */
export const TLS_SOCKET_JSVARS = 2769;
/** WiFi association time when the link is up */
export const WIFI_CONNECT_SECONDS = 1.5;
/** the terminal's address on the virtual network (Wifi.getIP, the source of its datagrams) */
export const MCU_IP = "192.168.4.2";
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
        mcu.invoke(mcu.native.emit, wifi, ["connected", r.toCtx({ ip: MCU_IP, ssid })]);
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
      const info = { ip: wifiState === "connected" ? MCU_IP : "0.0.0.0", netmask: "255.255.255.0", gw: "192.168.4.1", mac: "24:0a:c4:00:00:01" };
      if (cb) mcu.queueJs(() => mcu.invoke(cb, undefined, [null, r.toCtx(info)]));
      return info;
    },
    getStatus: () => ({ station: wifiState === "connected" ? "connected" : wifiState === "connecting" ? "connecting" : "off" }),
  });
  modules.set("Wifi", () => wifi);

  // ---------- net and tls ----------
  const sockets = new Set<VirtualSocket>();
  // a dead MCU sends no FIN: its sockets just go silent (the peer finds out by its own timeout)
  mcu.onCut(() => sockets.clear());
  const connect = (opts: any, cb: any, tls: boolean) => {
    // tls: as Espruino, a CA it cannot parse throws from connect() (sim/bus/tls.ts)
    let ca: X509Certificate | null = null;
    if (tls && opts.ca !== undefined && opts.ca !== null) {
      try { ca = parseCa(String(opts.ca)); } catch (e) { throw espruinoError((e as Error).message); }
    }
    const sock = r.obj();
    let vs: VirtualSocket | null = null;
    let closed = false;
    // mbedTLS's context and buffers come from the JsVar store until the socket closes
    if (tls) mcu.nativeJsVars += TLS_SOCKET_JSVARS;
    // tls: the interpreter calls back at the TCP connect and holds what is written until the
    // handshake is done (measured on the ESP32 twin: docs/host-protocol.md §1.5)
    let secure = !tls, pending = "";
    const nonce = Buffer.from(Array.from({ length: 32 }, () => Math.floor(host.random() * 256)));
    const close = (hadError = false) => {
      if (closed) return;
      closed = true;
      if (tls) mcu.nativeJsVars -= TLS_SOCKET_JSVARS;
      if (vs) sockets.delete(vs);
      emit(sock, "end");
      emit(sock, "close", hadError);
    };
    // a failed handshake, as on the twin: "Uncaught InternalError: mbedtls_ssl_handshake
    // returned ...", error -8 "unsent data" when a write is still held, end, close
    const handshakeFailed = (why: string) => {
      const code = why === "certificate not trusted" || why.startsWith("certificate") ? "-0x2700" : "-0x7200";
      mcu.write(`Uncaught InternalError: mbedtls_ssl_handshake returned ${code} (sim: ${why})\n`);
      const unsent = pending.length > 0;
      pending = "";
      if (unsent) emit(sock, "error", r.obj({ code: -8, message: "unsent data" }));
      close(unsent);
      try { vs!.write(record(Rec.ALERT, why)); vs!.end(); } catch { /* already closed */ }
    };
    const reader = tls ? new RecordReader((type, payload) => {
      if (closed) return;
      if (type === Rec.CERT && !secure) {
        const why = checkServer(payload, nonce, ca, host.tlsVerify !== false);
        if (why) { handshakeFailed(why); return; }
        secure = true;
        vs!.write(record(Rec.FINISHED, ""));
        if (pending) { vs!.write(record(Rec.DATA, pending)); pending = ""; }
      } else if (type === Rec.DATA && secure) emit(sock, "data", payload);
      else handshakeFailed("unexpected record 0x" + type.toString(16));
    }) : null;
    r.methods(sock, {
      write: (data: any) => {
        if (closed || !vs) return false;
        const d = latin1(toBytes(data));
        if (!secure) pending += d;
        else vs.write(tls ? record(Rec.DATA, d) : d);
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
    vs.onData((d) => { if (closed) return; if (reader) reader.push(d); else emit(sock, "data", d); });
    // tls: a peer that closes mid-handshake (not a TLS server) leaves the write unsent: -8
    vs.onClose(() => {
      if (closed || secure || !pending) { close(); return; }
      pending = "";
      emit(sock, "error", r.obj({ code: -8, message: "unsent data" }));
      close(true);
    });
    host.clock.after(host.net.latency * 2, () => {
      if (closed) return;
      if (tls) vs!.write(record(Rec.HELLO, nonce.toString("latin1")));
      emit(sock, "connect");
      if (cb) mcu.queueJs(() => mcu.invoke(cb, undefined, [sock]));
    });
    return sock;
  };
  modules.set("net", () => r.methods(r.obj(), { connect: (opts: any, cb?: any) => connect(opts, cb, false) }));
  // on the ESP32 build (espruino.md §3); the board file says whether the host link uses it
  modules.set("tls", () => r.methods(r.obj(), { connect: (opts: any, cb?: any) => connect(opts, cb, true) }));

  // ---------- dgram ----------
  // As Espruino 2v29's (libs/network/jswrap_net.c, measured on the ESP32 twin: docs/time.md):
  // createSocket("udp4") opens a client socket; send(msg, port, host) or Node's
  // send(msg, offset, length, port, host) (a callback after them is ignored) sends one datagram
  // and returns nothing; msg is a string (anything else is sent as its toString(): a
  // Uint8Array goes out as "35,0,0,..."); nothing is reported when the host is unknown or the
  // link is down; replies come as "message" (msg string, rinfo { address, port, size });
  // close() ends it and emits "close"; bind(port, cb) listens on a port instead. (What
  // createSocket's optional callback does on Espruino is not modelled: nothing calls it.)
  const udpOpen = new Set<{ close(): void }>();
  mcu.onCut(() => { for (const ep of udpOpen) ep.close(); udpOpen.clear(); }); // a dead MCU receives nothing
  modules.set("dgram", () => r.methods(r.obj(), {
    createSocket: (_type: any) => {
      const sock = r.obj();
      let ep: ReturnType<typeof host.net.udpBind> | null = null, closed = false;
      const onMessage = (data: string, from: { address: string; port: number }) => {
        if (closed || mcu.dead) return;
        emit(sock, "message", data, r.toCtx({ address: from.address, port: from.port, size: data.length }));
      };
      const open = (port: number) => {
        if (ep) return ep;
        ep = host.net.udpBind(MCU_IP, port, onMessage);
        udpOpen.add(ep);
        return ep;
      };
      r.methods(sock, {
        send: (buffer: any, a?: any, b?: any, c?: any, d?: any) => {
          if (closed) return undefined;
          const str = typeof buffer === "string" ? buffer : String(buffer);
          let msg: string, port: number, to: string;
          if (typeof c === "number" || (typeof c === "string" && c !== "" && !isNaN(Number(c)))) {
            msg = str.substr(Number(a) || 0, Number(b) || 0); port = Number(c); to = String(d);
          } else { msg = str; port = Number(a); to = String(b); }
          if (wifiState !== "connected" && !host.net.up) return undefined; // not online: nothing sent
          open(0).send(to, port, msg);
          return undefined;
        },
        bind: (port: any, bcb?: any) => {
          if (ep) { ep.close(); udpOpen.delete(ep); ep = null; }
          open(Number(port));
          if (bcb) mcu.queueJs(() => mcu.invoke(bcb, undefined, [sock]));
          return sock;
        },
        close: () => {
          if (closed) return;
          closed = true;
          if (ep) { ep.close(); udpOpen.delete(ep); ep = null; }
          emit(sock, "close", false);
        },
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
