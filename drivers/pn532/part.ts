// The nfc role on a PN532 (descriptor: part.spec.ts): HSU when its bus is a UART, else I2C;
// the EMV reader loop on top (its `pn` is the chip, for the probe). The build binds the one for
// the board's bus (factoryOnBus), so a bundle carries one link class, not both.
import { PartDeps } from "../parts";
import { Pn532 } from "./pn532";
import { HsuLink, I2CLink, Pn532Link } from "./link";
import { NfcReader } from "../emv/nfc-reader";
import { Terminal } from "../emv/apdu";
import type { Pn532Entry } from "./part.spec";

function reader(e: Pn532Entry, d: PartDeps, terminal: () => Terminal, link: Pn532Link): NfcReader {
  return new NfcReader({ pn532: new Pn532({ link: link, io: d.io, reset: e.reset }), io: d.io, terminal: terminal });
}

export function pn532OnI2c(e: Pn532Entry, d: PartDeps, terminal: () => Terminal): NfcReader {
  return reader(e, d, terminal, new I2CLink({ i2c: d.i2c[e.bus]!, io: d.io, address: e.address, irq: e.irq }));
}

export function pn532OnUart(e: Pn532Entry, d: PartDeps, terminal: () => Terminal): NfcReader {
  return reader(e, d, terminal, new HsuLink({ uart: d.uart[e.bus]!, io: d.io }));
}

/** either bus (tests, tools): picks by whether the entry's bus is a UART */
export function pn532(e: Pn532Entry, d: PartDeps, terminal: () => Terminal): NfcReader {
  return d.uart[e.bus] ? pn532OnUart(e, d, terminal) : pn532OnI2c(e, d, terminal);
}
