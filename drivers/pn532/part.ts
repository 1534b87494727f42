// The nfc role on a PN532 (descriptor: part.spec.ts): HSU when its bus is a UART, else I2C;
// the EMV reader loop on top (its `pn` is the chip, for the probe).
import { PartDeps } from "../parts";
import { Pn532 } from "./pn532";
import { HsuLink, I2CLink } from "./link";
import { NfcReader } from "../emv/nfc-reader";
import { Terminal } from "../emv/apdu";
import type { Pn532Entry } from "./part.spec";

export function pn532(e: Pn532Entry, d: PartDeps, terminal: () => Terminal): NfcReader {
  var u = d.uart[e.bus];
  var link = u ? new HsuLink({ uart: u, io: d.io }) : new I2CLink({ i2c: d.i2c[e.bus]!, io: d.io, address: e.address, irq: e.irq });
  return new NfcReader({ pn532: new Pn532({ link: link, io: d.io, reset: e.reset }), io: d.io, terminal: terminal });
}
