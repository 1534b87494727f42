// HMAC-SHA256 (RFC 2104) over 8-bit strings, built on the SHA-256 the platform gives us
// (Espruino's require("crypto").SHA256 on the device, the simulator's emulation in tests).

import { toHex as bytesToHex, fromHex as hexToBytes, strToBytes, bytesToStr } from "../host/hex";

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

/** The host MAC (docs/host-protocol.md §1.4): data -> the first 8 bytes of
 *  HMAC-SHA-256(key, data); null when the key is not 16..32 bytes of hex. */
export function macFunction(sha256: Sha256, keyHex: string): ((data: string) => string) | null {
  var k = fromHex(keyHex);
  if (k.length < 16 || k.length > 32) return null;
  return function (data: string): string { return hmacSha256(sha256, k, data).substr(0, 8); };
}

/** an 8-bit string as lower-case hex (tokens and PIN hashes are stored this way) */
export function toHex(s: string): string {
  return bytesToHex(strToBytes(s)).toLowerCase();
}

/** hex (either case) to an 8-bit string; "" on bad input */
export function fromHex(h: string): string {
  var b = hexToBytes(h);
  return b ? bytesToStr(b) : "";
}

/** n random bytes as hex, from a byte source (E.hwRand on the device) */
export function randomHex(randomByte: () => number, n: number): string {
  var s = "";
  for (var i = 0; i < n; i++) s += String.fromCharCode(randomByte() & 255);
  return toHex(s);
}
