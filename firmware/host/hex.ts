// Hex conversion for logs, fixtures and tools (no regex: the Espruino dialect).

var HEX = "0123456789ABCDEF";

export function toHex(b: Uint8Array): string {
  var s = "";
  for (var i = 0; i < b.length; i++) s += HEX.charAt(b[i]! >> 4) + HEX.charAt(b[i]! & 15);
  return s;
}

function hexVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/** Hex to bytes; spaces are ignored. Returns null on an odd digit count or a non-hex char. */
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

/** 8-bit string (Espruino socket data) <-> bytes */
export function strToBytes(s: string): Uint8Array {
  if (typeof E !== "undefined" && E.toUint8Array) return E.toUint8Array(s); // native on the device
  var out = new Uint8Array(s.length);
  for (var i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 255;
  return out;
}

export function bytesToStr(b: Uint8Array): string {
  var s = "";
  // chunks keep the apply() argument list small on the interpreter
  for (var i = 0; i < b.length; i += 64) {
    s += String.fromCharCode.apply(null, b.subarray(i, Math.min(b.length, i + 64)) as any);
  }
  return s;
}
