// The board description: one JSON file per board in boards/, read by the firmware build
// (embedded as `import board from "@board"`), the simulator wiring and the validator.
// Numbers only; GPIO numbers are ESP32 GPIO numbers (Espruino pin Dn).

export interface I2CBusSpec { kind: "i2c"; hw: "I2C1" | "I2C2"; scl: number; sda: number; bitrate: number; }
export interface UartBusSpec { kind: "uart"; hw: "Serial2" | "Serial3"; tx: number; rx: number; baud: number; }
export type BusSpec = I2CBusSpec | UartBusSpec;

/** A part's entry in the board file: its type, then the fields its type's descriptor declares
 *  (drivers/<folder>/part.spec.ts; the typed entry is EntryOf<descriptor> there, e.g.
 *  EscposEntry). The build checks every entry against its descriptor (tools/board.ts), so the
 *  factory a role is bound to gets the entry it declares. */
export interface PartEntry {
  type: string;
  /** the bus in `buses` it sits on, for parts on a bus */
  bus?: string;
  [field: string]: unknown;
}

export interface SntpServerSpec { host: string; port: number; }
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
  /** parts by the role the firmware asks for: display, keypad, printer, msr, nfc (drivers/parts.ts) */
  parts: { [role: string]: PartEntry };
  /** flash regions, each inside a raw partition (free or flash): the journal, and the
   *  A/B settings store */
  flashRegions: { journal: FlashRegionSpec; audit: FlashRegionSpec; health: FlashRegionSpec; boot: FlashRegionSpec; settings: FlashRegionSpec; [name: string]: FlashRegionSpec };
  /** the acquirer link (docs/host-protocol.md §1.5): "tls" = require("tls") with the CA in
   *  Storage (acq-ca.der); "tcp" = plain TCP, only for simulator and test boards */
  hostLink: { transport: "tls" | "tcp" };
  /** the SNTP server the terminal asks for the time when its clock is not trusted
   *  (firmware/clock-sntp.ts, docs/time.md "SNTP"): boards with WiFi only; a board without it
   *  takes its time from the host alone. host: a DNS name or IPv4 address; port: UDP, 123 */
  sntp?: SntpServerSpec;
  /** pins documented but not driven by the firmware (LEDs, spare); checked for double use */
  reserved?: { [pin: string]: string };
}
