// The board description: one JSON file per board in boards/, read by the firmware build
// (embedded as `import board from "@board"`), the simulator wiring and the validator.
// Numbers only; GPIO numbers are ESP32 GPIO numbers (Espruino pin Dn).

export interface I2CBusSpec { kind: "i2c"; hw: "I2C1" | "I2C2"; scl: number; sda: number; bitrate: number; }
export interface UartBusSpec { kind: "uart"; hw: "Serial2" | "Serial3"; tx: number; rx: number; baud: number; }
export type BusSpec = I2CBusSpec | UartBusSpec;

export interface Ssd1306Spec { type: "ssd1306"; bus: string; address: number; width: number; height: number; reset?: number; }
export interface Pn532Spec { type: "pn532"; bus: string; address?: number; irq?: number; reset?: number; }
export interface EscposSpec {
  type: "escpos"; bus: string;
  /** dots per printed line (58 mm: 384) */
  dots: number;
  /** characters per line in font A */
  columns: number;
  /** mechanism speed, mm of paper per second */
  mmPerSecond: number;
  /** optional busy/DTR input */
  busy?: number;
}
export interface MagstripeTtlSpec { type: "magstripe-ttl"; strobe: number; data: number; cardPresent: number; tracks: number[]; }
export interface MagstripeUartSpec { type: "magstripe-uart"; bus: string; }
export interface KeypadSpec {
  type: "keypad-matrix";
  /** driven low one at a time while scanning (outputs) */
  rows: number[];
  /** watched inputs with pull-ups: a pressed key pulls its column low */
  cols: number[];
  /** keys[row][col]: "0".."9", "00", CANCEL, CLEAR, ENTER, FUNC, MENU */
  keys: string[][];
}
export type PartSpec = Ssd1306Spec | Pn532Spec | EscposSpec | MagstripeTtlSpec | MagstripeUartSpec | KeypadSpec;

export interface FlashRegionSpec { base: number; sectors: number; sectorSize: number; }
export interface PartitionSpec { base: number; size: number; }

export interface Board {
  name: string;
  description: string;
  /** espruino: the oldest interpreter the firmware runs on ("2v29"); checked by make flash and
   *  at boot (firmware/app/platform.ts) */
  mcu: { family: "esp32"; module: string; flashSize: number; jsVars: number; espruino: string };
  /** partitions of the Espruino ESP32 build: "free" (8 KB at 0xE000) and "flash" (64 KB at
   *  0x310000) are raw and ours; "storage" holds the boot code and must not be touched */
  partitions: { free?: PartitionSpec; flash: PartitionSpec; storage: PartitionSpec };
  buses: { [id: string]: BusSpec };
  /** roles the firmware asks for: display, keypad, printer, msr, nfc */
  parts: { [role: string]: PartSpec };
  /** flash regions, each inside a raw partition (free or flash): the journal, and the
   *  A/B settings store */
  flashRegions: { journal: FlashRegionSpec; settings: FlashRegionSpec; [name: string]: FlashRegionSpec };
  /** pins documented but not driven by the firmware (LEDs, spare); checked for double use */
  reserved?: { [pin: string]: string };
}
