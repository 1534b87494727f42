// The audit trail's flash format (docs/audit.md): 32-byte slots in 4 KiB sectors. Slot 0 of a
// sector is its header, the others hold entries. Every entry carries a chain hash:
//   chain = SHA-256(previous chain || the entry's bytes 0..19), first 12 bytes
// and every header carries the chain of the last entry before its sector, so the chain can be
// checked across the ring's wrap once the oldest sector has been erased. Pure code: no I/O.
// (The simulator's verifier, sim/commands/audit.ts, is written separately from this file.)
import { Sha256 } from "../app/hmac";

export const SLOT = 32;
/** bytes of the chain hash kept (of SHA-256's 32): 96 bits, see docs/audit.md */
export const CHAIN = 12;
/** offset of the chain in an entry; bytes before it are what the chain covers */
export const BODY = 20;
/** a time the clock could not vouch for */
export const NO_TIME = 0xffffffff;
/** header: "AUD" and the format version */
export const MAGIC = 0x01445541;

/** Event codes (one byte in the entry). Arguments a and b are u32, per event in docs/audit.md. */
export const enum AuditEvent {
  Boot = 1,            // a: 1 when the journal is in the fault state
  CutRecovered = 2,    // the previous session ended mid-write; a: serial numbers skipped
  JournalFault = 3,
  JournalRecovered = 4, // supervisor recovery; a: min STAN, b: min invoice
  AccessOk = 5,        // a PIN gate opened
  AccessFailed = 6,    // a: failures in a row
  AccessLockout = 7,   // a: failures in a row
  Void = 8,            // approved; a: invoice, b: amount (minor units)
  Refund = 9,          // approved; a: invoice, b: amount
  Reprint = 10,        // a: invoice, b: STAN
  Settlement = 11,     // a: batch, b: 1 approved, 0 failed
  ZReport = 12,        // a: batch, b: sales amount of the shift
  SettingsChange = 13, // a: which (1 PIN, 2 min amount, 3 max amount, 4 console posConfig), b: value
  UpdateStaged = 14,   // a, b: the update engineer's (version)
  UpdateApplied = 15,
  UpdateRolledBack = 16,
  LowMemory = 17,      // once per boot; a: free JsVars
  TrainingOn = 18,
  TrainingOff = 19,
}

/** who: the role codes shared by every item of issue 12 */
export const enum AuditRole { System = 0, Cashier = 1, Supervisor = 2, Technician = 3 }

export function putU32(b: Uint8Array, o: number, v: number): void {
  b[o] = v & 255; b[o + 1] = (v >>> 8) & 255; b[o + 2] = (v >>> 16) & 255; b[o + 3] = (v >>> 24) & 255;
}

export function getU32(b: Uint8Array, o: number): number {
  return (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
}

/** the first `n` bytes of SHA-256(prev[0..12) || b[o..o+len)) written to out[at..) */
export function hashInto(sha: Sha256, prev: Uint8Array, b: Uint8Array, o: number, len: number, out: Uint8Array, at: number, n: number): void {
  var s = "", i: number;
  for (i = 0; i < CHAIN; i++) s += String.fromCharCode(prev[i]!);
  for (i = 0; i < len; i++) s += String.fromCharCode(b[o + i]!);
  var h = sha(s);
  for (i = 0; i < n; i++) out[at + i] = h.charCodeAt(i) & 255;
}

/** Fills a 32-byte entry: seq, event, role, burns (zeroed slots just before it), a, b, time,
 *  chain from `prev` (12 bytes). */
export function encodeEntry(sha: Sha256, e: Uint8Array, seq: number, event: number, role: number, burns: number,
  a: number, b: number, time: number, prev: Uint8Array): void {
  putU32(e, 0, seq);
  e[4] = event; e[5] = role; e[6] = burns > 255 ? 255 : burns; e[7] = 0;
  putU32(e, 8, a); putU32(e, 12, b); putU32(e, 16, time);
  hashInto(sha, prev, e, 0, BODY, e, BODY, CHAIN);
}

/** Fills a 32-byte sector header: magic, sector seq, erase count, first entry seq, the chain
 *  before the sector, and a 4-byte check (SHA-256 of the rest, with a zero prefix). */
export function encodeHeader(sha: Sha256, h: Uint8Array, sectorSeq: number, erases: number, firstSeq: number, prev: Uint8Array): void {
  putU32(h, 0, MAGIC); putU32(h, 4, sectorSeq); putU32(h, 8, erases); putU32(h, 12, firstSeq);
  for (var i = 0; i < CHAIN; i++) h[16 + i] = prev[i]!;
  hashInto(sha, new Uint8Array(CHAIN), h, 0, 28, h, 28, 4);
}

/** true when b[o..o+32) is a header whose check matches */
export function headerValid(sha: Sha256, b: Uint8Array, o: number): boolean {
  if (getU32(b, o) !== MAGIC) return false;
  var c = new Uint8Array(4);
  hashInto(sha, new Uint8Array(CHAIN), b, o, 28, c, 0, 4);
  return c[0] === b[o + 28] && c[1] === b[o + 29] && c[2] === b[o + 30] && c[3] === b[o + 31];
}

/** true when the entry at b[o..) chains from prev */
export function entryValid(sha: Sha256, b: Uint8Array, o: number, prev: Uint8Array): boolean {
  var c = new Uint8Array(CHAIN);
  hashInto(sha, prev, b, o, BODY, c, 0, CHAIN);
  for (var i = 0; i < CHAIN; i++) if (c[i] !== b[o + BODY + i]) return false;
  return getU32(b, o) !== 0;
}

/** every byte of b[o..o+n) equals v (0xFF: erased, 0: burnt) */
export function allAre(b: Uint8Array, o: number, n: number, v: number): boolean {
  for (var i = 0; i < n; i++) if (b[o + i] !== v) return false;
  return true;
}
