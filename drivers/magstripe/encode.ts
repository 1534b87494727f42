// Track text -> recorded bits (pure), the inverse of track.ts: for the virtual reader, the
// self-tests and the tools. Text is SS..ES inclusive; the LRC is appended here.

/** Returns the bits (one per byte) with leading/trailing clocking zeros, or throws on a
 *  character outside the track's set. */
export function encodeTrack(text: string, track: number, leadingZeros: number, trailingZeros: number): Uint8Array {
  var width = track === 1 ? 7 : 5;
  var offset = track === 1 ? 0x20 : 0x30;
  var mask = (1 << (width - 1)) - 1;
  var bits = new Uint8Array(leadingZeros + (text.length + 1) * width + trailingZeros);
  var p = leadingZeros;
  var lrc = 0;
  for (var i = 0; i <= text.length; i++) {
    var v: number;
    if (i < text.length) {
      v = text.charCodeAt(i) - offset;
      if (v < 0 || v > mask) throw new Error("char '" + text.charAt(i) + "' not in track " + track + " set");
      lrc ^= v;
    } else {
      v = lrc;
    }
    var ones = 0;
    for (var b = 0; b < width - 1; b++) {
      var bit = (v >> b) & 1;
      bits[p++] = bit;
      ones += bit;
    }
    bits[p++] = (ones & 1) ? 0 : 1; // odd parity
  }
  return bits;
}
