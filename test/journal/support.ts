// Shared by the journal tests, campaigns, soak and bench: a virtual NOR region and a journal
// opened on it with zlib's CRC-32 (the same polynomial as E.CRC32).
import * as zlib from "zlib";
import { NorFlash } from "../../sim/parts/nor-flash";
import { openJournal, Journal, JournalRegion, Numbers } from "../../firmware/journal/journal";

export const crc32 = (d: Uint8Array): number => zlib.crc32(d);

export function region(sectors: number, base = 0x310000): JournalRegion {
  return { base, sectors, sectorSize: 4096 };
}

export function makeFlash(r: JournalRegion, seed = 1, endurance?: number): NorFlash {
  return new NorFlash({ ranges: [{ base: r.base, size: r.sectors * r.sectorSize }], sectorSize: r.sectorSize, seed, endurance });
}

export function open(flash: NorFlash, r: JournalRegion, first?: Numbers): Journal {
  return openJournal(flash, r, { crc32, first });
}

/** unwrapped distance from a to b on the 1..999999 ring */
export function dist(a: number, b: number): number { return (b - a + 999999) % 999999; }
