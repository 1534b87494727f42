// HMAC-SHA256 (RFC 2104) over 8-bit strings, built on the SHA-256 the platform gives us
// (Espruino's require("crypto").SHA256 on the device, the simulator's emulation in tests).

export type Sha256 = (data: string) => string;

const BLOCK = 64;

export function hmacSha256(sha256: Sha256, key: string, message: string): string {
  var k = key.length > BLOCK ? sha256(key) : key;
  var ipad = "";
  var opad = "";
  for (var i = 0; i < BLOCK; i++) {
    var b = i < k.length ? k.charCodeAt(i) : 0;
    ipad += String.fromCharCode(b ^ 0x36);
    opad += String.fromCharCode(b ^ 0x5c);
  }
  return sha256(opad + sha256(ipad + message));
}

const HEX = "0123456789abcdef";

export function toHex(s: string): string {
  var out = "";
  for (var i = 0; i < s.length; i++) {
    var c = s.charCodeAt(i) & 255;
    out += HEX.charAt(c >> 4) + HEX.charAt(c & 15);
  }
  return out;
}

/** lower- or upper-case hex to an 8-bit string; "" on bad input */
export function fromHex(h: string): string {
  if (h.length % 2) return "";
  var out = "";
  for (var i = 0; i < h.length; i += 2) {
    var hi = hexDigit(h.charCodeAt(i));
    var lo = hexDigit(h.charCodeAt(i + 1));
    if (hi < 0 || lo < 0) return "";
    out += String.fromCharCode(hi * 16 + lo);
  }
  return out;
}

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** n random bytes as hex, from a byte source (E.hwRand on the device) */
export function randomHex(randomByte: () => number, n: number): string {
  var s = "";
  for (var i = 0; i < n; i++) s += String.fromCharCode(randomByte() & 255);
  return toHex(s);
}
