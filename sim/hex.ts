// Hex <-> bytes for Node-side code (the simulator, its commands, tests): the one helper there,
// over Buffer. The device world (drivers/, firmware/) has its own, drivers/hex.ts
// (docs/architecture.md). Works on typed arrays from either realm.

/** Upper-case hex of b, or of b[start..start+len) (clipped to the array). */
export function toHex(b: ArrayLike<number>, start = 0, len?: number): string {
  const end = len === undefined ? b.length : Math.min(b.length, start + len);
  const v = b as Uint8Array;
  const bytes = Object.prototype.toString.call(v) === "[object Uint8Array]" ? Buffer.from(v.buffer, v.byteOffset, v.byteLength)
    : Buffer.from(Array.from(b, (x) => x & 255));
  return bytes.subarray(start, end).toString("hex").toUpperCase();
}

/** Hex (either case) to bytes; white space is skipped. null on an odd digit count or a
 *  non-hex character. */
export function fromHex(s: string): Uint8Array | null {
  const clean = s.replace(/\s+/g, "");
  if (clean.length % 2 !== 0 || !/^[0-9A-Fa-f]*$/.test(clean)) return null;
  return new Uint8Array(Buffer.from(clean, "hex"));
}
