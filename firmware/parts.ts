// Roles and parts. A board fills roles (display, keypad, printer, msr, nfc) with parts of some
// type; the build binds each role to the factory of its part's type ("@parts", declared in
// board-data.d.ts), so bring-up names roles, never part types. These are the roles'
// contracts, and the one way a part is made from its board entry. Pure: tests pass factories
// and simulated buses.
import { PartEntry } from "../boards/types";
import { PartDeps, PartFactory } from "../drivers/parts";
import { EscPosPrinter } from "../drivers/escpos/printer";
import { Pn532 } from "../drivers/pn532/pn532";
import { Terminal } from "../drivers/emv/apdu";
import { MsrLike, NfcLike } from "./cards/service";

/** x: Graphics.createArrayBuffer (drivers read no Espruino globals) */
export type DisplayFactory = PartFactory<PartEntry, (width: number, height: number, bpp: number, options: GraphicsBufferOptions) => Graphics,
  { g: Graphics; flip: () => void }>;
export type KeypadFactory = PartFactory<PartEntry, void, { onKey(fn: (key: string) => void): void }>;
/** x: the status callback (paper out, cover open...). The receipt layouts speak ESC/POS and
 *  read the printer's columns from the encoder it gives them (enc.columns). */
export type PrinterFactory = PartFactory<PartEntry, (what: string) => void, EscPosPrinter>;
export type MsrFactory = PartFactory<PartEntry, void, MsrLike>;
/** x: the EMV terminal values, asked at each tap; `pn` is the chip (the NFC probe) */
export type NfcFactory = PartFactory<PartEntry, () => Terminal, NfcLike & { pn: Pn532 }>;

/** The board's part in `role` made by `f` (the factory bound to that role), or null when the
 *  board has no part there. */
export function makePart<X, R>(parts: { [role: string]: PartEntry }, role: string, f: PartFactory<PartEntry, X, R> | undefined,
  d: PartDeps, x: X): R | null {
  var e = parts[role];
  return e && f ? f(e, d, x) : null;
}
