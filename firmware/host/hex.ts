// Bytes as hex and as 8-bit strings for the firmware. The hex codec itself is the device
// world's one, drivers/hex.ts (drivers cannot import firmware/), re-exported here.

export { toHex, fromHex } from "../../drivers/hex";

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
