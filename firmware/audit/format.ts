// The audit trail's flash format (docs/audit.md): 32-byte slots in 4 KiB sectors. Slot 0 of a
// sector is its header, the others hold entries. Every entry carries a chain hash:
//   chain = SHA-256(previous chain || the entry's bytes 0..19), first 12 bytes
// and every header carries the chain of the last entry before its sector, so the chain can be
// checked across the ring's wrap once the oldest sector has been erased. Pure code: no I/O.
// (The simulator's verifier, sim/commands/audit.ts, is written separately from this file.)
import { Sha256 } from "../app/hmac";

/** sizes and offsets (a const enum: inlined, nothing of it in RAM) */
export const enum Fmt {
  SLOT = 32,
  /** bytes of the chain hash kept (of SHA-256's 32): 96 bits, see docs/audit.md */
  CHAIN = 12,
  /** offset of the chain in an entry; bytes before it are what the chain covers */
  BODY = 20,
  /** header: "AUD" and the format version 1, little-endian */
  MAGIC = 0x01445541,
  /** header bytes the check covers (the check is the first 4 bytes of their SHA-256 chained
   *  from 12 zero bytes) */
  HEADER_BODY = 28,
  /** the time of an entry the clock could not vouch for */
  NO_TIME = 0xffffffff,
}

/** Event codes (one byte in the entry). Arguments a and b are u32, per event in docs/audit.md. */
export const enum AuditEvent {
  Boot = 1,            // a: 1 when the journal is in the fault state
  CutRecovered = 2,    // the previous session ended mid-write; a: serial numbers skipped
  JournalFault = 3,
  JournalRecovered = 4, // supervisor recovery; a: min STAN, b: min invoice
  AccessOk = 5,        // a PIN gate opened; role: whose PIN, a: the duty's role
  AccessFailed = 6,    // nobody's PIN (role System); a: failures in a row, b: the duty's role
  AccessLockout = 7,   // as AccessFailed, and the duty's role is now locked
  Void = 8,            // approved; a: invoice, b: amount (minor units)
  Refund = 9,          // approved; a: invoice, b: amount
  Reprint = 10,        // a: invoice, b: STAN
  Settlement = 11,     // a: batch, b: 1 approved, 0 failed
  ZReport = 12,        // a: batch, b: sales amount of the shift
  SettingsChange = 13, // a: which (1 PIN, 2 min amount, 3 max amount, 4 console posConfig, 5 UTC offset, 6 console TLS CA), b: value (1: the role whose PIN)
  UpdateStaged = 14,   // staged, checked and switched (network); a: its version
  UpdateApplied = 15,  // the new version reached READY and is confirmed; a: its version
  UpdateRolledBack = 16, // a: the version that never reached READY, b: the one running again
  LowMemory = 17,      // once per boot; a: free JsVars
  TrainingOn = 18,
  TrainingOff = 19,
  AccessRefused = 20,  // a right PIN of a role that may not do this duty; a: the duty's role
}

/** who: the role codes shared by every item of issue 12 */
export const enum AuditRole { System = 0, Cashier = 1, Supervisor = 2, Technician = 3 }

export function getU32(b: Uint8Array, o: number): number {
  return (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
}

/** SHA-256(prev[0..12) || b[o..o+len)) as an 8-bit string of 32 characters: an entry's chain
 *  is its first 12 characters (prev: the previous chain), a header's check the first 4 (prev:
 *  12 zero bytes) */
export function digest(sha: Sha256, prev: Uint8Array, b: Uint8Array, o: number, len: number): string {
  var s = "", i: number;
  for (i = 0; i < Fmt.CHAIN; i++) s += String.fromCharCode(prev[i]!);
  for (i = 0; i < len; i++) s += String.fromCharCode(b[o + i]!);
  return sha(s);
}

/** Fills a 32-byte entry: seq, event, role, burns (zeroed slots just before it, at most 255),
 *  a, b, time (words little-endian), then the chain from `prev`. */
export function encodeEntry(sha: Sha256, e: Uint8Array, v: number[], prev: Uint8Array): void {
  // v: [seq, event, role, burns, a, b, time]
  var w = [v[0]!, 0, v[4]!, v[5]!, v[6]!], i: number;
  for (i = 0; i < Fmt.BODY; i++) e[i] = (w[i >> 2]! >>> ((i & 3) * 8)) & 255;
  e[4] = v[1]!; e[5] = v[2]!; e[6] = v[3]! > 255 ? 255 : v[3]!;
  var h = digest(sha, prev, e, 0, Fmt.BODY);
  for (i = 0; i < Fmt.CHAIN; i++) e[Fmt.BODY + i] = h.charCodeAt(i) & 255;
}
