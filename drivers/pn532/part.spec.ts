// The PN532 NFC reader as a board part (drivers/parts.ts): on I2C (address, IRQ) or on a UART
// (HSU), with an optional reset pin.
import { part, EntryOf } from "../parts";

export const PN532 = part({
  type: "pn532", role: "nfc", what: "PN532 NFC reader on I2C or HSU (UART)", factory: "pn532",
  factoryOnBus: { i2c: "pn532OnI2c", uart: "pn532OnUart" },
  fields: {
    bus: { kind: "bus", of: ["i2c", "uart"] },
    address: { kind: "address", default: 0x24 },
    irq: { kind: "pin", dir: "in", what: "PN532 IRQ", optional: true },
    reset: { kind: "pin", dir: "out", what: "PN532 reset", optional: true },
  },
});
export type Pn532Entry = EntryOf<typeof PN532>;

export const parts = [PN532];
