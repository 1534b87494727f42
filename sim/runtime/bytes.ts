// Espruino's loose data arguments (numbers, strings, arrays, typed arrays, ArrayBuffers, nested
// arrays, {data, count}) flattened to bytes, as E.toUint8Array does. Works on values from
// either realm.
export function isView(v: any): v is ArrayBufferView {
  return ArrayBuffer.isView(v);
}

export function isArrayBuffer(v: any): v is ArrayBuffer {
  return Object.prototype.toString.call(v) === "[object ArrayBuffer]";
}

export function pushBytes(out: number[], v: any): void {
  if (v === undefined || v === null) return;
  if (typeof v === "number" || typeof v === "boolean") { out.push(Number(v) & 0xff); return; }
  if (typeof v === "string") { for (let i = 0; i < v.length; i++) out.push(v.charCodeAt(i) & 0xff); return; }
  if (isArrayBuffer(v)) { const u = new Uint8Array(v); for (let i = 0; i < u.length; i++) out.push(u[i]!); return; }
  if (isView(v)) {
    if (Object.prototype.toString.call(v) === "[object DataView]") {
      const u = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
      for (let i = 0; i < u.length; i++) out.push(u[i]!);
      return;
    }
    const a = v as unknown as ArrayLike<number>;
    for (let i = 0; i < a.length; i++) out.push(Number(a[i]) & 0xff);
    return;
  }
  if (Array.isArray(v)) { for (const x of v) pushBytes(out, x); return; }
  if (typeof v === "object" && "data" in v) {
    const n = typeof v.count === "number" ? v.count : 1;
    for (let i = 0; i < n; i++) pushBytes(out, v.data);
    return;
  }
  out.push(Number(v) & 0xff);
}

export function toBytes(...vals: any[]): Uint8Array {
  if (vals.length === 1) {
    // fast paths for the common single argument
    const v = vals[0];
    if (typeof v === "string") return new Uint8Array(Buffer.from(v, "latin1"));
    const tag = Object.prototype.toString.call(v);
    if (tag === "[object Uint8Array]" || tag === "[object Uint8ClampedArray]") return new Uint8Array(v as Uint8Array);
    if (tag === "[object ArrayBuffer]") return new Uint8Array(new Uint8Array(v as ArrayBuffer)); // (no .slice: deleted in the context)
  }
  const out: number[] = [];
  for (const v of vals) pushBytes(out, v);
  return Uint8Array.from(out);
}

export function latin1(bytes: ArrayLike<number>): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 4096) {
    s += String.fromCharCode.apply(null, Array.prototype.slice.call(bytes, i, i + 4096) as number[]);
  }
  return s;
}

/** CRC-32 (zlib's: reflected 0xEDB88320, init and final xor 0xFFFFFFFF), unsigned. In JS:
 *  the firmware checks many short records, where a native call costs more than the bytes. */
export const CRC_TABLE = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();
export function crc32(bytes: ArrayLike<number>): number {
  let c = -1;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}
