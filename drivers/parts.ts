// Parts described once. Each driver folder describes the board parts it drives:
//   drivers/<folder>/part.spec.ts  the descriptor (Node side: read by tools/ and sim/, never
//                                  bundled): type name, role, the board fields with their checks,
//                                  the factory's name, the virtual part standing in for it
//   drivers/<folder>/part.ts       the factory (device side: the build binds it to its role in
//                                  "@parts" for the boards that use the type)
// This file is the vocabulary both use. Its types cost nothing in the bundle; `part()` is
// called by descriptors only. docs/architecture.md, "Parts described once".
import { Io, I2CBus, UartPort } from "./hal";

/** What the firmware asks parts for (firmware/board.ts has one role function each; "@parts"
 *  exports a factory, or undefined, for each). */
export var ROLES = ["display", "keypad", "printer", "msr", "nfc"] as const;
export type Role = (typeof ROLES)[number];

/** A board field of a part and its check (tools/board.ts). `what` names a pin's use in messages. */
export type Field =
  /** the id of a bus in the board's `buses` of one of these kinds; one part per UART */
  | { kind: "bus"; of: readonly ("i2c" | "uart")[] }
  /** an I2C address, unique on the part's bus when that bus is I2C (`default` when absent) */
  | { kind: "address"; default?: number; optional?: boolean }
  /** an ESP32 GPIO, not used twice; "in" pins may be input-only (34-39), "out" pins may not */
  | { kind: "pin"; dir: "in" | "out"; what: string; optional?: boolean }
  /** a non-empty list of GPIOs */
  | { kind: "pins"; dir: "in" | "out"; what: string }
  /** an integer >= min (<= max), a multiple of `step` if given; `why` explains the step */
  | { kind: "int"; min: number; max?: number; step?: number; why?: string; optional?: boolean }
  /** a number > 0 */
  | { kind: "positive"; optional?: boolean }
  /** a non-empty list of these numbers (`what` in messages) */
  | { kind: "list"; of: readonly number[]; what: string }
  /** keys[row][col]: one name per pin of the `rows` and `cols` fields, each name once */
  | { kind: "grid"; rows: string; cols: string; names: readonly string[] };

export interface Fields { [name: string]: Field }

/** A part type as its driver folder describes it (drivers/<folder>/part.spec.ts). */
export interface PartSpec<F extends Fields = Fields> {
  /** the board file's `type` */
  type: string;
  role: Role;
  /** one line for messages and docs */
  what: string;
  /** the factory's export name in the folder's part.ts */
  factory: string;
  /** a part that works on more than one kind of bus: the factory the build binds when the
   *  entry's bus is of that kind, so a bundle carries only its board's bus code */
  factoryOnBus?: { [busKind: string]: string };
  /** the board entry's fields besides `type` (the board types derive from these: EntryOf) */
  fields: F;
  /** the virtual part standing in for it in the simulator (sim/parts/<virtual>.ts); default: type */
  virtual?: string;
  /** fixed properties of the model the board file does not give (a printer's dots and columns):
   *  the virtual part gets them with the entry; the factory has them as constants */
  model?: { [name: string]: number };
}

/** Declares a descriptor, keeping its field kinds for EntryOf. */
export function part<const F extends Fields>(spec: PartSpec<F>): PartSpec<F> {
  return spec;
}

type ValueOf<T extends Field> =
  T extends { kind: "bus" } ? string :
  T extends { kind: "pins" } | { kind: "list" } ? number[] :
  T extends { kind: "grid" } ? string[][] :
  number;
type OptionalKeys<F extends Fields> = { [K in keyof F]: F[K] extends { optional: true } | { default: number } ? K : never }[keyof F];
type RequiredKeys<F extends Fields> = Exclude<keyof F, OptionalKeys<F>>;

/** The board entry a descriptor describes: { type, ...fields }. */
export type EntryOf<S extends PartSpec<any>> = S extends PartSpec<infer F>
  ? { type: string } & { [K in RequiredKeys<F>]: ValueOf<F[K]> } & { [K in OptionalKeys<F>]?: ValueOf<F[K]> }
  : never;

/** What a factory gets besides its entry: the platform's pins, timers and buses (set up from
 *  the board file; firmware/board.ts's Platform is one). */
export interface PartDeps {
  io: Io;
  /** buses by board id */
  i2c: { [id: string]: I2CBus };
  uart: { [id: string]: UartPort };
  errorFlags: () => string[];
  log: (line: string) => void;
  /** the board file, built on each call: keep only what you need (a bus's speed) */
  board: () => { buses: { [id: string]: { kind: string; baud?: number } } };
}

/** A part's factory (drivers/<folder>/part.ts): its board entry, the platform, and what its
 *  role adds (the display: Graphics.createArrayBuffer; the printer: a status callback; the
 *  NFC reader: the EMV terminal values). */
export type PartFactory<E, X, R> = (e: E, d: PartDeps, x: X) => R;
