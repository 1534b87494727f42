// ISO 7811/7813 magnetic track decoding (pure): raw bits -> characters -> card fields.
// Bits are recorded LSB first, odd parity last; track 1 uses 6 data bits (ASCII - 0x20),
// track 2 uses 4 (ASCII - 0x30). The LRC is the XOR of the data bits of SS..ES and carries
// its own odd parity. A reverse swipe delivers the bits backwards: we retry reversed.
// No regexes, bounded loops, never throws on any input.

/** "ok" or why a swipe was rejected (also the keys of the reader statistics). */
export type TrackReason = "ok" | "no_data" | "no_start" | "parity" | "lrc" | "no_end" | "too_long" |
  "bad_format" | "bad_pan" | "bad_expiry" | "bad_service" | "overflow";

export interface TrackDecode {
  reason: TrackReason;
  /** SS..ES inclusive (no LRC), "" unless reason is "ok" */
  text: string;
  reversed: boolean;
}

interface TrackFormat { width: number; offset: number; ss: number; es: number; maxChars: number; minZeros: number; }

// Track 3 has the track 2 character set; the terminal only reads 1 and 2.
var T1: TrackFormat = { width: 7, offset: 0x20, ss: 0x25, es: 0x3f, maxChars: 79, minZeros: 9 };
var T2: TrackFormat = { width: 5, offset: 0x30, ss: 0x3b, es: 0x3f, maxChars: 40, minZeros: 4 };

function formatOf(track: number): TrackFormat { return track === 1 ? T1 : T2; }

/** Reads one character at bit position p; returns its code (0..63), or -1 on parity error. */
function readChar(bits: Uint8Array, p: number, width: number): number {
  var v = 0, ones = 0;
  for (var i = 0; i < width; i++) {
    var b = bits[p + i] ? 1 : 0;
    ones += b;
    if (i < width - 1) v |= b << i;
  }
  return (ones & 1) === 1 ? v : -1;
}

/** Decodes from a start sentinel at bit p. Result in out; returns the reason. */
function decodeAt(bits: Uint8Array, count: number, p: number, f: TrackFormat, out: TrackDecode): TrackReason {
  var text = "";
  var lrc = 0;
  var dataMask = (1 << (f.width - 1)) - 1;
  for (var n = 0; n < f.maxChars; n++) {
    if (p + f.width > count) return "no_end";
    var c = readChar(bits, p, f.width);
    if (c < 0) return "parity";
    p += f.width;
    if (n === f.maxChars - 1) return "too_long"; // this slot could only be the LRC
    text += String.fromCharCode(c + f.offset);
    lrc ^= c;
    if (c + f.offset === f.es) {
      if (p + f.width > count) return "no_end";
      var l = readChar(bits, p, f.width);
      if (l < 0) return "parity";
      if ((l & dataMask) !== lrc) return "lrc";
      out.text = text;
      return "ok";
    }
  }
  return "too_long";
}

/** Ranks failures: a failure found after a real start sentinel says more than "no_start". */
function rank(r: TrackReason): number {
  return r === "ok" ? 9 : r === "no_start" ? 0 : r === "no_data" ? 0 : 1;
}

/** One direction: tries every start-sentinel candidate preceded by enough zero bits (noise
 *  ahead of the real start can mimic one), keeps the best outcome. */
function decodeDirection(bits: Uint8Array, count: number, f: TrackFormat, out: TrackDecode): TrackReason {
  var zeros = 0;
  var best: TrackReason = "no_start";
  var ssCode = f.ss - f.offset;
  for (var p = 0; p < count; p++) {
    if (!bits[p]) { zeros++; continue; }
    if (zeros >= f.minZeros && readChar(bits, p, f.width) === ssCode) {
      var r = decodeAt(bits, count, p, f, out);
      if (r === "ok") return r;
      if (rank(r) > rank(best)) best = r;
    }
    zeros = 0;
  }
  return best;
}

var scratch: Uint8Array | undefined;

/** Decodes a track from raw bits (one bit per byte, first bit read first). */
export function decodeTrack(bits: Uint8Array, count: number, track: number): TrackDecode {
  var out: TrackDecode = { reason: "no_data", text: "", reversed: false };
  if (count > bits.length) count = bits.length;
  var any = false;
  for (var i = 0; i < count && !any; i++) any = bits[i] !== 0;
  if (!any) return out;
  var f = formatOf(track);
  var fwd = decodeDirection(bits, count, f, out);
  if (fwd === "ok") { out.reason = fwd; return out; }
  if (!scratch || scratch.length < count) scratch = new Uint8Array(count);
  for (var j = 0; j < count; j++) scratch[j] = bits[count - 1 - j]!;
  var rev = decodeDirection(scratch, count, f, out);
  scratch.fill(0); // track data never lingers in a shared buffer
  if (rev === "ok") { out.reason = rev; out.reversed = true; return out; }
  out.reason = rank(rev) > rank(fwd) ? rev : fwd;
  out.text = "";
  return out;
}

/** Bits as a "0101..." string (tools and probes); other characters are skipped. */
export function bitsFromString(s: string): Uint8Array {
  var n = 0, i;
  for (i = 0; i < s.length; i++) if (s.charAt(i) === "0" || s.charAt(i) === "1") n++;
  var bits = new Uint8Array(n);
  n = 0;
  for (i = 0; i < s.length; i++) {
    var ch = s.charAt(i);
    if (ch === "0" || ch === "1") bits[n++] = ch === "1" ? 1 : 0;
  }
  return bits;
}
