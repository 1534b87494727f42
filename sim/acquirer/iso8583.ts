// The acquirer simulator's own ISO 8583 codec (Node only). Written from the wire format in
// docs/host-protocol.md §1.2, NOT from firmware/host/iso8583.ts: the simulator is the other
// end of every test of the terminal, so a codec shared with the firmware would make a codec
// bug agree with itself. test/host/codec-crosscheck.test.ts holds the two against each other.
//
// Layout: MTI (n4, 2 bytes BCD), primary bitmap (8 bytes; bit 1 announces a secondary one of
// 8 more bytes), then the data elements in ascending order, each packed as its spec says.
// BCD is handled as hex text (Buffer "hex"): one hex digit per nibble.

/** How a data element travels. Numeric lengths count digits, ASCII lengths characters,
 *  binary lengths bytes. */
export type FieldFormat =
  /** fixed numeric: ceil(max/2) bytes BCD, value left padded with 0 */
  | "n"
  /** numeric LLVAR: 1-byte BCD digit count, BCD, an odd count padded right */
  | "LLVAR n"
  /** track 2 LLVAR: as LLVAR n, separator nibble D ('=' in the value) */
  | "LLVAR z"
  /** fixed ASCII (an / ans): max bytes, right padded with spaces */
  | "ans"
  /** fixed binary: exactly max bytes */
  | "b"
  /** binary LLLVAR: 2-byte BCD byte count */
  | "LLLVAR b"
  /** ASCII LLLVAR: 2-byte BCD character count */
  | "LLLVAR ans";

export interface FieldSpec { readonly de: number; readonly name: string; readonly format: FieldFormat; readonly max: number; }

/** The host's field specification (docs/host-protocol.md §1.2). A DE not listed here cannot
 *  be skipped when received (its length is unknown), so it is UNKNOWN_FIELD. */
export const FIELDS: ReadonlyMap<number, FieldSpec> = new Map(([
  [2, "PAN", "LLVAR n", 19],
  [3, "Processing code", "n", 6],
  [4, "Amount", "n", 12],
  [7, "Transmission date/time", "n", 10],
  [11, "STAN", "n", 6],
  [12, "Local time", "n", 6],
  [13, "Local date", "n", 4],
  [14, "Expiry", "n", 4],
  [22, "POS entry mode", "n", 3],
  [24, "NII", "n", 3],
  [25, "POS condition code", "n", 2],
  [35, "Track 2", "LLVAR z", 37],
  [37, "RRN", "ans", 12],
  [38, "Approval code", "ans", 6],
  [39, "Response code", "ans", 2],
  [41, "TID", "ans", 8],
  [42, "MID", "ans", 15],
  [48, "Additional data (private: health report)", "LLLVAR ans", 999],
  [52, "PIN block", "b", 8],
  [54, "Additional amounts", "LLLVAR ans", 120],
  [55, "ICC data", "LLLVAR b", 255],
  [60, "Private 60", "LLLVAR ans", 999],
  [62, "Invoice", "LLLVAR ans", 999],
  [63, "Private 63 (totals)", "LLLVAR ans", 999],
  [64, "MAC", "b", 8],
  [70, "Network management information code", "n", 3],
] as const).map(([de, name, format, max]) => [de, { de, name, format, max }]));

export function isBinary(format: FieldFormat): boolean { return format === "b" || format === "LLLVAR b"; }

/** Numeric and ASCII elements are strings (ASCII ones as on the wire, padding kept; the
 *  track-2 separator as '='), binary ones bytes (Buffer when decoded here). */
export type FieldValue = string | Uint8Array;
export interface IsoMessage { mti: string; f: { [de: number]: FieldValue } }

/** Error codes of docs/host-protocol.md §1.2. */
export type CodecErrorCode = "TRUNCATED" | "BAD_BCD" | "LENGTH_OVERRUN" | "UNKNOWN_FIELD" | "BAD_MTI" | "BAD_VALUE" | "TRAILING" | "BAD_CHAR";

export class CodecError extends Error {
  constructor(readonly code: CodecErrorCode, readonly field: number, detail: string) {
    super(`${code}${field >= 0 ? ` DE ${field}` : ""}: ${detail}`);
    this.name = "CodecError";
  }
}

const PRINTABLE = /^[\x20-\x7e]*$/;

// ---------------------------------------------------------------- encode

/** BCD of a nibble string ("0-9", "D"); an odd count gets a 0 nibble on the given side */
function bcd(nibbles: string, padLeft: boolean): Buffer {
  const even = nibbles.length % 2 === 0 ? nibbles : padLeft ? "0" + nibbles : nibbles + "0";
  return Buffer.from(even, "hex");
}

/** a length prefix of `bytes` BCD bytes */
function lengthPrefix(n: number, bytes: 1 | 2): Buffer {
  return Buffer.from(String(n).padStart(bytes * 2, "0"), "hex");
}

function encodeField(spec: FieldSpec, v: unknown): Buffer {
  const { de, format, max } = spec;
  const bad = (why: string) => new CodecError("BAD_VALUE", de, why);
  if (isBinary(format)) {
    if (!(v instanceof Uint8Array)) throw bad("expects bytes");
    if (v.length > max || (format === "b" && v.length !== max)) throw bad(`${v.length} bytes, ${format === "b" ? "needs exactly" : "at most"} ${max}`);
    return format === "b" ? Buffer.from(v) : Buffer.concat([lengthPrefix(v.length, 2), v]);
  }
  if (typeof v !== "string") throw bad("expects a string");
  if (v.length > max) throw bad(`${v.length} characters, at most ${max}`);
  switch (format) {
    case "n":
      if (!/^\d*$/.test(v)) throw bad("not all digits");
      return bcd(v.padStart(max, "0"), true);
    case "LLVAR n":
      if (!/^\d*$/.test(v)) throw bad("not all digits");
      return Buffer.concat([lengthPrefix(v.length, 1), bcd(v, false)]);
    case "LLVAR z":
      if (!/^[\d=D]*$/.test(v)) throw bad("track 2 takes digits and the separator '=' (or 'D')");
      return Buffer.concat([lengthPrefix(v.length, 1), bcd(v.replace(/=/g, "D"), false)]);
    case "ans":
      if (!PRINTABLE.test(v)) throw bad("not printable ASCII");
      return Buffer.from(v.padEnd(max, " "), "latin1");
    case "LLLVAR ans":
      if (!PRINTABLE.test(v)) throw bad("not printable ASCII");
      return Buffer.concat([lengthPrefix(v.length, 2), Buffer.from(v, "latin1")]);
  }
  throw bad("unhandled format");
}

/** Message -> bytes (MTI, bitmap(s), elements in DE order). Throws CodecError BAD_MTI,
 *  UNKNOWN_FIELD (a key not in FIELDS) or BAD_VALUE. */
export function encode(m: IsoMessage): Buffer {
  if (typeof m.mti !== "string" || !/^\d{4}$/.test(m.mti)) throw new CodecError("BAD_MTI", -1, `MTI must be 4 digits, got ${JSON.stringify(m.mti)}`);
  const present: number[] = [];
  for (const key of Object.keys(m.f)) {
    if (m.f[Number(key)] === undefined) continue;
    const de = Number(key);
    if (!FIELDS.has(de)) throw new CodecError("UNKNOWN_FIELD", Number.isInteger(de) ? de : -1, `DE ${key} is not in the field specification`);
    present.push(de);
  }
  present.sort((a, b) => a - b);
  const secondary = present.some((de) => de > 64);
  const bitmap = Buffer.alloc(secondary ? 16 : 8);
  if (secondary) bitmap[0]! |= 0x80;
  const parts: Buffer[] = [Buffer.from(m.mti, "hex"), bitmap];
  for (const de of present) {
    bitmap[(de - 1) >> 3]! |= 0x80 >> ((de - 1) % 8);
    parts.push(encodeField(FIELDS.get(de)!, m.f[de]));
  }
  return Buffer.concat(parts);
}

// ---------------------------------------------------------------- decode

class Reader {
  constructor(readonly buf: Buffer, public pos: number, readonly end: number) {}
  take(n: number, de: number): Buffer {
    if (this.pos + n > this.end) throw new CodecError("TRUNCATED", de, `needs ${n} bytes at ${this.pos}, has ${this.end - this.pos}`);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
}

/** digits of a BCD length prefix */
function readLength(r: Reader, bytes: 1 | 2, spec: FieldSpec): number {
  const hex = r.take(bytes, spec.de).toString("hex");
  if (!/^\d+$/.test(hex)) throw new CodecError("BAD_BCD", spec.de, `length prefix ${hex.toUpperCase()} is not BCD`);
  const n = Number(hex);
  if (n > spec.max) throw new CodecError("LENGTH_OVERRUN", spec.de, `length ${n} > maximum ${spec.max}`);
  return n;
}

/** BCD bytes -> the `count` value nibbles; the pad nibble (left or right, when the byte count
 *  holds one more nibble) must be 0 or F */
function readDigits(raw: Buffer, count: number, padLeft: boolean, separator: boolean, de: number): string {
  const hex = raw.toString("hex").toUpperCase();
  const padCount = hex.length - count;
  const pad = padLeft ? hex.slice(0, padCount) : hex.slice(count);
  const value = padLeft ? hex.slice(padCount) : hex.slice(0, count);
  if (!/^[0F]*$/.test(pad)) throw new CodecError("BAD_BCD", de, `pad nibble ${pad} (0 or F expected)`);
  if (!(separator ? /^[\dD]*$/ : /^\d*$/).test(value)) throw new CodecError("BAD_BCD", de, `${value} is not ${separator ? "track 2 BCD" : "BCD"}`);
  return separator ? value.replace(/D/g, "=") : value;
}

function readText(raw: Buffer, de: number): string {
  const at = raw.findIndex((c) => c < 0x20 || c > 0x7e);
  if (at >= 0) throw new CodecError("BAD_CHAR", de, `byte 0x${raw[at]!.toString(16).padStart(2, "0")} at ${at} is not printable ASCII`);
  return raw.toString("latin1");
}

function decodeField(r: Reader, spec: FieldSpec): FieldValue {
  const { de, format, max } = spec;
  switch (format) {
    case "n": return readDigits(r.take(Math.ceil(max / 2), de), max, true, false, de);
    case "LLVAR n":
    case "LLVAR z": {
      const n = readLength(r, 1, spec);
      return readDigits(r.take(Math.ceil(n / 2), de), n, false, format === "LLVAR z", de);
    }
    case "ans": return readText(r.take(max, de), de);
    case "b": return Buffer.from(r.take(max, de));
    case "LLLVAR b": return Buffer.from(r.take(readLength(r, 2, spec), de));
    case "LLLVAR ans": return readText(r.take(readLength(r, 2, spec), de), de);
  }
}

/** Bytes [start, end) -> one message. Throws CodecError TRUNCATED, BAD_MTI, BAD_BCD,
 *  LENGTH_OVERRUN, UNKNOWN_FIELD, BAD_CHAR or TRAILING. */
export function decode(bytes: Uint8Array, start = 0, end = bytes.length): IsoMessage {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const r = new Reader(buf, start, end);
  if (end - start < 10) throw new CodecError("TRUNCATED", -1, `needs 10 bytes (MTI and bitmap) at ${start}, has ${end - start}`);
  const mti = r.take(2, -1).toString("hex");
  if (!/^\d{4}$/.test(mti)) throw new CodecError("BAD_MTI", -1, `${mti.toUpperCase()} is not BCD`);
  let bitmap = r.take(8, 1);
  if (bitmap[0]! & 0x80) bitmap = Buffer.concat([bitmap, r.take(8, 1)]);
  const msg: IsoMessage = { mti, f: {} };
  for (let de = 2; de <= bitmap.length * 8; de++) {
    if (!(bitmap[(de - 1) >> 3]! & (0x80 >> ((de - 1) % 8)))) continue;
    const spec = FIELDS.get(de);
    if (!spec) throw new CodecError("UNKNOWN_FIELD", de, "bitmap bit set for a field not in the specification (its length is unknown)");
    msg.f[de] = decodeField(r, spec);
  }
  if (r.pos !== end) throw new CodecError("TRAILING", -1, `${end - r.pos} bytes after the last field`);
  return msg;
}

// ---------------------------------------------------------------- value helpers

/** an ASCII element without its right padding ("" when absent or binary) */
export function text(m: IsoMessage, de: number): string {
  const v = m.f[de];
  return typeof v === "string" ? v.replace(/ +$/, "") : "";
}

/** n zero padded to `width` digits; throws when it does not fit */
export function zeroPad(n: number, width: number): string {
  const s = String(n);
  if (!Number.isInteger(n) || n < 0 || s.length > width) throw new RangeError(`${n} does not fit ${width} digits`);
  return s.padStart(width, "0");
}

/** "0200" -> "0210": function digit + 1 */
export function responseMti(mti: string): string {
  return mti.slice(0, 2) + String((Number(mti[2]) + 1) % 10) + mti.slice(3);
}
