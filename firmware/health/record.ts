// Health counters (docs/health.md): the fixed-size flash record that keeps them across reboots
// and the text of the 0800 health message's DE 48. Pure: no I/O, runs in mocha and on the device.
//
// Record, 80 bytes, little-endian, CRC last so a torn write never reads as a record:
//   0 magic "HL" | 2 version 1 | 3 counter count (16) | 4 seq u32 | 8..71 16 x u32 counters |
//   72 reserved 0xFFFFFFFF | 76 CRC-32 (zlib) of bytes 0..75
import { putU32, getU32 } from "../journal/format";

/** counter slots (index into the Uint32Array); the names are docs/health.md's */
export const enum H {
  BOOTS = 0, CUTS = 1, SKIPPED = 2, HOST_TIMEOUTS = 3, REVERSALS = 4, PAPER_OUTS = 5,
  /** lowest free JsVars seen (HR.NONE until sampled) */
  LOW_FREE = 6,
  /** erases of the health region's own sectors */
  ERASES = 7,
  /** swipe errors: parity, LRC, no data (no start/end sentinel), too long/overflow, bad fields */
  SWIPE_PARITY = 8, SWIPE_LRC = 9, SWIPE_NODATA = 10, SWIPE_LONG = 11, SWIPE_FORMAT = 12,
  /** tap: the reader itself failed (no answer on the bus, ...); a card read that failed */
  TAP_FAULT = 13, TAP_ERROR = 14,
  COUNT = 16,
}

/** record size in bytes; LOW_FREE before the first sample (const enum: inlined, no RAM) */
export const enum HR { SIZE = 80, NONE = 0xFFFFFFFF }
/** DE 70 network management information code of the health 0800 (docs/health.md) */
export const NMI_HEALTH = "801";
/** firmware version printed and sent (package.json "version"; test/health/record.test.ts) */
export const FIRMWARE_VERSION = "0.1.0";

/** one 2-character tag per counter slot, in slot order ("--": not sent) */
const TAGS = "BTCRSKHTRVPOLFHESPSLSNSOSFTFTE--";

/** Writes the record of counters `c` with sequence `seq` into out[0..80). */
export function encodeRecord(c: Uint32Array, seq: number, crc: (d: Uint8Array) => number, out: Uint8Array): Uint8Array {
  out[0] = 0x48; out[1] = 0x4C; out[2] = 1; out[3] = H.COUNT;
  putU32(out, 4, seq);
  for (var i = 0; i < H.COUNT; i++) putU32(out, 8 + 4 * i, c[i]!);
  putU32(out, 72, HR.NONE);
  putU32(out, 76, crc(out.subarray(0, 76)));
  return out;
}

/** The record at b[at..at+80): its sequence number with the counters copied into `into`, or
 *  -1 (nothing copied) when it is not a whole valid record. */
export function decodeRecord(b: Uint8Array, at: number, crc: (d: Uint8Array) => number, into: Uint32Array): number {
  if (b[at] !== 0x48 || b[at + 1] !== 0x4C || b[at + 2] !== 1 || b[at + 3] !== H.COUNT) return -1;
  if (crc(b.subarray(at, at + 76)) !== getU32(b, at + 76)) return -1;
  for (var i = 0; i < H.COUNT; i++) into[i] = getU32(b, at + 8 + 4 * i);
  return getU32(b, at + 4);
}

/** DE 48 of the health 0800: "H1", then items TAG(2) LEN(2 digits) VALUE(LEN chars): every
 *  counter (LF only once sampled), the journal's wear (JE: most erases of one sector, JT: all
 *  erases), the record sequence (SQ) and the firmware version (FW). */
export function healthField(c: Uint32Array, seq: number, journalMax: number, journalTotal: number): string {
  var s = "H1";
  var item = function (tag: string, v: string) {
    s += tag + (v.length < 10 ? "0" : "") + v.length + v;
  };
  for (var i = 0; i < H.COUNT; i++) {
    var tag = TAGS.substr(2 * i, 2);
    if (tag !== "--" && !(i === H.LOW_FREE && c[i] === HR.NONE)) item(tag, "" + c[i]);
  }
  item("JE", "" + journalMax);
  item("JT", "" + journalTotal);
  item("SQ", "" + seq);
  item("FW", FIRMWARE_VERSION);
  return s;
}
