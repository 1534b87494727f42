// On-flash format of the serial journal (pure: no I/O). See docs/journal.md.
// Frame kinds and answer results are the transaction vocabulary's (firmware/txn.ts).
//
// Sector (4 KiB): a 32-byte header, then fixed 48-byte frames. A frame is a 32-byte record R
// (written at reserve) and a 16-byte answer A (written once, later). Both are 16-byte aligned
// and never straddle a 256-byte program page: where R would, the frame stores A first.

import { Kind, EntryMode } from "../txn";

export var HEADER_SIZE = 32;
export var FRAME_SIZE = 48;
export var R_SIZE = 32;
export var A_SIZE = 16;
export var PAGE_SIZE = 256;
export var MAX_NUMBER = 999999;

/** State bytes of R (offset inside R). A state is set when any bit of its byte is 0 (round
 *  up); a partial byte is completed to 0x00 when the sector is sealed. */
export const enum St { Commit = 24, Sent = 25, Printed = 26, Voided = 27, RevSet = 28, RevCleared = 29, Reversed = 30, Uploaded = 31 }

/** 1..999999, wrapping to 1, never 0. */
export function nextNumber(n: number): number { return n >= MAX_NUMBER ? 1 : n + 1; }
export function validNumber(n: number): boolean { return n >= 1 && n <= MAX_NUMBER && n === Math.floor(n); }
/** n advanced by k steps on the 1..999999 ring */
export function advance(n: number, k: number): number { return ((n - 1 + k) % MAX_NUMBER) + 1; }

export function framesPerSector(sectorSize: number): number { return Math.floor((sectorSize - HEADER_SIZE) / FRAME_SIZE); }
/** offset of frame f's R inside its sector */
export function rOff(f: number): number {
  var o = HEADER_SIZE + f * FRAME_SIZE;
  return (o & (PAGE_SIZE - 1)) + R_SIZE > PAGE_SIZE ? o + A_SIZE : o;
}
/** offset of frame f's A inside its sector */
export function aOff(f: number): number {
  var o = HEADER_SIZE + f * FRAME_SIZE;
  return (o & (PAGE_SIZE - 1)) + R_SIZE > PAGE_SIZE ? o : o + R_SIZE;
}

// ---- little-endian fields -------------------------------------------------------------
export function putU32(b: Uint8Array, at: number, v: number): void {
  b[at] = v & 255; b[at + 1] = (v >>> 8) & 255; b[at + 2] = (v >>> 16) & 255; b[at + 3] = (v >>> 24) & 255;
}
export function getU32(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}
/** kind nibble + three 20-bit numbers in 8 bytes */
export function putNumbers(b: Uint8Array, at: number, nib: number, stan: number, inv: number, batch: number): void {
  b[at] = (nib & 15) | ((stan & 15) << 4);
  b[at + 1] = (stan >> 4) & 255;
  b[at + 2] = (stan >> 12) & 255;
  b[at + 3] = inv & 255;
  b[at + 4] = (inv >> 8) & 255;
  b[at + 5] = ((inv >> 16) & 15) | ((batch & 15) << 4);
  b[at + 6] = (batch >> 4) & 255;
  b[at + 7] = (batch >> 12) & 255;
}
export function getNib(b: Uint8Array, at: number): number { return b[at]! & 15; }
export function getStan(b: Uint8Array, at: number): number { return (b[at]! >> 4) | (b[at + 1]! << 4) | (b[at + 2]! << 12); }
export function getInv(b: Uint8Array, at: number): number { return b[at + 3]! | (b[at + 4]! << 8) | ((b[at + 5]! & 15) << 16); }
export function getBatch(b: Uint8Array, at: number): number { return (b[at + 5]! >> 4) | (b[at + 6]! << 4) | (b[at + 7]! << 12); }

/** true when every byte of b[at..at+n) is 0xFF */
export function isErased(b: Uint8Array, at: number, n: number): boolean {
  for (var i = at; i < at + n; i++) if (b[i] !== 255) return false;
  return true;
}
export function isZero(b: Uint8Array, at: number, n: number): boolean {
  for (var i = at; i < at + n; i++) if (b[i] !== 0) return false;
  return true;
}
export function sameBytes(a: Uint8Array, at: number, b: Uint8Array, bt: number, n: number): boolean {
  for (var i = 0; i < n; i++) if (a[at + i] !== b[bt + i]) return false;
  return true;
}

export type Crc32 = (data: Uint8Array) => number;

// ---- sector header ----------------------------------------------------------------------
// 0..3 magic "JRN1", 4..7 seq, 8..15 next numbers (nibble = format 1), 16..19 erase count,
// 20..23 reserved (FF), 24..27 CRC-32 of 0..23, 28..31 commit word (0 = committed, written
// after the rest read back correctly).
export var MAGIC = [0x4A, 0x52, 0x4E, 0x31];
/** the journal format this build writes and reads (the header's format nibble). A firmware that
 *  changes the layout bumps it; an older firmware then refuses the journal (journal.ts boot) instead
 *  of misreading it, and the update refuses an image whose format is lower (docs/update.md). */
export var FORMAT_VERSION = 1;
export interface Header { seq: number; stan: number; invoice: number; batch: number; erases: number; }

export function encodeHeader(h: Header, crc: Crc32): Uint8Array {
  var b = new Uint8Array(HEADER_SIZE);
  b.fill(255);
  b.set(MAGIC, 0);
  putU32(b, 4, h.seq);
  putNumbers(b, 8, FORMAT_VERSION, h.stan, h.invoice, h.batch);
  putU32(b, 16, h.erases);
  putU32(b, 24, crc(b.subarray(0, 24)));
  return b;
}
/** null unless magic, CRC and the commit word are all good */
export function decodeHeader(b: Uint8Array, at: number, crc: Crc32): Header | null {
  for (var i = 0; i < 4; i++) if (b[at + i] !== MAGIC[i]) return null;
  if (getU32(b, at + 28) !== 0) return null;
  if (getNib(b, at + 8) !== FORMAT_VERSION) return null;
  if (crc(b.subarray(at, at + 24)) !== getU32(b, at + 24)) return null;
  var h = { seq: getU32(b, at + 4), stan: getStan(b, at + 8), invoice: getInv(b, at + 8), batch: getBatch(b, at + 8), erases: getU32(b, at + 16) };
  if (!validNumber(h.stan) || !validNumber(h.invoice) || !validNumber(h.batch)) return null;
  return h;
}

// ---- record R -----------------------------------------------------------------------------
// 0..7 kind + stan + invoice + batch, 8..11 amount (Update: target slot), 12..13 card word:
// last four digits (14 bits, 0x3FFF: none) + entry mode (top 2 bits, inverted: 11 = not
// recorded, as every frame written before it was kept), 14..21 PAN token, 22..23 CRC-16 (low
// half of CRC-32) of 0..21, 24..31 state bytes (St). Body = 0..23, written and read back
// before the commit byte.
export var BODY_SIZE = 24;
/** the card word of a frame without a card: no last four, no entry mode */
export var NO_CARD = 0xFFFF;

export function encodeBody(out: Uint8Array, kind: number, stan: number, inv: number, batch: number,
  amount: number, card: number, token: Uint8Array | undefined, crc: Crc32, tail?: Uint8Array): void {
  out.fill(255, 0, BODY_SIZE);
  putNumbers(out, 0, kind, stan, inv, batch);
  putU32(out, 8, amount);
  out[12] = card & 255; out[13] = (card >> 8) & 255;
  if (token) out.set(token.length > 8 ? token.subarray(0, 8) : token, 14);
  if (tail) out.set(tail, 12); // an update frame's extension (bytes 12..21)
  var c = crc(out.subarray(0, 22));
  out[22] = c & 255; out[23] = (c >>> 8) & 255;
}
/** body CRC good, kind known, commit byte not erased */
export function validR(b: Uint8Array, at: number, crc: Crc32): boolean {
  var k = getNib(b, at);
  if (k < Kind.Sale || k > Kind.BatchClose) return false;
  if (b[at + St.Commit] === 255) return false;
  var c = crc(b.subarray(at, at + 22));
  return b[at + 22] === (c & 255) && b[at + 23] === ((c >>> 8) & 255);
}

// ---- answer A ------------------------------------------------------------------------------
// Byte 0: result (bits 0-1) + mode (bits 2-3) + card type (high nibble, Brand inverted: 1111 =
// not recorded, as every answer written before it was kept). Bits are numbered MSB first.
// Bits 8..95: RC (2 x 6) + auth code (6 x 6) + RRN (40-bit binary); bytes 12..15: CRC-32 of
// R[0..7] + A[0..11], so an answer can only belong to its own record and a torn answer is
// refused (a cut inside the CRC word cannot match).
//  mode 1: the RRN is 12 digits, stored here;
//  mode 2: any other RRN: stored in an extension frame (an update frame carrying 12 x 6-bit
//          characters) written and verified BEFORE this answer, which commits both; the RRN
//          field then holds the CRC-32 of the RRN, naming the extension that belongs to it.
var ALPHA = " 0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-";

function putBits(b: Uint8Array, pos: number, n: number, v: number): void {
  for (var i = 0; i < n; i++) {
    var p = pos + i;
    if ((v >> (n - 1 - i)) & 1) b[p >> 3]! |= 128 >> (p & 7); else b[p >> 3]! &= ~(128 >> (p & 7));
  }
}
function getBits(b: Uint8Array, pos: number, n: number): number {
  var v = 0;
  for (var i = 0; i < n; i++) { var p = pos + i; v = v * 2 + ((b[p >> 3]! >> (7 - (p & 7))) & 1); }
  return v;
}
function putChars(b: Uint8Array, pos: number, s: string, n: number): number {
  for (var i = 0; i < n; i++) putBits(b, pos + i * 6, 6, i < s.length ? ALPHA.indexOf(s.charAt(i)) : 0);
  return pos + n * 6;
}
function getChars(b: Uint8Array, pos: number, n: number): string {
  var s = "";
  for (var i = 0; i < n; i++) s += ALPHA.charAt(getBits(b, pos + i * 6, 6));
  var e = s.length;
  while (e > 0 && s.charAt(e - 1) === " ") e--;
  return s.substring(0, e);
}
function encodable(s: string, max: number): boolean {
  if (typeof s !== "string" || s.length > max) return false;
  for (var i = 0; i < s.length; i++) if (ALPHA.indexOf(s.charAt(i)) < 0) return false;
  return s.length === 0 || s.charAt(s.length - 1) !== " "; // trailing spaces would not survive
}
function allDigits(s: string, n: number): boolean {
  if (s.length !== n) return false;
  for (var i = 0; i < n; i++) { var c = s.charCodeAt(i); if (c < 48 || c > 57) return false; }
  return true;
}

/** brand: the card type (Brand), journaled with the answer (R has no room left for it) */
export interface Answer { result: number; rc: string; authCode: string; rrn: string; brand?: number; rrnHash?: number; }

/** CRC-32 of an RRN's characters: binds a mode 2 answer to its extension frame */
export function rrnHash(rrn: string, crc: Crc32): number {
  var b = new Uint8Array(rrn.length);
  for (var i = 0; i < rrn.length; i++) b[i] = rrn.charCodeAt(i);
  return crc(b);
}

/** true when the RRN goes in an extension frame (not 12 digits, not empty) */
export function rrnNeedsExtension(rrn: string): boolean { return rrn !== "" && !allDigits(rrn, 12); }

/** null when the answer cannot be stored: characters outside [ 0-9A-Za-z-] or too long */
export function encodeAnswer(rBytes: Uint8Array, rAt: number, a: Answer, crc: Crc32): Uint8Array | null {
  if (a.result < 1 || a.result > 3 || !encodable(a.rc, 2) || !encodable(a.authCode, 6) || !encodable(a.rrn, 12)) return null;
  var out = new Uint8Array(A_SIZE);
  var tmp = new Uint8Array(8 + A_SIZE);
  tmp.set(rBytes.subarray(rAt, rAt + 8), 0);
  var digits = allDigits(a.rrn, 12);
  out[0] = ((15 - ((a.brand || 0) & 15)) << 4) | a.result | (digits ? 4 : 8);
  var p = putChars(out, 8, a.rc, 2);
  p = putChars(out, p, a.authCode, 6);
  var v = digits ? parseInt(a.rrn, 10) : rrnHash(a.rrn, crc); // mode 2: which extension is ours
  putBits(out, p, 20, Math.floor(v / 1048576)); putBits(out, p + 20, 20, v % 1048576);
  tmp.set(out.subarray(0, 12), 8);
  putU32(out, 12, crc(tmp.subarray(0, 20)));
  return out;
}

/** null when the A bytes are not a valid answer for this record; mode 2 gives rrn "" (the
 *  caller takes it from the extension frame) */
export function decodeAnswer(rBytes: Uint8Array, rAt: number, b: Uint8Array, at: number, crc: Crc32): Answer | null {
  var result = b[at]! & 3, mode = (b[at]! >> 2) & 3;
  if (result === 0 || (mode !== 1 && mode !== 2)) return null;
  var tmp = new Uint8Array(8 + A_SIZE);
  tmp.set(rBytes.subarray(rAt, rAt + 8), 0);
  tmp.set(b.subarray(at, at + A_SIZE), 8);
  var a = tmp.subarray(8);
  if (crc(tmp.subarray(0, 20)) !== getU32(a, 12)) return null;
  var rrn = "", v = getBits(a, 56, 20) * 1048576 + getBits(a, 76, 20);
  if (mode === 1) {
    rrn = String(v);
    while (rrn.length < 12) rrn = "0" + rrn;
  }
  return { result: result, rc: getChars(a, 8, 2), authCode: getChars(a, 20, 6), rrn: rrn, brand: 15 - (a[0]! >> 4), rrnHash: mode === 2 ? v : undefined };
}

/** RRN extension: bytes 12..21 of an update frame's body: 12 x 6-bit characters, then 0xA5 */
export var RRN_EXT_MARK = 0xA5;
export function encodeRrnExt(rrn: string): Uint8Array {
  var out = new Uint8Array(10);
  putChars(out, 0, rrn, 12);
  out[9] = RRN_EXT_MARK;
  return out;
}
export function decodeRrnExt(b: Uint8Array, at: number): string | null {
  if (b[at + 9] !== RRN_EXT_MARK) return null;
  return getChars(b.subarray(at, at + 9), 0, 12);
}

/** the card word of R: last four PAN digits (0x3FFF for none or bad input) and the entry
 *  mode (DE 22: swipe, tap, keyed; anything else is kept as not recorded) */
export function packCard(last4: string | undefined, entryMode: string | undefined): number {
  var v = 0x3FFF, e = entryMode === EntryMode.Swipe ? 1 : entryMode === EntryMode.Tap ? 2 : entryMode === EntryMode.Keyed ? 3 : 0;
  if (last4 && last4.length === 4) {
    v = 0;
    for (var i = 0; i < 4; i++) { var c = last4.charCodeAt(i) - 48; if (c < 0 || c > 9) { v = 0x3FFF; break; } v = v * 10 + c; }
  }
  return v | ((3 - e) << 14);
}
export function unpackLast4(w: number): string {
  var v = w & 0x3FFF;
  if (v > 9999) return "";
  var s = String(v);
  while (s.length < 4) s = "0" + s;
  return s;
}
/** DE 22 of a card word ("" when not recorded) */
export function unpackEntry(w: number): string {
  var e = 3 - ((w >> 14) & 3);
  return e === 1 ? EntryMode.Swipe : e === 2 ? EntryMode.Tap : e === 3 ? EntryMode.Keyed : "";
}
