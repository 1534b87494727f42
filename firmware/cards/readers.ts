// Builds the card readers from the board's parts by type: magstripe-ttl / magstripe-uart for
// role "msr", pn532 (I2C, or HSU when its bus is a UART) for role "nfc". Called by
// firmware/board.ts with the real buses; tests pass simulated ones.
import { I2CBus, Io, UartPort } from "../../drivers/hal";
import { MagstripeTtl } from "../../drivers/magstripe/ttl";
import { MagstripeUart } from "../../drivers/magstripe/uart";
import { Pn532 } from "../../drivers/pn532/pn532";
import { HsuLink, I2CLink, Pn532Link } from "../../drivers/pn532/link";
import { NfcReader } from "../../drivers/emv/nfc-reader";
import { Terminal } from "../../drivers/emv/apdu";
import { MsrLike, NfcLike } from "./service";

export interface ReaderDeps {
  io: Io;
  i2c: (busId: string) => I2CBus;
  uart: (busId: string) => UartPort;
  /** bus kind by id (board.buses[id].kind) */
  busKind: (busId: string) => string;
  /** E.getErrorFlags */
  errorFlags: () => string[];
  /** terminal values for the EMV PDOL, asked at each tap (service.terminal) */
  terminal: () => Terminal;
}

export interface Readers { msr: MsrLike | null; nfc: NfcLike | null; pn532: Pn532 | null; }

export function createReaders(parts: { [role: string]: any }, d: ReaderDeps): Readers {
  var out: Readers = { msr: null, nfc: null, pn532: null };
  var m = parts["msr"];
  if (m && m.type === "magstripe-ttl") {
    out.msr = new MagstripeTtl({ io: d.io, strobe: m.strobe, data: m.data, cardPresent: m.cardPresent, track: m.tracks && m.tracks[0] === 1 ? 1 : 2, errorFlags: d.errorFlags });
  } else if (m && m.type === "magstripe-uart") {
    out.msr = new MagstripeUart({ uart: d.uart(m.bus), io: d.io });
  }
  var n = parts["nfc"];
  if (n && n.type === "pn532") {
    var link: Pn532Link = d.busKind(n.bus) === "uart"
      ? new HsuLink({ uart: d.uart(n.bus), io: d.io })
      : new I2CLink({ i2c: d.i2c(n.bus), io: d.io, address: n.address, irq: n.irq });
    out.pn532 = new Pn532({ link: link, io: d.io, reset: n.reset });
    out.nfc = new NfcReader({ pn532: out.pn532, io: d.io, terminal: d.terminal });
  }
  return out;
}
