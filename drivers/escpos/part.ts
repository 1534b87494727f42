// The printer role on an ESC/POS printer (descriptor: part.spec.ts): the paced driver on its
// UART, at the bus's baud rate, laying receipts out for the board's columns.
import { PartDeps } from "../parts";
import { EscPosPrinter } from "./printer";
import type { EscposEntry } from "./part.spec";

export function escpos(e: EscposEntry, d: PartDeps, onStatus: (what: string) => void): EscPosPrinter {
  return new EscPosPrinter({ uart: d.uart[e.bus]!, io: d.io, baud: d.board().buses[e.bus]!.baud!, dots: e.dots, columns: e.columns,
    mmPerSecond: e.mmPerSecond, onStatus: onStatus });
}
