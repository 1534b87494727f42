// Hex <-> bytes for the device world (drivers/ and firmware/; Espruino dialect, no regex).
// The one codec there: firmware/host/hex.ts re-exports it. Node-side code (sim/, tools/,
// test/) uses sim/hex.ts instead (docs/architecture.md).

var HEX = "0123456789ABCDEF";

/** Upper-case hex of b, or of b[start..start+len) (clipped to the array). */
export function toHex(b: Uint8Array, start?: number, len?: number): string {
  var i = start || 0;
  var end = len === undefined ? b.length : Math.min(b.length, i + len);
  var s = "";
  for (; i < end; i++) s += HEX.charAt(b[i]! >> 4) + HEX.charAt(b[i]! & 15);
  return s;
}

function hexVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/** Hex (either case) to bytes; spaces, tabs and line breaks are skipped. null on an odd digit
 *  count or a non-hex character. */
export function fromHex(s: string): Uint8Array | null {
  var clean = "";
  for (var i = 0; i < s.length; i++) {
    var c = s.charCodeAt(i);
    if (c === 32 || c === 10 || c === 13 || c === 9) continue;
    if (hexVal(c) < 0) return null;
    clean += s.charAt(i);
  }
  if (clean.length & 1) return null;
  var out = new Uint8Array(clean.length >> 1);
  for (var j = 0; j < out.length; j++) {
    out[j] = hexVal(clean.charCodeAt(2 * j)) << 4 | hexVal(clean.charCodeAt(2 * j + 1));
  }
  return out;
}
