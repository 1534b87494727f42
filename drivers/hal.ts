// The seam between drivers and the world. Drivers receive these objects; only
// firmware/board.ts builds them from Espruino globals, and the simulator's tests build
// them from the virtual buses. Shapes are the Espruino objects' own, so on the device
// the real I2C1/Serial2/pins are passed straight through at no cost.

/** An I2C master (Espruino I2C1/I2C2 or new I2C()). Errors (NACK) throw. */
export interface I2CBus {
  writeTo(address: number | { address: number; stop: boolean }, data: number[] | Uint8Array | number): void;
  readFrom(address: number | { address: number; stop: boolean }, quantity: number): Uint8Array;
}

/** A UART (Espruino Serial2/Serial3). write blocks when its 256-byte TX queue is full. */
export interface UartPort {
  write(data: string | number[] | Uint8Array | number): void;
  on(event: "data", fn: (data: string) => void): void;
  removeAllListeners(event?: string): void;
}

/** Pins and their events, as Espruino's globals (digitalRead, setWatch...). */
export interface PinIo {
  digitalWrite(pin: PinLike | PinLike[], value: boolean | number): void;
  digitalRead(pin: PinLike | PinLike[]): number;
  pinMode(pin: PinLike, mode: PinMode, automatic?: boolean): void;
  setWatch(fn: (e: WatchEvent) => void, pin: PinLike, options: WatchOptions): number;
  clearWatch(id: number): void;
}

/** Timers and time, as Espruino's globals. getTime() is in seconds. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): number;
  clearTimeout(id: number): void;
  setInterval(fn: () => void, ms: number): number;
  clearInterval(id: number): void;
  getTime(): number;
}

/** Raw NOR flash (require("Flash")): AND-only writes, 4 KiB sector erase, no errors reported. */
export interface FlashDevice {
  read(length: number, address: number): Uint8Array;
  write(data: Uint8Array, address: number): void;
  erasePage(address: number): void;
}

/** Everything a driver may need from the platform. */
export interface Io extends PinIo, Timers {}
