// Shared by the audit trail's tests: a virtual NOR region and the log opened on it with Node's
// SHA-256 over 8-bit strings (what require("crypto").SHA256 gives the firmware).
import { NorFlash } from "../../sim/parts/nor-flash";
import { AuditLog, AuditRegion } from "../../firmware/audit/log";
import { sha256Latin1 } from "../support/fake-ports";
import { eachEntry } from "../../firmware/audit/menu";

export const sha = sha256Latin1;

export function auditRegion(sectors = 3, sectorSize = 4096, base = 0x319000): AuditRegion {
  return { base, sectors, sectorSize };
}

export function makeFlash(r: AuditRegion, seed = 1): NorFlash {
  return new NorFlash({ ranges: [{ base: r.base, size: r.sectors * r.sectorSize }], sectorSize: r.sectorSize, seed });
}

/** clock: the trusted clock's seconds since 2020, -1 when not set (default) */
export function openLog(flash: NorFlash, r: AuditRegion, clock: () => number = () => -1): AuditLog {
  return new AuditLog(flash, r, sha, clock);
}

export function image(flash: NorFlash, r: AuditRegion): Uint8Array {
  return flash.read(r.sectors * r.sectorSize, r.base);
}

/** the next seq and the newest chain, as the log keeps them */
export function head(log: AuditLog): { seq: number; chain: Uint8Array } {
  const chain = new Uint8Array(12);
  return { seq: eachEntry(log, 0xffffffff, () => {}, chain), chain };
}

/** the entries the log itself reads back: [seq, event, role, a, b] */
export function readBack(log: AuditLog, from = 0): number[][] {
  const out: number[][] = [];
  eachEntry(log, from, (e) => {
    const u = (o: number) => (e[o]! | e[o + 1]! << 8 | e[o + 2]! << 16 | e[o + 3]! << 24) >>> 0;
    out.push([u(0), e[4]!, e[5]!, u(8), u(12)]);
  });
  return out;
}
