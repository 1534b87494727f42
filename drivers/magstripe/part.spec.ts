// Magnetic-stripe readers as board parts (drivers/parts.ts): a TTL (clock/data) head decoded
// here, or a reader that decodes itself and sends ASCII tracks on a UART.
import { part, EntryOf } from "../parts";

export const MAGSTRIPE_TTL = part({
  type: "magstripe-ttl", role: "msr", what: "TTL magstripe reader (strobe, data, card present)", factory: "magstripeTtl",
  fields: {
    strobe: { kind: "pin", dir: "in", what: "magstripe strobe" },
    data: { kind: "pin", dir: "in", what: "magstripe data" },
    cardPresent: { kind: "pin", dir: "in", what: "magstripe card present" },
    /** the track the head reads (the first one: 1 or 2) */
    tracks: { kind: "list", of: [1, 2, 3], what: "track numbers 1..3" },
  },
});
export type MagstripeTtlEntry = EntryOf<typeof MAGSTRIPE_TTL>;

export const MAGSTRIPE_UART = part({
  type: "magstripe-uart", role: "msr", what: "magstripe reader with a serial (ASCII tracks) output", factory: "magstripeUart",
  fields: {
    bus: { kind: "bus", of: ["uart"] },
  },
});
export type MagstripeUartEntry = EntryOf<typeof MAGSTRIPE_UART>;

export const parts = [MAGSTRIPE_TTL, MAGSTRIPE_UART];
