// Espruino globals that Node also defines (timers, console, require...). Firmware only:
// the simulator's type-check leaves this file out so it can use @types/node.

declare function setTimeout(fn: (...args: any[]) => void, ms?: number, ...args: any[]): number;
declare function setInterval(fn: (...args: any[]) => void, ms?: number, ...args: any[]): number;
/** With no argument clears ALL timers; undefined throws. */
declare function clearTimeout(id?: number): void;
declare function clearInterval(id?: number): void;
/** Seconds since boot (float, microsecond resolution). */
declare function getTime(): number;
declare function setTime(seconds: number): void;

declare interface Console {
  log(...args: any[]): void;
  /** not on all builds; kept for the simulator's log pane */
  error?(...args: any[]): void;
}
declare var console: Console;

declare interface MemoryInfo { free: number; usage: number; total: number; history: number; gc?: number; gctime?: number; blocksize?: number; }
declare var process: { memory(gc?: boolean): MemoryInfo; env: any; version: string };

/** Espruino's require: only built-in modules are used; everything else is bundled. */
declare function require(name: "Flash"): FlashModule;
declare function require(name: "Storage"): StorageModule;
declare function require(name: "net"): NetModule;
/** the same socket API; connect also takes the CA certificate (DER) as `ca` */
declare function require(name: "tls"): NetModule;
declare function require(name: "Wifi"): WifiModule;
declare function require(name: "dgram"): DgramModule;
declare function require(name: "crypto"): CryptoModule;

/** The root scope; used by the bring-up to publish onInit. */
declare var global: any;

/** Espruino objects all have on/emit; declared on the classes that use them. */
declare function btoa(s: string): string;
declare function atob(s: string): string;

