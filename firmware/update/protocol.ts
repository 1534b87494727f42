// The update transfer protocol (docs/update.md), the same over TCP and the serial console.
// A frame: "U", type (1 char), payload length (u16 BE), payload, CRC-32 (u32 BE) of type +
// length + payload. The terminal pulls:
//   Q  terminal -> server  "tid version jf" (ASCII): ask for the offer
//   O  server -> terminal  version u32, jf u32, size u32, digest (32), HMAC (32)
//   G  terminal -> server  offset u32, length u16: send these bytes (resume = ask again)
//   D  server -> terminal  offset u32, bytes
//   E  server -> terminal  why it cannot serve (ASCII)
//   B  terminal -> server  the outcome, for the server's log (ASCII)
// digest: h = 32 zero bytes; for each 1 KiB chunk c of the image h = SHA-256(h + c) (no
// streaming SHA-256 in the interpreter; each step reads one chunk from Storage).
// HMAC-SHA-256(update key, "POSFW" + version + jf + size (u32 BE each) + digest).
// Everything is built inside updateProtocol(): nothing of it stays in RAM at idle.
export const enum Wire { DigestChunk = 1024, MaxData = 1024 }

export interface Offer { version: number; fmt: number; size: number; digest: string; hmac: string; }
export interface Frame { type: string; payload: string; }

export interface Protocol {
  frame(type: string, payload: string): string;
  /** the first complete frame of buf and the rest, null when more bytes are needed; a frame
   *  with a bad magic, length or CRC: { error } (the caller drops the link) */
  parse(buf: string): { frame: Frame; rest: string } | { error: string } | null;
  u32(n: number): string;
  getU32(s: string, at: number): number;
  encodeOffer(o: Offer): string;
  decodeOffer(p: string): Offer | null;
  /** the chained digest step: h = SHA-256(h + chunk) */
  step(h: string, chunk: string): string;
  zeroDigest(): string;
  /** the message the HMAC covers */
  signed(o: Offer): string;
}

export function updateProtocol(sha256: (s: string) => string, crc32: (s: string) => number): Protocol {
  var u32 = function (n: number): string {
    return String.fromCharCode((n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255);
  };
  var getU32 = function (s: string, at: number): number {
    return ((s.charCodeAt(at) << 24) | (s.charCodeAt(at + 1) << 16) | (s.charCodeAt(at + 2) << 8) | s.charCodeAt(at + 3)) >>> 0;
  };
  return {
    u32: u32,
    getU32: getU32,
    frame: function (type, payload) {
      var body = type + String.fromCharCode(payload.length >> 8, payload.length & 255) + payload;
      return "U" + body + u32(crc32(body));
    },
    parse: function (buf) {
      if (buf.length < 4) return buf.length && buf.charAt(0) !== "U" ? { error: "bad frame start" } : null;
      if (buf.charAt(0) !== "U") return { error: "bad frame start" };
      var n = (buf.charCodeAt(2) << 8) | buf.charCodeAt(3);
      if (n > Wire.MaxData + 64) return { error: "frame too long (" + n + ")" };
      if (buf.length < 8 + n) return null;
      var body = buf.substr(1, 3 + n);
      if (crc32(body) !== getU32(buf, 4 + n)) return { error: "frame CRC mismatch" };
      return { frame: { type: buf.charAt(1), payload: buf.substr(4, n) }, rest: buf.substr(8 + n) };
    },
    encodeOffer: function (o) { return u32(o.version) + u32(o.fmt) + u32(o.size) + o.digest + o.hmac; },
    decodeOffer: function (p) {
      if (p.length !== 76) return null;
      return { version: getU32(p, 0), fmt: getU32(p, 4), size: getU32(p, 8), digest: p.substr(12, 32), hmac: p.substr(44, 32) };
    },
    step: function (h, chunk) { return sha256(h + chunk); },
    zeroDigest: function () { var z = ""; for (var i = 0; i < 32; i++) z += "\x00"; return z; },
    signed: function (o) { return "POSFW" + u32(o.version) + u32(o.fmt) + u32(o.size) + o.digest; },
  };
}
