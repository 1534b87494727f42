// ISO 8583:1987 codec, binary "Asian EDC" packing (docs/host-protocol.md §1.2). Pure and
// table-driven: one type code and one maximum length per data element. Errors are thrown as
// plain Errors with `code` and `field` (no subclasses: Espruino's instanceof is unreliable).

export const enum FT {
  NONE = 0,
  /** fixed numeric, BCD, left padded with 0 */
  N = 1,
  /** numeric, 1-byte BCD digit count, BCD right padded with 0 */
  LLN = 2,
  /** track 2: like LLN plus the separator nibble D ('=' or 'D') */
  LLZ = 3,
  /** fixed ASCII (an/ans), right padded with spaces */
  AN = 4,
  /** fixed binary, bytes */
  B = 5,
  /** binary, 2-byte BCD byte count */
  LLLB = 6,
  /** ASCII, 2-byte BCD character count */
  LLLA = 7,
}

export type FieldValue = string | Uint8Array;

/** A message: MTI ("0200") and data elements by number. Numeric and ASCII elements are
 *  strings, binary ones Uint8Array. */
export interface IsoMsg {
  mti: string;
  f: { [de: number]: FieldValue };
}

export interface IsoError extends Error { code: string; field: number; }

export function isoError(code: string, field: number, detail: string): IsoError {
  var e = new Error(code + (field >= 0 ? " DE " + field : "") + ": " + detail) as IsoError;
  e.code = code;
  e.field = field;
  return e;
}

// Field table: type and maximum length (digits for N/LLN/LLZ, characters for AN/LLLA,
// bytes for B/LLLB).
var TYPES = new Uint8Array(129);
var MAXLEN = new Uint16Array(129);
function def(de: number, t: FT, max: number): void { TYPES[de] = t; MAXLEN[de] = max; }
def(2, FT.LLN, 19); def(3, FT.N, 6); def(4, FT.N, 12); def(7, FT.N, 10);
def(11, FT.N, 6); def(12, FT.N, 6); def(13, FT.N, 4); def(14, FT.N, 4);
def(22, FT.N, 3); def(24, FT.N, 3); def(25, FT.N, 2); def(35, FT.LLZ, 37);
def(37, FT.AN, 12); def(38, FT.AN, 6); def(39, FT.AN, 2); def(41, FT.AN, 8);
def(42, FT.AN, 15); def(48, FT.LLLA, 999); def(52, FT.B, 8); def(54, FT.LLLA, 120); def(55, FT.LLLB, 255);
def(60, FT.LLLA, 999); def(62, FT.LLLA, 999); def(63, FT.LLLA, 999); def(64, FT.B, 8); def(70, FT.N, 3);

export function fieldType(de: number): FT { return (TYPES[de] || 0) as FT; }
export function fieldMax(de: number): number { return MAXLEN[de] || 0; }

var NAMES: { [de: number]: string } = {
  2: "PAN", 3: "Processing code", 4: "Amount", 7: "Transmission date/time", 11: "STAN",
  12: "Local time", 13: "Local date", 14: "Expiry", 22: "POS entry mode", 24: "NII",
  25: "POS condition code", 35: "Track 2", 37: "RRN", 38: "Approval code",
  39: "Response code", 41: "TID", 42: "MID", 52: "PIN block", 54: "Additional amounts",
  55: "ICC data", 60: "Private 60", 62: "Invoice", 63: "Private 63 (totals)", 64: "MAC",
};
export function fieldName(de: number): string { return NAMES[de] || "DE " + de; }

// ---- nibble helpers ----

/** digit or track-2 separator -> nibble, or -1 */
function nibbleOf(c: number, allowSep: boolean): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (allowSep && (c === 61 || c === 68)) return 13; // '=' or 'D'
  return -1;
}

function putDigits(out: Uint8Array, off: number, s: string, nibbles: number, leftPad: boolean,
  allowSep: boolean, de: number): void {
  var pad = nibbles - s.length;
  for (var i = 0; i < nibbles; i++) {
    var k = leftPad ? i - pad : i;
    var v = 0;
    if (k >= 0 && k < s.length) {
      v = nibbleOf(s.charCodeAt(k), allowSep);
      if (v < 0) throw isoError("BAD_VALUE", de, "not a digit at " + k);
    }
    var b = off + (i >> 1);
    if (i & 1) out[b] = out[b]! | v; else out[b] = v << 4;
  }
}

function getDigits(buf: Uint8Array, off: number, nibbles: number, digits: number, leftPad: boolean,
  allowSep: boolean, de: number): string {
  var pad = nibbles - digits;
  var s = "";
  for (var i = 0; i < nibbles; i++) {
    var byte = buf[off + (i >> 1)]!;
    var v = (i & 1) ? byte & 15 : byte >> 4;
    var isPad = leftPad ? i < pad : i >= digits;
    if (isPad) {
      if (v !== 0 && v !== 15) throw isoError("BAD_BCD", de, "pad nibble " + v);
    } else if (v <= 9) {
      s += String.fromCharCode(48 + v);
    } else if (allowSep && v === 13) {
      s += "=";
    } else {
      throw isoError("BAD_BCD", de, "nibble " + v);
    }
  }
  return s;
}

/** BCD length prefix of `bytes` bytes (1 -> 2 digits, 2 -> 4 digits) */
function getLen(buf: Uint8Array, off: number, bytes: number, de: number): number {
  var n = 0;
  for (var i = 0; i < bytes; i++) {
    var b = buf[off + i]!;
    var hi = b >> 4, lo = b & 15;
    if (hi > 9 || lo > 9) throw isoError("BAD_BCD", de, "length prefix");
    n = n * 100 + hi * 10 + lo;
  }
  return n;
}

function putLen(out: Uint8Array, off: number, bytes: number, n: number): void {
  for (var i = bytes - 1; i >= 0; i--) {
    var two = n % 100;
    out[off + i] = ((two / 10) | 0) << 4 | (two % 10);
    n = (n / 100) | 0;
  }
}

function isText(s: string): boolean {
  for (var i = 0; i < s.length; i++) {
    var c = s.charCodeAt(i);
    if (c < 32 || c > 126) return false;
  }
  return true;
}

// ---- sizes ----

function valueLength(de: number, v: FieldValue): number {
  var t = fieldType(de), max = fieldMax(de);
  if (t === FT.NONE) throw isoError("UNKNOWN_FIELD", de, "not in the field table");
  var isBin = t === FT.B || t === FT.LLLB;
  if (isBin !== (typeof v !== "string")) throw isoError("BAD_VALUE", de, isBin ? "expects bytes" : "expects a string");
  var n = v.length;
  if (n > max) throw isoError("BAD_VALUE", de, "length " + n + " > " + max);
  if (t === FT.B && n !== max) throw isoError("BAD_VALUE", de, "length " + n + " != " + max);
  if ((t === FT.AN || t === FT.LLLA) && !isText(v as string)) throw isoError("BAD_VALUE", de, "not printable ASCII");
  switch (t) {
    case FT.N: return (max + 1) >> 1;
    case FT.LLN: case FT.LLZ: return 1 + ((n + 1) >> 1);
    case FT.AN: return max;
    case FT.B: return max;
    case FT.LLLB: case FT.LLLA: return 2 + n;
  }
  throw isoError("UNKNOWN_FIELD", de, "not in the field table");
}

function hasSecondary(m: IsoMsg): boolean {
  for (var de = 65; de <= 128; de++) if (m.f[de] !== undefined) return true;
  return false;
}

// ---- pack ----

/** Packs a message: MTI (2 B BCD), bitmap, fields in DE order. Throws BAD_VALUE/BAD_MTI/UNKNOWN_FIELD. */
export function pack(m: IsoMsg): Uint8Array {
  if (typeof m.mti !== "string" || m.mti.length !== 4 || nibbleOf(m.mti.charCodeAt(0), false) < 0) {
    throw isoError("BAD_MTI", -1, "MTI must be 4 digits");
  }
  var top = hasSecondary(m) ? 128 : 64;
  var size = 2 + (top >> 3);
  for (var de = 2; de <= top; de++) {
    var v = m.f[de];
    if (v !== undefined) size += valueLength(de, v);
  }
  var out = new Uint8Array(size);
  for (var i = 0; i < 4; i++) if (nibbleOf(m.mti.charCodeAt(i), false) < 0) throw isoError("BAD_MTI", -1, "MTI must be 4 digits");
  putDigits(out, 0, m.mti, 4, true, false, 0);
  if (top === 128) out[2] = 0x80;
  var off = 2 + (top >> 3);
  for (de = 2; de <= top; de++) {
    var val = m.f[de];
    if (val === undefined) continue;
    out[2 + ((de - 1) >> 3)] = out[2 + ((de - 1) >> 3)]! | (0x80 >> ((de - 1) & 7));
    off = packField(out, off, de, val);
  }
  return out;
}

function packField(out: Uint8Array, off: number, de: number, v: FieldValue): number {
  var t = fieldType(de), max = fieldMax(de), i: number;
  if (t === FT.N) {
    putDigits(out, off, v as string, (max + 1) & ~1, true, false, de);
    return off + ((max + 1) >> 1);
  }
  if (t === FT.LLN || t === FT.LLZ) {
    var s = v as string;
    putLen(out, off, 1, s.length);
    putDigits(out, off + 1, s, (s.length + 1) & ~1, false, t === FT.LLZ, de);
    return off + 1 + ((s.length + 1) >> 1);
  }
  if (t === FT.AN) {
    var a = v as string;
    for (i = 0; i < max; i++) out[off + i] = i < a.length ? a.charCodeAt(i) : 32;
    return off + max;
  }
  if (t === FT.B) {
    out.set(v as Uint8Array, off);
    return off + max;
  }
  putLen(out, off, 2, v.length);
  if (t === FT.LLLB) out.set(v as Uint8Array, off + 2);
  else for (i = 0; i < v.length; i++) out[off + 2 + i] = (v as string).charCodeAt(i);
  return off + 2 + v.length;
}

// ---- unpack ----

function need(buf: Uint8Array, off: number, n: number, end: number, de: number): void {
  if (off + n > end) throw isoError("TRUNCATED", de, "needs " + n + " bytes at " + off + ", has " + (end - off));
}

function ascii(buf: Uint8Array, off: number, n: number, de: number): string {
  var s = "";
  for (var i = 0; i < n; i++) {
    var c = buf[off + i]!;
    if (c < 32 || c > 126) throw isoError("BAD_CHAR", de, "byte " + c + " at " + i);
    s += String.fromCharCode(c);
  }
  return s;
}

/** Unpacks buf[start, end) as one message. Throws TRUNCATED, BAD_BCD, BAD_MTI, BAD_CHAR,
 *  LENGTH_OVERRUN, UNKNOWN_FIELD or TRAILING. AN fields keep their padding. */
export function unpack(buf: Uint8Array, start?: number, end?: number): IsoMsg {
  var off = start || 0;
  var stop = end === undefined ? buf.length : end;
  need(buf, off, 10, stop, -1);
  var mti: string;
  try { mti = getDigits(buf, off, 4, 4, true, false, 0); } catch (e) { throw isoError("BAD_MTI", -1, "not BCD"); }
  off += 2;
  var bm = off;
  var top = (buf[bm]! & 0x80) ? 128 : 64;
  need(buf, bm, top >> 3, stop, 1);
  off += top >> 3;
  var msg: IsoMsg = { mti: mti, f: {} };
  for (var de = 2; de <= top; de++) {
    if (!(buf[bm + ((de - 1) >> 3)]! & (0x80 >> ((de - 1) & 7)))) continue;
    off = unpackField(buf, off, stop, de, msg);
  }
  if (off !== stop) throw isoError("TRAILING", -1, (stop - off) + " bytes after the last field");
  return msg;
}

function unpackField(buf: Uint8Array, off: number, stop: number, de: number, msg: IsoMsg): number {
  var t = fieldType(de), max = fieldMax(de), n: number;
  if (t === FT.NONE) throw isoError("UNKNOWN_FIELD", de, "bit set for a field not in the table");
  if (t === FT.N) {
    n = (max + 1) >> 1;
    need(buf, off, n, stop, de);
    msg.f[de] = getDigits(buf, off, n * 2, max, true, false, de);
    return off + n;
  }
  if (t === FT.LLN || t === FT.LLZ) {
    need(buf, off, 1, stop, de);
    var digits = getLen(buf, off, 1, de);
    if (digits > max) throw isoError("LENGTH_OVERRUN", de, digits + " > " + max);
    n = (digits + 1) >> 1;
    need(buf, off + 1, n, stop, de);
    msg.f[de] = getDigits(buf, off + 1, n * 2, digits, false, t === FT.LLZ, de);
    return off + 1 + n;
  }
  if (t === FT.AN || t === FT.B) {
    need(buf, off, max, stop, de);
    msg.f[de] = t === FT.AN ? ascii(buf, off, max, de) : new Uint8Array(buf.subarray(off, off + max));
    return off + max;
  }
  need(buf, off, 2, stop, de);
  n = getLen(buf, off, 2, de);
  if (n > max) throw isoError("LENGTH_OVERRUN", de, n + " > " + max);
  need(buf, off + 2, n, stop, de);
  msg.f[de] = t === FT.LLLB ? new Uint8Array(buf.subarray(off + 2, off + 2 + n)) : ascii(buf, off + 2, n, de);
  return off + 2 + n;
}

// ---- small helpers shared by builders and tools ----

/** n as `width` decimal digits, zero padded (integers only) */
export function digits(n: number, width: number): string {
  var s = String(n);
  while (s.length < width) s = "0" + s;
  return s;
}

/** AN fields come back padded with spaces; strip the right padding */
export function trimRight(s: string): string {
  var e = s.length;
  while (e > 0 && s.charCodeAt(e - 1) === 32) e--;
  return s.substr(0, e);
}
