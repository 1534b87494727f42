// The Espruino API this project uses, declared from the 2v29 sources (../shared/espruino.md).
// Not built on @types/espruino (docs/toolchain.md says why). This list is also the surface the
// simulator (sim/runtime) implements: add a declaration here only together with its emulation.

declare type PinMode = "input" | "input_pullup" | "input_pulldown" | "output" | "opendrain" |
  "opendrain_pullup" | "analog" | "auto";

/** A GPIO. On the ESP32, Pin(n) is GPIO n. */
declare interface Pin {
  read(): boolean;
  write(value: boolean | number): void;
  set(): void;
  reset(): void;
  mode(mode: PinMode): void;
  getMode(): PinMode;
  toggle(): boolean;
  getInfo(): { port: string; num: number; analog?: any; functions?: any };
}
declare function Pin(value: number | string | Pin): Pin;

declare type PinLike = Pin | number;

declare function digitalWrite(pin: PinLike | PinLike[], value: boolean | number): void;
/** For an array, the last element is the least significant bit. */
declare function digitalRead(pin: PinLike | PinLike[]): number;
declare function pinMode(pin: PinLike, mode?: PinMode, automatic?: boolean): void;
declare function getPinMode(pin: PinLike): PinMode;

declare interface WatchEvent { state: boolean; time: number; lastTime: number; data?: boolean; }
declare interface WatchOptions {
  repeat?: boolean;
  edge?: "rising" | "falling" | "both" | number;
  debounce?: number;
  irq?: boolean;
  data?: PinLike;
}
declare function setWatch(fn: (e: WatchEvent) => void, pin: PinLike, options?: WatchOptions | boolean): number;
/** With no argument clears ALL watches. Never pass undefined. */
declare function clearWatch(id?: number): void;

declare interface SerialOptions {
  rx?: PinLike; tx?: PinLike; ck?: PinLike; cts?: PinLike;
  bytesize?: number; parity?: null | "none" | "o" | "odd" | "e" | "even";
  stopbits?: number; flow?: null | "none" | "xon"; errors?: boolean;
}
declare interface Serial {
  setup(baud: number, options?: SerialOptions): void;
  write(...data: (string | number | number[] | Uint8Array)[]): void;
  print(s: string): void;
  println(s: string): void;
  available(): number;
  read(chars?: number): string;
  inject(data: string): void;
  on(event: "data", fn: (data: string) => void): void;
  removeAllListeners(event?: string): void;
}
declare var Serial1: Serial;
declare var Serial2: Serial;
declare var Serial3: Serial;
declare var LoopbackA: Serial & { setConsole(): void };
declare var LoopbackB: Serial;

declare interface I2CSetup { scl?: PinLike; sda?: PinLike; bitrate?: number; }
declare interface I2C {
  setup(options: I2CSetup): void;
  /** Throws on NACK or bus error (1 s timeout). */
  writeTo(address: number | { address: number; stop: boolean }, ...data: (number | string | number[] | Uint8Array)[]): void;
  readFrom(address: number | { address: number; stop: boolean }, quantity: number): Uint8Array;
}
declare var I2C1: I2C;
declare var I2C2: I2C;

declare interface SPISetup { sck?: PinLike; miso?: PinLike; mosi?: PinLike; baud?: number; mode?: number; order?: "msb" | "lsb"; }
declare interface SPI {
  setup(options: SPISetup): void;
  send(data: number | string | number[] | Uint8Array, nss?: PinLike): any;
  write(...data: any[]): void;
}
declare var SPI1: SPI;
declare var SPI2: SPI;

declare type ErrorFlag = "FIFO_FULL" | "BUFFER_FULL" | "CALLBACK" | "LOW_MEMORY" | "MEMORY" | "MEMORY_BUSY" | "UART_OVERFLOW";
declare var E: {
  /** zlib CRC-32 (poly 0xEDB88320), unsigned. */
  CRC32(data: string | number[] | Uint8Array | ArrayBuffer): number;
  /** Returns and clears the error flags. */
  getErrorFlags(): ErrorFlag[];
  getSizeOf(v: any, depth?: number): number;
  toUint8Array(...data: any[]): Uint8Array;
  toString(...data: any[]): string;
  sum(arr: number[] | Uint8Array): number;
  on(event: "init" | "kill" | "errorFlag", fn: (...args: any[]) => void): void;
  setTimeZone(zone: number): void;
  enableWatchdog(timeout: number, isAuto?: boolean): void;
  kickWatchdog(): void;
  hwRand(): number;
  reboot(): void;
};

declare type GraphicsFont = "4x6" | "6x8" | "Vector" | string;
declare interface Graphics {
  buffer: ArrayBuffer;
  getWidth(): number;
  getHeight(): number;
  clear(reset?: boolean): Graphics;
  setColor(c: number): Graphics;
  setBgColor(c: number): Graphics;
  setPixel(x: number, y: number, c?: number): Graphics;
  getPixel(x: number, y: number): number;
  drawLine(x1: number, y1: number, x2: number, y2: number): Graphics;
  drawRect(x1: number, y1: number, x2: number, y2: number): Graphics;
  fillRect(x1: number, y1: number, x2: number, y2: number): Graphics;
  clearRect(x1: number, y1: number, x2: number, y2: number): Graphics;
  setFont(name: GraphicsFont, size?: number): Graphics;
  setFontCustom(bitmap: string, firstChar: number, width: number | string, height: number): Graphics;
  setFontAlign(x: -1 | 0 | 1, y?: -1 | 0 | 1, rotation?: number): Graphics;
  drawString(s: string, x: number, y: number, solid?: boolean): Graphics;
  stringWidth(s: string): number;
  wrapString(s: string, width: number): string[];
  drawImage(image: any, x: number, y: number, options?: any): Graphics;
  getModified(reset?: boolean): { x1: number; y1: number; x2: number; y2: number } | undefined;
}
declare interface GraphicsBufferOptions { zigzag?: boolean; vertical_byte?: boolean; msb?: boolean; interleavex?: boolean; buffer?: ArrayBuffer; }
declare var Graphics: {
  createArrayBuffer(width: number, height: number, bpp: number, options?: GraphicsBufferOptions): Graphics;
};

declare interface FlashModule {
  /** Length first. */
  read(length: number, address: number): Uint8Array;
  /** ANDs into the existing bits; reports no error: read back. */
  write(data: Uint8Array | number[] | string, address: number): void;
  /** Erases the 4 KiB sector containing the address. */
  erasePage(address: number): void;
  getPage(address: number): { addr: number; length: number } | undefined;
  getFree(): { addr: number; length: number }[];
}
declare interface StorageModule {
  read(name: string, offset?: number, length?: number): string | undefined;
  readJSON(name: string, noExceptions?: boolean): any;
  readArrayBuffer(name: string): ArrayBuffer | undefined;
  write(name: string, data: string | Uint8Array, offset?: number, size?: number): boolean;
  writeJSON(name: string, data: any): boolean;
  erase(name: string): void;
  list(pattern?: any): string[];
  getFree(): number;
}
declare interface NetSocket {
  write(data: string): boolean;
  end(): void;
  on(event: "data", fn: (data: string) => void): void;
  on(event: "close" | "end" | "drain", fn: () => void): void;
  on(event: "error", fn: (err: any) => void): void;
}
declare interface NetModule {
  connect(options: { host: string; port: number; ca?: string }, callback: (socket: NetSocket) => void): NetSocket;
}
/** Espruino's dgram (UDP; measured on the ESP32 twin, docs/time.md "SNTP"): messages are 8-bit
 *  strings (a typed array is sent as its toString(), "35,0,0,..."); send(msg, port, host) or
 *  Node's send(msg, offset, length, port, host), returning nothing and reporting no error (an
 *  unknown host or a link that is down: nothing arrives); rinfo is { address, port, size } */
declare interface DgramSocket {
  send(msg: string, port: number, host: string): void;
  close(): void;
  on(event: "message", fn: (msg: string, rinfo: { address: string; port: number; size: number }) => void): void;
  on(event: "close", fn: () => void): void;
  on(event: "error", fn: (err: any) => void): void;
}
declare interface DgramModule {
  createSocket(type: "udp4"): DgramSocket;
}
declare interface WifiModule {
  connect(ssid: string, options: { password?: string }, callback: (err: string | null) => void): void;
  disconnect(callback?: () => void): void;
  getIP(callback?: (err: any, info: { ip: string }) => void): { ip: string };
  getStatus(): { station: string };
  on(event: string, fn: (details: any) => void): void;
}
declare interface CryptoModule {
  SHA1(data: string | Uint8Array): ArrayBuffer;
  SHA256(data: string | Uint8Array): ArrayBuffer;
  PBKDF2(passphrase: string, salt: string, options: { keySize: number; iterations: number; hasher?: string }): ArrayBuffer;
  AES: {
    encrypt(data: string | Uint8Array, key: string | Uint8Array, options?: any): ArrayBuffer;
    decrypt(data: string | Uint8Array, key: string | Uint8Array, options?: any): ArrayBuffer;
  };
}
