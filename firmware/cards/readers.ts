// The card readers: roles "msr" (a magstripe reader) and "nfc" (an NFC reader), each made by
// the factory bound to the board's part type (firmware/parts.ts). Called by firmware/board.ts
// with "@parts" and the real buses; tests pass factories and simulated buses.
import { PartEntry } from "../../boards/types";
import { PartDeps } from "../../drivers/parts";
import { Pn532 } from "../../drivers/pn532/pn532";
import { Terminal } from "../../drivers/emv/apdu";
import { MsrLike, NfcLike } from "./service";
import { makePart, MsrFactory, NfcFactory } from "../parts";

export interface Readers { msr: MsrLike | null; nfc: NfcLike | null; pn532: Pn532 | null; }

/** terminal: the values for the EMV PDOL, asked at each tap (service.terminal) */
export function createReaders(parts: { [role: string]: PartEntry }, f: { msr?: MsrFactory; nfc?: NfcFactory }, d: PartDeps,
  terminal: () => Terminal): Readers {
  var nfc = makePart(parts, "nfc", f.nfc, d, terminal);
  return { msr: makePart(parts, "msr", f.msr, d, undefined), nfc: nfc, pn532: nfc ? nfc.pn : null };
}
